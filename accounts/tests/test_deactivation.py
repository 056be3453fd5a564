"""Deactivating a user ends its browser sessions and API tokens at once, and blocks the login."""

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from accounts import services
from accounts.roles import Role
from accounts.tests.factories import TOTPDeviceFactory
from accounts.tests.login_steps import (
    FAST_HASHERS,
    logged_in_user_id,
    password_step,
    user_with_password,
)

ME = "/api/v1/me/"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def user(world):
    return world.user(Role.AVIM)


def test_it_ends_the_session_at_the_next_request(login, user):
    client = login(user)
    assert client.get("/").status_code == 200

    services.user_deactivate(user=user, actor=None)
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"
    assert response.wsgi_request.user.is_anonymous
    assert client.get(ME).status_code == 401


def test_it_ends_the_session_and_the_token_together(login, user):
    browser = login(user)
    _, key = services.api_token_issue(user=user)
    integration = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert browser.get("/").status_code == 200
    assert integration.get(ME).status_code == 200

    services.user_deactivate(user=user, actor=None)

    assert browser.get("/").status_code == 302
    response = integration.get(ME)
    assert response.status_code == 401
    assert user.username not in response.content.decode()
    assert not AuthToken.objects.filter(user=user).exists()


def test_it_records_the_deactivation(user):
    services.user_deactivate(user=user, actor=None)

    user.refresh_from_db()
    assert user.is_active is False
    assert user.sessions_revoked_at is not None


def test_it_refuses_the_password_of_a_deactivated_user(world, client):
    person = user_with_password(world.orgs["veilig_thuis"])
    TOTPDeviceFactory(user=person)
    services.user_deactivate(user=person, actor=None)

    response = password_step(client)

    assert response.status_code == 200
    # The same message as a wrong password: nobody learns the account exists.
    assert "Gebruikersnaam of wachtwoord is onjuist." in response.content.decode()
    assert logged_in_user_id(client) is None
    assert client.get(reverse("accounts:verify"))["Location"] == reverse("accounts:login")


def test_it_leaves_other_users_logged_in(login, world, user):
    colleague = login(world.user(Role.CARE_COORDINATOR))
    _, key = services.api_token_issue(user=world.user(Role.CARE_COORDINATOR))

    services.user_deactivate(user=user, actor=None)

    assert colleague.get("/").status_code == 200
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(ME).status_code == 200
