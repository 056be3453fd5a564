"""Phases: every step of PHASE_TRANSITIONS, closing with an outcome, refusals that change nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from cases.models import CaseEvent, CaseEventKind, PhaseChange, Trajectory
from cases.services import trajectory as services
from cases.tests.test_trajectory_support import (
    coordinator,
    days_ago,
    grant,
    open_trajectory,
    reload,
)
from cases.workflow import PHASE_TRANSITIONS, Phase
from signals.services import StaleVersion
from signals.workflow import TransitionNotAllowed
from tests.permission_matrix import changed_tables, database_fingerprint

pytestmark = pytest.mark.django_db

# A way into each phase from registration, along allowed steps.
PATH = {
    Phase.REGISTRATION: [],
    Phase.INTAKE: [Phase.INTAKE],
    Phase.SUPPORT: [Phase.INTAKE, Phase.SUPPORT],
    Phase.AFTERCARE: [Phase.INTAKE, Phase.SUPPORT, Phase.AFTERCARE],
}
STEPS = [
    (current, target, target in PHASE_TRANSITIONS[current]) for current in PATH for target in Phase
]


def _change(world, trajectory, to, **kwargs):
    trajectory = reload(trajectory)
    kwargs.setdefault("on_date", timezone.localdate())
    if to == Phase.CLOSED:
        kwargs.setdefault("outcome", "safe_and_stable")
    return services.trajectory_phase_change(
        trajectory=trajectory,
        to=to,
        actor=coordinator(world),
        version=trajectory.version,
        **kwargs,
    )


def _in_phase(world, phase):
    trajectory = open_trajectory(world)
    for step in PATH[phase]:
        trajectory = _change(world, trajectory, step)
    return trajectory


@pytest.mark.parametrize(("current", "target", "allowed"), STEPS)
def test_the_steps_are_those_of_phase_transitions(world, current, target, allowed):
    trajectory = _in_phase(world, current)
    if allowed:
        changed = _change(world, trajectory, target)
        assert changed.phase == target
        assert reload(trajectory).phase == target
        return
    before = database_fingerprint()
    with pytest.raises(TransitionNotAllowed) as exc:
        _change(world, trajectory, target)
    assert "kan niet naar" in exc.value.message
    assert changed_tables(before, database_fingerprint()) == []


def test_a_phase_change_appends_history_bumps_the_version_and_says_only_that_it_changed(world):
    trajectory = open_trajectory(world)
    changed = _change(world, trajectory, Phase.INTAKE)

    assert changed.version == trajectory.version + 1
    assert [c.phase for c in PhaseChange.objects.filter(trajectory=trajectory)] == [
        Phase.REGISTRATION,
        Phase.INTAKE,
    ]
    summaries = CaseEvent.objects.filter(
        case=trajectory.case, kind=CaseEventKind.TRAJECTORY
    ).values_list("summary", flat=True)
    assert list(summaries) == ["Zorgtraject geopend", "Zorgtraject bijgewerkt"]


def test_closing_without_an_outcome_is_refused_and_changes_nothing(world):
    trajectory = _in_phase(world, Phase.SUPPORT)
    before = database_fingerprint()

    with pytest.raises(ValidationError) as exc:
        _change(world, trajectory, Phase.CLOSED, outcome="")

    assert exc.value.message_dict["outcome"] == [
        "Kies de uitkomst om het zorgtraject af te sluiten."
    ]
    assert changed_tables(before, database_fingerprint()) == []


def test_closing_with_a_running_placement_is_refused(world):
    trajectory = open_trajectory(world)
    services.placement_add(
        trajectory=trajectory,
        shelter_type="omm",
        provider="",
        start=days_ago(3),
        actor=coordinator(world),
    )
    with pytest.raises(ValidationError) as exc:
        _change(world, trajectory, Phase.CLOSED)
    assert "lopende opvangplaatsing" in " ".join(exc.value.messages)
    assert reload(trajectory).phase == Phase.REGISTRATION


def test_closing_records_the_outcome_and_then_nothing_changes_any_more(world):
    trajectory = _in_phase(world, Phase.AFTERCARE)
    closed = _change(world, trajectory, Phase.CLOSED, outcome="returned", outcome_note="Terug.")
    assert (closed.phase, closed.outcome, closed.outcome_note) == ("closed", "returned", "Terug.")

    with pytest.raises(TransitionNotAllowed) as exc:
        services.reflection_period_set(
            trajectory=closed,
            start=days_ago(1),
            actor=coordinator(world),
            version=closed.version,
        )
    assert "afgesloten" in exc.value.message


def test_an_outcome_belongs_to_closing_only(world):
    trajectory = open_trajectory(world)
    with pytest.raises(ValidationError) as exc:
        _change(world, trajectory, Phase.INTAKE, outcome="returned")
    assert "outcome" in exc.value.message_dict


@pytest.mark.parametrize(
    ("offset", "message"),
    [(1, "in de toekomst"), (-1, "vóór het begin van de huidige fase")],
)
def test_the_date_lies_between_the_current_phase_and_today(world, offset, message):
    trajectory = open_trajectory(world)  # registration since today
    with pytest.raises(ValidationError) as exc:
        _change(world, trajectory, Phase.INTAKE, on_date=timezone.localdate() + timedelta(offset))
    assert message in str(exc.value.message_dict["on_date"])
    assert reload(trajectory).phase == Phase.REGISTRATION


def test_a_stale_version_is_refused(world):
    trajectory = open_trajectory(world)
    _change(world, trajectory, Phase.INTAKE)
    with pytest.raises(StaleVersion) as exc:
        services.trajectory_phase_change(
            trajectory=trajectory,
            to=Phase.SUPPORT,
            on_date=timezone.localdate(),
            actor=coordinator(world),
            version=trajectory.version,  # the version read before the first change
        )
    assert exc.value.current == trajectory.version + 1
    assert reload(trajectory).phase == Phase.INTAKE


def test_a_process_director_with_access_may_not_change_it(world):
    trajectory = open_trajectory(world)
    grant(world, trajectory)
    with pytest.raises(PermissionDenied):
        services.trajectory_phase_change(
            trajectory=trajectory,
            to=Phase.INTAKE,
            on_date=timezone.localdate(),
            actor=world.user(Role.PROCESS_DIRECTOR),
            version=trajectory.version,
        )


def test_a_failure_after_the_history_row_rolls_everything_back(world, monkeypatch):
    trajectory = open_trajectory(world)
    before = database_fingerprint()

    def boom(**kwargs):
        raise RuntimeError("timeline unavailable")

    monkeypatch.setattr(services, "case_event_append", boom)
    with pytest.raises(RuntimeError):
        _change(world, trajectory, Phase.INTAKE)

    assert changed_tables(before, database_fingerprint()) == []
    assert Trajectory.objects.get(pk=trajectory.pk).phase == Phase.REGISTRATION
