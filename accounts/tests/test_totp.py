"""The second login step: TOTP codes and backup codes are single-use, and it cannot be skipped."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken

from accounts import services
from accounts.roles import Role
from accounts.tests.factories import TOTPDeviceFactory
from accounts.tests.login_steps import (
    FAST_HASHERS,
    PASSWORD,
    REPLAY_REFUSED,
    code_for,
    code_step,
    is_logged_in,
    logged_in_user_id,
    logout,
    message_texts,
    password_step,
    user_with_password,
)

# Ten seconds into a 30-second TOTP step, so every code below stays in its own window.
START = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def user(world):
    # The privacy officer may read the audit log: a page that really opens after a full login.
    return user_with_password(world.orgs["veilig_thuis"], role=Role.PRIVACY_OFFICER)


@pytest.fixture
def device(user):
    return TOTPDeviceFactory(user=user)


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_it_logs_in_with_the_current_code(client, user, device, frozen):
    password_step(client)
    response = code_step(client, code_for(device))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert logged_in_user_id(client) == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert is_logged_in(client)


def test_it_refuses_the_same_code_a_second_time(client, user, device, frozen):
    code = code_for(device)
    password_step(client)
    assert code_step(client, code).status_code == 302
    assert logout(client).status_code == 302
    assert logged_in_user_id(client) is None

    password_step(client)
    # The code is still the one the app shows: only its earlier use makes it wrong.
    assert code_for(device) == code
    response = code_step(client, code)

    assert response.status_code == 200
    assert REPLAY_REFUSED in response.content.decode()
    assert logged_in_user_id(client) is None
    assert not is_logged_in(client)


def test_it_accepts_the_next_code_after_a_used_one(client, user, device, frozen):
    password_step(client)
    code_step(client, code_for(device))
    logout(client)

    frozen.shift(timedelta(seconds=30))
    password_step(client)
    response = code_step(client, code_for(device))

    assert response.status_code == 302
    assert is_logged_in(client)


def test_it_accepts_a_backup_code_exactly_once(client, user, device, frozen):
    codes = services.backup_codes_regenerate(user=user)
    assert len(codes) == settings.BACKUP_CODE_COUNT

    password_step(client)
    assert code_step(client, codes[0]).status_code == 302
    assert is_logged_in(client)
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert StaticToken.objects.filter(device__user=user).count() == len(codes) - 1
    logout(client)

    password_step(client)
    response = code_step(client, codes[0])
    assert response.status_code == 200
    assert REPLAY_REFUSED in response.content.decode()
    assert not is_logged_in(client)

    # A wrong code throttles the devices for a second (django-otp); then the next code works.
    frozen.shift(timedelta(seconds=2))
    assert code_step(client, codes[1]).status_code == 302
    assert is_logged_in(client)


def test_it_accepts_a_backup_code_with_spaces(client, user, device, frozen):
    codes = services.backup_codes_regenerate(user=user)
    password_step(client)

    response = code_step(client, f" {codes[3][:5]} {codes[3][5:]} ")

    assert response.status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize("path", ["/", "/account/", "/auditlog/"])
def test_it_does_not_open_pages_after_only_the_password(client, user, device, path):
    password_step(client)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={path}"
    assert logged_in_user_id(client) is None


def test_it_does_not_open_the_api_after_only_the_password(client, user, device):
    password_step(client)

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert user.username not in response.content.decode()


def test_it_opens_the_same_pages_once_the_code_is_given(client, user, device, frozen):
    """The control for the tests above: the pages do open for this user after both steps."""
    password_step(client)
    code_step(client, code_for(device))

    for path in ["/", "/account/", "/auditlog/"]:
        assert client.get(path).status_code == 200, path
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == user.username


def test_it_ends_a_session_without_a_verified_second_factor(user, device):
    """A password-only login (e.g. the admin form or a forged session) is no login."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/account/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/account/"
    assert logged_in_user_id(client) is None
    assert client.get("/api/v1/me/").status_code == 401


def test_it_expires_the_pending_second_factor_step(client, user, device, frozen):
    password_step(client)
    frozen.shift(timedelta(seconds=settings.LOGIN_SECOND_FACTOR_TIMEOUT + 1))

    response = code_step(client, code_for(device))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "Uw inlogpoging is verlopen. Begin opnieuw." in message_texts(response)
    assert logged_in_user_id(client) is None
    assert not is_logged_in(client)


def test_it_accepts_the_code_just_before_the_pending_step_expires(client, user, device, frozen):
    password_step(client)
    frozen.shift(timedelta(seconds=settings.LOGIN_SECOND_FACTOR_TIMEOUT - 1))

    response = code_step(client, code_for(device))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert is_logged_in(client)


def test_it_sends_an_expired_pending_step_to_the_login_page_on_get(client, user, device, frozen):
    password_step(client)
    frozen.shift(timedelta(seconds=settings.LOGIN_SECOND_FACTOR_TIMEOUT + 1))

    response = client.get(reverse("accounts:verify"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_it_does_not_show_the_code_step_without_a_password_step(client, user, device):
    response = client.get(reverse("accounts:verify"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_it_refuses_the_code_of_a_deactivated_user(client, user, device, frozen):
    password_step(client)
    services.user_deactivate(user=user, actor=None)

    response = code_step(client, code_for(device))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert logged_in_user_id(client) is None


def test_it_keeps_a_safe_next_address(client, user, device, frozen):
    client.post(
        f"{reverse('accounts:login')}?next=/account/", {"username": "anna", "password": PASSWORD}
    )
    response = code_step(client, code_for(device))

    assert response["Location"] == "/account/"


def test_it_ignores_a_next_address_on_another_site(client, user, device, frozen):
    client.post(
        f"{reverse('accounts:login')}?next=https://evil.example/",
        {"username": "anna", "password": PASSWORD},
    )
    response = code_step(client, code_for(device))

    assert response["Location"] == reverse("accounts:home")
