"""Two coordinators at once: no lost update on a trajectory, no overlapping placements."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from cases.models import PhaseChange, Placement, Trajectory
from cases.services import trajectory as services
from cases.tests.test_trajectory_support import (
    coordinated_case,
    coordinator,
    days_ago,
    open_trajectory,
)
from signals.services import StaleVersion

pytestmark = pytest.mark.django_db(transaction=True)


def race(calls) -> tuple[list[str], list[BaseException]]:
    """Run each ``call(actor)`` in its own thread and connection, released together."""
    barrier = threading.Barrier(len(calls))
    won: list[str] = []
    lost: list[BaseException] = []

    def run(name, user_pk, call):
        try:
            actor = User.objects.select_related("organisation").get(pk=user_pk)
            barrier.wait(timeout=30)
            call(actor)
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


def test_two_phase_changes_from_the_same_version_one_wins(world, monkeypatch):
    trajectory = open_trajectory(world)
    original = services.check_phase_transition

    def slow(current, target):
        original(current, target)
        time.sleep(0.3)

    monkeypatch.setattr(services, "check_phase_transition", slow)

    def change(to):
        def call(actor):
            mine = Trajectory.objects.get(pk=trajectory.pk)
            services.trajectory_phase_change(
                trajectory=mine,
                to=to,
                on_date=timezone.localdate(),
                actor=actor,
                version=1,
                outcome="declined" if to == "closed" else "",
            )

        return call

    pk = coordinator(world).pk
    won, lost = race([("intake", pk, change("intake")), ("closed", pk, change("closed"))])

    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], StaleVersion)
    assert Trajectory.objects.get(pk=trajectory.pk).phase == won[0]
    assert PhaseChange.objects.filter(trajectory=trajectory).count() == 2


def test_two_overlapping_placements_for_one_person_at_once_one_is_refused(world, monkeypatch):
    first = open_trajectory(world)
    other_case = coordinated_case(world)
    other_case.case_persons.create(person=first.person)
    second = open_trajectory(world, case=other_case, person=first.person)
    original = services._overlap_error

    def slow(*args, **kwargs):
        found = original(*args, **kwargs)
        time.sleep(0.3)  # holding the person's lock: the other one waits
        return found

    monkeypatch.setattr(services, "_overlap_error", slow)

    def add(trajectory):
        def call(actor):
            services.placement_add(
                trajectory=Trajectory.objects.get(pk=trajectory.pk),
                shelter_type="omm",
                provider="",
                start=days_ago(3),
                actor=actor,
            )

        return call

    pk = coordinator(world).pk
    won, lost = race([("first", pk, add(first)), ("second", pk, add(second))])

    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], ValidationError)
    assert Placement.objects.count() == 1
