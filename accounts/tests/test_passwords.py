"""Passwords: stored with Argon2, at least 12 characters and not common or numeric."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory


def test_it_hashes_new_passwords_with_argon2():
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert get_hasher("default").algorithm == "argon2"


def test_it_stores_an_argon2_hash(db):
    user = UserFactory()
    user.set_password("Kerkrade-Vaals-2026!")
    user.save()

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert "Kerkrade-Vaals-2026!" not in user.password
    assert user.check_password("Kerkrade-Vaals-2026!")
    assert not user.check_password("Kerkrade-Vaals-2026?")


def test_it_refuses_an_eleven_character_password():
    password = "Kx7#mq2!Lp9"
    assert len(password) == 11

    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert [e.code for e in refused.value.error_list] == ["password_too_short"]


def test_it_accepts_a_strong_twelve_character_password():
    password = "Kx7#mq2!Lp9z"
    assert len(password) == 12

    assert validate_password(password) is None


@pytest.mark.parametrize(
    ("password", "code"),
    [("123456789012", "password_entirely_numeric"), ("1qaz2wsx3edc", "password_too_common")],
)
def test_it_refuses_numeric_and_common_passwords(password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert code in [e.code for e in refused.value.error_list]


def test_it_refuses_a_password_like_the_username(db):
    user = UserFactory.build(username="annadevries", first_name="Anna", last_name="de Vries")

    with pytest.raises(ValidationError) as refused:
        validate_password("annadevries2026", user=user)

    assert "password_too_similar" in [e.code for e in refused.value.error_list]
