"""Permission-matrix rows for the reporting app's URLs (see tests/permission_matrix.py).

Who may do what (accounts.roles, docs/reporting.md):

- the dashboard: Veilig Thuis, the chain director, the policy analyst, and a municipal
  officer (for its own municipality: ``test_views_dashboard.py`` proves the 404);
- the aggregated CoMensha export and the annual report: the same without the municipal
  officer; the per-victim list and the tracker: Veilig Thuis only;
- the implementation plan and awareness sessions: read by the evaluation roles, kept by the
  VT officer and the policy analyst.

Reports, actions and sessions belong to a region: another region's answers 404.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from tests.permission_matrix import (
    REGION,
    Method,
    ObjectKind,
    Ok,
    Row,
    roles_with,
)

DASHBOARD = roles_with("reporting.view_dashboard")
EXPORT = roles_with("reporting.export_comensha")
TRACKER = roles_with("reporting.view_comensha_tracker")
GENERATE = roles_with("reporting.generate_annual_report")
VIEW_PLAN = roles_with("reporting.view_implementationaction")
VIEW_SESSIONS = roles_with("reporting.view_awarenesssession")
MANAGE_PLAN = roles_with("reporting.manage_implementation_plan")
YEAR = str(timezone.localdate().year - 1)


def _report(world, _owner):
    from django.core.files.base import ContentFile

    from reporting.models import AnnualReport

    report = AnnualReport(
        region=world.region,
        year=int(YEAR),
        scope_key="region",
        status="done",
        progress=100,
        generated_by=world.user(Role.POLICY_ANALYST),
        sha256="0" * 64,
    )
    report.file.save("matrix.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    report.save()
    return report


def _action(world, _owner):
    from reporting.models import ImplementationAction

    return ImplementationAction.objects.create(
        region=world.region,
        title="Aandachtsfunctionaris in elke gemeente",
        owner_organisation=world.orgs[Organisation.Kind.RIEC],
        due_date=date(int(YEAR), 6, 30),
        updated_by=world.user(Role.POLICY_ANALYST),
    )


def _session(world, _owner):
    from reporting.models import AwarenessSession

    return AwarenessSession.objects.create(
        region=world.region,
        held_on=date(int(YEAR), 5, 1),
        municipality=world.municipality,
        topic="Signalen herkennen",
        audience="front_desk",
        participants=20,
        organised_by=world.orgs[Organisation.Kind.RIEC],
        updated_by=world.user(Role.POLICY_ANALYST),
    )


REPORT = ObjectKind("annual-report", _report, {r: REGION for r in GENERATE}, per_organisation=False)
ACTION = ObjectKind("plan-action", _action, {r: REGION for r in VIEW_PLAN}, per_organisation=False)
SESSION = ObjectKind(
    "awareness-session", _session, {r: REGION for r in VIEW_SESSIONS}, per_organisation=False
)


def _public_id(obj) -> dict:
    return {"public_id": obj.public_id}


def _action_form(ctx) -> dict:
    return {
        "title": "Meldroute in de werkinstructies",
        "owner_organisation": ctx.world.orgs[Organisation.Kind.VEILIG_THUIS].pk,
        "due_date": f"{YEAR}-12-31",
        "status": "in_progress",
        "completed_on": "",
        "progress_notes": "Besproken in de regiegroep.",
    }


def _session_form(ctx) -> dict:
    return {
        "held_on": f"{YEAR}-05-01",
        "municipality": ctx.world.municipality.pk,
        "topic": "Signalen van arbeidsuitbuiting",
        "audience": "care",
        "participants": "12",
        "organised_by": ctx.world.orgs[Organisation.Kind.RIEC].pk,
        "notes": "",
    }


ROWS: list[Row] = [
    # --- HTML ---------------------------------------------------------------------------------
    Row("reporting:dashboard", gate=DASHBOARD, allowed=DASHBOARD, get=Method(Ok(200))),
    Row("reporting:comensha", gate=EXPORT, allowed=EXPORT, get=Method(Ok(200))),
    Row(
        "reporting:comensha_export",
        gate=EXPORT,
        allowed=EXPORT,
        get=Method(Ok(200), data=lambda c: {"year": YEAR, "format": "xlsx"}),
    ),
    Row(
        "reporting:comensha_victims",
        gate=TRACKER,
        allowed=TRACKER,
        get=Method(Ok(200), data=lambda c: {"year": YEAR}),
    ),
    Row(
        "reporting:annual",
        gate=GENERATE,
        allowed=GENERATE,
        get=Method(Ok(200)),
        post=Method(
            Ok(302, "reporting:annual_detail"), data=lambda c: {"year": YEAR, "municipality": ""}
        ),
    ),
    Row(
        "reporting:annual_introduction",
        gate=GENERATE,
        allowed=GENERATE,
        post=Method(
            Ok(302, "reporting:annual"),
            data=lambda c: {"year": YEAR, "text": "Het beleid van dit jaar in het kort."},
        ),
    ),
    Row(
        "reporting:annual_detail",
        objects=(REPORT,),
        kwargs=_public_id,
        gate=GENERATE,
        allowed=GENERATE,
        get=Method(Ok(200)),
    ),
    Row(
        "reporting:annual_progress",
        objects=(REPORT,),
        kwargs=_public_id,
        gate=GENERATE,
        allowed=GENERATE,
        get=Method(Ok(200)),
    ),
    Row(
        "reporting:annual_file",
        objects=(REPORT,),
        kwargs=_public_id,
        gate=GENERATE,
        allowed=GENERATE,
        get=Method(Ok(200)),
    ),
    Row("reporting:plan", gate=VIEW_PLAN, allowed=VIEW_PLAN, get=Method(Ok(200))),
    Row(
        "reporting:plan_create",
        gate=MANAGE_PLAN,
        allowed=MANAGE_PLAN,
        get=Method(Ok(200)),
        post=Method(Ok(302, "reporting:plan"), data=_action_form),
    ),
    Row(
        "reporting:plan_edit",
        objects=(ACTION,),
        kwargs=_public_id,
        gate=MANAGE_PLAN,
        allowed=MANAGE_PLAN,
        get=Method(Ok(200)),
        post=Method(Ok(302, "reporting:plan"), data=_action_form),
    ),
    Row("reporting:sessions", gate=VIEW_SESSIONS, allowed=VIEW_SESSIONS, get=Method(Ok(200))),
    Row(
        "reporting:session_create",
        gate=MANAGE_PLAN,
        allowed=MANAGE_PLAN,
        get=Method(Ok(200)),
        post=Method(Ok(302, "reporting:sessions"), data=_session_form),
    ),
    Row(
        "reporting:session_edit",
        objects=(SESSION,),
        kwargs=_public_id,
        gate=MANAGE_PLAN,
        allowed=MANAGE_PLAN,
        get=Method(Ok(200)),
        post=Method(Ok(302, "reporting:sessions"), data=_session_form),
    ),
    # --- API ----------------------------------------------------------------------------------
    Row("api:report-dashboard", api=True, gate=DASHBOARD, allowed=DASHBOARD, get=Method(Ok(200))),
    Row(
        "api:report-comensha",
        api=True,
        gate=EXPORT,
        allowed=EXPORT,
        get=Method(Ok(200), data=lambda c: {"year": YEAR, "format": "json"}),
    ),
    Row(
        "api:report-annual-list",
        api=True,
        gate=GENERATE,
        allowed=GENERATE,
        get=Method(Ok(200)),
        post=Method(Ok(202), data=lambda c: {"year": int(YEAR)}),
    ),
    Row(
        "api:report-annual-detail",
        api=True,
        objects=(REPORT,),
        kwargs=_public_id,
        gate=GENERATE,
        allowed=GENERATE,
        get=Method(Ok(200)),
    ),
    Row(
        "api:report-annual-file",
        api=True,
        objects=(REPORT,),
        kwargs=_public_id,
        gate=GENERATE,
        allowed=GENERATE,
        get=Method(Ok(200)),
    ),
]
