"""The case page's trajectory panel: shown to the care coordinator (and a granted process
director), rendered as nothing at all for every other reader of the case."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from accounts.models import AuditLogEntry
from accounts.roles import Role
from cases.models import Trajectory
from cases.tests.test_trajectory_support import (
    SHIELDED_ROLES,
    access_entries,
    coordinated_case,
    coordinator,
    grant,
    open_trajectory,
)

pytestmark = pytest.mark.django_db


def panel(case, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "trajectories/_case_panel.html", {"case": case, "request": request}, request=request
    )


def test_the_coordinator_sees_the_trajectories_and_can_open_one_for_another_victim(world):
    trajectory = open_trajectory(world)
    case = trajectory.case
    other = case.case_persons.create(
        person=trajectory.person.__class__.objects.create(region=world.region, name="Maria Jansen")
    ).person

    html = panel(case, coordinator(world))

    assert reverse("trajectories:detail", kwargs={"public_id": trajectory.public_id}) in html
    assert f"?persoon={other.public_id}" in html
    assert f"?persoon={trajectory.person.public_id}" not in html  # already has one
    entry = access_entries(Trajectory, AuditLogEntry.AccessKind.LIST).get()
    assert entry.additional_data["object_ids"] == [str(trajectory.public_id)]


def test_a_case_without_trajectories_offers_opening_one(world):
    case = coordinated_case(world)
    html = panel(case, coordinator(world))
    assert reverse("trajectories:open", kwargs={"case_id": case.public_id}) in html
    assert not access_entries(Trajectory).exists()


@pytest.mark.parametrize("role", SHIELDED_ROLES)
def test_every_other_reader_gets_nothing(world, role):
    trajectory = open_trajectory(world)
    grant(world, trajectory, world.user(role).organisation)
    assert panel(trajectory.case, world.user(role)).strip() == ""
    assert not access_entries(Trajectory).exists()


def test_a_process_director_sees_it_only_once_granted(world):
    trajectory = open_trajectory(world)
    director = world.user(Role.PROCESS_DIRECTOR)
    assert panel(trajectory.case, director).strip() == ""
    grant(world, trajectory)
    html = panel(trajectory.case, director)
    assert trajectory.person.name in html
    assert "Zorgtraject openen" not in html


@pytest.mark.parametrize("role", [Role.VT_STAFF, Role.VT_OFFICER])
def test_the_case_page_never_shows_the_trajectory_to_veilig_thuis(world, login, role):
    try:
        url = reverse("cases:detail", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"})
    except NoReverseMatch:
        pytest.skip("the case page is not mounted in this tree")
    trajectory = open_trajectory(world)
    url = url.replace("00000000-0000-0000-0000-000000000000", str(trajectory.case.public_id))
    response = login(world.user(role)).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(trajectory.public_id) not in html
    assert "trajectories-title" not in html
