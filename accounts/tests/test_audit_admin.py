"""The admin offers no way to change or delete audit entries: the model is not in it."""

from django.contrib import admin

from accounts.models import AuditLogEntry
from accounts.roles import Role


def test_it_is_not_registered_in_the_admin():
    assert admin.site.is_registered(AuditLogEntry) is False


def test_it_answers_404_to_the_administrator(world, login):
    client = login(world.user(Role.ADMINISTRATOR))
    assert client.get("/beheer/").status_code == 200  # the admin itself is open to this role
    for url in (
        "/beheer/accounts/auditlogentry/",
        "/beheer/accounts/auditlogentry/1/change/",
        "/beheer/accounts/auditlogentry/1/delete/",
    ):
        assert client.get(url).status_code == 404
