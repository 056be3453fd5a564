"""Shielding: the care coordinator sees its organisation's trajectories; a process director only
those of a case granted to its organisation; nobody else any."""

import pytest

from accounts.models import Organisation
from accounts.roles import Role
from accounts.tests.factories import OrganisationFactory
from cases.selectors.trajectory import trajectories_visible_to
from cases.tests.test_trajectory_support import (
    SHIELDED_ROLES,
    coordinated_case,
    coordinator,
    grant,
    open_trajectory,
)

pytestmark = pytest.mark.django_db


def test_the_coordinating_organisation_sees_it(world):
    trajectory = open_trajectory(world)
    assert list(trajectories_visible_to(coordinator(world))) == [trajectory]


def test_another_coordinating_organisation_or_region_does_not(world, other_world):
    open_trajectory(world)
    other_zvh = OrganisationFactory(region=world.region, kind=Organisation.Kind.ZVH)
    assert not trajectories_visible_to(coordinator(world, other_zvh)).exists()
    assert not trajectories_visible_to(coordinator(other_world)).exists()


@pytest.mark.parametrize("role", SHIELDED_ROLES)
def test_no_other_role_sees_it_not_even_with_a_grant(world, role):
    trajectory = open_trajectory(world)
    for organisation in world.orgs.values():
        grant(world, trajectory, organisation)
    assert not trajectories_visible_to(world.user(role)).exists()


def test_a_process_director_sees_it_only_for_a_granted_case(world):
    granted = open_trajectory(world)
    open_trajectory(world, case=coordinated_case(world))  # not referred to the ZVH
    director = world.user(Role.PROCESS_DIRECTOR)
    assert not trajectories_visible_to(director).exists()

    grant(world, granted)

    assert list(trajectories_visible_to(director)) == [granted]


def test_a_grant_to_another_organisation_shows_nothing_to_this_director(world):
    trajectory = open_trajectory(world)
    grant(world, trajectory, OrganisationFactory(region=world.region, kind=Organisation.Kind.ZVH))
    assert not trajectories_visible_to(world.user(Role.PROCESS_DIRECTOR)).exists()
