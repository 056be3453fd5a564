"""An entry made during a request records the page, method and the client's address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.audit import RequestContext, record_access, request_context
from accounts.middleware import client_ip
from accounts.models import AuditLogEntry
from accounts.roles import Role


def last_update_of(user) -> AuditLogEntry:
    return (
        AuditLogEntry.objects.get_for_object(user)
        .filter(action=AuditLogEntry.Action.UPDATE)
        .latest("pk")
    )


def test_it_records_page_method_and_address(world, login):
    user = world.user(Role.VT_STAFF)
    client = login(user)

    response = client.post(reverse("accounts:logout_everywhere"), REMOTE_ADDR="192.0.2.10")

    assert response.status_code == 302
    entry = last_update_of(user)
    assert set(entry.changes) == {"sessions_revoked_at"}
    assert entry.request_path == "/uitloggen/overal/"
    assert entry.request_method == "POST"
    assert entry.remote_addr == "192.0.2.10"
    assert (entry.actor, entry.actor_role, entry.actor_organisation) == (
        user,
        Role.VT_STAFF.value,
        user.organisation,
    )


def test_it_takes_the_address_our_proxy_appended(world, login, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = world.user(Role.VT_STAFF)
    client = login(user)

    client.post(
        reverse("accounts:logout_everywhere"),
        REMOTE_ADDR="10.0.0.2",  # the proxy itself
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",  # forged by the client, then real
    )

    assert last_update_of(user).remote_addr == "198.51.100.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.66", "10.0.0.2"),  # no proxy: the header is the client's own words
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (1, "", "10.0.0.2"),  # header missing: the direct peer
    ],
)
def test_it_never_trusts_the_leftmost_forwarded_entry(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_it_still_logs_when_the_address_is_malformed(world):
    user = world.user(Role.VT_STAFF)
    ctx = RequestContext(user=user, remote_addr="unknown", path="/x/", method="GET")
    with request_context(ctx):
        entry = record_access(kind=AuditLogEntry.AccessKind.READ, instance=user.organisation)
    entry.refresh_from_db()
    assert entry.remote_addr is None
    assert entry.request_path == "/x/"
