"""Acute signals: the alert to VT and AVIM (once), and the acute consultation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification, Organisation
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from signals import services, tasks
from signals.models import AcuteConsultation, EventKind, Signal
from signals.tests.factories import (
    NOW,
    make_signal,
    person_input,
    registered_signal,
    reload,
    signal_input,
    submitted_signal,
    with_email,
)
from signals.workflow import Status, TransitionNotAllowed

DESCRIPTION = "Twee jongens slapen in de loods van een autowasserette aan de Parallelweg."


@pytest.fixture
def people(world, other_world):
    """Everyone who might be told, with an e-mail address; only the first three should be."""
    vt_org = world.orgs[Organisation.Kind.VEILIG_THUIS]
    recipients = {
        "vt_staff": with_email(world.user(Role.VT_STAFF)),
        "vt_officer": with_email(world.user(Role.VT_OFFICER)),
        "avim": with_email(world.user(Role.AVIM)),
    }
    others = {
        "sender": with_email(world.user(Role.MUNICIPAL_OFFICER)),
        "other_municipality": with_email(
            world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)
        ),
        "care_coordinator": with_email(world.user(Role.CARE_COORDINATOR)),
        "process_director": with_email(world.user(Role.PROCESS_DIRECTOR)),
        "chain_director": with_email(world.user(Role.CHAIN_DIRECTOR)),
        "policy_analyst": with_email(world.user(Role.POLICY_ANALYST)),
        "privacy_officer": with_email(world.user(Role.PRIVACY_OFFICER)),
        "administrator": with_email(world.user(Role.ADMINISTRATOR)),
        "inactive_vt_staff": UserFactory(
            username="vt-vertrokken",
            role=Role.VT_STAFF,
            organisation=vt_org,
            email="vertrokken@example.nl",
            is_active=False,
        ),
        "vt_of_other_region": with_email(other_world.user(Role.VT_STAFF)),
        "avim_of_other_region": with_email(other_world.user(Role.AVIM)),
    }
    return recipients, others


def acute_signal(world, **overrides) -> Signal:
    return submitted_signal(
        world.user(Role.MUNICIPAL_OFFICER),
        description=DESCRIPTION,
        persons=[person_input(name="Jonas Petrauskas", age_band="16-17")],
        **overrides,
    )


def mailed_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.recipients())


def assert_alerted_once(signal, people):
    recipients, others = people
    for user in recipients.values():
        notices = Notification.objects.filter(recipient=user)
        assert notices.count() == 1, user.role
        assert signal.reference in notices.get().message
    assert not Notification.objects.filter(recipient__in=others.values()).exists()
    assert mailed_to() == sorted(u.email for u in recipients.values())


def test_it_alerts_vt_and_avim_of_the_region_on_commit_when_a_signal_is_marked_acute(
    world, people, django_capture_on_commit_callbacks
):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = acute_signal(world)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.signal_mark_acute(signal=signal, actor=officer, version=signal.version)
        # Nothing goes out before the change is committed.
        assert not Notification.objects.exists()
        assert mail.outbox == []

    assert len(callbacks) == 1
    signal = reload(signal)
    assert signal.is_acute is True
    assert signal.acute_alert_sent_at is not None
    assert_alerted_once(signal, people)
    assert signal.events.filter(kind=EventKind.ACUTE_MARKED, actor=officer).count() == 1


def test_it_mails_the_reference_and_a_link_but_no_personal_data(
    world, people, django_capture_on_commit_callbacks
):
    signal = acute_signal(world)

    with django_capture_on_commit_callbacks(execute=True):
        services.signal_mark_acute(
            signal=signal, actor=world.user(Role.VT_STAFF), version=signal.version
        )

    assert mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert signal.reference in message.subject
        assert signal.reference in message.body
        assert str(signal.public_id) in message.body
        for personal in ("Petrauskas", "Jonas", "autowasserette", "Parallelweg", DESCRIPTION):
            assert personal not in text
    for notice in Notification.objects.all():
        assert "Petrauskas" not in notice.message
        assert "autowasserette" not in notice.message


def test_it_sends_the_alert_only_once_when_the_task_runs_again(
    world, people, django_capture_on_commit_callbacks
):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = acute_signal(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_mark_acute(signal=signal, actor=officer, version=signal.version)
    sent_at = reload(signal).acute_alert_sent_at
    notices, mails = Notification.objects.count(), len(mail.outbox)

    # A retry or a duplicate delivery of the same task.
    again = tasks.send_acute_alert.apply(args=[signal.pk, officer.pk])

    assert again.successful()
    assert again.result == 0
    assert Notification.objects.count() == notices
    assert len(mail.outbox) == mails
    assert reload(signal).acute_alert_sent_at == sent_at
    assert_alerted_once(signal, people)


def test_it_does_not_alert_for_an_acute_draft_until_it_is_submitted(
    world, people, django_capture_on_commit_callbacks
):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer, description=DESCRIPTION)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signal = services.signal_mark_acute(signal=signal, actor=officer, version=signal.version)

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert reload(signal).acute_alert_sent_at is None

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signal = services.signal_submit(signal=signal, actor=officer, version=signal.version)

    assert len(callbacks) == 1
    assert_alerted_once(reload(signal), people)


def test_it_alerts_for_a_draft_logged_as_acute_when_it_is_submitted(
    world, people, django_capture_on_commit_callbacks
):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer, is_acute=True)
    assert not Notification.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        signal = services.signal_submit(signal=signal, actor=officer, version=signal.version)

    assert_alerted_once(reload(signal), people)


def test_it_alerts_when_veilig_thuis_marks_acute_while_editing(
    world, people, django_capture_on_commit_callbacks
):
    vt = world.user(Role.VT_OFFICER)
    signal = acute_signal(world)

    with django_capture_on_commit_callbacks(execute=True):
        services.signal_update(
            signal=signal,
            actor=vt,
            version=signal.version,
            data=signal_input(world.municipality, is_acute=True),
            persons=[],
            places=[],
        )

    assert_alerted_once(reload(signal), people)


def test_it_refuses_to_mark_acute_twice(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = acute_signal(world, is_acute=True)
    version = signal.version

    with pytest.raises(TransitionNotAllowed):
        services.signal_mark_acute(signal=signal, actor=officer, version=version)

    assert reload(signal).version == version


def test_it_refuses_to_mark_acute_by_someone_who_is_not_the_sender_nor_at_the_acute_table(world):
    signal = acute_signal(world)

    with pytest.raises(PermissionDenied):
        services.signal_mark_acute(
            signal=signal,
            actor=world.user(Role.MUNICIPAL_OFFICER, world.other_municipality),
            version=signal.version,
        )

    assert reload(signal).is_acute is False


# --- the acute consultation ------------------------------------------------------------------


def consult(world, signal, *, actor=None, **overrides):
    values = {
        "consulted_at": NOW - timedelta(hours=1),
        "organisations": [
            world.orgs[Organisation.Kind.VEILIG_THUIS],
            world.orgs[Organisation.Kind.POLICE_AVIM],
        ],
        "decision": "Beide jongens vanavond naar de crisisopvang.",
        "shelter_needed": True,
        "follow_up": "Morgen intake door de zorgcoördinator.",
    }
    values.update(overrides)
    return services.acute_consultation_record(
        signal=signal,
        actor=actor or world.user(Role.VT_OFFICER),
        version=reload(signal).version,
        **values,
    )


@pytest.mark.parametrize("role", [Role.VT_STAFF, Role.VT_OFFICER, Role.AVIM])
@pytest.mark.parametrize("registered", [False, True], ids=["submitted", "registered"])
def test_it_records_the_acute_consultation_and_moves_the_signal_to_acute(
    world, time_machine, role, registered
):
    time_machine.move_to(NOW, tick=False)
    officer, vt = world.user(Role.MUNICIPAL_OFFICER), world.user(Role.VT_STAFF)
    signal = (
        registered_signal(officer, vt, is_acute=True)
        if registered
        else acute_signal(world, is_acute=True)
    )
    actor = world.user(role)

    consultation = consult(world, signal, actor=actor)

    signal = reload(signal)
    assert signal.status == Status.ACUTE
    assert consultation.recorded_by == actor
    assert consultation.shelter_needed is True
    assert set(consultation.consulted_organisations.all()) == {
        world.orgs[Organisation.Kind.VEILIG_THUIS],
        world.orgs[Organisation.Kind.POLICE_AVIM],
    }
    assert signal.events.filter(kind=EventKind.ACUTE_CONSULTED, actor=actor).count() == 1
    assert signal.events.filter(to_status=Status.ACUTE).count() == 1


def test_it_records_a_second_consultation_without_moving_the_status_again(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    signal = acute_signal(world, is_acute=True)
    consult(world, signal)

    consult(world, signal, decision="Opvang verlengd.", consulted_at=NOW)

    assert AcuteConsultation.objects.filter(signal=signal).count() == 2
    assert reload(signal).events.filter(to_status=Status.ACUTE).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"organisations": []}, "organisations", "Kies met wie is overlegd."),
        ({"decision": "  "}, "decision", "Leg het besluit vast."),
        (
            {"consulted_at": NOW + timedelta(minutes=5)},
            "consulted_at",
            "Het overleg kan niet in de toekomst liggen.",
        ),
    ],
    ids=["no_organisations", "no_decision", "in_the_future"],
)
def test_it_refuses_an_incomplete_or_future_consultation(
    world, time_machine, overrides, field, message
):
    time_machine.move_to(NOW, tick=False)
    signal = acute_signal(world, is_acute=True)
    before = reload(signal)

    with pytest.raises(ValidationError) as refused:
        consult(world, signal, **overrides)

    assert refused.value.message_dict[field] == [message]
    after = reload(signal)
    assert (after.status, after.version) == (before.status, before.version)
    assert not AcuteConsultation.objects.exists()


def test_it_refuses_organisations_of_another_region(world, other_world, time_machine):
    time_machine.move_to(NOW, tick=False)
    signal = acute_signal(world, is_acute=True)

    with pytest.raises(ValidationError) as refused:
        consult(world, signal, organisations=[other_world.orgs[Organisation.Kind.POLICE_AVIM]])

    assert "organisations" in refused.value.message_dict
    assert not AcuteConsultation.objects.exists()


def test_it_refuses_a_consultation_on_a_signal_that_is_not_acute(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    signal = acute_signal(world)
    before = reload(signal)

    with pytest.raises(TransitionNotAllowed) as refused:
        consult(world, signal)

    assert "acuut" in refused.value.message
    after = reload(signal)
    assert (after.status, after.version) == (before.status, before.version)
    assert not AcuteConsultation.objects.exists()


@pytest.mark.parametrize("role", [Role.MUNICIPAL_OFFICER, Role.CARE_COORDINATOR])
def test_it_refuses_a_consultation_recorded_by_someone_not_at_the_acute_table(
    world, time_machine, role
):
    time_machine.move_to(NOW, tick=False)
    signal = acute_signal(world, is_acute=True)

    with pytest.raises(PermissionDenied):
        consult(world, signal, actor=world.user(role))

    assert not AcuteConsultation.objects.exists()
