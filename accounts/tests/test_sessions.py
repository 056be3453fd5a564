"""Sessions: 30 minutes idle, 12 hours at most, "log out everywhere", a new id at login."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import TOTPDeviceFactory
from accounts.tests.login_steps import (
    FAST_HASHERS,
    code_for,
    code_step,
    logged_in_user_id,
    message_texts,
    password_step,
    user_with_password,
)

START = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)
HOME = "/"
LOGIN_AGAIN = f"/inloggen/?next={HOME}"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user(world):
    return world.user(Role.VT_STAFF)


def session_row(client: Client) -> Session | None:
    return Session.objects.filter(session_key=client.session.session_key).first()


def test_it_uses_a_thirty_minute_idle_timeout_renewed_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * 60 * 60


def test_it_ends_a_session_idle_for_thirty_one_minutes(login, user, frozen):
    client = login(user)
    assert client.get(HOME).status_code == 200

    frozen.shift(timedelta(minutes=31))
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == LOGIN_AGAIN
    assert response.wsgi_request.user.is_anonymous
    assert client.get(HOME).status_code == 302


def test_it_keeps_an_active_session_beyond_thirty_minutes(login, user, frozen):
    client = login(user)

    for _ in range(4):  # 4 x 29 minutes, each request renews the idle timeout
        frozen.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200

    row = session_row(client)
    assert row.expire_date == START + timedelta(minutes=4 * 29) + timedelta(minutes=30)


def stay_active(client: Client, frozen, duration: timedelta) -> None:
    """A request every 20 minutes (within the idle timeout) for ``duration``."""
    elapsed = timedelta()
    while elapsed + timedelta(minutes=20) <= duration:
        frozen.shift(timedelta(minutes=20))
        elapsed += timedelta(minutes=20)
        assert client.get(HOME).status_code == 200, elapsed
    assert elapsed == duration


def test_it_ends_a_session_after_twelve_hours_even_when_active(login, user, frozen):
    client = login(user)
    stay_active(client, frozen, timedelta(hours=12))

    frozen.shift(timedelta(seconds=1))
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == LOGIN_AGAIN
    assert "Uw sessie is verlopen. Log opnieuw in." in message_texts(response)
    assert logged_in_user_id(client) is None
    assert client.get(HOME).status_code == 302


def test_it_shows_the_end_of_session_message_on_the_login_page(login, user, frozen):
    client = login(user)
    stay_active(client, frozen, timedelta(hours=12))
    frozen.shift(timedelta(seconds=1))

    page = client.get(HOME, follow=True)

    assert page.redirect_chain == [(LOGIN_AGAIN, 302)]
    assert page.status_code == 200
    assert "Uw sessie is verlopen. Log opnieuw in." in page.content.decode()


def test_it_ends_the_other_sessions_of_the_user_on_log_out_everywhere(login, world, user):
    laptop = login(user)
    phone = login(user, Client())
    colleague = login(world.user(Role.VT_OFFICER))
    assert phone.get(HOME).status_code == 200

    response = laptop.post(reverse("accounts:logout_everywhere"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    ended = phone.get(HOME)
    assert ended.status_code == 302
    assert ended["Location"] == LOGIN_AGAIN
    assert "U bent overal uitgelogd. Log opnieuw in." in message_texts(ended)
    assert logged_in_user_id(phone) is None
    assert logged_in_user_id(laptop) is None
    assert laptop.get(HOME).status_code == 302
    # Another user's session is untouched.
    assert colleague.get(HOME).status_code == 200


def test_it_lets_the_user_log_in_again_after_log_out_everywhere(login, user, frozen):
    laptop = login(user)
    laptop.post(reverse("accounts:logout_everywhere"))

    frozen.shift(timedelta(seconds=1))
    again = login(user, Client())

    assert again.get(HOME).status_code == 200


def test_it_does_not_log_out_everywhere_on_get(login, user):
    laptop = login(user)
    phone = login(user, Client())

    response = laptop.get(reverse("accounts:logout_everywhere"))

    assert response.status_code == 405
    user.refresh_from_db()
    assert user.sessions_revoked_at is None
    assert phone.get(HOME).status_code == 200


def test_it_does_not_log_out_on_get(login, user):
    client = login(user)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(user.pk)
    assert client.get(HOME).status_code == 200


def test_it_logs_out_on_post(login, user):
    client = login(user)
    old_key = client.session.session_key

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert logged_in_user_id(client) is None
    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.get(HOME).status_code == 302


def test_it_refuses_log_out_without_a_csrf_token(login, user):
    client = login(user, Client(enforce_csrf_checks=True))

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    assert client.get(HOME).status_code == 200


def test_it_gives_a_new_session_id_at_each_login_step(world, frozen):
    person = user_with_password(world.orgs["veilig_thuis"])
    device = TOTPDeviceFactory(user=person)
    client = Client()
    # A session id planted before the login (session fixation).
    planted = client.session.session_key
    assert Session.objects.filter(session_key=planted).exists()

    password_step(client)
    after_password = client.session.session_key
    code_step(client, code_for(device))
    after_code = client.session.session_key

    assert len({planted, after_password, after_code}) == 3
    assert logged_in_user_id(client) == str(person.pk)
    assert not Session.objects.filter(session_key__in=[planted, after_password]).exists()
    # The planted id does not give access.
    intruder = Client()
    intruder.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert intruder.get(HOME).status_code == 302
