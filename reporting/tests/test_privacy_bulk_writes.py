"""Bulk writes on audited models are refused outside the places that may use them."""

from __future__ import annotations

import pytest
from auditlog.registry import auditlog
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.audit import BulkWriteRefused, allow_bulk_writes, record_bulk_change
from accounts.models import AuditLogEntry, Notification
from accounts.roles import Role
from signals.models import Place, Signal
from signals.tests.factories import make_signal

AUDITED = sorted(auditlog.get_models(), key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", AUDITED, ids=[m._meta.label for m in AUDITED])
def test_update_and_bulk_update_are_refused_on_every_audited_model(model, db):
    with pytest.raises(BulkWriteRefused, match=model._meta.label):
        model.objects.none().update(pk=1)
    with pytest.raises(BulkWriteRefused, match=model._meta.label):
        model.objects.bulk_update([], fields=["pk"])


def test_a_refused_update_changes_nothing(world):
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    with pytest.raises(BulkWriteRefused):
        Signal.objects.filter(pk=signal.pk).update(description="overschreven zonder log")
    signal.refresh_from_db()
    assert signal.description != "overschreven zonder log"


def test_allowed_inside_the_block_and_logged_explicitly(world):
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    before = AuditLogEntry.objects.count()
    with allow_bulk_writes("test"):
        Signal.objects.filter(pk=signal.pk).update(description="bijgewerkt")
        record_bulk_change(model=Signal, pks=[signal.pk], fields=["description"])
    entry = AuditLogEntry.objects.order_by("pk")[before]
    assert entry.action == AuditLogEntry.Action.UPDATE
    assert entry.changes == {"description": ["***", "***"]}
    assert entry.object_pk == str(signal.pk)
    # The block ends: refused again.
    with pytest.raises(BulkWriteRefused):
        Signal.objects.filter(pk=signal.pk).update(description="nogmaals")


def test_models_without_an_audit_trail_are_not_affected(world):
    user = world.user(Role.VT_STAFF)
    Notification.objects.create(recipient=user, key="k", message="m")
    assert Notification.objects.filter(recipient=user).update(message="n") == 1


def test_a_queryset_delete_is_logged_row_by_row(world):
    """delete() is not refused: Django deletes per row when auditlog listens, so each is logged."""
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    ids = list(Place.objects.filter(signal=signal).values_list("pk", flat=True))
    assert ids
    before = AuditLogEntry.objects.filter(action=AuditLogEntry.Action.DELETE).count()
    Place.objects.filter(pk__in=ids).delete()
    deleted = AuditLogEntry.objects.filter(action=AuditLogEntry.Action.DELETE)
    assert deleted.count() - before == len(ids)
    assert {e.object_pk for e in deleted.order_by("-pk")[: len(ids)]} == {str(i) for i in ids}


def test_migrations_use_unregistered_historical_models(db):
    state = MigrationExecutor(connection).loader.project_state()
    historical = state.apps.get_model("signals", "Signal")
    assert not auditlog.contains(historical)
    assert historical.objects.filter(pk=-1).update(description="x") == 0


def test_the_data_generators_may_write_in_bulk(world):
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    generator = compile(
        "Signal.objects.filter(pk=pk).update(description='synthetisch')", "demo.py", "exec"
    )
    exec(generator, {"__name__": "reporting.demo", "Signal": Signal, "pk": signal.pk})  # noqa: S102
    signal.refresh_from_db()
    assert signal.description == "synthetisch"
    with pytest.raises(BulkWriteRefused):
        exec(generator, {"__name__": "reporting.views", "Signal": Signal, "pk": signal.pk})  # noqa: S102
