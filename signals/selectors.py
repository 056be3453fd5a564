"""Read queries of the register, already limited to what the user may see (DESIGN.md).

- A municipal officer sees the signals of its own organisation.
- Veilig Thuis (staff and officer) sees the whole register of its region, and its own drafts.
- AVIM and the care coordinator see what they brought, what is on the screening agenda
  (``scheduled``) and acute signals in the register (they are consulted on those).
- Nobody else sees signals; nobody sees another region's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role

from .models import AgeBand, Note, Person, PersonLink, Signal, SignalEvent, SignalForm, SignalPerson
from .validation import age_on, normalise
from .workflow import IN_REGISTER, Status

VT_ROLES = frozenset({Role.VT_STAFF, Role.VT_OFFICER})
PARTNER_ROLES = frozenset({Role.AVIM, Role.CARE_COORDINATOR})
# Veilig Thuis decides on follow-up within 5 working days of receiving a signal.
REGISTRATION_NORM_WORKING_DAYS = 5


def signal_visibility_filter(user: User) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    region = Q(region_id=user.organisation.region_id)
    own = Q(reporting_organisation_id=user.organisation_id)
    role = user.role
    if role in VT_ROLES:
        return region & (Q(status__in=IN_REGISTER) | own)
    if role == Role.MUNICIPAL_OFFICER:
        return region & own
    if role in PARTNER_ROLES:
        agenda = Q(status=Status.SCHEDULED) | Q(is_acute=True, status__in=IN_REGISTER)
        return region & (own | agenda)
    return Q(pk__in=[])


def is_register_user(user: User) -> bool:
    return user.role in VT_ROLES


def can_see_partner_input(user: User, signal: Signal) -> bool:
    """Notes and consultations are for the partners at the table, not for the sender."""
    return user.role in VT_ROLES or user.role in PARTNER_ROLES


def working_days_before(moment: datetime, days: int) -> datetime:
    """The moment ``days`` working days (Monday–Friday) before ``moment``."""
    current = moment
    remaining = days
    while remaining > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


@dataclass(frozen=True)
class SignalFilters:
    status: str = ""
    source: str = ""
    municipality: int | None = None
    form: str = ""
    classification: str = ""
    is_acute: bool | None = None
    received_from: date | None = None
    received_to: date | None = None
    q: str = ""
    ordering: str = "-submitted_at"


# Every ordering ends in a unique column, so the API can page by keyset (api/pagination.py).
ORDERINGS = {
    "-submitted_at": ("-submitted_at", "-pk"),
    "submitted_at": ("submitted_at", "pk"),
    "-received_at": ("-received_at", "-pk"),
    "received_at": ("received_at", "pk"),
    "reference": ("year", "sequence", "pk"),
    "-reference": ("-year", "-sequence", "-pk"),
    "status": ("status", "-pk"),
}


def _search(qs: QuerySet[Signal], text: str) -> QuerySet[Signal]:
    """Full-text search over description and person names, accents and case ignored.

    ``search_text`` is stored normalised (see validation.normalise), so "Müller" and
    "Muller" are the same word. PostgreSQL uses its full-text index with prefix matching;
    the embedded SQLite default falls back to substring matching on the same column.
    """
    words = [w for w in normalise(text).split() if w][:8]
    if not words:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = " & ".join(f"{w}:*" for w in words)
        return qs.annotate(search=SearchVector("search_text", config="simple")).filter(
            search=SearchQuery(query, config="simple", search_type="raw")
        )
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return qs


def signal_list(*, user: User, filters: SignalFilters | None = None) -> QuerySet[Signal]:
    filters = filters or SignalFilters()
    qs = Signal.objects.visible_to(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.municipality:
        qs = qs.filter(municipality_id=filters.municipality)
    if filters.form:
        qs = qs.filter(Exists(SignalForm.objects.filter(signal=OuterRef("pk"), form=filters.form)))
    if filters.classification:
        qs = qs.filter(
            Q(final_classification=filters.classification)
            | Q(final_classification="", preliminary_classification=filters.classification)
        )
    if filters.is_acute is not None:
        qs = qs.filter(is_acute=filters.is_acute)
    if filters.received_from:
        qs = qs.filter(received_at__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_at__lte=filters.received_to)
    if filters.q:
        qs = _search(qs, filters.q)
    # Working days are local days: in UTC, Monday 00:30 in Maastricht is still Sunday.
    cutoff = working_days_before(timezone.localtime(), REGISTRATION_NORM_WORKING_DAYS)
    return (
        qs.annotate(
            is_overdue=Case(
                When(status=Status.SUBMITTED, submitted_at__lt=cutoff, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        # The list shows municipality, sender and forms per row: one join and one prefetch,
        # so the number of queries does not grow with the page size.
        .select_related("municipality", "reporting_organisation")
        .prefetch_related(
            Prefetch("exploitation_forms", queryset=SignalForm.objects.order_by("form"))
        )
        .order_by(*ORDERINGS.get(filters.ordering, ORDERINGS["-submitted_at"]))
    )


def signal_get(*, user: User, public_id) -> Signal:
    """One signal the user may see, or 404 — the same answer as for a signal that does not exist."""
    signal = (
        Signal.objects.visible_to(user)
        .select_related("municipality", "reporting_organisation", "reported_by", "region")
        .prefetch_related(
            Prefetch("exploitation_forms", queryset=SignalForm.objects.order_by("form")),
            "indicators",
            Prefetch("involvements", queryset=SignalPerson.objects.select_related("person")),
            "places",
            "attachments",
        )
        .filter(public_id=public_id)
        .first()
    )
    if signal is None:
        raise Http404
    return signal


def signal_timeline(*, user: User, signal: Signal) -> QuerySet[SignalEvent]:
    events = signal.events.select_related("actor", "actor_organisation")
    if not can_see_partner_input(user, signal):
        events = events.filter(visible_to_sender=True)
    return events.order_by("created_at", "pk")


def signal_notes(*, user: User, signal: Signal) -> QuerySet[Note]:
    if not can_see_partner_input(user, signal):
        return Note.objects.none()
    return signal.notes.select_related("author", "organisation").order_by("created_at", "pk")


def person_get(*, user: User, public_id) -> Person:
    """A person appearing in at least one signal the user may see."""
    visible = Signal.objects.visible_to(user)
    person = (
        Person.objects.filter(public_id=public_id, involvements__signal__in=visible)
        .distinct()
        .first()
    )
    if person is None:
        raise Http404
    return person


def _bands_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _age_range(person: Person, on: date) -> tuple[int, int] | None:
    if person.birth_date:
        age = age_on(person.birth_date, on)
        return (age, age)
    if person.age_band:
        return AgeBand.bounds(person.age_band)
    return None


def person_matches(*, user: User, signal: Signal) -> dict[int, list[SignalPerson]]:
    """Possible earlier records of the same persons in the region (repeat victims), VT only.

    A match has the same normalised name and an equal birth date or overlapping age.
    Returns, per person id of this signal, the involvements in other signals.
    """
    if not user.has_perm("signals.view_person_matches"):
        return {}
    today = timezone.localdate()
    involvements = list(signal.involvements.select_related("person"))
    names = {i.person.normalised_name for i in involvements if i.person.normalised_name}
    if not names:
        return {}
    # A link holds both ways, whichever signal it was made from.
    mine = [i.person_id for i in involvements]
    pairs = PersonLink.objects.filter(Q(person_id__in=mine) | Q(same_as_id__in=mine))
    linked = {p for a, b in pairs.values_list("person_id", "same_as_id") for p in ((a, b), (b, a))}
    candidates = (
        SignalPerson.objects.filter(
            person__region_id=signal.region_id,
            person__normalised_name__in=names,
            signal__status__in=IN_REGISTER,
        )
        .exclude(signal=signal)
        .select_related("person", "signal")
        .order_by("-signal__submitted_at")[:200]
    )
    result: dict[int, list[SignalPerson]] = {}
    for involvement in involvements:
        mine = _age_range(involvement.person, today)
        for other in candidates:
            if other.person.normalised_name != involvement.person.normalised_name:
                continue
            theirs = _age_range(other.person, today)
            same_birth = (
                involvement.person.birth_date
                and involvement.person.birth_date == other.person.birth_date
            )
            if same_birth or (mine and theirs and _bands_overlap(mine, theirs)):
                other.already_linked = (involvement.person_id, other.person_id) in linked
                result.setdefault(involvement.person_id, []).append(other)
    return result
