"""GET /api/v1/signals/: the register with filters, search and paging, in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from signals.api.pagination import KeysetPagination
from signals.tests.api_support import LIST_URL, api
from signals.tests.factories import make_signal, person_input, registered_signal, submitted_signal


@pytest.fixture
def officer(world):
    return world.user(Role.MUNICIPAL_OFFICER)


@pytest.fixture
def vt(world):
    return world.user(Role.VT_STAFF)


def ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_veilig_thuis_finds_mueller_searching_muller(officer, vt, login):
    mueller = submitted_signal(officer, persons=[person_input(name="Anna Müller")])
    submitted_signal(officer, persons=[person_input(name="Eva de Vries")])

    response = api(login, vt).get(LIST_URL, {"q": "muller"})

    assert ids(response) == [str(mueller.public_id)]


def test_it_filters_by_status_municipality_form_classification_and_acute(world, officer, vt, login):
    client = api(login, vt)
    elsewhere_officer = world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)
    registered = registered_signal(officer, vt, classification="suspected")
    submitted = submitted_signal(officer, is_acute=True)
    elsewhere = submitted_signal(elsewhere_officer, forms=["sexual"], labour_sector="")

    assert ids(client.get(LIST_URL, {"status": "registered"})) == [str(registered.public_id)]
    assert set(ids(client.get(LIST_URL, {"municipality": str(world.municipality.public_id)}))) == {
        str(registered.public_id),
        str(submitted.public_id),
    }
    assert ids(client.get(LIST_URL, {"form": "sexual"})) == [str(elsewhere.public_id)]
    assert ids(client.get(LIST_URL, {"classification": "suspected"})) == [str(registered.public_id)]
    assert ids(client.get(LIST_URL, {"is_acute": "true"})) == [str(submitted.public_id)]
    assert len(ids(client.get(LIST_URL, {"is_acute": "false"}))) == 2


def test_it_orders_by_reference(officer, vt, login):
    signals = [submitted_signal(officer) for _ in range(3)]

    response = api(login, vt).get(LIST_URL, {"ordering": "reference"})

    assert ids(response) == [str(s.public_id) for s in signals]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "unknown"}, "status"),
        ({"municipality": "00000000-0000-4000-8000-000000000000"}, "municipality"),
        ({"municipality": "7"}, "municipality"),
        ({"received_from": "gisteren"}, "received_from"),
        ({"ordering": "description"}, "ordering"),
        ({"is_acute": "misschien"}, "is_acute"),
    ],
)
def test_it_refuses_an_invalid_filter_with_400(vt, login, params, field):
    response = api(login, vt).get(LIST_URL, params)

    assert response.status_code == 400
    assert field in response.json()


def test_the_list_row_is_a_summary(officer, vt, login):
    submitted_signal(officer)

    row = api(login, vt).get(LIST_URL).json()["results"][0]

    assert row["is_overdue"] is False
    assert row["status"] == "submitted"
    assert "description" not in row
    assert "persons" not in row
    assert row["links"]["self"].startswith("http://testserver/api/v1/signals/")


def test_it_pages_the_list_by_keyset_without_a_count(officer, login, monkeypatch):
    for _ in range(3):
        make_signal(officer)
    monkeypatch.setattr(KeysetPagination, "page_size", 2)
    client = api(login, officer)

    first = client.get(LIST_URL).json()
    second = client.get(first["next"]).json()

    assert "count" not in first
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert len(second["results"]) == 1
    assert second["next"] is None
    back = client.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"q": "muller"})
    assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_signals(officer, vt, login):
    client = api(login, vt)
    for _ in range(5):
        submitted_signal(officer)
    client.get(LIST_URL)  # warm the session, permission and content type caches
    with_5 = _queries_for_list(client)
    for _ in range(25):
        submitted_signal(officer, forms=["labour", "sexual"])

    with_30 = _queries_for_list(client)

    assert len(api(login, vt).get(LIST_URL).json()["results"]) == 30
    assert with_30 == with_5
