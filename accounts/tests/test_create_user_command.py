"""`manage.py create_user`: the way to create the first administrator (no superusers exist)."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.models import AuditLogEntry, Organisation, Region, User
from accounts.roles import Role, group_name
from accounts.tests.factories import OrganisationFactory, RegionFactory, UserFactory

PASSWORD = "lang-en-sterk-wachtwoord-2026"
COMMAND = "accounts.management.commands.create_user.getpass"


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        name="Veilig Thuis Zuid-Limburg", region=RegionFactory(name="Zuid-Limburg", code="zl")
    )


@pytest.fixture
def answers(monkeypatch):
    """Feed the password prompts; the list is consumed in order."""
    given: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        return given.pop(0)

    monkeypatch.setattr(COMMAND, fake_getpass)
    return given


def run(**options) -> tuple[str, str]:
    args = {
        "username": "beheer",
        "organisation": "Veilig Thuis Zuid-Limburg",
        "role": "administrator",
        "email": "beheer@example.nl",
        **options,
    }
    argv = [f"--{key.replace('_', '-')}={value}" for key, value in args.items()]
    out, err = StringIO(), StringIO()
    call_command("create_user", *argv, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_creates_an_administrator(organisation, answers):
    answers += [PASSWORD, PASSWORD]

    out, _ = run()

    user = User.objects.get(username="beheer")
    assert user.role == Role.ADMINISTRATOR
    assert user.organisation == organisation
    assert user.email == "beheer@example.nl"
    assert user.check_password(PASSWORD)
    assert user.is_active
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.ADMINISTRATOR)]
    # The authenticator is enrolled at the first login, not here.
    assert not user.totpdevice_set.exists()
    assert "Created user 'beheer'" in out
    assert PASSWORD not in out


def test_it_creates_any_role(organisation, answers):
    answers += [PASSWORD, PASSWORD]

    run(username="fg", role="privacy_officer", first_name="Fleur", last_name="Gerards")

    user = User.objects.get(username="fg")
    assert user.role == Role.PRIVACY_OFFICER
    assert not user.is_staff
    assert user.get_full_name() == "Fleur Gerards"
    assert Group.objects.get(name=group_name(Role.PRIVACY_OFFICER)).user_set.filter(pk=user.pk)


def test_it_writes_an_audit_entry(organisation, answers):
    answers += [PASSWORD, PASSWORD]

    run()

    user = User.objects.get(username="beheer")
    entry = AuditLogEntry.objects.get(
        content_type__model="user", object_pk=str(user.pk), action=AuditLogEntry.Action.CREATE
    )
    assert entry.request_path == "manage.py create_user"
    assert entry.actor is None
    assert "beheer@example.nl" not in str(entry.changes)


def test_it_refuses_an_unknown_organisation(organisation, answers):
    with pytest.raises(CommandError, match="Unknown organisation 'Veilig Thuis Noord'") as exc:
        run(organisation="Veilig Thuis Noord")

    assert "Veilig Thuis Zuid-Limburg" in str(exc.value)  # the known ones are listed
    assert not User.objects.exists()


def test_it_refuses_an_unknown_role(organisation, answers):
    with pytest.raises(CommandError, match="Unknown role 'superuser'") as exc:
        run(role="superuser")

    assert "administrator" in str(exc.value)
    assert not User.objects.exists()


def test_it_refuses_a_weak_password(organisation, answers):
    answers += ["kort", "kort"] * 3

    with pytest.raises(CommandError, match="No acceptable password"):
        run()

    assert not User.objects.exists()


def test_it_refuses_a_password_like_the_username(organisation, answers):
    answers += ["beheer@example.nl", "beheer@example.nl"] * 3

    with pytest.raises(CommandError):
        run()

    assert not User.objects.exists()


def test_it_asks_again_when_the_passwords_differ(organisation, answers):
    answers += [PASSWORD, PASSWORD + "x", PASSWORD, PASSWORD]

    _, err = run()

    assert "do not match" in err
    assert User.objects.get(username="beheer").check_password(PASSWORD)


def test_it_refuses_an_existing_username(organisation, answers):
    UserFactory(username="Beheer", organisation=organisation)

    with pytest.raises(CommandError, match="already exists"):
        run()

    assert User.objects.count() == 1


def test_it_refuses_an_invalid_email_before_asking_a_password(organisation, answers):
    with pytest.raises(CommandError):
        run(email="geen-adres")

    assert not User.objects.exists()


def test_it_needs_the_region_when_two_regions_share_the_name(organisation, answers):
    other = OrganisationFactory(
        name="Veilig Thuis Zuid-Limburg", region=RegionFactory(name="Elders", code="xx")
    )
    with pytest.raises(CommandError, match="--region"):
        run()

    answers += [PASSWORD, PASSWORD]
    run(region="xx")

    assert User.objects.get(username="beheer").organisation == other


def test_it_refuses_an_inactive_organisation(organisation, answers):
    organisation.is_active = False
    organisation.save()

    with pytest.raises(CommandError, match="not active"):
        run()


# --- a fresh installation: the first organisation is created with the first user ----------


def test_it_creates_the_first_region_and_organisation_with_the_user(db, answers):
    answers += [PASSWORD, PASSWORD]

    run(create_organisation="veilig_thuis", region="zl", region_name="Zuid-Limburg")

    user = User.objects.get(username="beheer")
    organisation = user.organisation
    assert organisation.name == "Veilig Thuis Zuid-Limburg"
    assert organisation.kind == Organisation.Kind.VEILIG_THUIS
    assert organisation.region.code == "zl"
    assert organisation.region.name == "Zuid-Limburg"
    paths = set(
        AuditLogEntry.objects.filter(action=AuditLogEntry.Action.CREATE).values_list(
            "request_path", flat=True
        )
    )
    assert paths == {"manage.py create_user"}
    assert AuditLogEntry.objects.filter(action=AuditLogEntry.Action.CREATE).count() == 3


def test_it_creates_an_organisation_in_an_existing_region(organisation, answers):
    answers += [PASSWORD, PASSWORD]

    run(organisation="RIEC Limburg", role="chain_director", create_organisation="riec", region="zl")

    user = User.objects.get(username="beheer")
    assert user.organisation.region == organisation.region
    assert user.organisation.kind == Organisation.Kind.RIEC


def test_it_points_to_create_organisation_on_an_empty_installation(db, answers):
    with pytest.raises(CommandError, match="--create-organisation"):
        run()


def test_it_refuses_to_create_an_organisation_that_exists(organisation, answers):
    with pytest.raises(CommandError, match="already exists"):
        run(create_organisation="veilig_thuis", region="zl")


def test_it_needs_a_region_name_for_a_new_region(db, answers):
    with pytest.raises(CommandError, match="--region-name"):
        run(create_organisation="veilig_thuis", region="nieuw")

    assert not Region.objects.exists()


def test_it_refuses_an_unknown_organisation_kind(db, answers):
    with pytest.raises(CommandError, match="Unknown organisation kind 'ministerie'"):
        run(create_organisation="ministerie", region="zl", region_name="Zuid-Limburg")


def test_it_creates_nothing_when_the_password_is_refused(db, answers):
    answers += ["kort", "kort"] * 3

    with pytest.raises(CommandError):
        run(create_organisation="veilig_thuis", region="zl", region_name="Zuid-Limburg")

    assert not Region.objects.exists()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
