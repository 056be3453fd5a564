"""Personas and logged-in clients shared by every app's tests.

The personas follow the route: officers of two municipalities in one region, Veilig Thuis,
AVIM, the care coordinator, and an organisation in another region (the outsider).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from tests.sessions import mark_verified


def pytest_configure(config):
    if (
        settings.DJANGO_ENV != "test"
        or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        pytest.exit(
            "Run the tests with `make test`: they need DJANGO_ENV=test and PostgreSQL.",
            returncode=2,
        )


@pytest.fixture(scope="session", autouse=True)
def _flush_with_cascade():
    """Let the flush after a transactional test truncate with CASCADE.

    django-auditlog's own migrations create its default ``auditlog_logentry`` table even
    though the project swaps in ``accounts.AuditLogEntry``; that unused, always empty table
    references users and content types, so a plain TRUNCATE of those tables is refused.
    """
    from django.core.management.commands import flush

    original = flush.sql_flush

    def sql_flush(*args, **kwargs):
        return original(*args, **{**kwargs, "allow_cascade": True})

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", sql_flush)
        yield


ROLE_ORGANISATION_KIND = {
    Role.MUNICIPAL_OFFICER: Organisation.Kind.MUNICIPALITY,
    Role.VT_STAFF: Organisation.Kind.VEILIG_THUIS,
    Role.VT_OFFICER: Organisation.Kind.VEILIG_THUIS,
    Role.AVIM: Organisation.Kind.POLICE_AVIM,
    Role.CARE_COORDINATOR: Organisation.Kind.ZVH,
    Role.PROCESS_DIRECTOR: Organisation.Kind.ZVH,
    Role.CHAIN_DIRECTOR: Organisation.Kind.RIEC,
    Role.POLICY_ANALYST: Organisation.Kind.MUNICIPALITY,
    Role.PRIVACY_OFFICER: Organisation.Kind.VEILIG_THUIS,
    Role.ADMINISTRATOR: Organisation.Kind.VEILIG_THUIS,
}


class World:
    """A region with its organisations, lazily creating one user per role on demand."""

    def __init__(self, code: str):
        self.region = RegionFactory(name=f"Regio {code}", code=code)
        self.municipality = MunicipalityFactory(region=self.region, name=f"Gemeente A-{code}")
        self.other_municipality = MunicipalityFactory(region=self.region, name=f"Gemeente B-{code}")
        self.orgs = {
            Organisation.Kind.MUNICIPALITY: self.municipality,
            **{
                kind: OrganisationFactory(
                    region=self.region, kind=kind, name=f"{kind.label} {code}"
                )
                for kind in set(ROLE_ORGANISATION_KIND.values()) - {Organisation.Kind.MUNICIPALITY}
            },
        }
        self._users: dict[tuple[Role, int], User] = {}
        # Users made inside one test of a world shared by many (see ``share``): that test's
        # transaction takes them away again, so they are remembered for that test only.
        self._test_users: dict[tuple[Role, int], User] | None = None

    def user(self, role: Role, organisation: Organisation | None = None) -> User:
        org = organisation or self.orgs[ROLE_ORGANISATION_KIND[role]]
        key = (role, org.pk)
        if key in self._users:
            return self._users[key]
        users = self._users if self._test_users is None else self._test_users
        if key not in users:
            users[key] = UserFactory(username=f"{role.value}-{org.pk}", role=role, organisation=org)
        return users[key]

    @property
    def users(self) -> list[User]:
        """The users kept for every test (see ``share``)."""
        return list(self._users.values())

    def share(self) -> World:
        """Make a user for every role now, to keep this world for many tests.

        The world then lives in a transaction around those tests. Each test runs in a
        savepoint of it: between ``begin_test`` and ``end_test`` the users made are that
        test's only; outside, they are kept for all.
        """
        for role in Role:
            self.user(role)
        return self

    def begin_test(self) -> None:
        self._test_users = {}

    def end_test(self) -> None:
        self._test_users = None


@pytest.fixture
def world(db) -> World:
    return World("zl")


@pytest.fixture
def other_world(db) -> World:
    return World("xx")


def verified_client(user: User, client: Client | None = None) -> Client:
    """A client logged in with both factors, as after a real login."""
    client = client or Client()
    device = (
        TOTPDeviceFactory(user=user)
        if not user.totpdevice_set.exists()
        else user.totpdevice_set.first()
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    mark_verified(session, device)
    session.save()
    return client


@pytest.fixture
def login():
    return verified_client
