"""Integration tokens (knox): stored hashed, valid for active users only, revoked at deactivation."""

import pytest
from django.test import Client
from knox.models import AuthToken

from accounts import services
from accounts.roles import Role

ME = "/api/v1/me/"


@pytest.fixture
def user(world):
    return world.user(Role.AVIM)


def with_token(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_it_answers_a_valid_token_with_the_user(user):
    _, key = services.api_token_issue(user=user)

    response = with_token(key).get(ME)

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["role"] == "avim"
    assert body["organisation"]["name"] == user.organisation.name
    assert body["organisation"]["kind"] == "police_avim"
    assert body["organisation"]["id"] == str(user.organisation.public_id)


def test_it_stores_only_a_hash_of_the_key(user):
    instance, key = services.api_token_issue(user=user)

    stored = AuthToken.objects.get(pk=instance.pk)
    assert key not in stored.digest
    assert stored.token_key == key[: len(stored.token_key)]
    assert len(stored.token_key) < len(key)


def test_it_refuses_the_token_of_a_deactivated_user(user):
    _, key = services.api_token_issue(user=user)
    assert with_token(key).get(ME).status_code == 200

    services.user_deactivate(user=user, actor=None)
    response = with_token(key).get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert user.username not in response.content.decode()
    assert not AuthToken.objects.filter(user=user).exists()


def test_it_refuses_a_surviving_token_of_an_inactive_user(user):
    """Even a token that escaped revocation does not work once the user is inactive."""
    _, key = services.api_token_issue(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = with_token(key).get(ME)

    assert response.status_code == 401
    assert AuthToken.objects.filter(user=user).exists()


def test_it_does_not_issue_a_token_to_an_inactive_user(user):
    """Even when the caller holds an instance read before the deactivation."""
    services.user_deactivate(user=user, actor=None)

    with pytest.raises(ValueError, match="inactive"):
        services.api_token_issue(user=user)

    assert not AuthToken.objects.filter(user=user).exists()


@pytest.mark.parametrize("header", ["", "Token", "Token not-a-real-key", "Bearer abc"])
def test_it_refuses_missing_and_made_up_tokens(db, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()

    response = client.get(ME)

    assert response.status_code == 401


def test_it_refuses_a_revoked_token(user):
    _, key = services.api_token_issue(user=user)

    assert services.api_tokens_revoke(user=user) == 1

    assert with_token(key).get(ME).status_code == 401
