"""Concluding the meeting: outcomes adopted, routes handed off, the rest carried over."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from accounts.audit import acting_as
from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from cases.models import Case
from cases.tests.factories import make_case
from referrals.routes import Route
from screening import handoff, selectors, services
from screening.models import AgendaItem, Meeting, RouteDecision
from screening.services import MeetingStateError
from screening.tests.factories import (
    MeetingFactory,
    agenda_item,
    decide,
    meeting_in_session,
    registered_signal,
)
from screening.workflow import ItemOutcome, ItemState, MeetingStatus
from signals.models import Classification, EventKind, PersonRole, SignalPerson
from signals.selectors import signal_timeline
from signals.workflow import Status


def _conclude(world, meeting, role=Role.VT_STAFF):
    return services.meeting_conclude(meeting=meeting, actor=world.user(role))


def _status(signal):
    signal.refresh_from_db()
    return signal.status


def _final(world, item, value):
    services.item_classify(item=item, actor=world.user(Role.VT_OFFICER), kind="final", value=value)


# --- when ------------------------------------------------------------------------------------


@pytest.mark.parametrize("close_agenda", [False, True])
def test_it_refuses_to_conclude_a_meeting_that_was_not_started(world, close_agenda):
    vt = world.user(Role.VT_STAFF)
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)
    if close_agenda:
        meeting = services.agenda_close(meeting=meeting, actor=vt)
    status = meeting.status

    with pytest.raises(MeetingStateError, match="gestart overleg"):
        services.meeting_conclude(meeting=meeting, actor=vt)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.concluded_at, meeting.concluded_by) == (status, None, None)
    assert _status(item.signal) == Status.SCHEDULED
    assert Meeting.objects.filter(region=world.region).count() == 1
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR, Role.MUNICIPAL_OFFICER])
def test_only_veilig_thuis_concludes(world, role):
    meeting, _items = meeting_in_session(world)

    with pytest.raises(PermissionDenied):
        _conclude(world, meeting, role)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_SESSION


def test_it_marks_the_meeting_concluded_by_whom(world):
    meeting, _items = meeting_in_session(world)
    officer = world.user(Role.VT_OFFICER)

    with acting_as(officer):
        concluded = services.meeting_conclude(meeting=meeting, actor=officer)

    concluded.refresh_from_db()
    assert concluded.status == MeetingStatus.CONCLUDED
    assert concluded.concluded_by == officer
    assert concluded.concluded_at is not None
    entry = AuditLogEntry.objects.filter(
        content_type__model="meeting", object_pk=str(meeting.pk), actor=officer
    ).last()
    assert entry.changes_dict["status"] == [MeetingStatus.IN_SESSION, MeetingStatus.CONCLUDED]


# --- decided items ---------------------------------------------------------------------------


def test_a_decided_item_is_screened_and_routed_to_its_case(world):
    meeting, (item,) = meeting_in_session(world)
    _final(world, item, Classification.SUSPECTED)
    decide(world, item, routes=[Route.CARE_COORDINATOR])

    _conclude(world, meeting)

    assert _status(item.signal) == Status.ROUTED
    steps = [(e.from_status, e.to_status) for e in item.signal.events.filter(kind=EventKind.STATUS)]
    assert steps[-2:] == [
        (Status.SCHEDULED, Status.SCREENED),
        (Status.SCREENED, Status.ROUTED),
    ]


def test_no_trafficking_and_no_further_action_closes_the_signal(world):
    meeting, (item,) = meeting_in_session(world)
    _final(world, item, Classification.NONE)
    decide(world, item, routes=[Route.NO_FURTHER_ACTION], follow_up_owner=None)

    _conclude(world, meeting)

    signal = item.signal
    assert _status(signal) == Status.CLOSED
    assert signal.closed_at is not None


@pytest.mark.parametrize(
    ("final", "routes", "status"),
    [
        ("", [Route.NO_FURTHER_ACTION], Status.SCREENED),  # no final classification yet
        (Classification.POTENTIAL, [Route.NO_FURTHER_ACTION], Status.SCREENED),
        (Classification.NONE, [Route.CARE_STRUCTURE], Status.ROUTED),
    ],
)
def test_anything_else_decided_is_not_closed(world, final, routes, status):
    meeting, (item,) = meeting_in_session(world)
    if final:
        _final(world, item, final)
    decide(world, item, routes=routes)

    _conclude(world, meeting)

    assert _status(item.signal) == status


def test_each_decided_item_gets_a_case_and_each_partner_route_a_draft_referral(world):
    meeting, (first, second, closed) = meeting_in_session(world, items=3)
    decide(world, first, routes=[Route.CARE_COORDINATOR, Route.POLICE_OM])
    decide(world, second, routes=[Route.ZVH_WEIGHING])
    _final(world, closed, Classification.NONE)
    decide(world, closed, routes=[Route.NO_FURTHER_ACTION], follow_up_owner=None)

    _conclude(world, meeting)

    cases = {c.signals.get(): c for c in Case.objects.all()}
    assert set(cases) == {first.signal, second.signal}
    assert [(r.route, r.status) for r in cases[first.signal].referrals.all()] == [
        (Route.POLICE_OM, "draft")
    ]
    assert (
        cases[first.signal].referrals.get().receiving_organisation
        == (world.orgs[Organisation.Kind.POLICE_AVIM])
    )
    assert [r.route for r in cases[second.signal].referrals.all()] == [Route.ZVH_WEIGHING]
    assert all(
        d.handed_off_at is not None and d.case_id
        for d in RouteDecision.objects.exclude(route="none")
    )
    # Nothing waits for Veilig Thuis: no person of these signals had an open case.
    for role in (Role.VT_STAFF, Role.VT_OFFICER):
        assert not selectors.decisions_to_route(user=world.user(role)).exists()


def test_the_to_route_list_stays_within_the_region(world, other_world):
    known = make_case(world).persons.get()
    meeting, (item,) = meeting_in_session(world)
    SignalPerson.objects.create(signal=item.signal, person=known, role=PersonRole.POSSIBLE_VICTIM)
    decide(world, item, routes=[Route.POLICE_OM])
    _conclude(world, meeting)

    assert selectors.decisions_to_route(user=world.user(Role.VT_STAFF)).exists()
    assert not selectors.decisions_to_route(user=other_world.user(Role.VT_STAFF)).exists()
    for role in (Role.AVIM, Role.CARE_COORDINATOR, Role.MUNICIPAL_OFFICER):
        assert not selectors.decisions_to_route(user=world.user(role)).exists()


def test_the_sender_sees_the_route_on_its_signals_timeline(world):
    meeting, (item,) = meeting_in_session(world)
    decide(world, item, routes=[Route.CARE_COORDINATOR, Route.ADMINISTRATIVE])

    _conclude(world, meeting)

    timeline = signal_timeline(user=world.user(Role.MUNICIPAL_OFFICER), signal=item.signal)
    (route,) = [e.summary for e in timeline.filter(kind=EventKind.ROUTE)]
    assert route.startswith("Route besloten: ")
    assert str(Route.CARE_COORDINATOR.label) in route
    assert str(Route.ADMINISTRATIVE.label) in route
    assert timeline.filter(to_status=Status.SCREENED).exists()
    assert timeline.filter(to_status=Status.ROUTED).exists()


# --- undecided items -------------------------------------------------------------------------


def test_pending_and_carried_over_items_go_to_the_next_meeting(world):
    meeting, (pending, carried, decided) = meeting_in_session(world, items=3)
    services.item_carry_over(item=carried, actor=world.user(Role.VT_STAFF), version=carried.version)
    decide(world, decided, routes=[Route.POLICE_OM])

    _conclude(world, meeting)

    next_meeting = Meeting.objects.get(
        region=world.region, scheduled_for=services.next_slot(meeting.scheduled_for)
    )
    assert next_meeting.status == MeetingStatus.PLANNED
    moved = list(next_meeting.items.order_by("position"))
    assert [i.signal_id for i in moved] == [pending.signal_id, carried.signal_id]
    assert [i.times_carried_over for i in moved] == [1, 1]
    assert {i.state for i in moved} == {ItemState.ACCEPTED}
    assert [i.outcome for i in moved] == [ItemOutcome.PENDING, ItemOutcome.PENDING]
    assert [i.position for i in moved] == [1, 2]
    for old in (pending, carried):
        old.refresh_from_db()
        assert old.outcome == ItemOutcome.CARRIED_OVER
        assert _status(old.signal) == Status.SCHEDULED
        assert old.signal.events.last().summary == "Doorgeschoven naar het volgende overleg"


def test_an_item_carried_over_again_counts_once_more(world):
    vt = world.user(Role.VT_STAFF)
    meeting, (item,) = meeting_in_session(world)
    _conclude(world, meeting)
    second = Meeting.objects.get(region=world.region, status=MeetingStatus.PLANNED)
    services.meeting_start(meeting=second, actor=vt)
    _conclude(world, second)

    third = Meeting.objects.get(region=world.region, status=MeetingStatus.PLANNED)
    assert third.scheduled_for == services.next_slot(services.next_slot(meeting.scheduled_for))
    moved = third.items.get()
    assert (moved.signal_id, moved.times_carried_over) == (item.signal_id, 2)
    assert _status(item.signal) == Status.SCHEDULED


def test_an_unaccepted_proposal_moves_as_a_proposal(world):
    meeting = MeetingFactory(region=world.region)
    signal = registered_signal(world)
    proposal = services.agenda_item_add(
        meeting=meeting, signal=signal, actor=world.user(Role.CARE_COORDINATOR)
    )
    services.meeting_start(meeting=meeting, actor=world.user(Role.VT_STAFF))

    _conclude(world, meeting)

    moved = AgendaItem.objects.exclude(meeting=meeting).get(signal=signal)
    assert moved.state == ItemState.PROPOSED
    assert moved.times_carried_over == 0
    assert moved.presenter == proposal.presenter
    assert moved.proposed_by == world.user(Role.CARE_COORDINATOR)
    assert _status(signal) == Status.REGISTERED


def test_it_joins_the_next_meeting_when_that_already_exists(world):
    meeting, (item,) = meeting_in_session(world)
    next_slot = services.next_slot(meeting.scheduled_for)
    next_meeting = MeetingFactory(
        region=world.region,
        scheduled_for=next_slot,
        agenda_closes_at=next_slot - timedelta(hours=24),
    )
    already = agenda_item(world, next_meeting)

    _conclude(world, meeting)

    assert Meeting.objects.filter(region=world.region).count() == 2
    assert list(next_meeting.items.order_by("position").values_list("signal_id", flat=True)) == [
        already.signal_id,
        item.signal_id,
    ]


# --- all or nothing --------------------------------------------------------------------------


def test_it_saves_nothing_when_one_hand_off_fails(world):
    meeting, (first, second) = meeting_in_session(world, items=2)
    decide(world, first, routes=[Route.POLICE_OM])
    decide(world, second, routes=[Route.CARE_COORDINATOR])
    events = [first.signal.events.count(), second.signal.events.count()]
    real_hand_off = handoff.item_hand_off
    calls = []

    def failing_hand_off(*, item, actor):
        calls.append(item.pk)
        if len(calls) == 2:
            raise RuntimeError("cases service unavailable")
        return real_hand_off(item=item, actor=actor)

    with (
        mock.patch.object(handoff, "item_hand_off", failing_hand_off),
        pytest.raises(RuntimeError),
    ):
        _conclude(world, meeting)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_SESSION
    assert meeting.concluded_at is None
    assert [_status(first.signal), _status(second.signal)] == [Status.SCHEDULED] * 2
    assert [first.signal.events.count(), second.signal.events.count()] == events
    assert Meeting.objects.filter(region=world.region).count() == 1
