"""Who sees which meetings and items (selectors), and in a constant number of queries."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from referrals.routes import Route
from screening import selectors, services
from screening.services import ItemSettings
from screening.tests.factories import (
    MeetingFactory,
    agenda_item,
    decide,
    guest_organisation,
    meeting_in_session,
)

TABLE = [Role.VT_STAFF, Role.VT_OFFICER, Role.AVIM, Role.CARE_COORDINATOR]
NOT_AT_THE_TABLE = [
    Role.MUNICIPAL_OFFICER,
    Role.PROCESS_DIRECTOR,
    Role.CHAIN_DIRECTOR,
    Role.POLICY_ANALYST,
    Role.PRIVACY_OFFICER,
    Role.ADMINISTRATOR,
]


@pytest.fixture
def meetings(world, other_world):
    return MeetingFactory(region=world.region), MeetingFactory(region=other_world.region)


@pytest.mark.parametrize("role", TABLE)
def test_the_table_sees_the_meetings_of_its_own_region(world, meetings, role):
    ours, _theirs = meetings

    assert list(selectors.meeting_list(user=world.user(role))) == [ours]


@pytest.mark.parametrize("role", NOT_AT_THE_TABLE)
def test_everybody_else_sees_no_meetings(world, meetings, role):
    assert not selectors.meeting_list(user=world.user(role)).exists()


@pytest.mark.parametrize("role", TABLE)
def test_nobody_sees_a_meeting_of_another_region(world, other_world, meetings, role):
    _ours, theirs = meetings

    assert theirs not in selectors.meeting_list(user=world.user(role))
    with pytest.raises(Http404):
        selectors.meeting_get(user=world.user(role), public_id=theirs.public_id)


def test_the_overview_counts_the_items(world):
    meeting, items = meeting_in_session(world, items=3)
    decide(world, items[0], routes=[Route.POLICE_OM])

    listed = selectors.meeting_list(user=world.user(Role.AVIM)).get(pk=meeting.pk)

    assert (listed.item_count, listed.decided_count, listed.long_carried_count) == (3, 1, 0)


def test_a_guest_organisation_sees_only_the_item_it_was_invited_to(world):
    meeting = MeetingFactory(region=world.region)
    invited, _other = agenda_item(world, meeting), agenda_item(world, meeting)
    guest = guest_organisation(world)
    services.agenda_item_configure(
        item=invited,
        actor=world.user(Role.VT_STAFF),
        version=invited.version,
        data=ItemSettings(guest_organisation=guest),
    )

    guest_user = world.user(Role.PROCESS_DIRECTOR, organisation=guest)

    assert list(selectors.meeting_items(user=guest_user, meeting=meeting)) == [invited]
    assert not selectors.meeting_items(
        user=world.user(Role.MUNICIPAL_OFFICER), meeting=meeting
    ).exists()
    assert selectors.meeting_items(user=world.user(Role.AVIM), meeting=meeting).count() == 2


# --- query counts ----------------------------------------------------------------------------


def _busy_meeting(world, size):
    """A meeting in session where every item has input and a decision."""
    meeting, items = meeting_in_session(world, items=size)
    for item in items:
        services.partner_input_add(item=item, actor=world.user(Role.AVIM), text="Bekend.")
        decide(world, item, routes=[Route.POLICE_OM])
    return meeting


def _queries_to_show(world, meeting):
    with CaptureQueriesContext(connection) as queries:
        for item in selectors.meeting_items(user=world.user(Role.VT_STAFF), meeting=meeting):
            assert item.signal.municipality.name
            assert item.presenter.name
            assert [i.organisation.name for i in item.inputs.all()]
            assert [i.author.username for i in item.inputs.all()]
            assert [d.route for d in item.decisions.all()]
            assert [f.form for f in item.signal.exploitation_forms.all()]
            assert item.follow_up_owner.name
    return len(queries)


def test_meeting_mode_takes_as_many_queries_for_30_items_as_for_5(world, other_world):
    small = _queries_to_show(world, _busy_meeting(world, 5))
    large = _queries_to_show(other_world, _busy_meeting(other_world, 30))

    assert small == large


def _meeting_list_queries(user):
    with CaptureQueriesContext(connection) as queries:
        for meeting in selectors.meeting_list(user=user):
            assert meeting.item_count >= 0
            assert meeting.region_id
    return len(queries)


def test_the_meeting_list_takes_one_query_however_many_meetings(world, other_world):
    for _ in range(2):
        agenda_item(world, MeetingFactory(region=world.region))
    for _ in range(12):
        agenda_item(other_world, MeetingFactory(region=other_world.region))

    assert _meeting_list_queries(world.user(Role.VT_STAFF)) == 1
    assert _meeting_list_queries(other_world.user(Role.VT_STAFF)) == 1


def _to_route_queries(user):
    with CaptureQueriesContext(connection) as queries:
        for decision in selectors.decisions_to_route(user=user):
            assert decision.item.signal.reference
            assert decision.item.meeting.scheduled_for
            assert decision.item.follow_up_owner.name
    return len(queries)


def test_the_to_route_list_takes_one_query_however_many_decisions(world, other_world):
    for w, size in ((world, 2), (other_world, 10)):
        meeting, items = meeting_in_session(w, items=size)
        for item in items:
            decide(w, item, routes=[Route.POLICE_OM, Route.ADMINISTRATIVE])
        services.meeting_conclude(meeting=meeting, actor=w.user(Role.VT_STAFF))

    assert _to_route_queries(world.user(Role.VT_STAFF)) == 1
    assert _to_route_queries(other_world.user(Role.VT_STAFF)) == 1
