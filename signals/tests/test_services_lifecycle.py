"""The life cycle of a signal: the transition table, and the services that walk it.

An illegal step is refused with a Dutch message and changes nothing; a legal one appends
exactly one status event saying from where to where and who did it.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.audit import allow_bulk_writes
from accounts.roles import Role
from signals import services
from signals.models import ClassificationRecord, EventKind, Signal, SignalEvent
from signals.tests.factories import (
    make_signal,
    registered_signal,
    reload,
    signal_input,
    submitted_signal,
)
from signals.workflow import ALLOWED_TRANSITIONS, Status, TransitionNotAllowed, check_transition

PAIRS = [(current, target) for current in Status for target in Status]
PAIR_IDS = [f"{current.value}->{target.value}" for current, target in PAIRS]


def snapshot(signal: Signal) -> tuple:
    fresh = reload(signal)
    return fresh.status, fresh.version, fresh.events.count(), fresh.preliminary_classification


def status_events(signal: Signal):
    return SignalEvent.objects.filter(signal=signal).exclude(to_status="").order_by("pk")


# --- the table ----------------------------------------------------------------------------


def test_it_has_a_row_for_every_status():
    assert set(ALLOWED_TRANSITIONS) == set(Status)
    for targets in ALLOWED_TRANSITIONS.values():
        assert targets <= set(Status)


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=PAIR_IDS)
def test_it_allows_exactly_the_transitions_in_the_table(current, target):
    if target in ALLOWED_TRANSITIONS[current]:
        check_transition(current, target)
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            check_transition(current, target)
        assert refused.value.current == current
        assert refused.value.target == target
        assert "kan niet naar" in refused.value.message


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=PAIR_IDS)
def test_it_walks_the_table_through_signal_transition(world, current, target):
    vt = world.user(Role.VT_STAFF)
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    # Test setup only: put the signal in the starting status without walking there.
    with allow_bulk_writes("test set-up"):
        Signal.objects.filter(pk=signal.pk).update(status=current)
    before = snapshot(signal)

    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        if target in ALLOWED_TRANSITIONS[current]:
            services.signal_transition(signal=locked, to=target, actor=vt)
        else:
            with pytest.raises(TransitionNotAllowed):
                services.signal_transition(signal=locked, to=target, actor=vt)

    if target in ALLOWED_TRANSITIONS[current]:
        fresh = reload(signal)
        assert fresh.status == target
        assert fresh.version == before[1] + 1
        assert fresh.events.count() == before[2] + 1
        event = fresh.events.order_by("pk").last()
        assert (event.kind, event.from_status, event.to_status) == (
            EventKind.STATUS,
            current,
            target,
        )
        assert event.actor == vt
        assert event.actor_organisation == vt.organisation
    else:
        assert snapshot(signal) == before


# --- the services -------------------------------------------------------------------------


def test_it_refuses_to_register_a_draft_and_changes_nothing(world):
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    before = snapshot(signal)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.signal_register(
            signal=signal,
            actor=world.user(Role.VT_STAFF),
            version=signal.version,
            preliminary_classification="potential",
        )

    assert "Concept" in refused.value.message
    assert snapshot(signal) == before
    assert not ClassificationRecord.objects.filter(signal=signal).exists()


def test_it_refuses_to_submit_twice(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(officer)
    before = snapshot(signal)
    submitted_at = signal.submitted_at

    with pytest.raises(TransitionNotAllowed):
        services.signal_submit(signal=signal, actor=officer, version=signal.version)

    assert snapshot(signal) == before
    assert reload(signal).submitted_at == submitted_at


def test_it_submits_a_draft_of_the_sender(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    signal = services.signal_submit(signal=signal, actor=officer, version=signal.version)

    fresh = reload(signal)
    assert fresh.status == Status.SUBMITTED
    assert fresh.submitted_at is not None
    assert fresh.version == 2


def test_it_closes_a_draft_internally_for_the_sending_municipal_officer(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    services.signal_close_internally(
        signal=signal, actor=officer, version=signal.version, reason="Via wijkteam opgepakt"
    )

    fresh = reload(signal)
    assert fresh.status == Status.HANDLED_INTERNALLY
    assert fresh.closed_at is not None
    assert "wijkteam" in status_events(signal).last().summary


@pytest.mark.parametrize(
    "who",
    ["officer_of_other_municipality", "vt_staff", "vt_officer", "policy_analyst_same_org"],
)
def test_it_refuses_internal_closing_to_anyone_but_a_municipal_officer_of_the_sender(world, who):
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    actor = {
        "officer_of_other_municipality": lambda: world.user(
            Role.MUNICIPAL_OFFICER, world.other_municipality
        ),
        "vt_staff": lambda: world.user(Role.VT_STAFF),
        "vt_officer": lambda: world.user(Role.VT_OFFICER),
        # A policy analyst works for the same municipality, but does not take in signals.
        "policy_analyst_same_org": lambda: world.user(Role.POLICY_ANALYST, world.municipality),
    }[who]()
    before = snapshot(signal)

    with pytest.raises(PermissionDenied):
        services.signal_close_internally(
            signal=signal, actor=actor, version=signal.version, reason="Afgehandeld"
        )

    assert snapshot(signal) == before


def test_it_refuses_internal_closing_of_a_submitted_signal(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(officer)
    before = snapshot(signal)

    with pytest.raises(TransitionNotAllowed):
        services.signal_close_internally(
            signal=signal, actor=officer, version=signal.version, reason="Afgehandeld"
        )

    assert snapshot(signal) == before


def test_it_requires_a_reason_to_close_internally(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    before = snapshot(signal)

    with pytest.raises(ValidationError) as refused:
        services.signal_close_internally(
            signal=signal, actor=officer, version=signal.version, reason="   "
        )

    assert "reason" in refused.value.message_dict
    assert snapshot(signal) == before


@pytest.mark.parametrize("classification", ["", "maybe", "POTENTIAL"])
def test_it_registers_only_with_a_valid_classification(world, classification):
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    before = snapshot(signal)

    with pytest.raises(ValidationError) as refused:
        services.signal_register(
            signal=signal,
            actor=world.user(Role.VT_STAFF),
            version=signal.version,
            preliminary_classification=classification,
        )

    assert refused.value.message_dict == {
        "preliminary_classification": ["Kies een voorlopige classificatie."]
    }
    assert snapshot(signal) == before
    assert not ClassificationRecord.objects.filter(signal=signal).exists()


@pytest.mark.parametrize("role", [Role.VT_STAFF, Role.VT_OFFICER])
def test_it_registers_with_a_preliminary_classification(world, role):
    vt = world.user(role)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))

    services.signal_register(
        signal=signal, actor=vt, version=signal.version, preliminary_classification="suspected"
    )

    fresh = reload(signal)
    assert fresh.status == Status.REGISTERED
    assert fresh.preliminary_classification == "suspected"
    assert fresh.registered_at is not None
    record = ClassificationRecord.objects.get(signal=signal)
    assert (record.kind, record.value, record.actor) == ("preliminary", "suspected", vt)


@pytest.mark.parametrize("role", [Role.MUNICIPAL_OFFICER, Role.AVIM, Role.CARE_COORDINATOR])
def test_it_refuses_registration_by_someone_outside_veilig_thuis(world, role):
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    before = snapshot(signal)

    with pytest.raises(PermissionDenied):
        services.signal_register(
            signal=signal,
            actor=world.user(role),
            version=signal.version,
            preliminary_classification="potential",
        )

    assert snapshot(signal) == before


def edit(signal, actor, **overrides):
    return services.signal_update(
        signal=signal,
        actor=actor,
        version=signal.version,
        data=signal_input(signal.municipality, source=signal.source, **overrides),
        persons=[],
        places=[],
    )


def test_it_lets_the_sender_edit_its_draft(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    edit(signal, officer, description="Aangevuld na huisbezoek.")

    fresh = reload(signal)
    assert fresh.description == "Aangevuld na huisbezoek."
    assert fresh.version == 2
    assert fresh.events.filter(kind=EventKind.CHANGED, actor=officer).count() == 1


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REGISTERED])
def test_it_refuses_the_sender_editing_a_signal_it_sent(world, status):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(officer)
    if status == Status.REGISTERED:
        signal = services.signal_register(
            signal=signal,
            actor=world.user(Role.VT_STAFF),
            version=signal.version,
            preliminary_classification="potential",
        )
    before = snapshot(signal)

    with pytest.raises(TransitionNotAllowed) as refused:
        edit(signal, officer, description="Achteraf aangepast.")

    assert "kan niet meer worden gewijzigd" in refused.value.message
    assert snapshot(signal) == before
    assert reload(signal).description != "Achteraf aangepast."


@pytest.mark.parametrize("role", [Role.VT_STAFF, Role.VT_OFFICER])
@pytest.mark.parametrize("registered", [False, True], ids=["submitted", "registered"])
def test_it_lets_veilig_thuis_edit_during_intake(world, role, registered):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    vt = world.user(role)
    signal = registered_signal(officer, vt) if registered else submitted_signal(officer)

    edit(signal, vt, description="Aangevuld door Veilig Thuis na telefonisch contact.")

    fresh = reload(signal)
    assert fresh.description.startswith("Aangevuld door Veilig Thuis")
    assert fresh.source == signal.source
    assert fresh.events.filter(kind=EventKind.CHANGED, actor=vt).count() == 1


def test_it_refuses_veilig_thuis_editing_after_screening(world):
    vt = world.user(Role.VT_STAFF)
    signal = registered_signal(world.user(Role.MUNICIPAL_OFFICER), vt)
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        signal = services.signal_transition(signal=locked, to=Status.SCREENED, actor=vt)
    before = snapshot(signal)

    with pytest.raises(TransitionNotAllowed):
        edit(signal, vt, description="Te laat.")

    assert snapshot(signal) == before


def test_it_refuses_editing_another_municipality_s_draft(world):
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    outsider = world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)
    before = snapshot(signal)

    with pytest.raises((TransitionNotAllowed, PermissionDenied)):
        edit(signal, outsider, description="Niet van ons.")

    assert snapshot(signal) == before


@pytest.mark.parametrize("action", ["submit", "update", "mark_acute", "attach"])
def test_it_refuses_a_colleague_who_does_not_take_in_signals(world, settings, tmp_path, action):
    """Same organisation as the sender is not enough: the role must allow intake."""
    settings.MEDIA_ROOT = str(tmp_path)
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    analyst = world.user(Role.POLICY_ANALYST, world.municipality)
    before = snapshot(signal)

    with pytest.raises(PermissionDenied):
        if action == "submit":
            services.signal_submit(signal=signal, actor=analyst, version=signal.version)
        elif action == "update":
            edit(signal, analyst, description="Door beleid aangepast.")
        elif action == "mark_acute":
            services.signal_mark_acute(signal=signal, actor=analyst, version=signal.version)
        else:
            upload = SimpleUploadedFile("verslag.pdf", b"%PDF-1.4\n%%EOF\n")
            services.attachment_add(signal=signal, actor=analyst, upload=upload)

    assert snapshot(signal) == before
    assert reload(signal).is_acute is False
    assert not signal.attachments.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


# --- every transition appends exactly one status event -------------------------------------


def _submit(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    return (
        signal,
        officer,
        lambda: services.signal_submit(signal=signal, actor=officer, version=signal.version),
    )


def _register(world):
    vt = world.user(Role.VT_OFFICER)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    return (
        signal,
        vt,
        lambda: services.signal_register(
            signal=signal, actor=vt, version=signal.version, preliminary_classification="none"
        ),
    )


def _close_internally(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    return (
        signal,
        officer,
        lambda: services.signal_close_internally(
            signal=signal, actor=officer, version=signal.version, reason="Zorgtraject gestart"
        ),
    )


def _acute_consultation(world):
    avim = world.user(Role.AVIM)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER), is_acute=True)
    return (
        signal,
        avim,
        lambda: services.acute_consultation_record(
            signal=signal,
            actor=avim,
            version=signal.version,
            consulted_at=timezone.now(),
            organisations=[world.orgs["veilig_thuis"], avim.organisation],
            decision="Opvang geregeld",
            shelter_needed=True,
        ),
    )


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (_submit, (Status.DRAFT, Status.SUBMITTED)),
        (_register, (Status.SUBMITTED, Status.REGISTERED)),
        (_close_internally, (Status.DRAFT, Status.HANDLED_INTERNALLY)),
        (_acute_consultation, (Status.SUBMITTED, Status.ACUTE)),
    ],
    ids=["submit", "register", "close_internally", "acute_consultation"],
)
def test_it_appends_exactly_one_status_event_per_transition(world, setup, expected):
    signal, actor, transition = setup(world)
    before = list(status_events(signal).values_list("pk", flat=True))

    transition()

    new = list(status_events(signal).exclude(pk__in=before))
    assert len(new) == 1
    event = new[0]
    assert (event.from_status, event.to_status) == expected
    assert event.kind == EventKind.STATUS
    assert event.actor == actor
    assert event.actor_organisation == actor.organisation
    assert reload(signal).status == expected[1]


# --- history is appended, never edited -----------------------------------------------------


def test_it_refuses_to_change_or_delete_a_signal_event(world):
    signal = make_signal(world.user(Role.MUNICIPAL_OFFICER))
    event = signal.events.get()
    original = event.summary

    event.summary = "Herschreven geschiedenis"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()

    assert SignalEvent.objects.get(pk=event.pk).summary == original


def test_it_refuses_to_change_or_delete_a_classification_record(world):
    vt = world.user(Role.VT_STAFF)
    signal = registered_signal(world.user(Role.MUNICIPAL_OFFICER), vt)
    record = ClassificationRecord.objects.get(signal=signal)

    record.value = "actual"
    with pytest.raises(ValueError, match="append-only"):
        record.save()
    with pytest.raises(ValueError, match="append-only"):
        record.delete()

    assert ClassificationRecord.objects.get(pk=record.pk).value == "potential"
