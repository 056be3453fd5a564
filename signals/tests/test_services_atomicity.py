"""Each service is one transaction: when a step fails, nothing of it is saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditLogEntry
from accounts.roles import Role
from signals import services
from signals.models import (
    Attachment,
    ClassificationRecord,
    Person,
    Place,
    ReferenceCounter,
    Signal,
    SignalEvent,
    SignalForm,
    SignalPerson,
)
from signals.tests.factories import make_signal, person_input, reload, submitted_signal


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Signal, Person, SignalPerson, Place, SignalForm, SignalEvent, AuditLogEntry)
    }


def last_numbers() -> dict[int, int]:
    return dict(ReferenceCounter.objects.values_list("region_id", "last_number"))


def fail(*args, **kwargs):
    raise RuntimeError("step failed")


@pytest.mark.parametrize("earlier_signals", [0, 1], ids=["first_of_the_year", "after_one"])
def test_it_saves_nothing_when_a_step_of_signal_create_fails(world, monkeypatch, earlier_signals):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    for _ in range(earlier_signals):
        make_signal(officer)
    before, numbers_before = counts(), last_numbers()

    # The timeline event is the last step: everything before it has run when it fails.
    monkeypatch.setattr(services, "event_append", fail)
    with pytest.raises(RuntimeError):
        make_signal(
            officer,
            persons=[person_input(), person_input(name="Piotr Nowak", role="possible_offender")],
        )

    assert counts() == before
    assert last_numbers() == numbers_before
    monkeypatch.undo()
    # The number the failed attempt drew was never handed out, so the next one gets it.
    assert make_signal(officer).sequence == earlier_signals + 1


def test_it_keeps_no_classification_when_the_registration_step_fails(world, monkeypatch):
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    before = reload(signal)

    # Fails after the classification was written, before the status moved on.
    monkeypatch.setattr(services, "signal_transition", fail)
    with pytest.raises(RuntimeError):
        services.signal_register(
            signal=signal,
            actor=world.user(Role.VT_STAFF),
            version=signal.version,
            preliminary_classification="actual",
        )

    after = reload(signal)
    assert (after.status, after.version, after.preliminary_classification) == (
        before.status,
        before.version,
        "",
    )
    assert not ClassificationRecord.objects.filter(signal=signal).exists()


def test_it_leaves_no_file_behind_when_storing_an_attachment_fails(
    world, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    upload = SimpleUploadedFile("verslag.pdf", b"%PDF-1.4\n%%EOF\n")

    monkeypatch.setattr(services, "event_append", fail)
    with pytest.raises(RuntimeError):
        services.attachment_add(signal=signal, actor=officer, upload=upload)

    assert not Attachment.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
