"""Permission-matrix rows for the cases app's URLs (see tests/permission_matrix.py).

Who sees a case (``cases.selectors.case``): Veilig Thuis every case of its region, a lead
organisation the cases it leads; nobody another region's. The owner of an action that does
not lead the case sees (and completes) the action, not the case: the kind
``partner-action`` is an action owned by the requesting organisation in a case led by
Veilig Thuis; ``partner-action-page`` is the same object seen from the case page (404 for
the owner).
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from tests.permission_matrix import (
    IN_REGISTER,
    OWN_ORG,
    REGION,
    SIGNAL_OWNERS,
    Ctx,
    Method,
    ObjectKind,
    Ok,
    Row,
    _org_of_region,
    roles_with,
    sender,
)

VT = frozenset({Role.VT_STAFF, Role.VT_OFFICER})
LEADS = frozenset({Role.MUNICIPAL_OFFICER, Role.AVIM, Role.CARE_COORDINATOR, Role.PROCESS_DIRECTOR})
CASE_ROLES = VT | LEADS
CONSENT_ROLES = roles_with("cases.add_consent")

# Veilig Thuis reaches the region's cases; a lead organisation its own (the default, OWN_ORG).
SCOPE = {role: REGION for role in VT}
CASE_READERS = {**SCOPE, **{role: OWN_ORG for role in LEADS}}
REGISTER_ONLY = dict(SCOPE)

DETAIL = "cases:detail"
MY_ACTIONS = "cases:my_actions"


# --- the objects -------------------------------------------------------------------------------


def _vt_org(world) -> Organisation:
    return world.orgs[Organisation.Kind.VEILIG_THUIS]


def _action(world, case, owner: Organisation):
    from cases.tests.case_support import add_action

    return add_action(world, case, owner=owner)


def _case(world, owner):
    from cases.tests.factories import make_case

    case = make_case(world, lead=owner)
    return SimpleNamespace(case=case, person=case.case_persons.get().person)


def _case_with_action(world, owner):
    """A case led by ``owner`` with an open action of Veilig Thuis (the lead completes it)."""
    obj = _case(world, owner)
    obj.action = _action(world, obj.case, _vt_org(world))
    return obj


def _case_with_done_action(world, owner):
    from cases.services import case as services

    obj = _case_with_action(world, owner)
    obj.action = services.action_complete(action=obj.action, actor=world.user(Role.VT_STAFF))
    return obj


def _partner_action(world, owner):
    """An action owned by ``owner`` in a case led by Veilig Thuis."""
    obj = _case(world, _vt_org(world))
    obj.action = _action(world, obj.case, owner)
    return obj


def _closed_case(world, owner):
    from cases.tests.case_support import close

    obj = _case(world, owner)
    obj.case = close(world, obj.case)
    return obj


def _case_with_consent(world, owner):
    from cases.tests.case_support import record_consent

    obj = _case(world, owner)
    obj.consent = record_consent(world, obj.case)
    return obj


def _screened(world, owner):
    from cases.tests.factories import screened_signal
    from signals.models import SOURCES_BY_ROLE

    user = sender(world, owner)
    return screened_signal(world, sender=user, source=SOURCES_BY_ROLE[user.role][0])


CASE = ObjectKind("case", _case, CASE_READERS)
CASE_WITH_ACTION = ObjectKind("case-with-action", _case_with_action, CASE_READERS)
CASE_WITH_DONE_ACTION = ObjectKind("case-with-done-action", _case_with_done_action, CASE_READERS)
PARTNER_ACTION = ObjectKind("partner-action", _partner_action, CASE_READERS)
PARTNER_ACTION_PAGE = ObjectKind("partner-action-page", _partner_action, REGISTER_ONLY)
CLOSED_CASE = ObjectKind("closed-case", _closed_case, CASE_READERS)
CASE_WITH_CONSENT = ObjectKind("case-with-consent", _case_with_consent, CASE_READERS)
SCREENED = ObjectKind("screened", _screened, IN_REGISTER, owners=SIGNAL_OWNERS)


def _case_kwargs(obj) -> dict:
    return {"public_id": obj.case.public_id}


def _action_kwargs(obj) -> dict:
    return {"public_id": obj.case.public_id, "action_id": obj.action.public_id}


# --- request data ------------------------------------------------------------------------------


def _today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _other_lead(case) -> Organisation:
    kind = Organisation.Kind.ZVH
    if case.lead_organisation.kind == kind:
        kind = Organisation.Kind.MUNICIPALITY
    return _org_of_region(case.region_id, kind)


def _open_form(ctx: Ctx) -> dict:
    municipality = _org_of_region(ctx.obj.region_id, Organisation.Kind.MUNICIPALITY)
    return {
        "choice": "open",
        "open-lead_organisation": municipality.pk,
        "open-lead_kind": "municipality",
    }


def _action_form(ctx: Ctx) -> dict:
    owner = _org_of_region(ctx.obj.case.region_id, Organisation.Kind.POLICE_AVIM)
    return {
        "action-description": "Huisbezoek afleggen",
        "action-owner_organisation": owner.pk,
        "action-due_date": _today(7),
    }


def _close_form(ctx: Ctx) -> dict:
    return {"close-version": ctx.obj.case.version, "close-reason": "goal_reached"}


def _reopen_form(ctx: Ctx) -> dict:
    ctx.obj.case.refresh_from_db()
    return {"reopen-version": ctx.obj.case.version, "reopen-reason": "Nieuw signaal ontvangen."}


def _lead_form(ctx: Ctx) -> dict:
    case = ctx.obj.case
    new = _other_lead(case)
    return {
        "lead-version": case.version,
        "lead-lead_organisation": new.pk,
        "lead-lead_kind": "zvh" if new.kind == Organisation.Kind.ZVH else "municipality",
    }


def _consent_form(ctx: Ctx) -> dict:
    prefix = f"consent-{str(ctx.obj.person.public_id)[:8]}"
    return {
        f"{prefix}-given_by": "person",
        f"{prefix}-given_on": _today(-1),
        f"{prefix}-scope": "Delen met de zorgcoördinator",
    }


def _withdraw_form(ctx: Ctx) -> dict:
    return {f"withdraw-{str(ctx.obj.consent.public_id)[:8]}-withdrawn_on": _today()}


def _api_create(ctx: Ctx) -> dict:
    from cases.tests.factories import screened_signal

    signal = screened_signal(ctx.world)
    return {
        "signal": str(signal.public_id),
        "lead_organisation": str(ctx.world.municipality.public_id),
        "lead_kind": "municipality",
    }


def _api_action(ctx: Ctx) -> dict:
    owner = _org_of_region(ctx.obj.case.region_id, Organisation.Kind.POLICE_AVIM)
    return {
        "description": "Huisbezoek afleggen",
        "owner_organisation": str(owner.public_id),
        "due_date": _today(7),
    }


def _api_close(ctx: Ctx) -> dict:
    return {"version": ctx.obj.case.version, "reason": "goal_reached"}


def _api_reopen(ctx: Ctx) -> dict:
    ctx.obj.case.refresh_from_db()
    return {"version": ctx.obj.case.version, "reason": "Nieuw signaal ontvangen."}


def _api_add_signal(ctx: Ctx) -> dict:
    from cases.tests.factories import screened_signal

    return {"signal": str(screened_signal(ctx.world).public_id)}


# --- the rows ----------------------------------------------------------------------------------

SEES_CASES = roles_with("cases.view_case")
SEES_ACTIONS = roles_with("cases.view_action")
CHANGES_ACTIONS = roles_with("cases.change_action")
LEADS_CASES = roles_with("cases.lead_case")

ROWS: list[Row] = [
    # --- lists and work lists -------------------------------------------------------------------
    Row("cases:list", gate=SEES_CASES, allowed=CASE_ROLES, get=Method(Ok(200))),
    Row("cases:mine", gate=SEES_CASES, allowed=CASE_ROLES, get=Method(Ok(200))),
    Row("cases:my_actions", gate=SEES_ACTIONS, allowed=CASE_ROLES, get=Method(Ok(200))),
    # --- opening a case from a decided signal (Veilig Thuis) ------------------------------------
    Row(
        "cases:open",
        objects=(SCREENED,),
        kwargs=lambda s: {"signal_id": s.public_id},
        gate=roles_with("cases.open_case"),
        allowed=VT,
        get=Method(Ok(200)),
        post=Method(Ok(302, DETAIL), data=_open_form),
    ),
    # --- one case --------------------------------------------------------------------------------
    Row(
        "cases:detail",
        objects=(CASE, PARTNER_ACTION_PAGE),
        kwargs=_case_kwargs,
        gate=SEES_CASES,
        allowed=CASE_ROLES,
        scope=SCOPE,
        get=Method(Ok(200)),
    ),
    Row(
        "cases:action_add",
        objects=(CASE,),
        kwargs=_case_kwargs,
        gate=LEADS_CASES,
        allowed=CASE_ROLES,
        scope=SCOPE,
        post=Method(Ok(302, DETAIL), data=_action_form),
    ),
    Row(
        "cases:action_complete",
        objects=(CASE_WITH_ACTION, PARTNER_ACTION),
        kwargs=_action_kwargs,
        gate=CHANGES_ACTIONS,
        allowed=CASE_ROLES,
        scope=SCOPE,
        # To the case page, or for an owner that does not lead to "Mijn acties".
        post=Method(Ok(302)),
    ),
    Row(
        "cases:action_reopen",
        objects=(CASE_WITH_DONE_ACTION,),
        kwargs=_action_kwargs,
        gate=CHANGES_ACTIONS,
        allowed=CASE_ROLES,
        scope=SCOPE,
        post=Method(Ok(302, DETAIL)),
    ),
    Row(
        "cases:note_add",
        objects=(CASE,),
        kwargs=_case_kwargs,
        gate=LEADS_CASES,
        allowed=CASE_ROLES,
        scope=SCOPE,
        post=Method(Ok(302, DETAIL), data=lambda c: {"note-text": "Gesprek gevoerd."}),
    ),
    Row(
        "cases:close",
        objects=(CASE,),
        kwargs=_case_kwargs,
        gate=LEADS_CASES,
        allowed=CASE_ROLES,
        scope=SCOPE,
        post=Method(Ok(302, DETAIL), data=_close_form),
    ),
    Row(
        "cases:reopen",
        objects=(CLOSED_CASE,),
        kwargs=_case_kwargs,
        gate=LEADS_CASES,
        allowed=CASE_ROLES,
        scope=SCOPE,
        post=Method(Ok(302, DETAIL), data=_reopen_form),
    ),
    Row(
        "cases:lead_change",
        objects=(CASE,),
        kwargs=_case_kwargs,
        gate=roles_with("cases.change_case"),
        allowed=VT,
        post=Method(Ok(302, DETAIL), data=_lead_form),
    ),
    Row(
        "cases:consent_record",
        objects=(CASE,),
        kwargs=lambda o: {"public_id": o.case.public_id, "person_id": o.person.public_id},
        gate=CONSENT_ROLES,
        allowed=CONSENT_ROLES,
        scope=SCOPE,
        post=Method(Ok(302, DETAIL), data=_consent_form),
    ),
    Row(
        "cases:consent_withdraw",
        objects=(CASE_WITH_CONSENT,),
        kwargs=lambda o: {"public_id": o.case.public_id, "consent_id": o.consent.public_id},
        gate=CONSENT_ROLES,
        allowed=CONSENT_ROLES,
        scope=SCOPE,
        post=Method(Ok(302, DETAIL), data=_withdraw_form),
    ),
    # --- API ---------------------------------------------------------------------------------------
    Row(
        "api:case-list",
        api=True,
        allowed=CASE_ROLES,
        get=Method(Ok(200)),
        post=Method(Ok(201), allowed=VT, data=_api_create),
    ),
    Row("api:case-my-actions", api=True, allowed=CASE_ROLES, get=Method(Ok(200))),
    Row(
        "api:case-detail",
        api=True,
        objects=(CASE, PARTNER_ACTION_PAGE),
        kwargs=_case_kwargs,
        allowed=CASE_ROLES,
        scope=SCOPE,
        get=Method(Ok(200)),
    ),
    Row(
        "api:case-actions",
        api=True,
        objects=(CASE,),
        kwargs=_case_kwargs,
        allowed=CASE_ROLES,
        scope=SCOPE,
        get=Method(Ok(200)),
        post=Method(Ok(201), data=_api_action),
    ),
    Row(
        "api:case-action-complete",
        api=True,
        objects=(CASE_WITH_ACTION, PARTNER_ACTION),
        kwargs=_action_kwargs,
        allowed=CASE_ROLES,
        scope=SCOPE,
        post=Method(Ok(200)),
    ),
    Row(
        "api:case-action-reopen",
        api=True,
        objects=(CASE_WITH_DONE_ACTION,),
        kwargs=_action_kwargs,
        allowed=CASE_ROLES,
        scope=SCOPE,
        post=Method(Ok(200)),
    ),
    Row(
        "api:case-notes",
        api=True,
        objects=(CASE,),
        kwargs=_case_kwargs,
        allowed=CASE_ROLES,
        scope=SCOPE,
        get=Method(Ok(200)),
        post=Method(Ok(201), data=lambda c: {"text": "Gesprek gevoerd."}),
    ),
    Row(
        "api:case-close",
        api=True,
        objects=(CASE,),
        kwargs=_case_kwargs,
        allowed=CASE_ROLES,
        scope=SCOPE,
        post=Method(Ok(200), data=_api_close),
    ),
    Row(
        "api:case-reopen",
        api=True,
        objects=(CLOSED_CASE,),
        kwargs=_case_kwargs,
        allowed=CASE_ROLES,
        scope=SCOPE,
        post=Method(Ok(200), data=_api_reopen),
    ),
    Row(
        "api:case-add-signal",
        api=True,
        objects=(CASE,),
        kwargs=_case_kwargs,
        allowed=VT,
        post=Method(Ok(200), data=_api_add_signal),
    ),
]
