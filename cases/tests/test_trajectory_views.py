"""The trajectory pages: work list by phase, detail, the forms, and 404 for everybody else."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLogEntry
from accounts.roles import Role
from cases.models import Placement, Trajectory
from cases.services import trajectory as services
from cases.tests.test_trajectory_support import (
    SHIELDED_ROLES,
    access_entries,
    coordinated_case,
    coordinator,
    days_ago,
    grant,
    open_trajectory,
    reload,
)
from cases.workflow import Phase
from tests.permission_matrix import changed_tables, database_fingerprint

pytestmark = pytest.mark.django_db

LIST = reverse("trajectories:list")


def detail_url(trajectory):
    return reverse("trajectories:detail", kwargs={"public_id": trajectory.public_id})


def step_url(name, trajectory, **kwargs):
    return reverse(f"trajectories:{name}", kwargs={"public_id": trajectory.public_id, **kwargs})


# --- the work list ------------------------------------------------------------------------------


def test_the_work_list_shows_trajectories_by_phase_with_counts(world, login):
    first = open_trajectory(world)
    second = open_trajectory(world)
    services.trajectory_phase_change(
        trajectory=second,
        to=Phase.INTAKE,
        on_date=timezone.localdate(),
        actor=coordinator(world),
        version=second.version,
    )
    client = login(coordinator(world))

    everything = client.get(LIST).content.decode()
    intake = client.get(LIST, {"phase": "intake"}).content.decode()

    assert "Aanmelding (1)" in everything and "Intake (1)" in everything
    assert "Alle fasen (2)" in everything
    assert first.case.reference in everything and second.case.reference in everything
    assert second.case.reference in intake and first.case.reference not in intake


def test_the_work_list_searches_by_case_reference(world, login):
    first = open_trajectory(world)
    second = open_trajectory(world)
    html = login(coordinator(world)).get(LIST, {"q": first.case.reference}).content.decode()
    assert first.case.reference in html and second.case.reference not in html
    entry = access_entries(Trajectory, AuditLogEntry.AccessKind.SEARCH).get()
    assert entry.additional_data["object_ids"] == [str(first.public_id)]
    assert first.case.reference not in str(entry.additional_data)


def test_the_work_list_logs_the_ids_shown(world, login):
    trajectory = open_trajectory(world)
    login(coordinator(world)).get(LIST)
    entry = access_entries(Trajectory, AuditLogEntry.AccessKind.LIST).get()
    assert entry.additional_data["object_ids"] == [str(trajectory.public_id)]
    assert entry.actor == coordinator(world)


# --- shielding ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", SHIELDED_ROLES)
def test_every_other_role_gets_404_on_list_and_detail(world, login, role):
    trajectory = open_trajectory(world)
    grant(world, trajectory, world.user(role).organisation)
    client = login(world.user(role))
    for url in (
        LIST,
        f"{LIST}?phase=intake",
        detail_url(trajectory),
        reverse("trajectories:capacity"),
        reverse("trajectories:open", kwargs={"case_id": trajectory.case.public_id}),
    ):
        assert client.get(url).status_code == 404, url
    assert not access_entries(Trajectory).exists()


def test_a_process_director_reads_a_granted_trajectory_without_forms(world, login):
    trajectory = open_trajectory(world)
    client = login(world.user(Role.PROCESS_DIRECTOR))
    assert client.get(detail_url(trajectory)).status_code == 404
    grant(world, trajectory)

    response = client.get(detail_url(trajectory))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Alleen inzien" in html
    assert step_url("phase", trajectory) not in html
    assert client.post(step_url("phase", trajectory), {}).status_code == 403


def test_the_detail_logs_the_read_with_the_person(world, login):
    trajectory = open_trajectory(world)
    login(coordinator(world)).get(detail_url(trajectory))
    entry = access_entries(Trajectory, AuditLogEntry.AccessKind.READ).get()
    assert entry.object_pk == str(trajectory.pk)
    assert entry.additional_data["person"] == str(trajectory.person.public_id)


# --- the forms ----------------------------------------------------------------------------------


def test_opening_from_a_case(world, login):
    case = coordinated_case(world)
    person = case.persons.get()
    client = login(coordinator(world))
    url = reverse("trajectories:open", kwargs={"case_id": case.public_id})

    page = client.get(url, {"persoon": str(person.public_id)})
    response = client.post(url, {"person": str(person.public_id)})

    assert page.status_code == 200 and person.name in page.content.decode()
    trajectory = Trajectory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(trajectory)


def test_a_phase_change_through_the_form(world, login):
    trajectory = open_trajectory(world)
    response = login(coordinator(world)).post(
        step_url("phase", trajectory),
        {
            "phase-to": "intake",
            "phase-on_date": timezone.localdate().isoformat(),
            "phase-version": trajectory.version,
        },
    )
    assert response.status_code == 302
    assert reload(trajectory).phase == Phase.INTAKE


def test_an_illegal_phase_answers_409_with_the_reason(world, login):
    trajectory = open_trajectory(world)
    client = login(coordinator(world))
    before = database_fingerprint()
    response = client.post(
        step_url("phase", trajectory),
        {
            "phase-to": "aftercare",
            "phase-on_date": timezone.localdate().isoformat(),
            "phase-version": trajectory.version,
        },
    )
    assert response.status_code == 409
    assert "kan niet naar" in response.content.decode()
    # Only the read of the page shown again is logged (and the session touched).
    assert set(changed_tables(before, database_fingerprint())) <= {
        "accounts_auditlogentry",
        "django_session",
    }
    assert reload(trajectory).phase == Phase.REGISTRATION


def test_closing_without_outcome_shows_the_message_on_the_field(world, login):
    trajectory = open_trajectory(world)
    response = login(coordinator(world)).post(
        step_url("phase", trajectory),
        {
            "phase-to": "closed",
            "phase-on_date": timezone.localdate().isoformat(),
            "phase-version": trajectory.version,
        },
    )
    assert response.status_code == 400
    assert "Kies de uitkomst om het zorgtraject af te sluiten." in response.content.decode()
    assert reload(trajectory).phase == Phase.REGISTRATION


def test_a_placement_that_ends_before_it_starts_is_refused_with_a_message(world, login):
    trajectory = open_trajectory(world)
    response = login(coordinator(world)).post(
        step_url("placement_add", trajectory),
        {
            "placement-shelter_type": "omm",
            "placement-start_date": days_ago(2).isoformat(),
            "placement-end_date": days_ago(5).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()
    assert not Placement.objects.exists()


def test_an_overlapping_placement_is_refused_with_a_message(world, login):
    trajectory = open_trajectory(world)
    client = login(coordinator(world))
    data = {"placement-shelter_type": "omm", "placement-start_date": days_ago(9).isoformat()}
    assert client.post(step_url("placement_add", trajectory), data).status_code == 302

    response = client.post(
        step_url("placement_add", trajectory),
        {"placement-shelter_type": "cosm", "placement-start_date": days_ago(1).isoformat()},
    )

    assert response.status_code == 400
    assert "lopende plaatsing" in response.content.decode()
    assert Placement.objects.count() == 1


def test_ending_a_placement_reflection_care_meeting_and_comensha(world, login):
    trajectory = open_trajectory(world)
    placement = services.placement_add(
        trajectory=trajectory,
        shelter_type="emergency_bed",
        provider="",
        start=days_ago(20),
        actor=coordinator(world),
    )
    client = login(coordinator(world))

    responses = [
        client.post(
            step_url("placement_end", trajectory, placement_id=placement.public_id),
            {"end-end_date": days_ago(2).isoformat(), "end-version": 1},
        ),
        client.post(
            step_url("reflection", trajectory),
            {"reflection-reflection_start": days_ago(3).isoformat(), "reflection-version": 2},
        ),
        client.post(
            step_url("care_meeting", trajectory),
            {
                "meeting-held_on": days_ago(1).isoformat(),
                "meeting-participants": "ZoCo, COSM",
                "meeting-agreements": "Intake plannen.",
            },
        ),
        client.post(
            step_url("comensha", trajectory),
            {
                "comensha-reported_to_comensha_on": days_ago(1).isoformat(),
                "comensha-version": 3,
            },
        ),
    ]

    assert [r.status_code for r in responses] == [302, 302, 302, 302]
    trajectory = reload(trajectory)
    assert trajectory.placements.get().end_date == days_ago(2)
    assert trajectory.reflection_start == days_ago(3)
    assert trajectory.care_meetings.count() == 1
    assert trajectory.reported_to_comensha_on == days_ago(1)
    html = client.get(detail_url(trajectory)).content.decode()
    assert trajectory.reflection_end.strftime("%Y") in html
    assert "Herinnering op" in html


def test_a_stale_form_answers_409(world, login):
    trajectory = open_trajectory(world)
    response = login(coordinator(world)).post(
        step_url("reflection", trajectory),
        {"reflection-reflection_start": days_ago(3).isoformat(), "reflection-version": 7},
    )
    assert response.status_code == 409
    assert "intussen door iemand anders gewijzigd" in response.content.decode()
    assert reload(trajectory).reflection_start is None


def test_capacity_overview_and_settings(world, login):
    trajectory = open_trajectory(world)
    services.placement_add(
        trajectory=trajectory,
        shelter_type="emergency_bed",
        provider="",
        start=days_ago(20),
        actor=coordinator(world),
    )
    client = login(coordinator(world))
    saved = client.post(
        reverse("trajectories:capacity_settings"), {"emergency_bed": "4", "omm": "2"}
    )
    page = client.get(reverse("trajectories:capacity")).content.decode()

    assert saved.status_code == 302
    assert "langer dan 14 dagen" in page
    assert trajectory.case.reference in page
    refused = client.post(reverse("trajectories:capacity_settings"), {"omm": "-3"})
    assert refused.status_code == 400
