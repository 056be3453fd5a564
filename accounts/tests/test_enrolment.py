"""First login: a user without an authenticator links one through a QR code made on the server."""

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.login_steps import (
    FAST_HASHERS,
    code_for,
    is_logged_in,
    logged_in_user_id,
    logout,
    password_step,
    user_with_password,
    wrong_code_for,
)
from accounts.views import auth

START = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)
QR_SRC = re.compile(r'<img class="qr" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
BACKUP_CODE = re.compile(r"<li><code>([0-9a-f]{10})</code></li>")
WRONG_CODE_REFUSED = "Deze code klopt niet. Controleer de tijd op uw telefoon en probeer opnieuw."


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def user(world):
    return user_with_password(world.orgs["veilig_thuis"])


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def enrol(client, code: str):
    return client.post(reverse("accounts:enrol"), {"code": code})


def pending_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def test_it_sends_a_user_without_an_authenticator_to_enrolment(client, user):
    response = password_step(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:enrol")
    assert logged_in_user_id(client) is None


def test_it_shows_a_qr_code_and_the_secret(client, user):
    password_step(client)

    response = client.get(reverse("accounts:enrol"))

    assert response.status_code == 200
    html = response.content.decode()
    match = QR_SRC.search(html)
    assert match, "no <img> with a data:image/svg+xml QR code"
    svg = base64.b64decode(match.group(1)).decode()
    assert "<svg" in svg
    assert "<path" in svg
    device = pending_device(user)
    assert grouped_secret(device) in html
    # The QR code holds this device's otpauth:// URI (same rendering as the view's).
    assert "otpauth://totp/" in device.config_url
    assert f"base64,{match.group(1)}" in auth._qr_data_uri(device.config_url)


def test_it_shows_the_same_secret_on_a_reload(client, user):
    password_step(client)
    first = client.get(reverse("accounts:enrol")).content.decode()
    second = client.get(reverse("accounts:enrol")).content.decode()

    assert TOTPDevice.objects.filter(user=user).count() == 1
    secret = grouped_secret(pending_device(user))
    assert secret in first
    assert secret in second


def test_it_refuses_a_wrong_first_code_in_dutch(client, user, frozen):
    password_step(client)
    client.get(reverse("accounts:enrol"))
    device = pending_device(user)

    response = enrol(client, wrong_code_for(device))

    assert response.status_code == 200
    assert WRONG_CODE_REFUSED in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert logged_in_user_id(client) is None
    assert not is_logged_in(client)


def test_it_refuses_letters_as_a_first_code_in_dutch(client, user):
    password_step(client)

    response = enrol(client, "abcdef")

    assert response.status_code == 200
    assert "Een code bestaat uit 6 cijfers." in response.content.decode()
    assert logged_in_user_id(client) is None


def test_it_confirms_the_device_logs_in_and_shows_ten_backup_codes(client, user, frozen):
    password_step(client)
    client.get(reverse("accounts:enrol"))
    device = pending_device(user)

    response = enrol(client, code_for(device))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Uw authenticator is gekoppeld en u bent ingelogd." in html
    codes = BACKUP_CODE.findall(html)
    assert len(codes) == settings.BACKUP_CODE_COUNT == 10
    assert len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == (
        set(codes)
    )
    device.refresh_from_db()
    assert device.confirmed
    assert logged_in_user_id(client) == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert is_logged_in(client)


def test_it_accepts_the_right_code_after_a_wrong_one(client, user, frozen):
    password_step(client)
    client.get(reverse("accounts:enrol"))
    device = pending_device(user)
    enrol(client, wrong_code_for(device))

    # django-otp throttles a device for a second after a wrong code.
    frozen.shift(timedelta(seconds=2))
    response = enrol(client, code_for(device))

    assert response.status_code == 200
    assert len(BACKUP_CODE.findall(response.content.decode())) == 10
    assert is_logged_in(client)


def test_it_sends_a_logged_in_user_away_from_enrolment(client, user, frozen):
    password_step(client)
    client.get(reverse("accounts:enrol"))
    enrol(client, code_for(pending_device(user)))

    response = client.get(reverse("accounts:enrol"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_it_asks_an_enrolled_user_for_a_code_at_the_next_login(client, user, frozen):
    password_step(client)
    client.get(reverse("accounts:enrol"))
    device = pending_device(user)
    enrol(client, code_for(device))
    logout(client)

    response = password_step(client)
    assert response["Location"] == reverse("accounts:verify")
    enrol_again = client.get(reverse("accounts:enrol"))

    assert enrol_again.status_code == 302
    assert enrol_again["Location"] == reverse("accounts:verify")
    # No second secret was made: the enrolled authenticator stays the only one.
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    assert logged_in_user_id(client) is None


def test_it_does_not_show_enrolment_without_a_password_step(client, user):
    response = client.get(reverse("accounts:enrol"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not TOTPDevice.objects.filter(user=user).exists()
