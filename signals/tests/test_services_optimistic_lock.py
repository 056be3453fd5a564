"""Optimistic lock: a change based on a version somebody else already replaced is refused."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from signals import services
from signals.models import AcuteConsultation, ClassificationRecord, Signal
from signals.services import StaleVersion
from signals.tests.factories import make_signal, reload, signal_input, submitted_signal


def state(signal: Signal) -> dict:
    fresh = reload(signal)
    return {
        "status": fresh.status,
        "version": fresh.version,
        "description": fresh.description,
        "is_acute": fresh.is_acute,
        "preliminary_classification": fresh.preliminary_classification,
        "events": fresh.events.count(),
        "persons": list(fresh.involvements.values_list("person__name", flat=True)),
    }


def edit(signal: Signal, actor, *, version: int, description: str) -> Signal:
    return services.signal_update(
        signal=signal,
        actor=actor,
        version=version,
        data=signal_input(signal.municipality, source=signal.source, description=description),
        persons=[],
        places=[],
    )


def test_it_refuses_an_update_based_on_a_stale_version(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    read_version = signal.version
    edit(signal, officer, version=read_version, description="Eerste aanvulling.")
    before = state(signal)

    with pytest.raises(StaleVersion) as refused:
        edit(signal, officer, version=read_version, description="Tweede, op oude gegevens.")

    assert refused.value.current == read_version + 1
    assert "gewijzigd" in refused.value.message
    assert state(signal) == before
    assert before["description"] == "Eerste aanvulling."


def test_it_refuses_a_submit_based_on_a_stale_version(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    read_version = signal.version
    edit(signal, officer, version=read_version, description="Aangevuld door een collega.")
    before = state(signal)

    with pytest.raises(StaleVersion):
        services.signal_submit(signal=signal, actor=officer, version=read_version)

    assert state(signal) == before
    assert before["status"] == "draft"


def test_it_refuses_a_registration_based_on_a_stale_version(world):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    read_version = signal.version
    edit(signal, vt, version=read_version, description="Aangevuld door een collega van VT.")
    before = state(signal)

    with pytest.raises(StaleVersion):
        services.signal_register(
            signal=signal,
            actor=world.user(Role.VT_OFFICER),
            version=read_version,
            preliminary_classification="potential",
        )

    assert state(signal) == before
    assert before["status"] == "submitted"
    assert not ClassificationRecord.objects.filter(signal=signal).exists()


def test_it_refuses_marking_acute_based_on_a_stale_version(world):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    read_version = signal.version
    edit(signal, vt, version=read_version, description="Aangevuld.")
    before = state(signal)

    with pytest.raises(StaleVersion):
        services.signal_mark_acute(signal=signal, actor=vt, version=read_version)

    assert state(signal) == before


def test_it_refuses_an_acute_consultation_based_on_a_stale_version(world):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER), is_acute=True)
    read_version = signal.version
    edit(signal, vt, version=read_version, description="Aangevuld.")
    before = state(signal)

    with pytest.raises(StaleVersion):
        services.acute_consultation_record(
            signal=signal,
            actor=vt,
            version=read_version,
            consulted_at=timezone.now(),
            organisations=[vt.organisation],
            decision="Opvang",
            shelter_needed=True,
        )

    assert state(signal) == before
    assert not AcuteConsultation.objects.exists()


def test_it_refuses_closing_internally_based_on_a_stale_version(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    read_version = signal.version
    edit(signal, officer, version=read_version, description="Aangevuld.")
    before = state(signal)

    with pytest.raises(StaleVersion):
        services.signal_close_internally(
            signal=signal, actor=officer, version=read_version, reason="Intern"
        )

    assert state(signal) == before


def test_it_accepts_the_current_version_and_moves_it_on(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    signal = edit(signal, officer, version=1, description="Aangevuld.")
    signal = services.signal_submit(signal=signal, actor=officer, version=2)

    assert reload(signal).version == 3
