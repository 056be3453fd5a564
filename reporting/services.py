"""Every change reporting makes: the annual report runs and the evaluation's registers.

Annual report runs (docs/reporting.md "Annual evaluation PDF"):

- ``annual_report_start`` makes a queued run, or returns the run already queued or running
  for the same region, year and scope (a partial unique constraint makes the database
  refuse a second one, also when two people press "start" at the same moment). A run whose
  worker stopped reporting for longer than the task time limit is marked failed first.
- ``annual_report_run`` (the Celery task) renders the PDF with progress, writes it under a
  temporary name and moves it into place only when it is complete, then records the file,
  its SHA-256 and the data date in one transaction. Any failure removes what it wrote and
  marks the run failed; starting again makes a new run. Running it twice does nothing more.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import acting_as
from accounts.models import Organisation, User

from .models import (
    AnnualReport,
    AwarenessSession,
    EvaluationIntroduction,
    ImplementationAction,
    report_path,
)
from .periods import Scope, check_year
from .workflow import ACTIVE, ActionStatus, ReportStatus, check_transition

logger = logging.getLogger(__name__)

GENERATE = "reporting.generate_annual_report"
MANAGE_PLAN = "reporting.manage_implementation_plan"
PARTIAL_SUFFIX = ".part"


def _require(actor: User, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied


def stale_after() -> timedelta:
    """A run that reported nothing for this long has lost its worker."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


# --- annual report runs ----------------------------------------------------------------------


@transaction.atomic
def annual_report_start(*, actor: User, scope: Scope, year: int) -> tuple[AnnualReport, bool]:
    """Queue the annual report of ``year`` for ``scope``; (the run, whether it is new).

    The task is sent when the transaction commits (with eager tasks, in ``make run`` and
    the tests, it runs right then).
    """
    _require(actor, GENERATE)
    if scope.region.pk != actor.organisation.region_id:
        raise PermissionDenied
    check_year(year)
    running = (
        AnnualReport.objects.select_for_update()
        .filter(region=scope.region, year=year, scope_key=scope.key, status__in=ACTIVE)
        .first()
    )
    if running is not None:
        if running.updated_at >= timezone.now() - stale_after():
            return running, False
        _fail(running, _("Afgebroken: de vorige poging gaf te lang geen teken van leven."))
    report = AnnualReport(
        region=scope.region,
        year=year,
        municipality=scope.municipality,
        scope_key=scope.key,
        status=ReportStatus.QUEUED,
        generated_by=actor,
    )
    report.task_id = f"annual-report-{report.public_id}"
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Somebody else started the same report a moment ago: theirs is the one.
        return (
            AnnualReport.objects.get(
                region=scope.region, year=year, scope_key=scope.key, status__in=ACTIVE
            ),
            False,
        )
    report_id, task_id = report.pk, report.task_id
    transaction.on_commit(lambda: _send(report_id, task_id))
    return report, True


def _send(report_id: int, task_id: str) -> None:
    from .tasks import generate_annual_report

    generate_annual_report.apply_async(args=[report_id], task_id=task_id)


def _fail(report: AnnualReport, message: str) -> None:
    check_transition(report.status, ReportStatus.FAILED)
    report.status = ReportStatus.FAILED
    report.error = message[:500]
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "finished_at", "updated_at"])


def report_progress(report: AnnualReport, progress: int) -> None:
    """Tell the browser how far the run is (and that the worker is alive). Not audited:
    only excluded fields change."""
    report.progress = max(0, min(100, progress))
    report.save(update_fields=["progress", "updated_at"])


def _claim(report_id: int) -> AnnualReport | None:
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report_id)
        if report.status != ReportStatus.QUEUED:
            return None  # done, failed, or running in another worker: nothing more to do
        check_transition(report.status, ReportStatus.RUNNING)
        report.status = ReportStatus.RUNNING
        report.started_at = timezone.now()
        report.progress = 1
        report.save(update_fields=["status", "started_at", "progress", "updated_at"])
        return report


def annual_report_run(*, report_id: int) -> AnnualReport:
    """Render, store and record one queued run. Never raises for a failed rendering: the run
    is marked failed (with a Dutch message; the details go to the log). Every change is
    logged in the name of the person who started the run."""
    actor = AnnualReport.objects.select_related("generated_by").get(pk=report_id).generated_by
    with acting_as(actor, path="task:generate_annual_report"):
        return _run(report_id)


def _run(report_id: int) -> AnnualReport:
    from .documents import render_annual_report

    report = _claim(report_id)
    if report is None:
        return AnnualReport.objects.get(pk=report_id)
    stored: str | None = None
    try:
        rendered = render_annual_report(report, progress=lambda p: report_progress(report, p))
        stored = store_atomically(report_path(report, ""), rendered.pdf)
        with transaction.atomic():
            locked = AnnualReport.objects.select_for_update().get(pk=report_id)
            if locked.status != ReportStatus.RUNNING:
                raise RuntimeError("the run was marked failed while it was rendering")
            locked.file.name = stored
            locked.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
            locked.size = len(rendered.pdf)
            locked.pages = rendered.pages
            locked.data_date = rendered.data_date
            locked.status = ReportStatus.DONE
            locked.progress = 100
            locked.finished_at = timezone.now()
            locked.full_clean(validate_constraints=False)
            locked.save()
            return locked
    except Exception:
        logger.exception("annual report %s failed", report_id)
        if stored:
            default_storage.delete(stored)
        current = AnnualReport.objects.get(pk=report_id)
        if current.status == ReportStatus.RUNNING:
            _fail(current, _("Het maken van het jaarverslag is mislukt. Probeer het opnieuw."))
        return AnnualReport.objects.get(pk=report_id)


def store_atomically(name: str, content: bytes) -> str:
    """Store ``content`` under ``name`` so that nobody ever finds half a file.

    On a local file system: write a temporary file next to the target, flush it to disk and
    rename it into place (a rename is atomic). Leftovers of a killed worker (``*.part``)
    are removed by the next run. Object stores write an object whole or not at all.
    """
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:
        return default_storage.save(name, ContentFile(content))
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_partial_files(target.parent)
    temporary = target.with_name(f"{target.name}.{uuid.uuid4().hex}{PARTIAL_SUFFIX}")
    try:
        with open(temporary, "xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return name


def remove_partial_files(directory: Path) -> int:
    """Remove temporary files older than a run may take (a worker was killed mid-write)."""
    cutoff = time.time() - stale_after().total_seconds()
    removed = 0
    for path in directory.glob(f"*{PARTIAL_SUFFIX}"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


# --- the policy introduction ---------------------------------------------------------------


@transaction.atomic
def introduction_save(*, actor: User, year: int, text: str) -> EvaluationIntroduction:
    _require(actor, GENERATE)
    check_year(year)
    region = actor.organisation.region
    intro = (
        EvaluationIntroduction.objects.select_for_update().filter(region=region, year=year).first()
    )
    if intro is None:
        intro = EvaluationIntroduction(region=region, year=year, updated_by=actor)
    intro.text = text.strip()
    intro.updated_by = actor
    intro.full_clean()
    intro.save()
    return intro


def introduction_text(region, year: int) -> str:
    intro = EvaluationIntroduction.objects.filter(region=region, year=year).first()
    return intro.text if intro else ""


# --- implementation plan and awareness sessions --------------------------------------------


def _check_region_organisation(actor: User, organisation: Organisation | None, field: str) -> None:
    if organisation is not None and organisation.region_id != actor.organisation.region_id:
        raise ValidationError({field: [_("Kies een organisatie uit de regio.")]})


def _apply(instance, data: dict[str, Any], fields: list[str]) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


ACTION_FIELDS = [
    "title",
    "owner_organisation",
    "due_date",
    "status",
    "completed_on",
    "progress_notes",
]


def _action_save(actor: User, action: ImplementationAction, data: dict) -> ImplementationAction:
    _apply(action, data, ACTION_FIELDS)
    _check_region_organisation(actor, action.owner_organisation, "owner_organisation")
    if action.status == ActionStatus.DONE and action.completed_on is None:
        action.completed_on = timezone.localdate()
    if action.status != ActionStatus.DONE:
        action.completed_on = None
    action.updated_by = actor
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def implementation_action_create(*, actor: User, data: dict) -> ImplementationAction:
    _require(actor, MANAGE_PLAN)
    return _action_save(actor, ImplementationAction(region=actor.organisation.region), data)


@transaction.atomic
def implementation_action_update(
    *, actor: User, action: ImplementationAction, data: dict
) -> ImplementationAction:
    _require(actor, MANAGE_PLAN)
    locked = ImplementationAction.objects.select_for_update().get(pk=action.pk)
    if locked.region_id != actor.organisation.region_id:
        raise PermissionDenied
    return _action_save(actor, locked, data)


SESSION_FIELDS = [
    "held_on",
    "municipality",
    "topic",
    "audience",
    "participants",
    "organised_by",
    "notes",
]


def _session_save(actor: User, session: AwarenessSession, data: dict) -> AwarenessSession:
    _apply(session, data, SESSION_FIELDS)
    _check_region_organisation(actor, session.organised_by, "organised_by")
    _check_region_organisation(actor, session.municipality, "municipality")
    if (
        session.municipality is not None
        and session.municipality.kind != Organisation.Kind.MUNICIPALITY
    ):
        raise ValidationError({"municipality": [_("Kies een gemeente.")]})
    if session.held_on and session.held_on > timezone.localdate() + timedelta(days=366):
        raise ValidationError({"held_on": [_("Die datum ligt te ver in de toekomst.")]})
    session.updated_by = actor
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def awareness_session_create(*, actor: User, data: dict) -> AwarenessSession:
    _require(actor, MANAGE_PLAN)
    return _session_save(actor, AwarenessSession(region=actor.organisation.region), data)


@transaction.atomic
def awareness_session_update(
    *, actor: User, session: AwarenessSession, data: dict
) -> AwarenessSession:
    _require(actor, MANAGE_PLAN)
    locked = AwarenessSession.objects.select_for_update().get(pk=session.pk)
    if locked.region_id != actor.organisation.region_id:
        raise PermissionDenied
    return _session_save(actor, locked, data)
