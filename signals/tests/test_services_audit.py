"""Every service leaves audit entries: who (user, role, organisation) changed what.

Personal content (the description, person names) is stored masked, so the log does not
become a second copy of the register.
"""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.audit import MASK, acting_as
from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from signals import services
from signals.models import Person
from signals.tests.factories import (
    make_signal,
    person_input,
    registered_signal,
    signal_input,
    submitted_signal,
)

DESCRIPTION = "Meisje van vijftien stapt elke avond in een auto bij het station van Sittard."
NAME = "Marta Kowalczyk"


def entries_for(obj, action=None):
    qs = AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    )
    if action is not None:
        qs = qs.filter(action=action)
    return qs.order_by("pk")


def assert_attributed(entry, actor):
    assert entry.actor == actor
    assert entry.actor_role == actor.role
    assert entry.actor_organisation == actor.organisation


def assert_no_personal_content_logged():
    for entry in AuditLogEntry.objects.all():
        stored = json.dumps(
            [entry.changes, entry.object_repr, entry.additional_data], default=str
        ).lower()
        for secret in ("sittard", "kowalczyk", "marta"):
            assert secret not in stored, (entry.content_type.model, stored[:300])


def test_it_logs_the_creation_with_actor_and_masked_content(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)

    with acting_as(officer):
        signal = make_signal(officer, description=DESCRIPTION, persons=[person_input(name=NAME)])

    created = entries_for(signal, AuditLogEntry.Action.CREATE).get()
    assert_attributed(created, officer)
    assert created.changes["description"][1] == MASK
    assert created.changes["status"][1] == "draft"
    person = Person.objects.get(involvements__signal=signal)
    person_entry = entries_for(person, AuditLogEntry.Action.CREATE).get()
    assert_attributed(person_entry, officer)
    assert person_entry.changes["name"][1] == MASK
    assert person_entry.object_repr == f"persoon {person.pk}"
    assert_no_personal_content_logged()


def test_it_logs_the_registration_as_an_update_by_veilig_thuis(world):
    officer, vt = world.user(Role.MUNICIPAL_OFFICER), world.user(Role.VT_OFFICER)
    signal = submitted_signal(officer, description=DESCRIPTION, persons=[person_input(name=NAME)])
    before = set(entries_for(signal).values_list("pk", flat=True))

    with acting_as(vt):
        services.signal_register(
            signal=signal, actor=vt, version=signal.version, preliminary_classification="actual"
        )

    updates = entries_for(signal, AuditLogEntry.Action.UPDATE).exclude(pk__in=before)
    assert updates.exists()
    for entry in updates:
        assert_attributed(entry, vt)
    changed = {key: value for entry in updates for key, value in entry.changes.items()}
    assert changed["status"][1] == "registered"
    assert changed["preliminary_classification"][1] == "actual"
    assert "description" not in changed  # only what changed is logged
    assert_no_personal_content_logged()


def test_it_masks_a_description_edited_during_intake(world):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))

    with acting_as(vt):
        services.signal_update(
            signal=signal,
            actor=vt,
            version=signal.version,
            data=signal_input(world.municipality, description=DESCRIPTION),
            persons=[person_input(name=NAME)],
            places=[],
        )

    update = entries_for(signal, AuditLogEntry.Action.UPDATE).last()
    assert_attributed(update, vt)
    assert update.changes["description"] == [MASK, MASK]
    assert_no_personal_content_logged()


# --- an audit entry for every service ------------------------------------------------------


def _create(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    return officer, None, lambda: make_signal(officer)


def _update(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    return (
        officer,
        signal,
        lambda: services.signal_update(
            signal=signal,
            actor=officer,
            version=signal.version,
            data=signal_input(world.municipality, description="Aangevuld."),
            persons=[],
            places=[],
        ),
    )


def _submit(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    return (
        officer,
        signal,
        lambda: services.signal_submit(signal=signal, actor=officer, version=signal.version),
    )


def _close_internally(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    return (
        officer,
        signal,
        lambda: services.signal_close_internally(
            signal=signal, actor=officer, version=signal.version, reason="Intern"
        ),
    )


def _register(world):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    return (
        vt,
        signal,
        lambda: services.signal_register(
            signal=signal, actor=vt, version=signal.version, preliminary_classification="none"
        ),
    )


def _mark_acute(world):
    vt = world.user(Role.VT_OFFICER)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    return (
        vt,
        signal,
        lambda: services.signal_mark_acute(signal=signal, actor=vt, version=signal.version),
    )


def _acute_consultation(world):
    avim = world.user(Role.AVIM)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER), is_acute=True)
    return (
        avim,
        signal,
        lambda: services.acute_consultation_record(
            signal=signal,
            actor=avim,
            version=signal.version,
            consulted_at=timezone.now(),
            organisations=[world.orgs[Organisation.Kind.VEILIG_THUIS]],
            decision="Opvang",
            shelter_needed=True,
        ),
    )


def _note(world):
    avim = world.user(Role.AVIM)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    return avim, signal, lambda: services.note_add(signal=signal, actor=avim, text="Bekend.")


def _attachment(world, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    upload = SimpleUploadedFile("verslag.pdf", b"%PDF-1.4\n%%EOF\n")
    return (
        officer,
        signal,
        lambda: services.attachment_add(signal=signal, actor=officer, upload=upload),
    )


def _person_link(world):
    officer, vt = world.user(Role.MUNICIPAL_OFFICER), world.user(Role.VT_STAFF)
    first = registered_signal(officer, vt)
    second = submitted_signal(officer)
    person, same_as = (s.involvements.get().person for s in (second, first))
    return vt, second, lambda: services.person_link(person=person, same_as=same_as, actor=vt)


SERVICES = {
    "signal_create": _create,
    "signal_update": _update,
    "signal_submit": _submit,
    "signal_close_internally": _close_internally,
    "signal_register": _register,
    "signal_mark_acute": _mark_acute,
    "acute_consultation_record": _acute_consultation,
    "note_add": _note,
    "attachment_add": _attachment,
    "person_link": _person_link,
}


@pytest.mark.parametrize("setup", SERVICES.values(), ids=SERVICES.keys())
def test_it_writes_audit_entries_attributed_to_the_actor(world, tmp_path, settings, setup):
    args = (world, tmp_path, settings) if setup is _attachment else (world,)
    actor, signal, call = setup(*args)
    newest = AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    with acting_as(actor):
        call()

    written = list(AuditLogEntry.objects.filter(pk__gt=newest))
    assert written
    for entry in written:
        assert_attributed(entry, actor)
        assert entry.content_type.app_label == "signals"
    if signal is not None and setup not in (_note, _attachment, _person_link):
        # The signal itself changed (version, status or flags), and that is logged too.
        assert any(
            e.content_type.model == "signal" and e.object_pk == str(signal.pk) for e in written
        )
