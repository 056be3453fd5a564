"""Classification at the table: preliminary by VT staff, final only by the VT officer.

Every classification is appended to the signal's history (never overwritten) and logged.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.audit import acting_as
from accounts.models import AuditLogEntry
from accounts.roles import Role
from screening import services
from screening.tests.factories import meeting_in_session
from signals.models import Classification, ClassificationRecord, EventKind

PRELIMINARY = ClassificationRecord.Kind.PRELIMINARY
FINAL = ClassificationRecord.Kind.FINAL


def _state(item):
    item.refresh_from_db()
    signal = item.signal
    signal.refresh_from_db()
    return (
        item.version,
        signal.version,
        signal.preliminary_classification,
        signal.final_classification,
        signal.classifications.count(),
        signal.events.count(),
    )


def test_vt_staff_sets_the_preliminary_classification(world):
    _meeting, (item,) = meeting_in_session(world)
    vt = world.user(Role.VT_STAFF)

    classified = services.item_classify(
        item=item, actor=vt, kind=PRELIMINARY, value=Classification.SUSPECTED, reason="Indicatoren"
    )

    signal = item.signal
    signal.refresh_from_db()
    assert signal.preliminary_classification == Classification.SUSPECTED
    assert classified.version == item.version + 1
    record = signal.classifications.last()
    assert (record.kind, record.value, record.previous_value) == (
        PRELIMINARY,
        Classification.SUSPECTED,
        Classification.POTENTIAL,  # given at registration
    )
    assert record.actor == vt
    assert record.reason == "Indicatoren"
    assert signal.events.last().kind == EventKind.CLASSIFIED


def test_the_vt_officer_confirms_the_final_classification(world):
    _meeting, (item,) = meeting_in_session(world)
    officer = world.user(Role.VT_OFFICER)

    services.item_classify(item=item, actor=officer, kind=FINAL, value=Classification.SUSPECTED)

    signal = item.signal
    signal.refresh_from_db()
    assert signal.final_classification == Classification.SUSPECTED
    record = signal.classifications.last()
    assert (record.kind, record.value, record.previous_value, record.actor) == (
        FINAL,
        Classification.SUSPECTED,
        "",
        officer,
    )


def test_vt_staff_cannot_set_the_final_classification_and_nothing_changes(world):
    _meeting, (item,) = meeting_in_session(world)
    before = _state(item)

    with pytest.raises(PermissionDenied, match="aandachtsfunctionaris"):
        services.item_classify(
            item=item, actor=world.user(Role.VT_STAFF), kind=FINAL, value=Classification.ACTUAL
        )

    assert _state(item) == before


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR, Role.MUNICIPAL_OFFICER])
def test_other_roles_cannot_classify(world, role):
    _meeting, (item,) = meeting_in_session(world)
    before = _state(item)

    with pytest.raises(PermissionDenied):
        services.item_classify(
            item=item, actor=world.user(role), kind=PRELIMINARY, value=Classification.ACTUAL
        )

    assert _state(item) == before


def test_it_refuses_an_unknown_classification(world):
    _meeting, (item,) = meeting_in_session(world)
    before = _state(item)

    with pytest.raises(ValidationError):
        services.item_classify(
            item=item, actor=world.user(Role.VT_OFFICER), kind=FINAL, value="maybe"
        )

    assert _state(item) == before


def test_each_classification_is_appended_to_the_history(world):
    _meeting, (item,) = meeting_in_session(world)
    vt, officer = world.user(Role.VT_STAFF), world.user(Role.VT_OFFICER)

    services.item_classify(item=item, actor=vt, kind=PRELIMINARY, value=Classification.SUSPECTED)
    services.item_classify(item=item, actor=officer, kind=FINAL, value=Classification.POTENTIAL)
    services.item_classify(item=item, actor=officer, kind=FINAL, value=Classification.SUSPECTED)

    history = list(
        item.signal.classifications.order_by("created_at", "pk").values_list(
            "kind", "value", "previous_value", "actor_id"
        )
    )
    assert history == [
        (PRELIMINARY, Classification.POTENTIAL, "", vt.pk),  # registration
        (PRELIMINARY, Classification.SUSPECTED, Classification.POTENTIAL, vt.pk),
        (FINAL, Classification.POTENTIAL, "", officer.pk),
        (FINAL, Classification.SUSPECTED, Classification.POTENTIAL, officer.pk),
    ]


def test_it_logs_who_classified_and_the_previous_value(world):
    _meeting, (item,) = meeting_in_session(world)
    officer = world.user(Role.VT_OFFICER)
    signal = item.signal

    with acting_as(officer):
        services.item_classify(item=item, actor=officer, kind=FINAL, value=Classification.ACTUAL)
    with acting_as(officer):
        services.item_classify(item=item, actor=officer, kind=FINAL, value=Classification.NONE)

    record = signal.classifications.last()
    record_entry = AuditLogEntry.objects.get(
        content_type__model="classificationrecord", object_pk=str(record.pk)
    )
    assert record_entry.action == AuditLogEntry.Action.CREATE
    assert record_entry.actor == officer
    assert record_entry.actor_role == Role.VT_OFFICER
    assert record_entry.timestamp is not None
    changes = [
        e.changes_dict.get("final_classification")
        for e in AuditLogEntry.objects.filter(
            content_type__model="signal", object_pk=str(signal.pk), actor=officer
        ).order_by("timestamp", "pk")
    ]
    assert [c for c in changes if c] == [
        ["", Classification.ACTUAL],
        [Classification.ACTUAL, Classification.NONE],
    ]
