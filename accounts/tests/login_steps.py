"""The steps of a real login through the forms, shared by the login and session tests.

Only users that log in through the password form get a password. Argon2 costs a tenth of a
second or more per hash or check, so the modules that log in many times switch to
``FAST_HASHERS`` (the flows do not depend on the hasher); test_passwords.py and
test_login.py keep the real Argon2 configuration.
"""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.tests.factories import UserFactory

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSWORD = "correct horse battery staple"
WRONG_PASSWORD = "wrong horse battery staple"
REPLAY_REFUSED = "Deze code is onjuist of al gebruikt."
LOCKED_OUT = "Account tijdelijk geblokkeerd"


def user_with_password(
    organisation: Organisation, *, username: str = "anna", role: Role = Role.VT_STAFF
) -> User:
    user = UserFactory(username=username, organisation=organisation, role=role)
    user.set_password(PASSWORD)
    user.save()
    return user


def code_for(device, offset: int = 0) -> str:
    """The code the authenticator app shows now (``offset`` steps later or earlier)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{value:0{device.digits}d}"


def wrong_code_for(device) -> str:
    """A six-digit code that is none of the codes the device accepts right now."""
    accepted = {code_for(device, offset) for offset in range(-2, 3)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in accepted)


def password_step(client: Client, username: str = "anna", password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def code_step(client: Client, code: str):
    return client.post(reverse("accounts:verify"), {"code": code})


def logout(client: Client):
    return client.post(reverse("accounts:logout"))


def logged_in_user_id(client: Client) -> str | None:
    """The user id in the client's session, as the next request would see it."""
    return client.session.get("_auth_user_id")


def is_logged_in(client: Client) -> bool:
    """Whether the start page answers (it redirects to the login page for anybody else)."""
    return client.get(reverse("accounts:home")).status_code == 200


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]
