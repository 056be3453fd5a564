"""Every change at the screening table: one function per use case, in one transaction.

Signals move along their own life cycle through ``signals.services`` (this app never
writes a signal itself); concluding a meeting hands the route decisions to the follow-up
(cases, referrals) through ``handoff``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Region, User
from cases.models import CaseEventKind
from cases.services import case as case_services
from referrals.routes import Route
from signals import services as signal_services
from signals.models import Classification, EventKind, Signal
from signals.workflow import Status as SignalStatus
from signals.workflow import TransitionNotAllowed

from . import handoff
from .models import Addendum, AgendaItem, Attendance, Meeting, PartnerInput, RouteDecision
from .workflow import AGENDA_EDITABLE, MEETING_TRANSITIONS, ItemOutcome, ItemState, MeetingStatus

# Who can bring an item to the table ("inbrenger"): VT, AVIM or the care coordinator's ZVH.
PRESENTER_KINDS = frozenset(
    {Organisation.Kind.VEILIG_THUIS, Organisation.Kind.POLICE_AVIM, Organisation.Kind.ZVH}
)


class MeetingStateError(TransitionNotAllowed):
    """An action that the meeting's status does not allow; the message is for the user."""


# --- helpers -----------------------------------------------------------------------------


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied


def _same_region(actor: User, meeting: Meeting) -> None:
    if meeting.region_id != actor.organisation.region_id:
        raise PermissionDenied


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _locked_item(item: AgendaItem, version: int | None = None) -> AgendaItem:
    locked = (
        AgendaItem.objects.select_for_update().select_related("meeting", "signal").get(pk=item.pk)
    )
    if version is not None and locked.version != version:
        raise signal_services.StaleVersion(
            locked.version,
            _("Dit agendapunt is intussen door iemand anders gewijzigd. Laad de pagina opnieuw."),
        )
    return locked


def _transition_meeting(meeting: Meeting, to: MeetingStatus) -> None:
    if to not in MEETING_TRANSITIONS[MeetingStatus(meeting.status)]:
        raise MeetingStateError(
            _("Een overleg met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": meeting.get_status_display(), "target": MeetingStatus(to).label},
            current=meeting.status,
            target=to,
        )
    meeting.status = to
    meeting.version += 1


def _require_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CONCLUDED:
        raise MeetingStateError(
            _(
                "Dit overleg is afgerond en kan niet meer worden gewijzigd. Voeg zo nodig een addendum toe."
            ),
            current=meeting.status,
        )


def _require_in_session(meeting: Meeting) -> None:
    _require_open(meeting)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise MeetingStateError(_("Start eerst het overleg."), current=meeting.status)


def _require_accepted(item: AgendaItem) -> None:
    # A proposal nobody accepted is not discussed: a decision on it would be dropped when
    # the meeting concludes (proposals carry over as proposals).
    if item.state != ItemState.ACCEPTED:
        raise MeetingStateError(
            _("Dit punt is nog een voorstel; Veilig Thuis moet het eerst accepteren."),
            current=item.state,
        )


def _require_agenda_editable(meeting: Meeting) -> None:
    _require_open(meeting)
    if meeting.status not in AGENDA_EDITABLE:
        raise MeetingStateError(
            _("De agenda kan tijdens het overleg niet meer worden aangepast."),
            current=meeting.status,
        )


# --- the weekly meeting ------------------------------------------------------------------


def next_slot(after: datetime) -> datetime:
    """The next meeting moment after ``after`` (weekday and time from settings, local time)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    local = after.astimezone(tz)
    hour, minute = (int(p) for p in settings.SCREENING_MEETING_TIME.split(":"))
    days_ahead = (settings.SCREENING_MEETING_WEEKDAY - local.weekday()) % 7
    candidate = datetime.combine(
        local.date() + timedelta(days=days_ahead), time(hour, minute), tzinfo=tz
    )
    if candidate <= local:
        candidate += timedelta(days=7)
    return candidate


def meeting_ensure(*, region: Region, scheduled_for: datetime) -> tuple[Meeting, bool]:
    cutoff = scheduled_for - timedelta(hours=settings.SCREENING_AGENDA_CUTOFF_HOURS)
    try:
        with transaction.atomic():
            return Meeting.objects.get_or_create(
                region=region, scheduled_for=scheduled_for, defaults={"agenda_closes_at": cutoff}
            )
    except IntegrityError:
        return Meeting.objects.get(region=region, scheduled_for=scheduled_for), False


def _vt_presenter(region_id: int) -> Organisation:
    vt = Organisation.objects.filter(
        region_id=region_id, kind=Organisation.Kind.VEILIG_THUIS
    ).first()
    if vt is None:
        raise ValidationError(_("De regio heeft geen Veilig Thuis-organisatie."))
    return vt


def _presenter_for(signal: Signal) -> Organisation:
    """Who brings the item: AVIM or the care coordinator for their own signals, otherwise VT."""
    if signal.reporting_organisation.kind in (Organisation.Kind.POLICE_AVIM, Organisation.Kind.ZVH):
        return signal.reporting_organisation
    return _vt_presenter(signal.region_id)


@transaction.atomic
def meeting_plan_next(
    *, region: Region, now: datetime | None = None, actor: User | None = None
) -> Meeting:
    """Create the next weekly meeting of a region and fill its agenda. Idempotent.

    The agenda takes every registered, non-acute signal that is on no open agenda and was
    registered before the agenda's cut-off; later signals wait for the next meeting.
    """
    now = now or timezone.now()
    slot = next_slot(now)
    if now >= slot - timedelta(hours=settings.SCREENING_AGENDA_CUTOFF_HOURS):
        slot = next_slot(slot)  # this week's agenda has closed: plan the week after
    meeting, _created = meeting_ensure(region=region, scheduled_for=slot)
    meeting = _locked_meeting(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        return meeting
    on_agenda = AgendaItem.objects.filter(
        meeting__status__in=[s for s in MeetingStatus if s != MeetingStatus.CONCLUDED]
    ).values("signal_id")
    candidates = (
        Signal.objects.select_for_update(of=("self",))
        .filter(
            region=region,
            status=SignalStatus.REGISTERED,
            is_acute=False,
            registered_at__lte=meeting.agenda_closes_at,
        )
        .exclude(pk__in=on_agenda)
        .select_related("reporting_organisation")
        .order_by("registered_at", "pk")
    )
    position = meeting.items.aggregate(m=Max("position"))["m"] or 0
    for signal in candidates:
        position += 1
        _schedule(
            meeting,
            signal,
            actor=actor,
            presenter=_presenter_for(signal),
            position=position,
            proposed_by=actor,
        )
    return meeting


def _schedule(
    meeting: Meeting,
    signal: Signal,
    *,
    actor: User | None,
    presenter: Organisation,
    position: int,
    proposed_by: User | None,
    state: str = ItemState.ACCEPTED,
    times_carried_over: int = 0,
) -> AgendaItem:
    item = AgendaItem.objects.create(
        meeting=meeting,
        signal=signal,
        position=position,
        presenter=presenter,
        proposed_by=proposed_by or signal.reported_by,
        state=state,
        times_carried_over=times_carried_over,
    )
    if state == ItemState.ACCEPTED and signal.status != SignalStatus.SCHEDULED:
        signal_services.signal_transition(
            signal=signal,
            to=SignalStatus.SCHEDULED,
            actor=actor,
            summary=_("Geagendeerd voor het screeningsoverleg van %(date)s")
            % {"date": timezone.localtime(meeting.scheduled_for).strftime("%d-%m-%Y")},
        )
    return item


@transaction.atomic
def agendas_close_due(*, now: datetime | None = None) -> int:
    """Close the agenda of every planned meeting whose cut-off has passed. Idempotent."""
    now = now or timezone.now()
    due = Meeting.objects.select_for_update().filter(
        status=MeetingStatus.PLANNED, agenda_closes_at__lte=now
    )
    closed = 0
    for meeting in due:
        _transition_meeting(meeting, MeetingStatus.AGENDA_CLOSED)
        meeting.save()
        closed += 1
    return closed


# --- preparing the agenda ----------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, signal: Signal, actor: User, presenter: Organisation | None = None
) -> AgendaItem:
    """VT puts a signal on the agenda; AVIM and the care coordinator propose one."""
    manages = actor.has_perm("screening.manage_agenda")
    if not manages:
        _require(actor, "screening.contribute_to_meeting")
    _same_region(actor, meeting)
    meeting = _locked_meeting(meeting)
    _require_agenda_editable(meeting)
    signal = (
        Signal.objects.select_for_update()
        .select_related("reporting_organisation")
        .get(pk=signal.pk)
    )
    if signal.region_id != meeting.region_id:
        raise ValidationError({"signal": [_("Dit signaal hoort bij een andere regio.")]})
    if signal.status not in (SignalStatus.REGISTERED, SignalStatus.SCREENED):
        raise MeetingStateError(
            _(
                "Alleen geregistreerde of eerder gescreende signalen kunnen op de agenda; dit signaal heeft status '%(s)s'."
            )
            % {"s": signal.get_status_display()},
            current=signal.status,
        )
    if AgendaItem.objects.filter(meeting=meeting, signal=signal).exists():
        raise ValidationError({"signal": [_("Dit signaal staat al op deze agenda.")]})
    # A proposal leaves the signal registered; it must not also land on another open agenda.
    if (
        AgendaItem.objects.filter(signal=signal)
        .exclude(meeting__status=MeetingStatus.CONCLUDED)
        .exists()
    ):
        raise ValidationError(
            {"signal": [_("Dit signaal staat al op de agenda van een ander overleg.")]}
        )
    presenter = presenter or (_presenter_for(signal) if manages else actor.organisation)
    if presenter.region_id != meeting.region_id:
        raise ValidationError({"presenter": [_("Kies een inbrenger uit de regio.")]})
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    state = ItemState.ACCEPTED if manages else ItemState.PROPOSED
    return _schedule(
        meeting,
        signal,
        actor=actor,
        presenter=presenter,
        position=position,
        proposed_by=actor,
        state=state,
    )


@transaction.atomic
def agenda_item_accept(*, item: AgendaItem, actor: User) -> AgendaItem:
    _require(actor, "screening.manage_agenda")
    item = _locked_item(item)
    _same_region(actor, item.meeting)
    _require_agenda_editable(item.meeting)
    if item.state != ItemState.PROPOSED:
        raise MeetingStateError(_("Dit agendapunt is al geaccepteerd."), current=item.state)
    signal = Signal.objects.select_for_update().get(pk=item.signal_id)
    item.state = ItemState.ACCEPTED
    item.version += 1
    item.save()
    if signal.status != SignalStatus.SCHEDULED:
        signal_services.signal_transition(
            signal=signal,
            to=SignalStatus.SCHEDULED,
            actor=actor,
            summary=_("Geagendeerd voor het screeningsoverleg"),
        )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: User) -> None:
    _require(actor, "screening.manage_agenda")
    item = _locked_item(item)
    _same_region(actor, item.meeting)
    _require_agenda_editable(item.meeting)
    signal = Signal.objects.select_for_update().get(pk=item.signal_id)
    if signal.status == SignalStatus.SCHEDULED:
        signal_services.signal_transition(
            signal=signal,
            to=SignalStatus.REGISTERED,
            actor=actor,
            summary=_("Van de agenda gehaald"),
        )
    item.delete()


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, actor: User, offset: int) -> AgendaItem:
    """Move an item up (offset -1) or down (+1), swapping with its neighbour."""
    _require(actor, "screening.manage_agenda")
    item = _locked_item(item)
    _same_region(actor, item.meeting)
    meeting = _locked_meeting(item.meeting)
    _require_open(meeting)
    items = list(meeting.items.select_for_update().order_by("position", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        for position, it in enumerate(items, start=1):
            if it.position != position:
                it.position = position
                it.save(update_fields=["position", "updated_at"])
    return AgendaItem.objects.get(pk=item.pk)


@dataclass
class ItemSettings:
    presenter: Organisation | None = None
    guest_organisation: Organisation | None = None


@transaction.atomic
def agenda_item_configure(
    *, item: AgendaItem, actor: User, version: int, data: ItemSettings
) -> AgendaItem:
    _require(actor, "screening.manage_agenda")
    item = _locked_item(item, version)
    _same_region(actor, item.meeting)
    _require_open(item.meeting)
    errors: dict[str, list[str]] = {}
    if data.presenter is not None and (
        data.presenter.region_id != item.meeting.region_id
        or data.presenter.kind not in PRESENTER_KINDS
    ):
        errors["presenter"] = [
            _("Kies als inbrenger Veilig Thuis, AVIM of de zorgcoördinator (ZVH) uit de regio.")
        ]
    guest = data.guest_organisation
    if guest is not None and (
        guest.region_id != item.meeting.region_id or guest.kind == Organisation.Kind.MUNICIPALITY
    ):
        # Municipalities hear the outcome on their own signals; they do not join the table.
        errors["guest_organisation"] = [
            _("Kies een gastorganisatie uit de regio; een gemeente kan geen gast zijn.")
        ]
    if errors:
        raise ValidationError(errors)
    if data.presenter is not None:
        item.presenter = data.presenter
    item.guest_organisation = data.guest_organisation
    item.version += 1
    item.save()
    return item


@transaction.atomic
def agenda_close(*, meeting: Meeting, actor: User) -> Meeting:
    _require(actor, "screening.manage_agenda")
    _same_region(actor, meeting)
    meeting = _locked_meeting(meeting)
    _transition_meeting(meeting, MeetingStatus.AGENDA_CLOSED)
    meeting.save()
    return meeting


# --- the meeting -------------------------------------------------------------------------


@transaction.atomic
def meeting_start(*, meeting: Meeting, actor: User) -> Meeting:
    _require(actor, "screening.manage_agenda")
    _same_region(actor, meeting)
    meeting = _locked_meeting(meeting)
    _transition_meeting(meeting, MeetingStatus.IN_SESSION)
    meeting.started_at = timezone.now()
    meeting.save()
    return meeting


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, actor: User, organisation: Organisation, present: bool
) -> Attendance:
    _require(actor, "screening.manage_agenda")
    _same_region(actor, meeting)
    meeting = _locked_meeting(meeting)
    _require_in_session(meeting)
    if organisation.region_id != meeting.region_id:
        raise ValidationError({"organisation": [_("Kies een organisatie uit de regio.")]})
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        organisation=organisation,
        defaults={"present": present, "recorded_by": actor},
    )
    return attendance


def may_contribute(actor: User, item: AgendaItem) -> bool:
    if actor.has_perm("screening.manage_agenda") or actor.has_perm(
        "screening.contribute_to_meeting"
    ):
        return True
    return (
        item.guest_organisation_id is not None
        and item.guest_organisation_id == actor.organisation_id
    )


@transaction.atomic
def partner_input_add(*, item: AgendaItem, actor: User, text: str) -> PartnerInput:
    """A partner adds what it knows. One row per contribution: concurrent input is never lost."""
    item = AgendaItem.objects.select_related("meeting", "signal").get(pk=item.pk)
    if not may_contribute(actor, item):
        raise PermissionDenied
    _same_region(actor, item.meeting)
    _require_in_session(item.meeting)
    _require_accepted(item)
    if not text.strip():
        raise ValidationError({"text": [_("Schrijf wat uw organisatie weet.")]})
    contribution = PartnerInput(item=item, organisation=actor.organisation, author=actor, text=text)
    contribution.full_clean()
    contribution.save()
    signal_services.event_append(
        signal=item.signal,
        kind=EventKind.NOTE,
        summary=_("Inbreng screeningsoverleg door %(org)s") % {"org": actor.organisation.name},
        actor=actor,
    )
    return contribution


@transaction.atomic
def item_classify(
    *, item: AgendaItem, actor: User, kind: str, value: str, reason: str = ""
) -> AgendaItem:
    """Preliminary classification by VT staff; the final one only by a VT officer."""
    _require(actor, "screening.manage_agenda")
    item = _locked_item(item)
    _same_region(actor, item.meeting)
    _require_in_session(item.meeting)
    _require_accepted(item)
    signal = Signal.objects.select_for_update().get(pk=item.signal_id)
    signal_services.classification_set(
        signal=signal, kind=kind, value=value, actor=actor, reason=reason
    )
    item.version += 1
    item.save(update_fields=["version", "updated_at"])
    return item


@dataclass
class Decision:
    routes: list[str]
    weighing: str = ""
    advice: str = ""
    advice_checklist: list[str] | None = None
    follow_up_owner: Organisation | None = None
    follow_up_due: date | None = None
    note: str = ""


@transaction.atomic
def item_decide(*, item: AgendaItem, actor: User, version: int, decision: Decision) -> AgendaItem:
    _require(actor, "screening.manage_agenda")
    item = _locked_item(item, version)
    _same_region(actor, item.meeting)
    _require_in_session(item.meeting)
    _require_accepted(item)
    errors: dict[str, list[str]] = {}
    routes = list(dict.fromkeys(decision.routes))
    if not routes:
        errors["routes"] = [_("Kies minstens één route, of 'Geen verdere actie'.")]
    elif any(r not in Route.values for r in routes):
        errors["routes"] = [_("Onbekende route.")]
    elif Route.NO_FURTHER_ACTION in routes and len(routes) > 1:
        errors["routes"] = [_("'Geen verdere actie' kan niet samen met een andere route.")]
    if Route.NO_FURTHER_ACTION not in routes and decision.follow_up_owner is None:
        errors["follow_up_owner"] = [_("Kies wie het vervolg oppakt.")]
    if (
        decision.follow_up_owner is not None
        and decision.follow_up_owner.region_id != item.meeting.region_id
    ):
        errors["follow_up_owner"] = [_("Kies een organisatie uit de regio.")]
    if decision.follow_up_due and decision.follow_up_due < timezone.localdate():
        errors["follow_up_due"] = [_("De datum ligt in het verleden.")]
    if errors:
        raise ValidationError(errors)
    item.weighing = decision.weighing
    item.advice = decision.advice
    item.advice_checklist = list(decision.advice_checklist or [])
    item.follow_up_owner = decision.follow_up_owner
    item.follow_up_due = decision.follow_up_due
    item.outcome = ItemOutcome.DECIDED
    item.version += 1
    item.full_clean()
    item.save()
    item.decisions.exclude(route__in=routes).delete()
    for route in routes:
        # update_or_create: deciding again with the same route must not keep a stale note.
        RouteDecision.objects.update_or_create(
            item=item, route=route, defaults={"decided_by": actor, "note": decision.note}
        )
    return item


@transaction.atomic
def item_carry_over(*, item: AgendaItem, actor: User, version: int) -> AgendaItem:
    _require(actor, "screening.manage_agenda")
    item = _locked_item(item, version)
    _same_region(actor, item.meeting)
    _require_in_session(item.meeting)
    _require_accepted(item)
    item.outcome = ItemOutcome.CARRIED_OVER
    item.decisions.all().delete()
    item.version += 1
    item.save()
    return item


# --- concluding ----------------------------------------------------------------------------


@transaction.atomic
def meeting_conclude(*, meeting: Meeting, actor: User) -> Meeting:
    """Adopt the outcomes: decided signals are screened (or closed), the rest carries over."""
    _require(actor, "screening.conclude_meeting")
    _same_region(actor, meeting)
    meeting = _locked_meeting(meeting)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise MeetingStateError(
            _("Alleen een gestart overleg kan worden afgerond."),
            current=meeting.status,
            target=MeetingStatus.CONCLUDED,
        )
    items = list(
        meeting.items.select_for_update(of=("self",))
        .select_related("signal", "signal__reporting_organisation", "case", "presenter")
        .select_related("follow_up_owner")
        .prefetch_related("decisions")
        .order_by("position", "pk")
    )
    signals = {
        s.pk: s
        for s in Signal.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .filter(pk__in=[i.signal_id for i in items])
    }
    decided = [
        i for i in items if i.outcome == ItemOutcome.DECIDED and i.state == ItemState.ACCEPTED
    ]
    next_meeting: Meeting | None = None
    # One hand-off for all items: what each needs is read once and the rows that can be
    # written together are, when the loop is done (``handoff.HandOff``).
    with handoff.handing_off(
        actor=actor,
        region_id=meeting.region_id,
        signals=[signals[i.signal_id] for i in decided if i.case_id is None],
    ):
        for item in items:
            signal = signals[item.signal_id]
            if item.outcome == ItemOutcome.DECIDED and item.state == ItemState.ACCEPTED:
                routes = {d.route for d in item.decisions.all()}
                if item.case_id is not None:
                    # Written now, not with the hand-off's rows: on the case page it comes
                    # before the route the table decided on its signal.
                    case_services.case_event_append(
                        case=item.case,
                        kind=CaseEventKind.EVALUATION,
                        summary=_("Geëvalueerd aan de screeningstafel"),
                        actor=actor,
                    )
                elif (
                    routes == {Route.NO_FURTHER_ACTION}
                    and signal.final_classification == Classification.NONE
                ):
                    signal_services.signal_transition(
                        signal=signal,
                        to=SignalStatus.CLOSED,
                        actor=actor,
                        summary=_("Gescreend: geen mensenhandel, geen verdere actie"),
                    )
                else:
                    signal_services.signal_transition(
                        signal=signal,
                        to=SignalStatus.SCREENED,
                        actor=actor,
                        summary=_("Gescreend in het overleg"),
                    )
                item.signal = signal
                handoff.item_hand_off(item=item, actor=actor)
            else:
                if item.outcome == ItemOutcome.PENDING:
                    item.outcome = ItemOutcome.CARRIED_OVER
                    item.save(update_fields=["outcome", "updated_at"])
                if next_meeting is None:
                    next_meeting, _created = meeting_ensure(
                        region=meeting.region, scheduled_for=next_slot(meeting.scheduled_for)
                    )
                position = (next_meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
                if not AgendaItem.objects.filter(meeting=next_meeting, signal=signal).exists():
                    # A proposal nobody accepted stays a proposal; a discussed item comes back.
                    AgendaItem.objects.create(
                        meeting=next_meeting,
                        signal=signal,
                        position=position,
                        presenter=item.presenter,
                        guest_organisation=item.guest_organisation,
                        proposed_by=item.proposed_by,
                        state=item.state,
                        case=item.case,
                        times_carried_over=item.times_carried_over
                        + (item.state == ItemState.ACCEPTED),
                    )
                if item.state == ItemState.ACCEPTED:
                    signal_services.event_append(
                        signal=signal,
                        kind=EventKind.STATUS,
                        summary=_("Doorgeschoven naar het volgende overleg"),
                        actor=actor,
                    )
    _transition_meeting(meeting, MeetingStatus.CONCLUDED)
    meeting.concluded_at = timezone.now()
    meeting.concluded_by = actor
    meeting.save()
    meeting_id, actor_id = meeting.pk, actor.pk
    from . import tasks

    transaction.on_commit(lambda: tasks.generate_minutes.delay(meeting_id, actor_id))
    return meeting


@transaction.atomic
def addendum_add(
    *, meeting: Meeting, actor: User, text: str, item: AgendaItem | None = None
) -> Addendum:
    _require(actor, "screening.manage_agenda")
    _same_region(actor, meeting)
    if meeting.status != MeetingStatus.CONCLUDED:
        raise MeetingStateError(
            _("Een addendum hoort bij een afgerond overleg; pas het overleg zelf aan."),
            current=meeting.status,
        )
    if not text.strip():
        raise ValidationError({"text": [_("Schrijf de correctie.")]})
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": [_("Dit agendapunt hoort niet bij dit overleg.")]})
    addendum = Addendum(meeting=meeting, item=item, text=text, author=actor)
    addendum.full_clean()
    addendum.save()
    return addendum
