"""Opening a trajectory: the care coordinator, for a victim of a case it sees."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import CaseEvent, CaseEventKind, PhaseChange, Trajectory
from cases.services import trajectory as services
from cases.tests.factories import make_case
from cases.tests.test_trajectory_support import (
    add_victims,
    coordinated_case,
    coordinator,
    open_trajectory,
)
from cases.workflow import Phase
from tests.permission_matrix import changed_tables, database_fingerprint

pytestmark = pytest.mark.django_db


def test_it_opens_in_registration_with_a_phase_change_and_a_bare_case_event(world):
    case = coordinated_case(world)
    person = case.persons.get()

    trajectory = services.trajectory_open(case=case, person=person, actor=coordinator(world))

    assert trajectory.phase == Phase.REGISTRATION
    assert trajectory.coordinator_organisation == world.orgs[Organisation.Kind.ZVH]
    assert trajectory.region == world.region
    assert list(
        PhaseChange.objects.filter(trajectory=trajectory).values_list("phase", flat=True)
    ) == [Phase.REGISTRATION]
    event = CaseEvent.objects.filter(case=case, kind=CaseEventKind.TRAJECTORY).get()
    # The case's readers learn that a trajectory exists, nothing about it (no name, no phase).
    assert event.summary == "Zorgtraject geopend"


def test_it_refuses_a_person_who_is_not_in_the_case(world):
    case = coordinated_case(world)
    stranger = add_victims(coordinated_case(world), 1)[0]
    actor = coordinator(world)
    before = database_fingerprint()

    with pytest.raises(ValidationError) as exc:
        services.trajectory_open(case=case, person=stranger, actor=actor)

    assert "hoort niet bij de casus" in str(exc.value.message_dict["person"])
    assert changed_tables(before, database_fingerprint()) == []


def test_it_refuses_a_second_running_trajectory_for_the_same_person_and_case(world):
    trajectory = open_trajectory(world)

    with pytest.raises(ValidationError) as exc:
        open_trajectory(world, case=trajectory.case, person=trajectory.person)

    assert "loopt al een zorgtraject" in str(exc.value.message_dict["person"])
    assert Trajectory.objects.count() == 1


def test_it_refuses_a_case_the_coordinator_does_not_see(world):
    case = make_case(world)  # led by the municipality
    with pytest.raises(PermissionDenied):
        services.trajectory_open(case=case, person=case.persons.get(), actor=coordinator(world))
    assert not Trajectory.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.CARE_COORDINATOR])
def test_only_the_care_coordinator_opens_one(world, role):
    case = coordinated_case(world)
    with pytest.raises(PermissionDenied):
        services.trajectory_open(case=case, person=case.persons.get(), actor=world.user(role))
    assert not Trajectory.objects.exists()
