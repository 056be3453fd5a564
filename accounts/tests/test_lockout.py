"""django-axes: wrong passwords and wrong codes lock one username+IP pair for 15 minutes.

Axes keeps its counts in the database (AccessAttempt, database handler): the ``db`` fixture
rolls them back after each test, so no test inherits another's failures.
"""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import TOTPDeviceFactory
from accounts.tests.login_steps import (
    FAST_HASHERS,
    LOCKED_OUT,
    PASSWORD,
    WRONG_PASSWORD,
    code_for,
    code_step,
    is_logged_in,
    logged_in_user_id,
    password_step,
    user_with_password,
    wrong_code_for,
)
from accounts.views.auth import PENDING_KEY

START = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)
HOME_IP = "192.0.2.10"
OTHER_IP = "198.51.100.20"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """Dozens of wrong passwords per module: Argon2 would cost a second per test. The
    lockout does not depend on the hasher (test_passwords.py proves Argon2 is used)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def user(world):
    return user_with_password(world.orgs["veilig_thuis"])


@pytest.fixture
def device(user):
    return TOTPDeviceFactory(user=user)


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def client_at(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def assert_locked_out(response) -> None:
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_OUT in html
    assert "15 minuten" in html


def fail_passwords(client: Client, times: int, username: str = "anna") -> list:
    return [password_step(client, username=username, password=WRONG_PASSWORD) for _ in range(times)]


def test_it_locks_username_and_address_together_in_the_database():
    """The database handler, so the db fixture isolates tests (no cache to clear)."""
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_it_locks_the_pair_after_five_wrong_passwords(user, device):
    client = client_at(HOME_IP)

    responses = fail_passwords(client, settings.AXES_FAILURE_LIMIT)

    for response in responses[:-1]:
        assert response.status_code == 200
        assert "Gebruikersnaam of wachtwoord is onjuist." in response.content.decode()
    assert_locked_out(responses[-1])
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("anna", HOME_IP)
    assert attempt.failures_since_start == 5


def test_it_refuses_the_right_password_while_locked(user, device):
    client = client_at(HOME_IP)
    fail_passwords(client, 5)

    response = password_step(client)

    assert_locked_out(response)
    assert PENDING_KEY not in client.session
    assert client.get(reverse("accounts:verify"))["Location"] == reverse("accounts:login")


def test_it_does_not_lock_four_wrong_passwords(user, device):
    client = client_at(HOME_IP)
    fail_passwords(client, 4)

    response = password_step(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")


def test_it_does_not_lock_the_same_username_from_another_address(user, device):
    fail_passwords(client_at(HOME_IP), 5)
    elsewhere = client_at(OTHER_IP)

    response = password_step(elsewhere)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    assert code_step(elsewhere, code_for(device)).status_code == 302
    assert is_logged_in(elsewhere)


def test_it_does_not_lock_another_username_from_the_same_address(world, user, device):
    colleague = user_with_password(world.orgs["veilig_thuis"], username="bram")
    colleague_device = TOTPDeviceFactory(user=colleague)
    fail_passwords(client_at(HOME_IP), 5)
    same_address = client_at(HOME_IP)

    response = password_step(same_address, username="bram")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    assert code_step(same_address, code_for(colleague_device)).status_code == 302
    assert logged_in_user_id(same_address) == str(colleague.pk)


def test_it_counts_wrong_codes_toward_the_lockout(user, device, frozen):
    client = client_at(HOME_IP)
    password_step(client)
    wrong = wrong_code_for(device)

    responses = [code_step(client, wrong) for _ in range(5)]

    for response in responses[:-1]:
        assert response.status_code == 200
        assert "Deze code is onjuist of al gebruikt." in response.content.decode()
    assert_locked_out(responses[-1])
    # The pending login is gone, and the right password does not start a new one.
    assert PENDING_KEY not in client.session
    assert_locked_out(password_step(client))
    assert logged_in_user_id(client) is None


def test_it_counts_wrong_passwords_and_wrong_codes_together(user, device, frozen):
    client = client_at(HOME_IP)
    fail_passwords(client, 3)
    assert password_step(client).status_code == 302
    wrong = wrong_code_for(device)

    assert code_step(client, wrong).status_code == 200
    response = code_step(client, wrong)

    assert_locked_out(response)
    assert AccessAttempt.objects.get(username="anna", ip_address=HOME_IP).failures_since_start == 5


def test_it_refuses_the_right_code_once_locked(user, device, frozen):
    client = client_at(HOME_IP)
    password_step(client)
    wrong = wrong_code_for(device)
    for _ in range(4):
        code_step(client, wrong)
    # A second client with the same address reached the code step before the lockout.
    other_tab = client_at(HOME_IP)
    password_step(other_tab)
    code_step(client, wrong)

    frozen.shift(timedelta(seconds=20))
    response = code_step(other_tab, code_for(device))

    assert_locked_out(response)
    assert logged_in_user_id(other_tab) is None


def test_it_lets_the_pair_in_again_after_fifteen_minutes(user, device, frozen):
    client = client_at(HOME_IP)
    fail_passwords(client, 5)

    frozen.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    response = password_step(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    assert code_step(client, code_for(device)).status_code == 302
    assert is_logged_in(client)


def test_it_restarts_the_fifteen_minutes_with_each_attempt_during_the_lockout(user, device, frozen):
    """Axes' default AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT: whoever keeps trying stays out."""
    client = client_at(HOME_IP)
    fail_passwords(client, 5)

    frozen.shift(settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert_locked_out(password_step(client))
    frozen.shift(timedelta(seconds=2))
    assert_locked_out(password_step(client))

    frozen.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")


def test_it_resets_the_count_after_a_full_login(user, device, frozen):
    client = client_at(HOME_IP)
    fail_passwords(client, 4)
    password_step(client)
    code_step(client, code_for(device))
    client.post(reverse("accounts:logout"))

    responses = fail_passwords(client, 4)

    assert all(r.status_code == 200 for r in responses)
    assert password_step(client).status_code == 302


def test_it_counts_wrong_enrolment_codes_toward_the_lockout(world):
    newcomer = user_with_password(world.orgs["veilig_thuis"], username="cor")
    client = client_at(HOME_IP)
    assert password_step(client, username="cor")["Location"] == reverse("accounts:enrol")
    client.get(reverse("accounts:enrol"))
    wrong = wrong_code_for(TOTPDevice.objects.get(user=newcomer))

    responses = [client.post(reverse("accounts:enrol"), {"code": wrong}) for _ in range(5)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert_locked_out(password_step(client, username="cor"))
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()


def test_it_locks_the_client_address_behind_the_proxy(user, device, settings, caplog):
    """Behind one proxy the address is the last X-Forwarded-For entry: the one the proxy
    wrote. Entries further left are the client's own and do not escape the lockout."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    attacker = Client(REMOTE_ADDR=proxy)
    for n in range(5):
        attacker.post(
            reverse("accounts:login"),
            {"username": "anna", "password": WRONG_PASSWORD},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {HOME_IP}",
        )

    with caplog.at_level(logging.WARNING, logger="meldroute.security"):
        locked = attacker.post(
            reverse("accounts:login"),
            {"username": "anna", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=f"203.0.113.99, {HOME_IP}",
        )
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=OTHER_IP)
    other = password_step(colleague)

    assert_locked_out(locked)
    assert AccessAttempt.objects.get().ip_address == HOME_IP
    assert f"login locked out ip={HOME_IP}" in caplog.text
    assert other.status_code == 302
    assert other["Location"] == reverse("accounts:verify")


@pytest.mark.django_db
def test_it_has_no_attempts_left_over_from_the_tests_above():
    """Runs last in this module: the lockouts above were rolled back with their test."""
    assert not AccessAttempt.objects.exists()
    assert password_step(client_at(HOME_IP)).status_code == 200  # no user "anna" here
