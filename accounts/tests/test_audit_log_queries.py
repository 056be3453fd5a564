"""The audit log page costs the same number of queries for 5 entries as for 50."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.audit_entries import read_by

URL = reverse("accounts:audit_log")


def make_entries(world, count: int) -> None:
    readers = [world.user(role) for role in (Role.VT_STAFF, Role.AVIM, Role.MUNICIPAL_OFFICER)]
    targets = [world.municipality, world.orgs["veilig_thuis"], *readers]
    for i in range(count):
        read_by(readers[i % len(readers)], targets[i % len(targets)])


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx)


def test_it_uses_a_constant_number_of_queries(world, login):
    client = login(world.user(Role.PRIVACY_OFFICER))
    make_entries(world, 5)
    queries_for(client)  # warms caches (content types, permissions) like any running site
    few = queries_for(client)

    make_entries(world, 45)
    many = queries_for(client)

    assert len(client.get(URL).context["rows"]) == 50
    assert many == few
