"""The session rules hold in the API too, and deactivation ends every way in at the same moment.

``accounts/tests/test_sessions.py`` proves idle timeout and absolute lifetime for the pages,
``test_deactivation.py`` that deactivation ends sessions and tokens. This module adds what an
API client meets: a browser session used against the API after 30 idle minutes or 12 hours
answers 401 (not a redirect to an HTML login page), and at one frozen instant a deactivated
user loses its page session, its API session and all its tokens together.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from knox.models import AuthToken

from accounts import services
from accounts.roles import Role

START = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)
ME = "/api/v1/me/"


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user(world):
    return world.user(Role.VT_STAFF)


def test_an_idle_session_is_refused_by_the_api(login, user, frozen):
    client = login(user)
    assert client.get(ME).status_code == 200

    frozen.shift(timedelta(minutes=31))
    response = client.get(ME)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_a_session_past_twelve_hours_is_refused_by_the_api(login, user, frozen):
    client = login(user)
    for _ in range(36):  # a request every 20 minutes: never idle
        frozen.shift(timedelta(minutes=20))
        assert client.get(ME).status_code == 200

    frozen.shift(timedelta(seconds=1))
    response = client.get(ME)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Uw sessie is verlopen. Log opnieuw in."}
    # The session is over for the pages as well.
    assert client.get("/").status_code == 302


def test_deactivation_ends_pages_api_and_tokens_at_the_same_instant(login, user, frozen):
    pages = login(user)
    api_session = login(user, Client())
    keys = [services.api_token_issue(user=user)[1] for _ in range(2)]
    tokens = [Client(headers={"Authorization": f"Token {key}"}) for key in keys]
    assert pages.get("/").status_code == 200
    assert api_session.get(ME).status_code == 200
    assert all(t.get(ME).status_code == 200 for t in tokens)

    services.user_deactivate(user=user, actor=None)
    # No time passes: not a second of grace.

    assert pages.get("/").status_code == 302
    assert api_session.get(ME).status_code == 401
    assert [t.get(ME).status_code for t in tokens] == [401, 401]
    assert not AuthToken.objects.filter(user=user).exists()
