"""Management commands: demo_data, issue_token, sync_roles and demo_totp."""

import base64
import re
from datetime import UTC, datetime
from io import StringIO
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts import services
from accounts.demo import DEMO_USERS, MUNICIPALITIES
from accounts.models import Organisation, Region, User
from accounts.roles import ROLE_PERMISSIONS, Role, group_name
from accounts.tests.factories import TOTPDeviceFactory
from accounts.tests.login_steps import FAST_HASHERS

PASSWORD = "demo-wachtwoord-2026"
OTPAUTH = re.compile(r"otpauth://\S+")

EXPECTED_USERS = {
    "demo-heerlen": ("municipal_officer", "Gemeente Heerlen"),
    "demo-maastricht": ("municipal_officer", "Gemeente Maastricht"),
    "demo-vt": ("vt_staff", "Veilig Thuis Zuid-Limburg"),
    "demo-vt-officer": ("vt_officer", "Veilig Thuis Zuid-Limburg"),
    "demo-avim": ("avim", "Politie eenheid Limburg — AVIM"),
    "demo-zoco": ("care_coordinator", "Zorg- en Veiligheidshuis Parkstad"),
    "demo-procesregisseur": ("process_director", "Zorg- en Veiligheidshuis Parkstad"),
    "demo-riec": ("chain_director", "RIEC Limburg"),
    "demo-beleid": ("policy_analyst", "Gemeente Maastricht"),
    "demo-fg": ("privacy_officer", "Veilig Thuis Zuid-Limburg"),
    "demo-beheer": ("administrator", "Veilig Thuis Zuid-Limburg"),
}

# The CBS municipality codes of Zuid-Limburg, written out here rather than read from demo.py.
EXPECTED_CBS_CODES = {
    "Gemeente Beek": "GM0888",
    "Gemeente Beekdaelen": "GM1954",
    "Gemeente Brunssum": "GM0899",
    "Gemeente Eijsden-Margraten": "GM1903",
    "Gemeente Gulpen-Wittem": "GM1729",
    "Gemeente Heerlen": "GM0917",
    "Gemeente Kerkrade": "GM0928",
    "Gemeente Landgraaf": "GM0882",
    "Gemeente Maastricht": "GM0935",
    "Gemeente Meerssen": "GM0938",
    "Gemeente Simpelveld": "GM0965",
    "Gemeente Sittard-Geleen": "GM1883",
    "Gemeente Stein": "GM0971",
    "Gemeente Vaals": "GM0981",
    "Gemeente Valkenburg aan de Geul": "GM0994",
    "Gemeente Voerendaal": "GM0986",
}


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """demo_data hashes eleven passwords per run; Argon2 is proven in test_passwords.py."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything demo_data writes, to compare two runs."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (Region, Organisation, User, TOTPDevice, Group)
        },
        "passwords": dict(User.objects.values_list("username", "password")),
        "totp_keys": dict(TOTPDevice.objects.values_list("user__username", "key")),
        "organisations": sorted(
            Organisation.objects.values_list("name", "kind", "cbs_code", "updated_at")
        ),
        "users": sorted(
            User.objects.values_list("username", "role", "organisation__name", "is_active")
        ),
    }


def nothing_saved() -> bool:
    return not (
        Region.objects.exists()
        or Organisation.objects.exists()
        or User.objects.exists()
        or TOTPDevice.objects.exists()
    )


# --- demo_data -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_creates_the_region_and_its_sixteen_municipalities():
    run("demo_data", "--password", PASSWORD)

    region = Region.objects.get()
    assert (region.name, region.code) == ("Zuid-Limburg", "zl")
    municipalities = dict(
        Organisation.objects.filter(region=region, kind=Organisation.Kind.MUNICIPALITY).values_list(
            "name", "cbs_code"
        )
    )
    assert municipalities == EXPECTED_CBS_CODES
    assert len(MUNICIPALITIES) == 16
    # Partners carry no CBS code (a database constraint also refuses one).
    assert not (
        Organisation.objects.exclude(kind=Organisation.Kind.MUNICIPALITY)
        .exclude(cbs_code="")
        .exists()
    )


@pytest.mark.django_db
def test_it_creates_the_eleven_demo_users_with_their_roles():
    run("demo_data", "--password", PASSWORD)

    users = {
        u.username: (u.role, u.organisation.name)
        for u in User.objects.select_related("organisation")
    }
    assert users == EXPECTED_USERS
    assert len(DEMO_USERS) == 11
    for user in User.objects.all():
        assert user.check_password(PASSWORD)
        assert not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group_name(user.role)]
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


@pytest.mark.django_db
def test_it_changes_nothing_when_run_twice_with_the_same_password():
    run("demo_data", "--password", PASSWORD)
    before = snapshot()

    run("demo_data", "--password", PASSWORD)

    assert snapshot() == before
    assert before["counts"]["User"] == 11
    assert before["counts"]["Organisation"] == 27


@pytest.mark.django_db
def test_it_keeps_generated_passwords_when_run_again_without_one():
    first = run("demo_data")
    before = snapshot()

    second = run("demo_data")

    assert snapshot() == before
    assert "(ongewijzigd)" not in first
    assert second.count("wachtwoord: (ongewijzigd)") == 11


@pytest.mark.django_db
def test_it_prints_an_otpauth_uri_with_the_username_per_user():
    output = run("demo_data", "--password", PASSWORD)

    uris = OTPAUTH.findall(output)
    assert len(uris) == 11
    for uri, username in zip(uris, EXPECTED_USERS, strict=True):
        parts = urlsplit(uri)
        assert parts.scheme == "otpauth"
        assert parts.netloc == "totp"
        label = unquote(parts.path.lstrip("/"))
        assert username in label
        device = TOTPDevice.objects.get(user__username=username)
        secret = parse_qs(parts.query)["secret"][0]
        assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert re.search(r"^demo-vt +vt_staff +wachtwoord: ", output, re.MULTILINE)
    assert f"wachtwoord: {PASSWORD}" in output


@pytest.mark.django_db
def test_it_adds_an_extra_user():
    run(
        "demo_data",
        "--password",
        PASSWORD,
        "--extra-user",
        "demo-kerkrade:municipal_officer:Gemeente Kerkrade",
    )

    user = User.objects.get(username="demo-kerkrade")
    assert user.role == Role.MUNICIPAL_OFFICER
    assert user.organisation.name == "Gemeente Kerkrade"
    assert User.objects.count() == 12


@pytest.mark.django_db
def test_it_refuses_an_extra_user_with_an_unknown_organisation_and_saves_nothing():
    with pytest.raises(CommandError, match="Onbekende organisatie 'Gemeente Atlantis'"):
        run(
            "demo_data",
            "--password",
            PASSWORD,
            "--extra-user",
            "demo-x:municipal_officer:Gemeente Atlantis",
        )

    assert nothing_saved()


@pytest.mark.django_db
def test_it_refuses_an_extra_user_with_an_unknown_role_and_saves_nothing():
    with pytest.raises(CommandError) as refused:
        run("demo_data", "--password", PASSWORD, "--extra-user", "demo-x:koning:Gemeente Stein")

    message = str(refused.value)
    assert "Onbekende rol 'koning'" in message
    assert "municipal_officer" in message  # it says which roles there are
    assert nothing_saved()


@pytest.mark.django_db
def test_it_refuses_a_malformed_extra_user():
    with pytest.raises(CommandError, match="is not USERNAME:ROLE:ORGANISATION"):
        run("demo_data", "--extra-user", "demo-x:municipal_officer")

    assert nothing_saved()


@pytest.mark.django_db
def test_it_refuses_a_weak_demo_password_and_saves_nothing():
    with pytest.raises(CommandError, match="Wachtwoord geweigerd"):
        run("demo_data", "--password", "kort")

    assert nothing_saved()


@pytest.mark.django_db
def test_it_refuses_demo_data_in_production():
    with override_settings(IS_PRODUCTION=True), pytest.raises(CommandError, match="production"):
        run("demo_data", "--password", PASSWORD)

    assert nothing_saved()


# --- issue_token -----------------------------------------------------------------------------


def test_it_prints_a_token_that_authenticates(world):
    user = world.user(Role.AVIM)

    key = run("issue_token", user.username).strip()

    assert AuthToken.objects.filter(user=user).count() == 1
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == user.username


@pytest.mark.django_db
def test_it_refuses_a_token_for_an_unknown_user():
    with pytest.raises(CommandError, match="Unknown user: nobody"):
        run("issue_token", "nobody")

    assert not AuthToken.objects.exists()


def test_it_refuses_a_token_for_an_inactive_user(world):
    user = world.user(Role.AVIM)
    services.user_deactivate(user=user, actor=None)

    with pytest.raises(CommandError, match="deactivated"):
        run("issue_token", user.username)

    assert not AuthToken.objects.exists()


# --- sync_roles ------------------------------------------------------------------------------


def role_group_permissions() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__startswith="role:")
    }


@pytest.mark.django_db
def test_it_gives_every_role_group_exactly_its_permissions():
    output = run("sync_roles")

    assert role_group_permissions() == {
        group_name(role): set(perms) for role, perms in ROLE_PERMISSIONS.items()
    }
    assert set(ROLE_PERMISSIONS) == set(Role)
    for role in Role:
        assert f"{role.value}: {len(ROLE_PERMISSIONS[role])} permissions" in output


@pytest.mark.django_db
def test_it_changes_nothing_when_synced_twice():
    run("sync_roles")
    before = (Group.objects.count(), role_group_permissions())

    run("sync_roles")

    assert (Group.objects.count(), role_group_permissions()) == before


def test_it_takes_away_a_permission_given_by_hand(world):
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=group_name(Role.MUNICIPAL_OFFICER))
    group.permissions.add(Permission.objects.get(codename="view_auditlogentry"))
    officer = world.user(Role.MUNICIPAL_OFFICER)
    officer.groups.clear()

    run("sync_roles")

    assert role_group_permissions()[group.name] == set(ROLE_PERMISSIONS[Role.MUNICIPAL_OFFICER])
    assert list(officer.groups.all()) == [group]


# --- demo_totp -------------------------------------------------------------------------------


def test_it_prints_a_six_digit_code_that_verifies(world):
    user = world.user(Role.VT_STAFF)
    device = TOTPDeviceFactory(user=user)

    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC), tick=False):
        code = run("demo_totp", user.username).strip()
        assert re.fullmatch(r"\d{6}", code)
        assert device.verify_token(code)


def test_it_prints_the_code_of_a_demo_user_that_logs_in(db):
    run("demo_data", "--password", PASSWORD)

    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC), tick=False):
        code = run("demo_totp", "demo-vt").strip()
        client = Client()
        client.post("/inloggen/", {"username": "demo-vt", "password": PASSWORD})
        response = client.post("/inloggen/verificatie/", {"code": code})

        assert response.status_code == 302
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_it_refuses_demo_totp_for_a_user_without_an_authenticator():
    with pytest.raises(CommandError, match="No authenticator for user 'nobody'"):
        run("demo_totp", "nobody")


def test_it_refuses_demo_totp_in_production(world):
    TOTPDeviceFactory(user=world.user(Role.VT_STAFF))

    with override_settings(IS_PRODUCTION=True), pytest.raises(CommandError, match="production"):
        run("demo_totp", world.user(Role.VT_STAFF).username)
