"""``bulk_create()`` on an audited model is refused unless the rows are logged (accounts/audit.py).

It writes without ``save()`` and so without auditlog's "created" entry. Refused everywhere but
inside ``allow_bulk_writes``, from the data generators and in migrations; ``bulk_create_logged``
is the way for service code: the rows plus one entry each, as ``save()`` would have written.
"""

from __future__ import annotations

import pytest
from auditlog.registry import auditlog
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accounts.audit import (
    BulkWriteRefused,
    acting_as,
    allow_bulk_writes,
    bulk_create_logged,
    record_bulk_create,
)
from accounts.models import AuditLogEntry, Notification, Region
from accounts.roles import Role
from accounts.services import notification_send
from signals.models import Person

AUDITED = sorted(auditlog.get_models(), key=lambda m: m._meta.label)


def _person(world, name: str) -> Person:
    return Person(region=world.region, name=name, normalised_name=name.lower())


def _entries_after(last: int):
    return AuditLogEntry.objects.filter(pk__gt=last).order_by("pk")


def _last_entry() -> int:
    return AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("model", AUDITED, ids=[m._meta.label for m in AUDITED])
def test_bulk_create_is_refused_on_every_audited_model(model, db):
    with pytest.raises(BulkWriteRefused, match=rf"{model._meta.label}\.objects\.bulk_create"):
        model.objects.bulk_create([])


def test_a_refused_bulk_create_writes_nothing(world):
    before = Person.objects.count()
    with pytest.raises(BulkWriteRefused, match="bulk_create_logged"):
        Person.objects.bulk_create([_person(world, "Niet Gelogd")])
    assert Person.objects.count() == before
    # Through a related manager too: it is the same queryset method.
    with pytest.raises(BulkWriteRefused):
        world.region.persons.bulk_create([_person(world, "Ook Niet")])
    assert Person.objects.count() == before


def test_allowed_inside_the_block_and_refused_again_after_it(world):
    with allow_bulk_writes("test set-up"):
        made = Person.objects.bulk_create([_person(world, "Een"), _person(world, "Twee")])
    assert len(made) == 2 and all(p.pk for p in made)
    with pytest.raises(BulkWriteRefused):
        Person.objects.bulk_create([_person(world, "Drie")])


def test_bulk_create_logged_writes_one_masked_created_entry_per_row(world):
    analyst = world.user(Role.VT_STAFF)
    last = _last_entry()

    with acting_as(analyst, path="task:test"), transaction.atomic():
        made = bulk_create_logged(Person, [_person(world, "Anna Müller"), _person(world, "Bo")])
        saved = _person(world, "Anna Müller")
        saved.save()

    *entries, by_save = list(_entries_after(last))
    assert [e.action for e in entries] == [AuditLogEntry.Action.CREATE] * 2
    assert [e.object_pk for e in entries] == [str(p.pk) for p in made]
    for entry in entries:
        assert entry.content_type.model_class() is Person
        assert entry.actor_id == analyst.pk and entry.request_path == "task:test"
        assert entry.changes["name"] == ["***", "***"]
        assert "Anna" not in str(entry.changes) and "Anna" not in entry.object_repr
    # The same entry a save() writes, but for the row's own id.
    assert entries[0].changes.keys() == by_save.changes.keys()
    assert entries[0].object_repr == by_save.object_repr.replace(str(saved.pk), str(made[0].pk))


def test_record_bulk_create_needs_the_primary_keys(world):
    with pytest.raises(ValueError, match="primary key"):
        record_bulk_create(model=Person, objs=[_person(world, "Zonder Id")])
    with pytest.raises(ValueError, match="conflict"):
        bulk_create_logged(Person, [_person(world, "X")], ignore_conflicts=True)
    assert not Person.objects.filter(name="X").exists()


def test_models_without_an_audit_trail_are_not_affected(world):
    user = world.user(Role.VT_STAFF)
    assert notification_send(recipients=[user], key="k", message="m") == 1
    assert Notification.objects.bulk_create([Notification(recipient=user, key="l", message="m")])


def test_migrations_use_unregistered_historical_models(db):
    state = MigrationExecutor(connection).loader.project_state()
    historical = state.apps.get_model("accounts", "Region")
    assert not auditlog.contains(historical)
    created = historical.objects.bulk_create([historical(name="Historisch", code="hi")])
    assert historical is not Region and created[0].pk


def test_the_data_generators_may_create_in_bulk(world):
    generator = compile(
        "made = Person.objects.bulk_create([Person(region=region, name='Synthetisch')])",
        "synth.py",
        "exec",
    )
    scope = {"__name__": "reporting.synth", "Person": Person, "region": world.region}
    exec(generator, scope)  # noqa: S102
    assert scope["made"][0].pk
    for name in ("reporting.synth_followup", "reporting.demo"):
        exec(generator, {**scope, "__name__": name})  # noqa: S102
    with pytest.raises(BulkWriteRefused):
        exec(generator, {**scope, "__name__": "cases.services.case"})  # noqa: S102
