"""Shelter placements: one at a time per person, never ending before they start."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Placement
from cases.services import trajectory as services
from cases.tests.test_trajectory_support import (
    coordinated_case,
    coordinator,
    days_ago,
    open_trajectory,
    reload,
)
from tests.permission_matrix import changed_tables, database_fingerprint

pytestmark = pytest.mark.django_db


def _add(world, trajectory, start, end=None, shelter_type="omm"):
    return services.placement_add(
        trajectory=trajectory,
        shelter_type=shelter_type,
        provider="Opvang Zuid",
        start=start,
        end=end,
        actor=coordinator(world),
    )


def test_it_records_a_placement_without_touching_the_version(world):
    trajectory = open_trajectory(world)
    placement = _add(world, trajectory, days_ago(10))
    assert (placement.shelter_type, placement.end_date) == ("omm", None)
    # Appending overwrites nothing another coordinator may be editing.
    assert reload(trajectory).version == trajectory.version


def test_a_placement_that_ends_before_it_starts_is_refused(world):
    trajectory = open_trajectory(world)
    before = database_fingerprint()
    with pytest.raises(ValidationError) as exc:
        _add(world, trajectory, days_ago(5), end=days_ago(6))
    assert exc.value.message_dict["end_date"] == ["De einddatum ligt vóór de begindatum."]
    assert changed_tables(before, database_fingerprint()) == []


def test_an_overlapping_placement_is_refused(world):
    trajectory = open_trajectory(world)
    _add(world, trajectory, days_ago(20), end=days_ago(10))
    before = database_fingerprint()
    with pytest.raises(ValidationError) as exc:
        _add(world, trajectory, days_ago(15), end=days_ago(5))
    assert "mogen elkaar niet overlappen" in str(exc.value.message_dict["start_date"])
    assert changed_tables(before, database_fingerprint()) == []


def test_a_placement_after_a_running_one_is_refused(world):
    trajectory = open_trajectory(world)
    _add(world, trajectory, days_ago(20))
    with pytest.raises(ValidationError) as exc:
        _add(world, trajectory, days_ago(2), shelter_type="cosm")
    assert "lopende plaatsing" in str(exc.value.message_dict["start_date"])
    assert Placement.objects.count() == 1


def test_overlap_is_checked_across_all_trajectories_of_the_person(world):
    first = open_trajectory(world)
    # The same victim in a second case of the coordinator's organisation.
    other_case = coordinated_case(world)
    other_case.case_persons.create(person=first.person)
    second = open_trajectory(world, case=other_case, person=first.person)
    _add(world, first, days_ago(30))

    with pytest.raises(ValidationError):
        _add(world, second, days_ago(3))
    assert not Placement.objects.filter(trajectory=second).exists()


def test_moving_on_the_day_the_last_stay_ends_is_no_overlap(world):
    trajectory = open_trajectory(world)
    _add(world, trajectory, days_ago(20), end=days_ago(10))
    _add(world, trajectory, days_ago(10))
    assert Placement.objects.count() == 2


def test_ending_a_placement(world):
    trajectory = open_trajectory(world)
    placement = _add(world, trajectory, days_ago(20))
    ended = services.placement_end(
        placement=placement, end=days_ago(1), actor=coordinator(world), version=trajectory.version
    )
    assert ended.end_date == days_ago(1)
    assert reload(trajectory).version == trajectory.version + 1


@pytest.mark.parametrize(
    ("end", "message"),
    [(21, "vóór de begindatum"), (-1, "in de toekomst")],
)
def test_ending_before_the_start_or_in_the_future_is_refused(world, end, message):
    trajectory = open_trajectory(world)
    placement = _add(world, trajectory, days_ago(20))
    before = database_fingerprint()
    with pytest.raises(ValidationError) as exc:
        services.placement_end(
            placement=placement,
            end=days_ago(end),
            actor=coordinator(world),
            version=trajectory.version,
        )
    assert message in str(exc.value.message_dict["end_date"])
    assert changed_tables(before, database_fingerprint()) == []


def test_an_ended_placement_is_not_ended_again(world):
    trajectory = open_trajectory(world)
    placement = _add(world, trajectory, days_ago(20), end=days_ago(5))
    with pytest.raises(ValidationError) as exc:
        services.placement_end(
            placement=placement,
            end=days_ago(1),
            actor=coordinator(world),
            version=trajectory.version,
        )
    assert "al beëindigd" in str(exc.value.message_dict["end_date"])
    assert Placement.objects.get().end_date == days_ago(5)


def test_an_unknown_shelter_type_and_an_implausible_year_are_refused(world):
    trajectory = open_trajectory(world)
    from datetime import date

    with pytest.raises(ValidationError) as exc:
        _add(world, trajectory, date(1202, 3, 1), shelter_type="hotel")
    assert set(exc.value.message_dict) == {"shelter_type", "start_date"}
