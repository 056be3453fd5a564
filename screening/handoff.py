"""Services that hand the table's decisions to the follow-up: cases and draft referrals.

Concluding a meeting hands each decided item over (``item_hand_off``): where the choice is
clear, the signal's case is opened (or the signal already has one) with the lead
organisation the table chose, and each referral route gets a draft referral that Veilig
Thuis completes (legal basis, shared fields) and sends. Where an open case of the same
person exists, Veilig Thuis chooses: join it or open a new one (``decision_route``); until
then the decision waits in the "to route" list. An open case can come back to the table for
evaluation (``case_evaluation_schedule``).

A conclusion hands all its items over in one ``HandOff`` (``handing_off``): what the items
need is read once, and the rows that can be written together are, so that the work per item
is the writes auditlog logs row by row, not a look-up more for every item.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from functools import cached_property

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.roles import Role
from cases.models import LEAD_KIND_OF_ORGANISATION, Case, CaseEventKind, LeadKind
from cases.selectors import case as case_selectors
from cases.services import case as case_services
from cases.workflow import CaseStatus
from referrals import services as referral_services
from referrals.models import REFERRAL_ROUTES, ROUTE_RECEIVERS
from referrals.routes import Route
from signals import services as signal_services
from signals.models import EventKind, Signal

from .models import AgendaItem, Meeting, RouteDecision
from .workflow import AGENDA_EDITABLE, ItemState, MeetingStatus


class RegionOrganisations:
    """The organisations a hand-off picks in a region, each read at most once.

    A conclusion hands many items over: the care coordinator's organisation and the
    receivers of the routes come from these two reads instead of two queries per item.
    """

    def __init__(self, region_id: int) -> None:
        self.region_id = region_id

    @cached_property
    def care_coordinator(self) -> Organisation | None:
        """The organisation of the region's first active care coordinator."""
        user = (
            User.objects.filter(
                role=Role.CARE_COORDINATOR, is_active=True, organisation__region_id=self.region_id
            )
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
        return user.organisation if user else None

    @cached_property
    def active(self) -> list[Organisation]:
        """The region's active organisations, by name."""
        return list(
            Organisation.objects.filter(region_id=self.region_id, is_active=True).order_by(
                "name", "pk"
            )
        )

    def first_of_kind(self, kinds: frozenset[str]) -> Organisation | None:
        return next((o for o in self.active if o.kind in kinds), None)


def default_lead(
    item: AgendaItem, routes: set[str], organisations: RegionOrganisations | None = None
) -> tuple[Organisation, str]:
    """The lead organisation the table's decision implies.

    The care coordinator's route gives the care coordinator the lead (the trajectory needs
    it); otherwise the follow-up owner the table named; for the administrative route the
    municipality where it happens; else the presenter.
    """
    signal = item.signal
    if Route.CARE_COORDINATOR in routes:
        org = (
            item.follow_up_owner
            or (organisations or RegionOrganisations(signal.region_id)).care_coordinator
        )
        if org is not None:
            return org, LeadKind.CARE_COORDINATOR
    if item.follow_up_owner is not None:
        owner = item.follow_up_owner
        return owner, LEAD_KIND_OF_ORGANISATION.get(owner.kind, LeadKind.PRESENTER)
    if Route.ADMINISTRATIVE in routes and signal.municipality_id:
        return signal.municipality, LeadKind.MUNICIPALITY
    return item.presenter, LEAD_KIND_OF_ORGANISATION.get(item.presenter.kind, LeadKind.PRESENTER)


def default_receiver(
    route: str, item: AgendaItem, organisations: RegionOrganisations | None = None
) -> Organisation | None:
    kinds = ROUTE_RECEIVERS.get(route, frozenset())
    owner = item.follow_up_owner
    if owner is not None and owner.kind in kinds:
        return owner
    municipality = item.signal.municipality
    if municipality is not None and municipality.kind in kinds:
        return municipality
    return (organisations or RegionOrganisations(item.signal.region_id)).first_of_kind(kinds)


def _mark_handed_off(decisions: list[RouteDecision], case: Case | None) -> None:
    now = timezone.now()
    for decision in decisions:
        decision.handed_off_at = now
        decision.case = case
        decision.save(update_fields=["handed_off_at", "case"])


def _announce(signal: Signal, decisions: list[RouteDecision], actor: User) -> None:
    routes = ", ".join(str(d.get_route_display()) for d in decisions)
    signal_services.event_append(
        signal=signal,
        kind=EventKind.ROUTE,
        summary=_("Route besloten: %(route)s") % {"route": routes},
        actor=actor,
        visible_to_sender=True,
    )


class HandOff:
    """Hands decided items over together: what every item needs is read once, written once.

    Reads once per hand-off: the signals' victims, forms and open cases (``CaseOpener``), the
    region's care coordinator and route receivers (``RegionOrganisations``). Writes per item
    what auditlog must log row by row (signals, cases, decisions); the case links, draft
    referrals and timeline rows together in ``finish``, each created row still with its own
    audit entry. Everything stays in the caller's transaction.
    """

    def __init__(self, *, actor: User, region_id: int, signals: Iterable[Signal] = ()) -> None:
        self.actor = actor
        self.organisations = RegionOrganisations(region_id)
        self.timeline = case_services.Timeline()
        self.opener = case_services.CaseOpener(actor=actor, timeline=self.timeline)
        self.opener.prepare(signals)
        self.drafts = referral_services.DraftBatch(actor=actor, timeline=self.timeline)

    def item(self, item: AgendaItem) -> Case | None:
        """Hand one decided item over (see ``item_hand_off``); its signal is locked."""
        decisions = list(item.decisions.all())
        if not decisions:
            return None
        for decision in decisions:
            decision.item = item
        _announce(item.signal, decisions, self.actor)
        follow_up = [d for d in decisions if d.route != Route.NO_FURTHER_ACTION]
        if not follow_up:
            _mark_handed_off(decisions, None)
            return None
        if item.case_id is not None:
            case = item.case  # an evaluation: the decisions belong to the case under review
        else:
            case = self.opener.open_case_of(item.signal)
            if case is None:
                if self.opener.shares_victims(item.signal):
                    return None  # VT chooses: join that case or open a new one
                lead, lead_kind = default_lead(
                    item, {d.route for d in follow_up}, self.organisations
                )
                case = self.opener.open(
                    signal=item.signal, lead_organisation=lead, lead_kind=lead_kind
                )
        self.draft_referrals(follow_up, case)
        _mark_handed_off(decisions, case)
        return case

    def draft_referrals(self, decisions: list[RouteDecision], case: Case) -> None:
        for decision in decisions:
            if decision.route not in REFERRAL_ROUTES:
                continue
            receiver = default_receiver(decision.route, decision.item, self.organisations)
            if receiver is None:
                self.timeline.append(
                    case=case,
                    kind=CaseEventKind.REFERRAL,
                    summary=_("Route %(route)s: geen ontvangende organisatie in de regio gevonden")
                    % {"route": decision.get_route_display()},
                    actor=self.actor,
                )
                continue
            self.drafts.add(
                case=case,
                route=decision.route,
                receiving_organisation=receiver,
                reason=decision.note,
            )

    def finish(self) -> None:
        self.opener.finish()
        self.drafts.save()
        self.timeline.write()


_current: ContextVar[HandOff | None] = ContextVar("screening_hand_off", default=None)


@contextlib.contextmanager
def handing_off(*, actor: User, region_id: int, signals: Iterable[Signal]) -> Iterator[HandOff]:
    """Hand items over together: ``item_hand_off`` inside the block uses this ``HandOff``,
    which writes what it collected when the block ends without an error."""
    hand_off = HandOff(actor=actor, region_id=region_id, signals=signals)
    token = _current.set(hand_off)
    try:
        yield hand_off
    finally:
        _current.reset(token)
    hand_off.finish()


def item_hand_off(*, item: AgendaItem, actor: User) -> Case | None:
    """Hand a decided item's route decisions to the follow-up (inside meeting_conclude).

    Returns the case the decisions went to, or None when Veilig Thuis must still choose
    (an open case of the same person exists) or no follow-up was decided. The item's signal
    is locked by the caller. Inside ``handing_off`` the item joins that hand-off.
    """
    current = _current.get()
    if current is not None:
        return current.item(item)
    with handing_off(actor=actor, region_id=item.signal.region_id, signals=[item.signal]) as h:
        return h.item(item)


@transaction.atomic
def decision_route(
    *,
    item: AgendaItem,
    actor: User,
    case: Case | None = None,
    lead_organisation: Organisation | None = None,
    lead_kind: str = "",
) -> Case:
    """VT hands a waiting item to an existing open case, or to a new case it opens."""
    if not actor.has_perm("cases.open_case"):
        raise PermissionDenied
    item = (
        AgendaItem.objects.select_for_update().select_related("signal", "meeting").get(pk=item.pk)
    )
    if item.meeting.region_id != actor.organisation.region_id:
        raise PermissionDenied
    decisions = list(
        item.decisions.select_for_update().filter(handed_off_at__isnull=True).exclude(route="none")
    )
    if not decisions or item.meeting.status != MeetingStatus.CONCLUDED:
        raise ValidationError(_("Dit besluit is al doorgeleid."))
    if case is not None:
        if case.status != CaseStatus.OPEN:
            raise ValidationError({"case": [_("Kies een open casus.")]})
        case = case_services.case_add_signal(case=case, signal=item.signal, actor=actor)
    else:
        if lead_organisation is None:
            raise ValidationError({"lead_organisation": [_("Kies de regiehouder.")]})
        case = case_services.case_open(
            signal=item.signal,
            actor=actor,
            lead_organisation=lead_organisation,
            lead_kind=lead_kind,
        )
    for decision in decisions:
        decision.item = item
    hand_off = HandOff(actor=actor, region_id=item.meeting.region_id)
    hand_off.draft_referrals(decisions, case)
    _mark_handed_off(decisions, case)
    hand_off.finish()
    return case


@transaction.atomic
def case_evaluation_schedule(*, case: Case, actor: User) -> AgendaItem:
    """Put an open case back on the next screening agenda that still takes items."""
    if not actor.has_perm("screening.manage_agenda"):
        raise PermissionDenied
    case = case_selectors.case_get(user=actor, public_id=case.public_id)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("Alleen een open casus kan terug naar de screeningstafel."))
    from .services import meeting_plan_next

    meeting = (
        Meeting.objects.select_for_update()
        .filter(region_id=case.region_id, status__in=AGENDA_EDITABLE)
        .order_by("scheduled_for")
        .first()
    ) or meeting_plan_next(region=case.region)
    signal = case.signals.order_by("case_links__added_at", "pk").first()
    if (
        AgendaItem.objects.filter(case=case)
        .exclude(meeting__status=MeetingStatus.CONCLUDED)
        .exists()
    ):
        raise ValidationError(_("Deze casus staat al op de agenda van een komend overleg."))
    if AgendaItem.objects.filter(meeting=meeting, signal=signal).exists():
        raise ValidationError(_("Het signaal van deze casus staat al op deze agenda."))
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        signal=signal,
        case=case,
        position=position,
        presenter=case.lead_organisation,
        proposed_by=actor,
        state=ItemState.ACCEPTED,
    )
    case_services.case_event_append(
        case=case,
        kind=CaseEventKind.EVALUATION,
        summary=_("Terug op de agenda van het screeningsoverleg van %(date)s")
        % {"date": timezone.localtime(meeting.scheduled_for).strftime("%d-%m-%Y")},
        actor=actor,
    )
    return item
