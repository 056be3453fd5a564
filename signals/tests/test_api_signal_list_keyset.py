"""The API list pages by keyset: every row once, in the list's order, for every ordering."""

import base64

import pytest

from accounts.roles import Role
from signals.api.pagination import KeysetPagination
from signals.selectors import ORDERINGS, SignalFilters, signal_list
from signals.tests.api_support import LIST_URL, api, walk_pages
from signals.tests.factories import make_signal, registered_signal, submitted_signal


@pytest.fixture
def mixed(world):
    """Drafts (no submission time, no reference), submitted and registered signals."""
    officer = world.user(Role.MUNICIPAL_OFFICER)
    vt = world.user(Role.VT_STAFF)
    for _ in range(2):
        make_signal(officer)
    for _ in range(3):
        submitted_signal(officer)
    for _ in range(2):
        registered_signal(officer, vt)
    return officer


@pytest.mark.parametrize("ordering", list(ORDERINGS))
def test_it_returns_every_row_once_in_order_forwards_and_back(mixed, login, monkeypatch, ordering):
    monkeypatch.setattr(KeysetPagination, "page_size", 2)
    client = api(login, mixed)
    expected = [
        str(s.public_id) for s in signal_list(user=mixed, filters=SignalFilters(ordering=ordering))
    ]

    forwards, last_page = walk_pages(client, LIST_URL, {"ordering": ordering})
    assert forwards == expected
    assert len(expected) == 7

    # From the last page back to the first through the previous links.
    backwards = list(last_page["results"])
    response = client.get(last_page["previous"])
    while True:
        body = response.json()
        backwards = body["results"] + backwards
        if not body["previous"]:
            break
        response = client.get(body["previous"])
    assert [row["id"] for row in backwards] == expected


def test_it_keeps_the_filters_in_the_next_link(mixed, login, monkeypatch):
    monkeypatch.setattr(KeysetPagination, "page_size", 1)
    client = api(login, mixed)
    ids, _ = walk_pages(client, LIST_URL, {"status": "submitted"})
    assert len(ids) == 3


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        base64.urlsafe_b64encode(b'{"r":0,"v":["x"]}').decode(),
        base64.urlsafe_b64encode(b'{"r":0,"v":["gisteren", "7"]}').decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        # Values a column cannot hold: past bigint, an unknown status, a NUL character.
        base64.urlsafe_b64encode(b'{"r":0,"v":["registered","99999999999999999999"]}').decode(),
        base64.urlsafe_b64encode(b'{"r":0,"v":["nonsense","7"]}').decode(),
        base64.urlsafe_b64encode(b'{"r":0,"v":["regis\\u0000tered","7"]}').decode(),
    ],
)
def test_it_refuses_a_forged_cursor_with_400(mixed, login, cursor):
    response = api(login, mixed).get(LIST_URL, {"ordering": "status", "cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_of_the_right_shape_is_accepted(mixed, login):
    cursor = base64.urlsafe_b64encode(b'{"r":0,"v":["registered","7"]}').decode()
    response = api(login, mixed).get(LIST_URL, {"ordering": "status", "cursor": cursor})
    assert response.status_code == 200


def test_the_schema_describes_the_cursor_and_the_links(world, login):
    client = login(world.user(Role.VT_STAFF))
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/signals/"]["get"]
    assert "cursor" in [p["name"] for p in operation["parameters"]]
    assert "page" not in [p["name"] for p in operation["parameters"]]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(page["properties"]) == {"next", "previous", "results"}
