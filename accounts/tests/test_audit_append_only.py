"""Audit entries cannot be changed or deleted: not by the model, not by SQL."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from accounts.audit import acting_as, record_access
from accounts.models import AuditLogEntry
from accounts.roles import Role


@pytest.fixture
def entry(world):
    with acting_as(world.user(Role.VT_STAFF)):
        return record_access(kind=AuditLogEntry.AccessKind.READ, instance=world.municipality)


def test_it_refuses_to_save_an_existing_entry(entry):
    entry.object_repr = "iets anders"
    with pytest.raises(PermissionDenied):
        entry.save()
    entry.refresh_from_db()
    assert entry.object_repr != "iets anders"


def test_it_refuses_to_delete_an_entry(entry):
    with pytest.raises(PermissionDenied):
        entry.delete()
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_auditlogentry SET object_repr = 'x' WHERE id = %s",
        "DELETE FROM accounts_auditlogentry WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_sql(entry, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert AuditLogEntry.objects.filter(pk=entry.pk, object_repr=entry.object_repr).exists()


def test_the_database_refuses_queryset_update_and_delete(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLogEntry.objects.filter(pk=entry.pk).update(object_repr="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()
