"""Retention and anonymisation (AVG art. 5(1)(e)): what is kept how long, and what is left.

The terms are settings (``RETENTION_*``, see ``docs/privacy.md``), counted in months from the
moment a record was closed:

- ``signal_none``: a signal handled internally by the municipality, or closed with the
  classification "none" (no trafficking) and never part of a case;
- ``signal_closed``: any other closed signal that never became part of a case;
- ``case_closed``: a closed case without a running trajectory; its signals (once every case
  they belong to is anonymised), referrals, screening texts and trajectories go with it;
- ``trajectory_closed``: a closed care trajectory (from the day its closing phase began);
- a person is anonymised in the same transaction as the last record that kept them.

Anonymising keeps what the figures need (dates, statuses, classifications, forms, age band,
gender, nationality, municipality, routes) and replaces every name, birth date, contact
detail and free text by ``ANONYMISED``; uploaded files and generated files about the record
are deleted from storage once the transaction has committed. Every anonymised record gets a
``accounts.Tombstone`` (what, when, which rule, by whom) and the unique constraint on it makes
the work idempotent: a second run changes nothing.

Changes are saved row by row, so auditlog writes its usual (masked) change entry for each;
append-only history rows (classification records, timelines) are changed with ``update()``
inside ``allow_bulk_writes`` and logged explicitly with ``record_bulk_change``. The audit log
itself is never changed: its personal fields are masked when written (see ``docs/privacy.md``).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.audit import acting_as, allow_bulk_writes, record_bulk_change
from accounts.models import SubjectRequest, Tombstone, User
from cases.models import (
    Action,
    CareMeeting,
    Case,
    CaseEvent,
    CaseNote,
    CaseStatus,
    Consent,
    Placement,
    Trajectory,
    add_months,
)
from cases.workflow import Phase
from referrals.models import Referral
from screening.models import Addendum, AgendaItem, Meeting, PartnerInput, RouteDecision
from signals.models import (
    AcuteConsultation,
    AgeBand,
    Attachment,
    Classification,
    ClassificationRecord,
    Note,
    Person,
    Place,
    Signal,
    SignalEvent,
)
from signals.validation import age_on
from signals.workflow import Status

logger = logging.getLogger(__name__)

ANONYMISED = "[geanonimiseerd]"
Rule = Tombstone.Rule

# A signal in one of these statuses is still being worked on: no rule and no erasure touches it.
ACTIVE_SIGNAL_STATUSES = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.REGISTERED, Status.SCHEDULED, Status.ACUTE}
)
CLOSED_SIGNAL_STATUSES = frozenset({Status.CLOSED, Status.HANDLED_INTERNALLY})

# What is anonymised, per model: free text → ANONYMISED, contact details → empty. Dates,
# statuses, classifications and choices stay. (Tested against auditlog's masked fields.)
TEXT_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Signal: ("description",),
    Place: ("name", "address", "facts"),
    Note: ("text",),
    AcuteConsultation: ("decision", "follow_up"),
    ClassificationRecord: ("reason",),
    AgendaItem: ("weighing", "advice"),
    PartnerInput: ("text",),
    RouteDecision: ("note",),
    Addendum: ("text",),
    Case: ("close_note",),
    Action: ("description",),
    CaseNote: ("text",),
    Referral: (
        "reason",
        "response",
        "feedback",
        "legal_basis_note",
        "consent_override_reason",
    ),
    Trajectory: ("outcome_note",),
    Placement: ("provider",),
    CareMeeting: ("participants", "agreements"),
    Consent: ("scope",),
    Person: ("name",),
}
CLEARED_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Signal: ("search_text",),
    Place: ("postcode", "url", "kvk_number"),
    Person: ("normalised_name", "language"),
    # The plan's size, type and checksum stay: proof of what was deleted, not personal data.
    Referral: ("plan_name",),
}
NULLED_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Person: ("birth_date",),
}


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


# --- terms -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    signal_none: int
    signal_closed: int
    case_closed: int
    trajectory_closed: int
    audit_log: int


def terms() -> Terms:
    """The retention terms in months (settings, from the environment)."""
    return Terms(
        signal_none=settings.RETENTION_SIGNAL_NONE_MONTHS,
        signal_closed=settings.RETENTION_SIGNAL_CLOSED_MONTHS,
        case_closed=settings.RETENTION_CASE_CLOSED_MONTHS,
        trajectory_closed=settings.RETENTION_TRAJECTORY_CLOSED_MONTHS,
        audit_log=settings.RETENTION_AUDIT_LOG_MONTHS,
    )


def cutoff(today: date, months: int) -> date:
    """Records closed before this day have been kept ``months`` months: they are due."""
    return add_months(today, -months)


# --- the work of one run ----------------------------------------------------------------------


@dataclass
class Work:
    """What one transaction did: counts per model, files to delete after commit, tombstones."""

    actor: User | None
    rule: str
    subject_request: SubjectRequest | None = None
    rows: Counter = field(default_factory=Counter)
    files: list[tuple[object, str]] = field(default_factory=list)
    minutes_to_regenerate: set[int] = field(default_factory=set)
    tombstones: list[Tombstone] = field(default_factory=list)
    persons: set[int] = field(default_factory=set)

    def counted(self, model: type[models.Model], n: int = 1) -> None:
        if n:
            self.rows[label_of(model)] += n


def _tombstoned(model: type[models.Model], pks: Iterable[int]) -> set[int]:
    keys = [str(pk) for pk in pks]
    if not keys:
        return set()
    return {
        int(pk)
        for pk in Tombstone.objects.filter(
            model_label=label_of(model), object_pk__in=keys
        ).values_list("object_pk", flat=True)
    }


def is_tombstoned(obj: models.Model) -> bool:
    return bool(_tombstoned(type(obj), [obj.pk]))


def _tombstone(work: Work, obj: models.Model, details: dict) -> Tombstone:
    stone = Tombstone.objects.create(
        model_label=label_of(type(obj)),
        object_pk=str(obj.pk),
        object_public_id=str(getattr(obj, "public_id", "") or ""),
        rule=work.rule,
        anonymised_at=timezone.now(),
        actor=work.actor,
        subject_request=work.subject_request,
        details=details,
    )
    work.tombstones.append(stone)
    return stone


def _scrub(work: Work, obj: models.Model, *, extra: Iterable[str] = ()) -> bool:
    """Anonymise one row's personal fields and save it (auditlog logs the masked change)."""
    model = type(obj)
    changed: list[str] = []
    for name in TEXT_FIELDS.get(model, ()):
        if getattr(obj, name) not in ("", None, ANONYMISED):
            setattr(obj, name, ANONYMISED)
            changed.append(name)
    for name in CLEARED_FIELDS.get(model, ()):
        if getattr(obj, name):
            setattr(obj, name, "")
            changed.append(name)
    for name in NULLED_FIELDS.get(model, ()):
        if getattr(obj, name) is not None:
            setattr(obj, name, None)
            changed.append(name)
    changed.extend(extra)
    if not changed:
        return False
    fields = set(changed)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        fields.add("updated_at")
    if any(f.name == "version" for f in model._meta.concrete_fields):
        obj.version += 1
        fields.add("version")
    obj.save(update_fields=sorted(fields))
    work.counted(model)
    return True


def _scrub_all(work: Work, rows: Iterable[models.Model]) -> int:
    return sum(_scrub(work, row) for row in rows)


def _scrub_history(work: Work, model: type[models.Model], queryset, field_name: str) -> int:
    """Append-only rows whose ``save()`` refuses changes: ``update()``, logged explicitly."""
    pks = list(
        queryset.exclude(**{field_name: ""})
        .exclude(**{field_name: ANONYMISED})
        .values_list("pk", flat=True)
    )
    if not pks:
        return 0
    with allow_bulk_writes("retention"):
        model.objects.filter(pk__in=pks).update(**{field_name: ANONYMISED})
    record_bulk_change(model=model, pks=pks, fields=[field_name])
    work.counted(model, len(pks))
    return len(pks)


def _scrub_timeline(work: Work, model: type[models.Model], queryset) -> int:
    """A timeline keeps what happened and when; its wording (which may quote) becomes the kind."""
    labels = dict(model._meta.get_field("kind").choices)
    total = 0
    for kind, label in labels.items():
        rows = queryset.filter(kind=kind).exclude(summary=str(label))
        pks = list(rows.values_list("pk", flat=True))
        if pks:
            # Timelines are not registered with auditlog (append-only, no content logged).
            model.objects.filter(pk__in=pks).update(summary=str(label))
            total += len(pks)
    work.counted(model, total)
    return total


def _delete_file_later(work: Work, fieldfile) -> None:
    if fieldfile and fieldfile.name:
        work.files.append((fieldfile.storage, fieldfile.name))


def after_commit(work: Work) -> None:
    """Delete the files and remake the minutes once the transaction has committed."""

    def delete_files() -> None:
        for storage, name in work.files:
            try:
                storage.delete(name)
            except OSError:  # pragma: no cover - storage trouble is logged, never ignored silently
                logger.exception("retention: could not delete a stored file (%s)", name)

    def regenerate_minutes() -> None:
        from screening.tasks import generate_minutes

        for meeting_id in sorted(work.minutes_to_regenerate):
            generate_minutes.delay(meeting_id, work.actor.pk if work.actor else None)

    if work.files:
        transaction.on_commit(delete_files)
    if work.minutes_to_regenerate:
        transaction.on_commit(regenerate_minutes)


# --- one record each --------------------------------------------------------------------------


def _agenda_items(work: Work, items) -> None:
    items = list(items.select_related("meeting"))
    _scrub_all(work, items)
    _scrub_all(work, PartnerInput.objects.filter(item__in=items))
    _scrub_all(work, RouteDecision.objects.filter(item__in=items))
    _scrub_all(work, Addendum.objects.filter(item__in=items))
    for item in items:
        meeting = item.meeting
        if meeting.minutes:
            # The minutes quote the item: deleted now, made again from the anonymised data.
            locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
            if locked.minutes:
                _delete_file_later(work, locked.minutes)
                locked.minutes = ""
                locked.minutes_sha256 = ""
                locked.save(update_fields=["minutes", "minutes_sha256", "updated_at"])
                work.counted(Meeting)
                work.minutes_to_regenerate.add(locked.pk)


def anonymise_signal(work: Work, signal: Signal) -> Tombstone | None:
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if is_tombstoned(signal):
        return None
    before = sum(work.rows.values())
    files_before = len(work.files)
    _scrub(work, signal)
    _scrub_all(work, signal.places.all())
    _scrub_all(work, signal.notes.all())
    _scrub_all(work, signal.acute_consultations.all())
    for attachment in list(signal.attachments.all()):
        _delete_file_later(work, attachment.file)
        attachment.delete()
        work.counted(Attachment)
    _scrub_history(
        work, ClassificationRecord, ClassificationRecord.objects.filter(signal=signal), "reason"
    )
    _scrub_timeline(work, SignalEvent, SignalEvent.objects.filter(signal=signal))
    _agenda_items(work, AgendaItem.objects.filter(signal=signal))
    work.persons.update(signal.involvements.values_list("person_id", flat=True))
    return _tombstone(
        work,
        signal,
        {"rows": sum(work.rows.values()) - before, "files": len(work.files) - files_before},
    )


def anonymise_trajectory(work: Work, trajectory: Trajectory) -> Tombstone | None:
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if is_tombstoned(trajectory):
        return None
    before = sum(work.rows.values())
    _scrub(work, trajectory)
    _scrub_all(work, trajectory.placements.all())
    _scrub_all(work, trajectory.care_meetings.all())
    work.persons.add(trajectory.person_id)
    return _tombstone(work, trajectory, {"rows": sum(work.rows.values()) - before})


def anonymise_case(work: Work, case: Case, *, with_trajectories: bool = True) -> Tombstone | None:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if is_tombstoned(case):
        return None
    before = sum(work.rows.values())
    files_before = len(work.files)
    _scrub(work, case)
    _scrub_all(work, case.actions.all())
    _scrub_all(work, case.notes.all())
    _scrub_timeline(work, CaseEvent, CaseEvent.objects.filter(case=case))
    for referral in case.referrals.all():
        plan_cleared = []
        if referral.plan:
            _delete_file_later(work, referral.plan)
            referral.plan = ""
            plan_cleared = ["plan"]
        _scrub(work, referral, extra=plan_cleared)
    _agenda_items(work, AgendaItem.objects.filter(case=case))
    _scrub_all(work, RouteDecision.objects.filter(case=case))
    work.persons.update(case.case_persons.values_list("person_id", flat=True))
    stone = _tombstone(
        work,
        case,
        {"rows": sum(work.rows.values()) - before, "files": len(work.files) - files_before},
    )
    if with_trajectories:
        for trajectory in case.trajectories.filter(phase=Phase.CLOSED):
            anonymise_trajectory(work, trajectory)
    # The case's signals go with their last case, unless one is still being worked on.
    for signal in case.signals.exclude(status__in=ACTIVE_SIGNAL_STATUSES):
        other_cases = signal.case_links.exclude(case=case).values_list("case_id", flat=True)
        other_cases = set(other_cases)
        if other_cases - _tombstoned(Case, other_cases):
            continue
        anonymise_signal(work, signal)
    return stone


def _age_band(person: Person) -> str:
    if person.age_band or not person.birth_date:
        return person.age_band
    first = (
        Signal.objects.filter(involvements__person=person)
        .order_by("received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    age = age_on(person.birth_date, first or timezone.localdate())
    for value in AgeBand.values:
        low, high = AgeBand.bounds(value)
        if low <= age <= high:
            return value
    return ""


def person_is_kept(person: Person) -> bool:
    """True while a signal, case or trajectory about the person is not anonymised."""
    signal_ids = set(person.involvements.values_list("signal_id", flat=True))
    case_ids = set(person.case_links.values_list("case_id", flat=True))
    trajectory_ids = set(person.trajectories.values_list("pk", flat=True))
    return bool(
        signal_ids - _tombstoned(Signal, signal_ids)
        or case_ids - _tombstoned(Case, case_ids)
        or trajectory_ids - _tombstoned(Trajectory, trajectory_ids)
    )


def anonymise_person(work: Work, person: Person, *, rule: str | None = None) -> Tombstone | None:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if is_tombstoned(person):
        return None
    before = sum(work.rows.values())
    band = _age_band(person)  # derived before the birth date goes
    extra = []
    if band != person.age_band:
        person.age_band = band
        extra.append("age_band")
    _scrub(work, person, extra=extra)
    _scrub_all(work, person.consents.all())
    rule_used, work.rule = work.rule, rule or work.rule
    try:
        return _tombstone(work, person, {"rows": sum(work.rows.values()) - before})
    finally:
        work.rule = rule_used


def release_persons(work: Work) -> int:
    """Anonymise the persons no longer kept by any record (same transaction as the record)."""
    done = 0
    for person in Person.objects.filter(pk__in=sorted(work.persons)):
        if not is_tombstoned(person) and not person_is_kept(person):
            done += anonymise_person(work, person) is not None
    return done


# --- what is due ------------------------------------------------------------------------------


def _none_q() -> Q:
    return (
        Q(status=Status.HANDLED_INTERNALLY)
        | Q(final_classification=Classification.NONE)
        | Q(final_classification="", preliminary_classification=Classification.NONE)
    )


def _not_tombstoned(queryset, model: type[models.Model]):
    """Without the records that already have a tombstone (an index look-up per row)."""
    stones = Tombstone.objects.filter(
        model_label=label_of(model), object_pk=Cast(OuterRef("pk"), models.CharField())
    )
    return queryset.exclude(Exists(stones))


def due_signals(today: date) -> list[tuple[Signal, str]]:
    """Closed signals that never became part of a case, past their term."""
    t = terms()
    base = _not_tombstoned(
        Signal.objects.filter(
            status__in=CLOSED_SIGNAL_STATUSES, closed_at__isnull=False, case_links__isnull=True
        ),
        Signal,
    )
    none = base.filter(_none_q(), closed_at__date__lt=cutoff(today, t.signal_none))
    other = base.exclude(_none_q()).filter(closed_at__date__lt=cutoff(today, t.signal_closed))
    return [(s, Rule.SIGNAL_NONE) for s in none.order_by("pk")] + [
        (s, Rule.SIGNAL_CLOSED) for s in other.order_by("pk")
    ]


def due_cases(today: date) -> list[Case]:
    """Closed cases past their term without a trajectory that still runs."""
    return list(
        _not_tombstoned(
            Case.objects.filter(
                status=CaseStatus.CLOSED,
                closed_at__date__lt=cutoff(today, terms().case_closed),
            ),
            Case,
        )
        .exclude(trajectories__in=Trajectory.objects.exclude(phase=Phase.CLOSED))
        .order_by("pk")
    )


def due_trajectories(today: date) -> list[Trajectory]:
    """Closed trajectories past their term, counted from the day the closing phase began."""
    return list(
        _not_tombstoned(Trajectory.objects.filter(phase=Phase.CLOSED), Trajectory)
        .annotate(closed_on=Max("phases__entered_on", filter=Q(phases__phase=Phase.CLOSED)))
        .filter(
            Q(closed_on__lt=cutoff(today, terms().trajectory_closed))
            | Q(closed_on__isnull=True, phase_since__lt=cutoff(today, terms().trajectory_closed))
        )
        .order_by("pk")
    )


@dataclass
class RunResult:
    counts: Counter = field(default_factory=Counter)  # tombstones per rule
    rows: Counter = field(default_factory=Counter)  # rows changed per model
    files: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, work: Work) -> None:
        for stone in work.tombstones:
            self.counts[stone.rule] += 1
        self.rows.update(work.rows)
        self.files += len(work.files)

    def as_dict(self) -> dict:
        return {
            "tombstones": {str(k): v for k, v in self.counts.items()},
            "rows": dict(self.rows),
            "files": self.files,
        }


def _one(result: RunResult, actor: User | None, rule: str, do) -> None:
    """One record in its own transaction: a failure leaves the others done and this one whole."""
    work = Work(actor=actor, rule=rule)
    with transaction.atomic():
        if do(work) is None:
            return
        release_persons(work)
        after_commit(work)
    result.add(work)


def retention_run(*, today: date | None = None, actor: User | None = None) -> RunResult:
    """Anonymise everything that is due today. Idempotent: a second run returns 0."""
    today = today or timezone.localdate()
    result = RunResult()
    with acting_as(actor, path="task:run_retention"):
        for trajectory in due_trajectories(today):
            _one(
                result,
                actor,
                Rule.TRAJECTORY_CLOSED,
                lambda w, t=trajectory: anonymise_trajectory(w, t),
            )
        for case in due_cases(today):
            _one(result, actor, Rule.CASE_CLOSED, lambda w, c=case: anonymise_case(w, c))
        for signal, rule in due_signals(today):
            _one(result, actor, rule, lambda w, s=signal: anonymise_signal(w, s))
    if result.total:
        logger.info("retention: %s", result.as_dict())
    return result
