"""The log tables refuse UPDATE and DELETE to the application's own database role.

The test creates a role like the one the application runs as in production (a plain login role,
not a superuser and not the owner of the tables, with SELECT/INSERT/UPDATE/DELETE on them:
docs/operations.md), switches to it with ``SET ROLE`` and tries. The append-only trigger
refuses every UPDATE and DELETE on the audit log, the tombstones and the data-subject
requests; TRUNCATE (which fires no row trigger) and disabling the trigger are refused by the
privileges. Inserting, the one thing the application does with these tables, still works.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.audit import acting_as, record_access
from accounts.models import AuditLogEntry, SubjectRequest, Tombstone
from accounts.roles import Role

APP_ROLE = "meldroute_app_under_test"
LOG_TABLES = ("accounts_auditlogentry", "accounts_tombstone", "accounts_subjectrequest")


@pytest.fixture
def rows(world):
    officer = world.user(Role.PRIVACY_OFFICER)
    with acting_as(officer):
        entry = record_access(kind=AuditLogEntry.AccessKind.READ, instance=world.municipality)
    request = SubjectRequest.objects.create(
        kind="access", outcome="done", person_ids=[], actor=officer
    )
    stone = Tombstone.objects.create(
        model_label="signals.person",
        object_pk="1",
        rule="signal_none",
        anonymised_at=entry.timestamp,
        subject_request=request,
    )
    return {
        "accounts_auditlogentry": entry.pk,
        "accounts_tombstone": stone.pk,
        "accounts_subjectrequest": request.pk,
    }


@pytest.fixture
def app_role(db):
    """The role exists only inside the test's transaction (role DDL is transactional)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOSUPERUSER NOCREATEDB NOCREATEROLE NOLOGIN")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    yield APP_ROLE


def _as_app(sql: str, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cursor.execute(sql, params)
        return cursor.fetchone() if cursor.description else None


def test_the_role_is_an_ordinary_application_role(app_role):
    current, superuser = _as_app(
        "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
    )
    assert (current, superuser) == (APP_ROLE, False)
    owners = _as_app(
        "SELECT count(*) FROM pg_tables WHERE tablename = ANY(%s) AND tableowner = current_user",
        [list(LOG_TABLES)],
    )
    assert owners == (0,)


@pytest.mark.parametrize("table", LOG_TABLES)
@pytest.mark.parametrize(
    "statement", ["UPDATE {t} SET id = id WHERE id = %s", "DELETE FROM {t} WHERE id = %s"]
)
def test_the_trigger_refuses_update_and_delete(app_role, rows, table, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        _as_app(statement.format(t=table), [rows[table]])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE id = %s", [rows[table]])  # noqa: S608
        assert cursor.fetchone() == (1,)


@pytest.mark.parametrize("table", LOG_TABLES)
def test_truncate_and_disabling_the_trigger_are_not_the_applications_to_do(app_role, rows, table):
    with pytest.raises(DatabaseError, match="permission denied"):
        _as_app(f"TRUNCATE {table} CASCADE")
    with pytest.raises(DatabaseError, match="must be owner"):
        _as_app(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def test_the_application_role_can_still_append(app_role, rows):
    count = _as_app(
        "INSERT INTO accounts_tombstone (model_label, object_pk, object_public_id, rule, "
        "anonymised_at, details) VALUES ('signals.signal', '99', '', 'signal_none', now(), '{}') "
        "RETURNING id"
    )
    assert count is not None
