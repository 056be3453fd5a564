"""Durations per phase, for the detail page and the region's monitoring (median per phase)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Organisation
from cases.models import PhaseChange, Trajectory
from cases.selectors.trajectory import phase_duration_medians, phase_durations
from cases.tests.test_trajectory_support import add_victims, coordinated_case, coordinator

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)


def _history(world, *changes):
    """A trajectory with the history ``(phase, day offset from START)``, written directly."""
    case = coordinated_case(world)
    last_phase, last_offset = changes[-1]
    trajectory = Trajectory.objects.create(
        case=case,
        person=add_victims(case, 1)[0],
        region=world.region,
        coordinator_organisation=world.orgs[Organisation.Kind.ZVH],
        phase=last_phase,
        phase_since=START + timedelta(days=last_offset),
        outcome="returned" if last_phase == "closed" else "",
        created_by=coordinator(world),
    )
    for phase, offset in changes:
        PhaseChange.objects.create(
            trajectory=trajectory,
            phase=phase,
            entered_on=START + timedelta(days=offset),
            actor=coordinator(world),
        )
    return trajectory


def test_it_counts_days_per_phase_up_to_today_for_the_current_one(world):
    trajectory = _history(
        world,
        ("registration", 0),
        ("intake", 3),
        ("support", 10),
        ("intake", 20),  # stepped back: both intake stays count
    )
    durations = phase_durations(trajectory, today=START + timedelta(days=25))
    assert [(d.phase, d.days, d.current) for d in durations] == [
        ("registration", 3, False),
        ("intake", 7 + 5, True),
        ("support", 10, False),
    ]


def test_a_closed_trajectory_stops_counting(world):
    trajectory = _history(world, ("registration", 0), ("intake", 2), ("closed", 12))
    durations = phase_durations(trajectory, today=START + timedelta(days=400))
    assert [(d.phase, d.days) for d in durations] == [("registration", 2), ("intake", 10)]


def test_the_region_median_counts_finished_phases_only(world, other_world):
    for registration_days in (2, 4, 9):
        _history(world, ("registration", 0), ("intake", registration_days))
    _history(other_world, ("registration", 0), ("intake", 1))  # another region: not counted
    with time_machine.travel(
        datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False
    ):
        medians = {m.phase: m for m in phase_duration_medians(region=world.region)}

    assert (medians["registration"].median_days, medians["registration"].count) == (4, 3)
    # Intake is still running in all three: no finished stay yet.
    assert (medians["intake"].median_days, medians["intake"].count) == (None, 0)


def test_the_region_median_can_be_limited_to_stays_begun_in_a_period(world):
    _history(world, ("registration", 0), ("intake", 5))
    _history(world, ("registration", 40), ("intake", 41))
    medians = {
        m.phase: m
        for m in phase_duration_medians(
            region=world.region, entered_from=START + timedelta(days=30)
        )
    }
    assert (medians["registration"].median_days, medians["registration"].count) == (1, 1)
