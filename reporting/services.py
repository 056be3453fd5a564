"""Every change reporting makes: the annual report runs and the evaluation's registers.

Annual report runs (docs/reporting.md "Annual evaluation PDF"):

- ``annual_report_start`` makes a queued run, or returns the run already queued or running
  for the same region, year and scope (a partial unique constraint makes the database
  refuse a second one, also when two people press "start" at the same moment). A run whose
  worker is gone (its run lock is free) or stopped reporting for longer than the task time
  limit is marked failed first.
- ``annual_report_run`` (the Celery task) holds the run's lock from claim to record, renders
  the PDF with progress, writes it under a temporary name and moves it into place only when
  it is complete, then records the file, its SHA-256 and the data date in one transaction.
  Any failure removes what it wrote and marks the run failed; starting again makes a new
  run. Running it twice does nothing more; a delivery of a run whose worker was killed
  (acks late: the broker delivers it again) takes the run over and completes it.

The run lock is a PostgreSQL session-level advisory lock. PostgreSQL releases it when the
worker's connection ends, so a killed worker is noticed as soon as its connection is gone,
without waiting for the heartbeat to go stale (which still covers a host that vanished
without closing its connections).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import acting_as
from accounts.models import Organisation, User
from accounts.storage import discard, store_atomically

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

# First key of the annual report runs' advisory locks (the second is the run's id).
RUN_LOCK_NAMESPACE = 0x4A52


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
        if running.updated_at < timezone.now() - stale_after():
            _fail(running, _("Afgebroken: de vorige poging gaf te lang geen teken van leven."))
        elif not _worker_alive(running):
            _fail(running, _("Afgebroken: het proces dat het jaarverslag maakte is gestopt."))
        else:
            return running, False
        # What the lost worker may have written is recorded nowhere: remove it.
        discard(report_path(running, ""))
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


def _lock_key(report_id: int) -> list[int]:
    return [RUN_LOCK_NAMESPACE, report_id % 2**31]


@contextlib.contextmanager
def run_lock(report_id: int) -> Iterator[bool | None]:
    """Hold the run's lock while the block runs: True when taken, False when another live
    worker holds it, None on a database without advisory locks (SQLite: the embedded default
    runs tasks eagerly, in one process)."""
    if connection.vendor != "postgresql":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _lock_key(report_id))
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _lock_key(report_id))


def _worker_alive(report: AnnualReport) -> bool:
    """Whether a running run's worker still holds its lock (a queued run waits for one).

    Asked inside the caller's transaction: a transaction-level lock taken here is released at
    its end, and meanwhile keeps a late delivery of the same run from taking it over.
    """
    if report.status != ReportStatus.RUNNING or connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", _lock_key(report.pk))
        return not cursor.fetchone()[0]


def _claim(report_id: int, *, take_over: bool = False) -> AnnualReport | None:
    """Mark the run running for this worker; None when there is nothing to do.

    ``take_over``: this worker holds the run's lock, so a run marked running has lost its
    worker (killed mid-run) and this delivery renders it again from the start.
    """
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.RUNNING and (
            take_over or report.updated_at < timezone.now() - stale_after()
        ):
            logger.warning("annual report %s: its worker is gone; rendering it again", report_id)
        elif report.status != ReportStatus.QUEUED:
            return None  # done, failed, or running in another worker: nothing more to do
        else:
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
    with acting_as(actor, path="task:generate_annual_report"), run_lock(report_id) as held:
        if held is False:
            return AnnualReport.objects.get(pk=report_id)  # another live worker renders it
        report = _claim(report_id, take_over=held is True)
        if report is None:
            return AnnualReport.objects.get(pk=report_id)
        return _render_and_record(report)


def _ours(current: AnnualReport, report: AnnualReport) -> bool:
    """Whether the run is still this worker's claim (not failed, not taken over)."""
    return current.status == ReportStatus.RUNNING and current.started_at == report.started_at


def _render_and_record(report: AnnualReport) -> AnnualReport:
    from .documents import render_annual_report

    report_id = report.pk
    stored: str | None = None
    try:
        rendered = render_annual_report(report, progress=lambda p: report_progress(report, p))
        stored = store_atomically(report_path(report, ""), rendered.pdf)
        with transaction.atomic():
            locked = AnnualReport.objects.select_for_update().get(pk=report_id)
            if not _ours(locked, report):
                raise RuntimeError("the run was failed or taken over while it was rendering")
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
        current = AnnualReport.objects.get(pk=report_id)
        taken_over = current.status == ReportStatus.RUNNING and not _ours(current, report)
        if stored and current.file.name != stored and not taken_over:
            default_storage.delete(stored)
        if _ours(current, report):
            _fail(current, _("Het maken van het jaarverslag is mislukt. Probeer het opnieuw."))
        return AnnualReport.objects.get(pk=report_id)


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
