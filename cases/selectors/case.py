"""Who sees which case (DESIGN.md "Who sees what").

- Veilig Thuis (staff and officers) sees every case of its region: it keeps the register.
- The lead organisation ("regiehouder") sees the cases it leads.
- An organisation that owns an action sees that action in its work list, not the case.
- Everybody else sees none: another organisation's case answers 404.

The list selectors own their ``select_related``/``prefetch_related``: a page of 5 or of 50
rows costs the same number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from accounts.roles import Role
from signals import selectors as signal_selectors
from signals.models import PersonRole, Signal, SignalEvent

from ..models import Action, Case, CaseEvent, CaseNote, CasePerson, CaseSignal, Consent
from ..workflow import CaseStatus

REGISTER_ROLES = frozenset({Role.VT_STAFF, Role.VT_OFFICER})


def case_visibility_filter(user: User) -> Q:
    if not user.is_authenticated or not user.is_active or not user.has_perm("cases.view_case"):
        return Q(pk__in=[])
    region = Q(region_id=user.organisation.region_id)
    if user.role in REGISTER_ROLES:
        return region
    return region & Q(lead_organisation_id=user.organisation_id)


def cases_visible_to(user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_visibility_filter(user))


def case_get(*, user: User, public_id) -> Case:
    case = (
        cases_visible_to(user)
        .select_related("lead_organisation", "region", "opened_by")
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def valid_consent(*, person, day):
    """The person's consent valid on ``day`` (given, not withdrawn), newest first, or None."""
    return (
        Consent.objects.filter(person=person, given_on__lte=day)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .order_by("-given_on", "-pk")
        .first()
    )


def open_case_of_signal(*, signal) -> Case | None:
    """The open case the signal already belongs to, if any (used by the table's hand-off)."""
    return (
        Case.objects.filter(case_signals__signal=signal, status=CaseStatus.OPEN)
        .order_by("created_at")
        .first()
    )


def open_cases_sharing_victims(*, signal) -> QuerySet[Case]:
    """Open cases of the signal's region that hold one of its possible victims."""
    victims = signal.involvements.filter(role=PersonRole.POSSIBLE_VICTIM).values("person_id")
    return Case.objects.filter(
        region_id=signal.region_id,
        status=CaseStatus.OPEN,
        case_persons__person_id__in=victims,
    ).distinct()


def is_register(user: User) -> bool:
    return user.role in REGISTER_ROLES


# --- lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    lead_organisation: int | None = None
    classification: str = ""
    form: str = ""
    reference: str = ""

    @property
    def any(self) -> bool:
        return bool(
            self.status
            or self.lead_organisation
            or self.classification
            or self.form
            or self.reference
        )


def _open_action_count():
    # A correlated count per row: PostgreSQL evaluates it for the rows of the page only.
    return Coalesce(
        Subquery(
            Action.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
            .order_by()
            .values("case")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=models.IntegerField(),
        ),
        Value(0),
    )


def _rank(condition: Q) -> models.Case:
    """0 for rows that meet ``condition``, 1 for the others (to sort them first)."""
    return models.Case(
        models.When(condition, then=Value(0)), default=Value(1), output_field=models.IntegerField()
    )


def case_list(*, user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases the user may see: Veilig Thuis the region's register, a lead its own cases."""
    filters = filters or CaseFilters()
    qs = cases_visible_to(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.lead_organisation:
        qs = qs.filter(lead_organisation_id=filters.lead_organisation)
    if filters.classification:
        qs = qs.filter(classification=filters.classification)
    if filters.form:
        qs = qs.filter(forms__contains=[filters.form])
    if filters.reference:
        qs = qs.filter(reference__icontains=filters.reference.strip())
    return (
        qs.select_related("lead_organisation")
        .annotate(open_actions=_open_action_count())
        .order_by("-created_at", "-pk")
    )


def my_cases(*, user: User) -> QuerySet[Case]:
    """The cases my organisation leads: the open ones first, newest first within each."""
    return (
        cases_visible_to(user)
        .filter(lead_organisation_id=user.organisation_id)
        .select_related("lead_organisation")
        .annotate(
            open_actions=_open_action_count(),
            closed_rank=_rank(Q(status=CaseStatus.OPEN)),
        )
        .order_by("closed_rank", "-created_at", "-pk")
    )


# --- actions -----------------------------------------------------------------------------------


def action_visibility_filter(user: User) -> Q:
    """Actions: those of the cases the user sees, and those its organisation owns."""
    if not user.is_authenticated or not user.is_active or not user.has_perm("cases.view_action"):
        return Q(pk__in=[])
    region = Q(case__region_id=user.organisation.region_id)
    if user.role in REGISTER_ROLES:
        return region
    return region & (
        Q(case__lead_organisation_id=user.organisation_id)
        | Q(owner_organisation_id=user.organisation_id)
    )


def my_open_actions(*, user: User) -> QuerySet[Action]:
    """What my organisation must still do on open cases, soonest due first.

    An owner that is not the lead sees the action and the case's reference, not the case:
    ``can_open_case`` on each row tells the page whether to link to the case.
    """
    if not user.is_authenticated or not user.is_active or not user.has_perm("cases.view_action"):
        return Action.objects.none()
    if user.role in REGISTER_ROLES:
        can_open = Value(True)
    else:
        can_open = models.ExpressionWrapper(
            Q(case__lead_organisation_id=user.organisation_id),
            output_field=models.BooleanField(),
        )
    return (
        Action.objects.filter(
            owner_organisation_id=user.organisation_id,
            done_at__isnull=True,
            case__region_id=user.organisation.region_id,
            case__status=CaseStatus.OPEN,
        )
        .select_related("case", "case__lead_organisation", "owner_organisation")
        .annotate(can_open_case=can_open)
        .order_by("due_date", "pk")
    )


def action_get(*, user: User, case_public_id, public_id) -> Action:
    """One action the user may see (as a reader of its case, or as its owner), or 404."""
    action = (
        Action.objects.filter(
            action_visibility_filter(user), case__public_id=case_public_id, public_id=public_id
        )
        .select_related("case", "case__lead_organisation", "owner_organisation", "done_by")
        .first()
    )
    if action is None:
        raise Http404
    return action


def case_actions(*, case: Case) -> QuerySet[Action]:
    """A case's actions: the open ones first (soonest due first), then the done ones."""
    return (
        Action.objects.filter(case=case)
        .select_related("owner_organisation", "done_by")
        .order_by(_rank(Q(done_at__isnull=True)), "due_date", "pk")
    )


def case_notes(*, case: Case) -> QuerySet[CaseNote]:
    return (
        CaseNote.objects.filter(case=case)
        .select_related("author", "organisation")
        .order_by("-created_at", "-pk")
    )


# --- one case ----------------------------------------------------------------------------------


def case_detail(*, user: User, public_id) -> Case:
    """A case with what its page shows, in a constant number of queries; 404 if not visible.

    Persons come with their consents only for roles that may see consent.
    """
    person_links = CasePerson.objects.select_related("person").order_by("person__name", "pk")
    if user.has_perm("cases.view_consent"):
        person_links = person_links.prefetch_related(
            Prefetch(
                "person__consents",
                queryset=Consent.objects.select_related("recorded_by").order_by("-given_on", "-pk"),
            )
        )
    case = (
        cases_visible_to(user)
        .select_related("lead_organisation", "region", "opened_by")
        .prefetch_related(
            Prefetch(
                "case_signals",
                queryset=CaseSignal.objects.select_related("signal").order_by("added_at", "pk"),
            ),
            Prefetch("case_persons", queryset=person_links),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner_organisation", "done_by").order_by(
                    _rank(Q(done_at__isnull=True)), "due_date", "pk"
                ),
            ),
            Prefetch(
                "notes",
                queryset=CaseNote.objects.select_related("author", "organisation").order_by(
                    "-created_at", "-pk"
                ),
            ),
        )
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def person_in_case(*, case: Case, public_id) -> CasePerson:
    """A person of this case (the case already found through ``case_get``), or 404."""
    link = case.case_persons.select_related("person").filter(person__public_id=public_id).first()
    if link is None:
        raise Http404
    return link


def consent_get(*, user: User, case: Case, public_id) -> Consent:
    """A consent of a person of this case, for roles that see consent; 404 otherwise."""
    if not user.has_perm("cases.view_consent"):
        raise Http404
    consent = (
        Consent.objects.filter(public_id=public_id, person__case_links__case=case)
        .select_related("person")
        .first()
    )
    if consent is None:
        raise Http404
    return consent


# --- the timeline ------------------------------------------------------------------------------

TIMELINE_LIMIT = 100


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the case's timeline, from the case itself or from one of its signals."""

    created_at: datetime
    summary: str
    kind: str
    organisation: str
    signal_reference: str = ""
    signal_public_id: object = None

    @property
    def from_signal(self) -> bool:
        return bool(self.signal_reference)


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    has_more: bool
    limit: int


def case_timeline(*, user: User, case: Case, limit: int = TIMELINE_LIMIT) -> Timeline:
    """One timeline of the case and its linked signals, newest first, at most ``limit`` lines.

    Two queries whatever the length: the newest ``limit + 1`` events of each kind, merged.
    Of a signal's events, a reader who is not at the screening table (e.g. a municipality
    that leads) sees what the sender sees: the route status, not the partners' input.
    """
    case_events = list(
        CaseEvent.objects.filter(case=case)
        .select_related("actor_organisation")
        .order_by("-created_at", "-pk")[: limit + 1]
    )
    signal_events = SignalEvent.objects.filter(
        signal__in=Signal.objects.filter(case_links__case=case)
    )
    if not signal_selectors.can_see_partner_input(user, None):
        signal_events = signal_events.filter(visible_to_sender=True)
    signal_events = list(
        signal_events.select_related("actor_organisation", "signal").order_by("-created_at", "-pk")[
            : limit + 1
        ]
    )
    entries = [
        TimelineEntry(
            created_at=e.created_at,
            summary=e.summary,
            kind=e.get_kind_display(),
            organisation=e.actor_organisation.name if e.actor_organisation else "",
        )
        for e in case_events
    ] + [
        TimelineEntry(
            created_at=e.created_at,
            summary=e.summary,
            kind=e.get_kind_display(),
            organisation=e.actor_organisation.name if e.actor_organisation else "",
            signal_reference=e.signal.reference,
            signal_public_id=e.signal.public_id,
        )
        for e in signal_events
    ]
    entries.sort(key=lambda e: e.created_at, reverse=True)
    return Timeline(entries=entries[:limit], has_more=len(entries) > limit, limit=limit)


# --- opening a case from a signal --------------------------------------------------------------


def cases_to_join(*, user: User, signal: Signal) -> list[Case]:
    """Open cases the signal could be added to: those holding one of its persons, or a person
    the register matches to one of them (same name, fitting age or birth date)."""
    person_ids = set(signal.involvements.values_list("person_id", flat=True))
    for others in signal_selectors.person_matches(user=user, signal=signal).values():
        person_ids.update(other.person_id for other in others)
    if not person_ids:
        return []
    return list(
        cases_visible_to(user)
        .filter(status=CaseStatus.OPEN, case_persons__person_id__in=person_ids)
        .exclude(case_signals__signal=signal)
        .select_related("lead_organisation")
        .distinct()
        .order_by("-created_at", "-pk")[:20]
    )


def cases_of_signal(*, user: User, signal: Signal) -> list[Case]:
    """The cases (visible to the user) the signal already belongs to."""
    return list(
        cases_visible_to(user)
        .filter(case_signals__signal=signal)
        .select_related("lead_organisation")
        .order_by("-created_at", "-pk")
    )
