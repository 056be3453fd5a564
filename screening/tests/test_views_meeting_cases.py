"""A concluded meeting's page links each item to the case the hand-off opened or joined.

Only for a viewer who may see that case (the cases' own visibility filter): Veilig Thuis sees
every case of the region, the lead organisation its own, the other table members none.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from cases.models import Case
from cases.tests.factories import make_case
from referrals.routes import Route
from screening import handoff, services
from screening.models import Meeting
from screening.tests.factories import MeetingFactory, agenda_item, decide
from signals.models import PersonRole, SignalPerson

pytestmark = pytest.mark.django_db


def concluded_meeting(world, *, items: int = 1, routes=(Route.CARE_COORDINATOR,)) -> Meeting:
    """A concluded meeting whose ``items`` items each went to a new case led by the ZVH."""
    meeting = MeetingFactory(region=world.region)
    agenda = [agenda_item(world, meeting) for _ in range(items)]
    vt = world.user(Role.VT_STAFF)
    services.meeting_start(meeting=meeting, actor=vt)
    for item in agenda:
        decide(world, item, routes=list(routes))
    return services.meeting_conclude(meeting=meeting, actor=vt)


def page(client, meeting: Meeting) -> str:
    response = client.get(reverse("screening:detail", args=[meeting.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def case_links(html: str) -> list[str]:
    return re.findall(r'<a href="/casussen/([0-9a-f-]{36})/">Casus ([^<]+)</a>', html)


def test_it_links_veilig_thuis_to_the_case_the_hand_off_opened(world, login):
    meeting = concluded_meeting(world)
    case = Case.objects.get()

    html = page(login(world.user(Role.VT_STAFF)), meeting)

    assert case_links(html) == [(str(case.public_id), case.reference)]
    assert "Doorgeleid naar" in html


def test_it_links_the_lead_organisation_to_the_case_it_leads(world, login):
    meeting = concluded_meeting(world)
    case = Case.objects.get()
    assert case.lead_organisation == world.orgs[Organisation.Kind.ZVH]

    html = page(login(world.user(Role.CARE_COORDINATOR)), meeting)

    assert case_links(html) == [(str(case.public_id), case.reference)]


def test_it_shows_no_case_to_a_table_member_who_may_not_see_it(world, login):
    meeting = concluded_meeting(world)
    case = Case.objects.get()

    html = page(login(world.user(Role.AVIM)), meeting)

    assert case_links(html) == []
    assert case.reference not in html
    assert "Doorgeleid naar" not in html


def test_an_item_with_two_routes_to_one_case_lists_it_once(world, login):
    world.user(Role.CARE_COORDINATOR)
    meeting = concluded_meeting(world, routes=(Route.CARE_COORDINATOR, Route.ZVH_WEIGHING))
    case = Case.objects.get()
    assert case.route_decisions.count() == 2

    html = page(login(world.user(Role.VT_STAFF)), meeting)

    assert case_links(html) == [(str(case.public_id), case.reference)]


def test_it_links_the_case_a_waiting_decision_joined_once_it_is_routed(world, login):
    existing = make_case(world)
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)
    SignalPerson.objects.create(
        signal=item.signal, person=existing.persons.get(), role=PersonRole.POSSIBLE_VICTIM
    )
    vt = world.user(Role.VT_STAFF)
    services.meeting_start(meeting=meeting, actor=vt)
    decide(world, item, routes=[Route.PRESENTER_FOLLOWS_UP])
    services.meeting_conclude(meeting=meeting, actor=vt)
    client = login(vt)

    assert case_links(page(client, meeting)) == []  # Veilig Thuis must still choose

    handoff.decision_route(item=item, actor=vt, case=existing)

    assert case_links(page(client, meeting)) == [(str(existing.public_id), existing.reference)]


def test_a_meeting_in_session_links_no_case(world, login):
    meeting = MeetingFactory(region=world.region)
    agenda_item(world, meeting)
    vt = world.user(Role.VT_STAFF)
    services.meeting_start(meeting=meeting, actor=vt)

    assert case_links(page(login(vt), meeting)) == []


def test_the_access_entry_names_the_cases_shown(world, login):
    meeting = concluded_meeting(world)
    case = Case.objects.get()

    page(login(world.user(Role.VT_STAFF)), meeting)

    entry = AuditLogEntry.objects.filter(action=AuditLogEntry.Action.ACCESS).latest("pk")
    assert entry.additional_data["case_ids"] == [str(case.public_id)]


def queries_for(client, meeting: Meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client, meeting)
    return len(queries)


def test_the_links_cost_the_same_queries_for_6_items_as_for_1(world, login):
    world.user(Role.CARE_COORDINATOR)
    small = concluded_meeting(world, items=1)
    large = concluded_meeting(world, items=6)
    client = login(world.user(Role.VT_STAFF))
    page(client, small)  # warm the caches (content types, session)

    counted = queries_for(client, small)

    assert queries_for(client, large) == counted
    assert len(case_links(page(client, large))) == 6
