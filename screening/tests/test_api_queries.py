"""The meeting's detail and the list take a constant number of queries, whatever their size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from screening import services
from screening.models import PartnerInput
from screening.tests.factories import MeetingFactory, agenda_item, decide
from screening.tests.test_api_support import LIST_URL, meeting_url
from signals.tests.api_support import api


def meeting_with(world, size: int):
    """A started meeting of ``size`` items, each with partner input and a decision."""
    meeting = MeetingFactory(region=world.region)
    items = [agenda_item(world, meeting) for _ in range(size)]
    services.meeting_start(meeting=meeting, actor=world.user(Role.VT_STAFF))
    avim = world.user(Role.AVIM)
    for item in items:
        PartnerInput.objects.create(
            item=item, organisation=avim.organisation, author=avim, text="Bekend."
        )
        decide(world, item, routes=["police_om", "care_coordinator"])
    return meeting


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_detail_takes_as_many_queries_for_30_items_as_for_5(world, login):
    client = api(login, world.user(Role.VT_STAFF))
    small, large = meeting_with(world, 5), meeting_with(world, 30)
    client.get(meeting_url(small))  # warm the caches (content types, session)

    counted = queries_for(client, meeting_url(small))

    assert queries_for(client, meeting_url(large)) == counted
    assert len(client.get(meeting_url(large)).json()["items"]) == 30


def test_the_list_takes_as_many_queries_for_6_meetings_as_for_2(world, login):
    client = api(login, world.user(Role.VT_STAFF))
    for _ in range(2):
        MeetingFactory(region=world.region)
    client.get(LIST_URL)
    counted = queries_for(client, LIST_URL)

    for _ in range(4):
        meeting = MeetingFactory(region=world.region)
        agenda_item(world, meeting)

    assert queries_for(client, LIST_URL) == counted
