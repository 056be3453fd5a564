"""Requests of data subjects (AVG art. 15 access, art. 17 erasure), for the privacy officer.

The officer finds a person by name and birth date (the register's normalised name match,
within the officer's region), sees every record about them — signals, cases, referrals,
trajectories, consents — exports them as one PDF or JSON (logged as an export), or erases them
through the same anonymisation as the retention job (``reporting.retention``). Erasure is
refused, with the reason, while a record is still in use: a signal being handled, an open
case, a running trajectory or referral (AVG art. 17(3): the data are needed for the help or
the legal task in progress).

A signal or case is one story; its free text cannot be split per person, so erasing one
person anonymises the signals and cases about them as a whole (the officer sees beforehand
which other persons those records also name). Other persons stay as they are, unless no
record keeps them any more.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import acting_as, current_context, record_access
from accounts.models import AuditLogEntry, SubjectRequest, User
from accounts.pdf import render_pdf
from cases.models import Case, CaseStatus, Consent, Trajectory
from cases.workflow import Phase
from referrals.models import Referral
from referrals.workflow import ReferralStatus
from signals.models import Person, PersonLink, Signal
from signals.validation import normalise
from signals.workflow import Status

from . import retention

PERMISSION = "accounts.handle_subject_requests"
# Referrals in these states are still being worked on by the receiver.
RUNNING_REFERRALS = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED})
# A screened signal waits for its hand-off: still in use.
SIGNALS_IN_USE = retention.ACTIVE_SIGNAL_STATUSES | {Status.SCREENED}


class ErasureRefused(Exception):
    def __init__(self, reasons: list[str], request: SubjectRequest):
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.request = request


def _require(actor: User) -> None:
    if not actor.is_active or not actor.has_perm(PERMISSION):
        raise PermissionDenied


# --- finding ---------------------------------------------------------------------------------


def find_persons(*, actor: User, name: str, birth_date: date | None = None) -> list[Person]:
    """Person records of the actor's region with this (normalised) name.

    With a birth date: those with that birth date, and those whose birth date is unknown (the
    officer decides). Records VT linked as the same person (``PersonLink``) are added.
    Anonymised persons no longer match (their normalised name is empty).
    """
    _require(actor)
    key = normalise(name or "")
    if not key:
        return []
    found = Person.objects.filter(region_id=actor.organisation.region_id, normalised_name=key)
    if birth_date is not None:
        found = found.filter(Q(birth_date=birth_date) | Q(birth_date__isnull=True))
    ids = set(found.values_list("pk", flat=True))
    linked = PersonLink.objects.filter(Q(person_id__in=ids) | Q(same_as_id__in=ids))
    for a, b in linked.values_list("person_id", "same_as_id"):
        ids |= {a, b}
    return list(
        Person.objects.filter(pk__in=ids, region_id=actor.organisation.region_id).order_by(
            "name", "pk"
        )
    )


def persons_by_public_id(*, actor: User, public_ids: list[str]) -> list[Person]:
    """The chosen persons, only from the actor's region (others are silently not found)."""
    _require(actor)
    return list(
        Person.objects.filter(
            public_id__in=public_ids, region_id=actor.organisation.region_id
        ).order_by("name", "pk")
    )


@dataclass
class SubjectFile:
    """Every record about a set of person records."""

    persons: list[Person]
    signals: list[Signal] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    trajectories: list[Trajectory] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return (
            len(self.signals)
            + len(self.cases)
            + len(self.referrals)
            + len(self.trajectories)
            + len(self.consents)
        )

    @property
    def other_persons(self) -> list[Person]:
        """Persons these records also name (they are anonymised with them on erasure)."""
        mine = {p.pk for p in self.persons}
        others = Person.objects.filter(
            Q(involvements__signal__in=self.signals) | Q(case_links__case__in=self.cases)
        ).exclude(pk__in=mine)
        return list(others.distinct().order_by("pk"))


def subject_file(persons: list[Person]) -> SubjectFile:
    ids = [p.pk for p in persons]
    signals = list(
        Signal.objects.filter(involvements__person_id__in=ids)
        .distinct()
        .select_related("municipality", "reporting_organisation")
        .prefetch_related("places", "notes", "acute_consultations", "involvements__person")
        .order_by("received_at", "pk")
    )
    cases = list(
        Case.objects.filter(
            Q(case_persons__person_id__in=ids) | Q(case_signals__signal__in=signals)
        )
        .distinct()
        .select_related("lead_organisation")
        .prefetch_related("actions", "notes")
        .order_by("created_at", "pk")
    )
    return SubjectFile(
        persons=persons,
        signals=signals,
        cases=cases,
        referrals=list(
            Referral.objects.filter(case__in=cases)
            .select_related("case", "receiving_organisation")
            .order_by("created_at", "pk")
        ),
        trajectories=list(
            Trajectory.objects.filter(person_id__in=ids)
            .select_related("case")
            .prefetch_related("placements", "care_meetings")
            .order_by("created_at", "pk")
        ),
        consents=list(Consent.objects.filter(person_id__in=ids).order_by("given_on", "pk")),
    )


# --- access (art. 15) -------------------------------------------------------------------------


def _d(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") and value is not None else value


def file_as_dict(file: SubjectFile) -> dict[str, Any]:
    """The export: every personal field of every record, with dates in ISO 8601."""
    return {
        "exported_at": timezone.now().isoformat(),
        "persons": [
            {
                "id": str(p.public_id),
                "name": p.name,
                "is_alias": p.is_alias,
                "birth_date": _d(p.birth_date),
                "age_band": p.age_band,
                "gender": p.gender,
                "nationality": str(p.nationality),
                "is_stateless": p.is_stateless,
                "residence_status": p.residence_status,
                "language": p.language,
            }
            for p in file.persons
        ],
        "signals": [
            {
                "reference": s.reference,
                "status": s.status,
                "received_at": _d(s.received_at),
                "closed_at": _d(s.closed_at),
                "municipality": s.municipality.name,
                "reporting_organisation": s.reporting_organisation.name,
                "description": s.description,
                "preliminary_classification": s.preliminary_classification,
                "final_classification": s.final_classification,
                "roles": [
                    {"person": str(i.person.public_id), "role": i.role}
                    for i in s.involvements.all()
                    if i.person in file.persons
                ],
                "places": [
                    {
                        "kind": pl.kind,
                        "name": pl.name,
                        "address": pl.address,
                        "postcode": pl.postcode,
                        "city": pl.city,
                        "url": pl.url,
                        "facts": pl.facts,
                    }
                    for pl in s.places.all()
                ],
                "notes": [{"created_at": _d(n.created_at), "text": n.text} for n in s.notes.all()],
                "acute_consultations": [
                    {
                        "consulted_at": _d(a.consulted_at),
                        "decision": a.decision,
                        "follow_up": a.follow_up,
                    }
                    for a in s.acute_consultations.all()
                ],
            }
            for s in file.signals
        ],
        "cases": [
            {
                "reference": c.reference,
                "status": c.status,
                "lead_organisation": c.lead_organisation.name,
                "opened_at": _d(c.created_at),
                "closed_at": _d(c.closed_at),
                "close_note": c.close_note,
                "actions": [
                    {"description": a.description, "due_date": _d(a.due_date)}
                    for a in c.actions.all()
                ],
                "notes": [{"created_at": _d(n.created_at), "text": n.text} for n in c.notes.all()],
            }
            for c in file.cases
        ],
        "referrals": [
            {
                "case": r.case.reference,
                "route": r.route,
                "receiving_organisation": r.receiving_organisation.name,
                "status": r.status,
                "legal_basis": r.legal_basis,
                "shared_fields": r.shared_fields,
                "sent_at": _d(r.sent_at),
                "reason": r.reason,
                "response": r.response,
                "feedback": r.feedback,
            }
            for r in file.referrals
        ],
        "trajectories": [
            {
                "case": t.case.reference,
                "phase": t.phase,
                "phase_since": _d(t.phase_since),
                "outcome": t.outcome,
                "outcome_note": t.outcome_note,
                "placements": [
                    {
                        "shelter_type": pl.shelter_type,
                        "provider": pl.provider,
                        "start_date": _d(pl.start_date),
                        "end_date": _d(pl.end_date),
                    }
                    for pl in t.placements.all()
                ],
                "care_meetings": [
                    {
                        "held_on": _d(m.held_on),
                        "participants": m.participants,
                        "agreements": m.agreements,
                    }
                    for m in t.care_meetings.all()
                ],
            }
            for t in file.trajectories
        ],
        "consents": [
            {
                "given_by": c.given_by,
                "given_on": _d(c.given_on),
                "scope": c.scope,
                "withdrawn_on": _d(c.withdrawn_on),
            }
            for c in file.consents
        ],
    }


def access_export(*, actor: User, persons: list[Person], fmt: str) -> tuple[bytes, SubjectRequest]:
    """The export for an access request, as PDF or JSON; logged as an export and a request."""
    import json

    _require(actor)
    if fmt not in ("pdf", "json"):
        raise ValueError(fmt)
    file = subject_file(persons)
    data = file_as_dict(file)
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    else:
        body = render_pdf("privacy/subject_pdf.html", {"data": data, "file": file})
    with transaction.atomic():
        request = SubjectRequest.objects.create(
            kind=SubjectRequest.Kind.ACCESS,
            outcome=SubjectRequest.Outcome.DONE,
            person_ids=[str(p.public_id) for p in persons],
            record_count=file.record_count,
            actor=actor,
        )
        record_access(
            kind=AuditLogEntry.AccessKind.EXPORT,
            model=Person,
            object_ids=[p.public_id for p in persons],
            actor=actor,
            extra={"format": fmt, "records": file.record_count, "subject_request": request.pk},
        )
    return body, request


# --- erasure (art. 17) ------------------------------------------------------------------------


def erasure_blockers(file: SubjectFile) -> list[str]:
    """Why these records must be kept for now; empty when erasure is allowed."""
    reasons: list[str] = []
    for signal in file.signals:
        if signal.status in SIGNALS_IN_USE:
            reasons.append(
                _(
                    "Signaal %(ref)s wordt nog behandeld (status: %(status)s). Wissen kan pas "
                    "als het is afgesloten."
                )
                % {"ref": signal.reference or _("(concept)"), "status": signal.get_status_display()}
            )
    for case in file.cases:
        if case.status == CaseStatus.OPEN:
            reasons.append(
                _(
                    "Casus %(ref)s is nog open: de gegevens zijn nodig voor de hulp die loopt "
                    "(AVG art. 17 lid 3). Wissen kan nadat de casus is gesloten."
                )
                % {"ref": case.reference}
            )
        elif case.trajectories.exclude(phase=Phase.CLOSED).exists():
            reasons.append(
                _("Bij casus %(ref)s loopt nog een zorgtraject.") % {"ref": case.reference}
            )
    for trajectory in file.trajectories:
        if trajectory.phase != Phase.CLOSED:
            reasons.append(
                _("Het zorgtraject bij casus %(ref)s loopt nog (fase: %(phase)s).")
                % {"ref": trajectory.case.reference, "phase": trajectory.get_phase_display()}
            )
    for referral in file.referrals:
        if referral.status in RUNNING_REFERRALS:
            reasons.append(
                _("De verwijzing van casus %(ref)s naar %(org)s loopt nog (%(status)s).")
                % {
                    "ref": referral.case.reference,
                    "org": referral.receiving_organisation.name,
                    "status": referral.get_status_display(),
                }
            )
    return list(dict.fromkeys(reasons))


def erasure_execute(
    *, actor: User, persons: list[Person], reason: str
) -> tuple[SubjectRequest, retention.RunResult]:
    """Erase (anonymise) every record about these persons, or refuse with the reasons.

    One transaction: all of it or nothing. A refusal is recorded too.
    """
    _require(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("an erasure needs a reason")
    if not persons:
        raise ValueError("an erasure needs a person")
    # In a request the middleware has set who, from where and which page; elsewhere (a
    # command, a test) the entries name the actor and this function.
    context = current_context()
    in_request = context is not None and context.user is not None and context.user.pk == actor.pk
    attribution = (
        contextlib.nullcontext() if in_request else acting_as(actor, path="privacy:erasure")
    )
    with attribution, transaction.atomic():
        # Lock the persons first: a second erasure of the same person waits, then finds it done.
        persons = list(
            Person.objects.select_for_update().filter(pk__in=[p.pk for p in persons]).order_by("pk")
        )
        file = subject_file(persons)
        blockers = erasure_blockers(file)
        request = SubjectRequest.objects.create(
            kind=SubjectRequest.Kind.ERASURE,
            outcome=SubjectRequest.Outcome.REFUSED if blockers else SubjectRequest.Outcome.DONE,
            reason=reason,
            refusal="\n".join(blockers),
            person_ids=[str(p.public_id) for p in persons],
            record_count=file.record_count,
            actor=actor,
        )
        if blockers:
            refused = ErasureRefused(blockers, request)
        else:
            refused = None
            work = retention.Work(
                actor=actor, rule=retention.Rule.ERASURE_REQUEST, subject_request=request
            )
            for trajectory in file.trajectories:
                retention.anonymise_trajectory(work, trajectory)
            for case in file.cases:
                retention.anonymise_case(work, case, with_trajectories=False)
            for signal in file.signals:
                retention.anonymise_signal(work, signal)
            for person in persons:
                retention.anonymise_person(work, person)
            retention.release_persons(work)
            retention.after_commit(work)
            result = retention.RunResult()
            result.add(work)
    if refused is not None:
        # Raised outside the block so the refusal itself is kept.
        raise refused
    return request, result
