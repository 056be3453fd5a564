"""Who reaches which meeting through the API: the table of the region, nobody else.

The order is the signals API's: not logged in → 401; not visible → 404 (another region's
meeting, any meeting for a municipal officer: the same answer as an unknown id); visible but
not allowed → 403. The list is refused (403) to roles without ``screening.view_meeting``,
as the signals list is to roles without ``signals.view_signal``.
"""

import uuid

import pytest
from django.test import Client

from accounts.models import Organisation
from accounts.roles import Role
from accounts.services import api_token_issue
from screening import services
from screening.tests.factories import MeetingFactory, agenda_item, meeting_in_session
from screening.tests.test_api_support import LIST_URL, item_url, meeting_url, snapshot
from signals.tests.api_support import JsonClient, api


def requests_on(meeting, item):
    """Every route on one meeting, with a body its input serializer would accept."""
    yield "retrieve", "get", meeting_url(meeting), None
    yield "close-agenda", "post", meeting_url(meeting, "close-agenda"), None
    yield "start", "post", meeting_url(meeting, "start"), None
    yield "conclude", "post", meeting_url(meeting, "conclude"), None
    yield "add", "post", meeting_url(meeting, "items"), {"signal": str(item.signal.public_id)}
    yield "remove", "delete", item_url(item), None
    yield "accept", "post", item_url(item, "accept"), None
    yield "move", "post", item_url(item, "move"), {"direction": "up"}
    yield "input", "post", item_url(item, "input"), {"text": "Wij weten meer."}
    yield "classify", "post", item_url(item, "classify"), {"kind": "final", "value": "none"}
    yield "decide", "post", item_url(item, "decide"), {"version": 1, "routes": ["none"]}
    yield "carry-over", "post", item_url(item, "carry-over"), {"version": 1}


def answers_on(client: JsonClient, meeting, item) -> dict[str, int]:
    answers = {}
    for name, method, url, body in requests_on(meeting, item):
        if method in ("get", "delete"):
            answers[name] = getattr(client, method)(url).status_code
        else:
            answers[name] = client.post(url, body).status_code
    return answers


def test_veilig_thuis_of_another_region_gets_404_everywhere(world, other_world, login):
    meeting, (item,) = meeting_in_session(world)
    client = api(login, other_world.user(Role.VT_OFFICER))
    before = snapshot(meeting)

    answers = answers_on(client, meeting, item)

    assert answers == dict.fromkeys(answers, 404)
    assert client.get(LIST_URL).json()["results"] == []
    assert snapshot(meeting) == before


def test_a_municipal_officer_sees_no_meeting_at_all(world, login):
    meeting, (item,) = meeting_in_session(world)
    client = api(login, world.user(Role.MUNICIPAL_OFFICER))  # the sender of the item's signal
    before = snapshot(meeting)

    answers = answers_on(client, meeting, item)

    assert answers == dict.fromkeys(answers, 404)
    assert client.get(LIST_URL).status_code == 403
    assert snapshot(meeting) == before


@pytest.mark.parametrize("role", [Role.POLICY_ANALYST, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR])
def test_roles_without_table_work_see_nothing(world, login, role):
    meeting = MeetingFactory(region=world.region)
    client = api(login, world.user(role))

    assert client.get(LIST_URL).status_code == 403
    assert client.get(meeting_url(meeting)).status_code == 404


def test_a_guest_organisation_works_through_the_meeting_page_not_the_api(world, login):
    """The selector shows an invited guest its meeting, so the API says 403 (not 404)."""
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)
    services.agenda_item_configure(
        item=item,
        actor=world.user(Role.VT_STAFF),
        version=item.version,
        data=services.ItemSettings(guest_organisation=world.orgs[Organisation.Kind.RIEC]),
    )
    client = api(login, world.user(Role.CHAIN_DIRECTOR))

    assert client.get(meeting_url(meeting)).status_code == 403
    assert client.get(LIST_URL).status_code == 403


def test_a_foreign_id_answers_like_an_unknown_one(world, other_world, login):
    meeting = MeetingFactory(region=world.region)
    client = api(login, other_world.user(Role.VT_STAFF))

    foreign = client.get(meeting_url(meeting))
    unknown = client.get(meeting_url(uuid.uuid4()))

    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()


def test_an_item_of_another_meeting_answers_404(world, login):
    meeting, (item,) = meeting_in_session(world)
    elsewhere = MeetingFactory(region=world.region)
    client = api(login, world.user(Role.VT_STAFF))

    response = client.post(item_url(item, "carry-over", meeting=elsewhere), {"version": 1})

    assert response.status_code == 404


def test_it_answers_401_without_login(world):
    meeting, (item,) = meeting_in_session(world)
    client = JsonClient(Client())
    before = snapshot(meeting)

    assert client.get(LIST_URL).status_code == 401
    assert client.get(meeting_url(meeting)).status_code == 401
    assert client.post(meeting_url(meeting, "conclude")).status_code == 401
    assert client.delete(item_url(item)).status_code == 401
    assert snapshot(meeting) == before


def test_it_offers_no_create_update_or_delete_of_a_meeting(world, login):
    meeting = MeetingFactory(region=world.region)
    client = api(login, world.user(Role.VT_STAFF))

    assert client.post(LIST_URL, {}).status_code == 405
    assert client.put(meeting_url(meeting), {}).status_code == 405
    assert client.patch(meeting_url(meeting), {}).status_code == 405
    assert client.delete(meeting_url(meeting)).status_code == 405


def test_a_token_reaches_the_meetings_of_its_region(world):
    meeting = MeetingFactory(region=world.region)
    _, key = api_token_issue(user=world.user(Role.VT_STAFF))
    client = JsonClient(Client(HTTP_AUTHORIZATION=f"Token {key}", enforce_csrf_checks=True))

    assert client.get(meeting_url(meeting)).status_code == 200
    assert client.post(meeting_url(meeting, "close-agenda")).status_code == 200
