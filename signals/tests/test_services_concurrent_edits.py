"""Two people change the same signal at once, from the same version: no update is lost."""

import threading
import time

import pytest
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from signals import services
from signals.models import ClassificationRecord, EventKind, Signal
from signals.services import StaleVersion
from signals.tests.factories import (
    make_signal,
    signal_input,
    submitted_signal,
)

pytestmark = pytest.mark.django_db(transaction=True)


def race(signal: Signal, calls) -> tuple[list[str], list[BaseException]]:
    """Run each ``call(signal, actor)`` in its own thread and connection, all at once."""
    barrier = threading.Barrier(len(calls))
    won: list[str] = []
    lost: list[BaseException] = []

    def run(name, user_pk, call):
        try:
            actor = User.objects.select_related("organisation").get(pk=user_pk)
            # Both read the signal (and its version) before either writes.
            mine = Signal.objects.get(pk=signal.pk)
            barrier.wait(timeout=30)
            call(mine, actor)
            won.append(name)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertions
            lost.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return won, lost


@pytest.fixture
def slow_apply(monkeypatch):
    """Hold the winner inside its transaction a moment, so the other one really has to wait."""
    original = services._apply

    def apply(signal, data):
        time.sleep(0.3)
        original(signal, data)

    monkeypatch.setattr(services, "_apply", apply)


def test_it_lets_one_of_two_simultaneous_updates_win_and_refuses_the_other(world, slow_apply):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    colleague = UserFactory(
        username="collega", role=Role.MUNICIPAL_OFFICER, organisation=world.municipality
    )
    signal = make_signal(officer)
    read_version = signal.version

    def update(text):
        def call(mine, actor):
            services.signal_update(
                signal=mine,
                actor=actor,
                version=read_version,
                data=signal_input(world.municipality, description=text),
                persons=[],
                places=[],
            )

        return call

    won, lost = race(
        signal,
        [
            ("officer", officer.pk, update("Versie van de eerste collega.")),
            ("colleague", colleague.pk, update("Versie van de tweede collega.")),
        ],
    )

    assert len(won) == 1
    assert len(lost) == 1
    assert isinstance(lost[0], StaleVersion)
    fresh = Signal.objects.get(pk=signal.pk)
    expected = {
        "officer": "Versie van de eerste collega.",
        "colleague": "Versie van de tweede collega.",
    }
    assert fresh.description == expected[won[0]]
    assert fresh.version == read_version + 1
    assert fresh.events.filter(kind=EventKind.CHANGED).count() == 1


def test_it_lets_one_of_two_simultaneous_registrations_win_and_refuses_the_other(world):
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    read_version = signal.version

    def register(classification):
        def call(mine, actor):
            services.signal_register(
                signal=mine,
                actor=actor,
                version=read_version,
                preliminary_classification=classification,
            )

        return call

    won, lost = race(
        signal,
        [
            ("staff", world.user(Role.VT_STAFF).pk, register("potential")),
            ("officer", world.user(Role.VT_OFFICER).pk, register("suspected")),
        ],
    )

    assert len(won) == 1
    assert len(lost) == 1
    assert isinstance(lost[0], StaleVersion)
    fresh = Signal.objects.get(pk=signal.pk)
    assert fresh.status == "registered"
    assert (
        fresh.preliminary_classification == {"staff": "potential", "officer": "suspected"}[won[0]]
    )
    assert ClassificationRecord.objects.filter(signal=signal).count() == 1
    assert fresh.events.filter(to_status="registered").count() == 1
