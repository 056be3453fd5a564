"""Who reaches which signal through the API: another organisation's signal answers 404.

The order is fixed: not logged in → 401; not visible → 404 (before any permission check, so
a foreign id answers the same as one that does not exist); visible but not allowed → 403.
"""

import uuid

import pytest
from django.test import Client

from accounts.roles import Role
from accounts.services import api_token_issue
from signals.models import Signal
from signals.tests.api_support import (
    LIST_URL,
    JsonClient,
    action_url,
    api,
    detail_url,
    signal_body,
)
from signals.tests.factories import make_signal, reload, submitted_signal

STEP_BODIES = {
    "submit": {"version": 1},
    "register": {"version": 1, "preliminary_classification": "potential"},
    "mark-acute": {"version": 1},
    "close-internally": {"version": 1, "reason": "Intern afgehandeld."},
    "acute-consultation": {
        "version": 1,
        "consulted_at": "2026-11-01T10:00:00+01:00",
        "organisations": [],
        "decision": "x",
        "shelter_needed": False,
    },
}


@pytest.fixture
def heerlen(world):
    return world.user(Role.MUNICIPAL_OFFICER)


@pytest.fixture
def maastricht(world):
    return world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)


@pytest.fixture
def foreign(heerlen):
    """A draft of Heerlen: Maastricht must not reach it in any way."""
    return make_signal(heerlen)


def requests_on(signal, world):
    yield "retrieve", "get", detail_url(signal), None
    yield "update", "put", detail_url(signal), signal_body(world.other_municipality, version=1)
    yield "persons", "get", action_url(signal, "persons"), None
    yield "notes", "get", action_url(signal, "notes"), None
    yield "note_add", "post", action_url(signal, "notes"), {"text": "Wij weten meer."}
    for name, body in STEP_BODIES.items():
        yield name, "post", action_url(signal, name), body


def send(client: JsonClient, method: str, url: str, body):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body)


def test_the_officer_of_another_municipality_gets_404_everywhere(world, maastricht, foreign, login):
    client = api(login, maastricht)
    version = reload(foreign).version

    answers = {
        name: send(client, method, url, body).status_code
        for name, method, url, body in requests_on(foreign, world)
    }

    assert answers == {name: 404 for name in answers}
    assert reload(foreign).version == version
    assert reload(foreign).status == "draft"


def test_a_foreign_id_answers_like_an_unknown_one(world, maastricht, foreign, login):
    client = api(login, maastricht)
    unknown = uuid.uuid4()

    foreign_answer = client.get(detail_url(foreign))
    unknown_answer = client.get(detail_url(unknown))

    assert foreign_answer.status_code == unknown_answer.status_code == 404
    assert foreign_answer.json() == unknown_answer.json()


def test_a_foreign_id_never_appears_in_the_list_or_a_search(world, heerlen, maastricht, login):
    submitted_signal(heerlen)
    own = make_signal(maastricht)
    client = api(login, maastricht)

    listed = client.get(LIST_URL).json()
    searched = client.get(LIST_URL, {"q": "muller"}).json()

    assert [row["id"] for row in listed["results"]] == [str(own.public_id)]
    assert [row["id"] for row in searched["results"]] == [str(own.public_id)]


def test_veilig_thuis_of_another_region_gets_404(world, other_world, heerlen, login):
    signal = submitted_signal(heerlen)
    outsider = other_world.user(Role.VT_STAFF)
    client = api(login, outsider)

    assert client.get(detail_url(signal)).status_code == 404
    assert client.get(LIST_URL).json()["results"] == []
    response = client.post(
        action_url(signal, "register"),
        {"version": signal.version, "preliminary_classification": "potential"},
    )
    assert response.status_code == 404
    assert reload(signal).status == "submitted"


def test_veilig_thuis_does_not_see_a_municipality_draft(world, heerlen, login):
    draft = make_signal(heerlen)

    response = api(login, world.user(Role.VT_STAFF)).get(detail_url(draft))

    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.POLICY_ANALYST, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER])
def test_roles_without_signal_work_see_nothing(world, heerlen, login, role):
    signal = submitted_signal(heerlen)
    client = api(login, world.user(role))

    assert client.get(LIST_URL).status_code == 403
    assert client.get(detail_url(signal)).status_code == 404
    assert client.post(LIST_URL, signal_body(world.municipality)).status_code == 403
    assert Signal.objects.count() == 1


def test_it_answers_401_without_login(heerlen, foreign):
    client = JsonClient(Client())

    assert client.get(LIST_URL).status_code == 401
    assert client.get(detail_url(foreign)).status_code == 401
    assert client.post(action_url(foreign, "submit"), {"version": 1}).status_code == 401
    assert reload(foreign).status == "draft"


def test_it_answers_404_for_an_id_that_is_not_a_uuid(heerlen, login):
    response = api(login, heerlen).get(f"{LIST_URL}12/")

    assert response.status_code == 404


def test_a_session_needs_the_csrf_token_for_changes(heerlen, foreign, login):
    client = login(heerlen)
    client.handler.enforce_csrf_checks = True

    response = client.post(
        action_url(foreign, "submit"), {"version": 1}, content_type="application/json"
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert reload(foreign).status == "draft"


def test_a_token_authenticates_the_signals_api_without_csrf(world, heerlen, foreign):
    _, key = api_token_issue(user=heerlen)
    client = JsonClient(Client(HTTP_AUTHORIZATION=f"Token {key}", enforce_csrf_checks=True))

    listed = client.get(LIST_URL)
    retrieved = client.get(detail_url(foreign))
    submitted = client.post(action_url(foreign, "submit"), {"version": 1})

    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [str(foreign.public_id)]
    assert retrieved.status_code == 200
    assert submitted.status_code == 200, submitted.json()
    assert reload(foreign).status == "submitted"


def test_a_token_of_another_municipality_gets_404(world, maastricht, foreign):
    _, key = api_token_issue(user=maastricht)
    client = JsonClient(Client(HTTP_AUTHORIZATION=f"Token {key}"))

    assert client.get(detail_url(foreign)).status_code == 404
