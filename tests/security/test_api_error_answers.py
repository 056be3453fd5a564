"""Odd requests to the API get JSON answers, never an HTML page or a server error.

Both were found by the fuzzer (``test_api_fuzz.py``): an id that is not a UUID does not
resolve and fell through to the HTML 404 page; a NUL character in the name of a query
parameter reached the access log, which PostgreSQL cannot store, so the list answered 500
and the read went unlogged.
"""

from __future__ import annotations

import pytest
from django.test import Client
from knox.models import AuthToken

from accounts.audit import SEARCH_PARAM_MAX_LENGTH, search_params
from accounts.models import AuditLogEntry
from accounts.roles import Role


@pytest.fixture
def api(world) -> Client:
    key = AuthToken.objects.create(world.user(Role.VT_STAFF))[1]
    return Client(headers={"Authorization": f"Token {key}"})


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/signals/niet-een-uuid/",
        "/api/v1/screening/meetings/e/close-agenda/",
        "/api/v1/bestaat-niet/",
    ],
)
def test_an_unknown_api_url_answers_json_404(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Niet gevonden."}


def test_an_unknown_page_still_answers_the_dutch_html_404(world, login):
    response = login(world.user(Role.VT_STAFF)).get("/bestaat-niet/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_nul_in_a_query_parameter_name_is_logged_not_a_server_error(api):
    response = api.get("/api/v1/signals/", {"q\x00x": "1", "status": "draft"})

    assert response.status_code in (200, 400)
    entry = AuditLogEntry.objects.filter(action=AuditLogEntry.Action.ACCESS).latest("pk")
    names = entry.additional_data.get("query_params", [])
    assert "q\ufffdx" in names
    assert not any("\x00" in name for name in names)


def test_a_parameter_name_is_cut_to_a_bounded_length():
    names = search_params({"x" * 5000: "1"})

    assert [len(n) for n in names] == [SEARCH_PARAM_MAX_LENGTH]


def test_an_overlong_cursor_is_refused_before_it_is_decoded(api):
    response = api.get("/api/v1/signals/", {"cursor": "A" * 5000})

    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.parametrize("nationality", ["³²", "١٢", "X", "RO1"])
def test_a_nationality_that_is_not_two_letters_is_refused(world, nationality):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    key = AuthToken.objects.create(officer)[1]
    body = {
        "source": "municipality_internal",
        "municipality": str(world.municipality.public_id),
        "received_at": "2026-11-02",
        "description": "Vier vrouwen wonen boven een nagelstudio.",
        "forms": ["labour"],
        "persons": [{"role": "possible_victim", "name": "Anna", "nationality": nationality}],
    }

    response = Client(headers={"Authorization": f"Token {key}"}).post(
        "/api/v1/signals/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "nationality" in str(response.json())
