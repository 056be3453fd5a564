"""``/api/v1/trajectories/``: the care coordinator's, a granted process director reads, 404 for
everybody else; refusals with precise 4xx and nothing changed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLogEntry
from accounts.roles import Role
from cases.models import CareMeeting, Placement, Trajectory
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
from tests.permission_matrix import changed_tables, database_fingerprint

pytestmark = pytest.mark.django_db

LIST = reverse("api:trajectory-list")


def url(name, trajectory, **kwargs):
    return reverse(f"api:trajectory-{name}", kwargs={"public_id": trajectory.public_id, **kwargs})


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_it_opens_lists_and_retrieves(world, login):
    case = coordinated_case(world)
    client = login(coordinator(world))

    created = post(
        client, LIST, {"case": str(case.public_id), "person": str(case.persons.get().public_id)}
    )
    listed = client.get(LIST)
    trajectory = Trajectory.objects.get()
    detail = client.get(url("detail", trajectory))

    assert created.status_code == 201, created.json()
    assert created["Location"].endswith(url("detail", trajectory))
    assert [row["id"] for row in listed.json()["results"]] == [str(trajectory.public_id)]
    body = detail.json()
    assert body["phase"] == "registration"
    assert body["phase_history"] == [
        {"phase": "registration", "entered_on": timezone.localdate().isoformat()}
    ]
    assert body["phase_durations"] == [{"phase": "registration", "days": 0, "current": True}]


def test_it_filters_the_list_by_phase(world, login):
    open_trajectory(world)
    client = login(coordinator(world))
    assert client.get(LIST, {"phase": "intake"}).json()["results"] == []
    assert client.get(LIST, {"phase": "bogus"}).status_code == 400


def test_it_runs_every_step(world, login):
    trajectory = open_trajectory(world)
    client = login(coordinator(world))

    phase = post(
        client,
        url("phase", trajectory),
        {"to": "intake", "on_date": timezone.localdate().isoformat(), "version": 1},
    )
    placement = post(
        client,
        url("placements", trajectory),
        {"shelter_type": "omm", "start_date": days_ago(4).isoformat()},
    )
    placement_id = placement.json()["id"]
    ended = post(
        client,
        url("placement-end", trajectory, placement_id=placement_id),
        {"end_date": days_ago(1).isoformat(), "version": 2},
    )
    reflection = post(
        client,
        url("reflection-period", trajectory),
        {"reflection_start": days_ago(2).isoformat(), "version": 3},
    )
    meeting = post(
        client,
        url("care-meetings", trajectory),
        {"held_on": days_ago(1).isoformat(), "participants": "ZoCo", "agreements": "Intake."},
    )
    comensha = post(
        client,
        url("comensha-reported", trajectory),
        {"reported_to_comensha_on": days_ago(1).isoformat(), "version": 4},
    )

    assert [r.status_code for r in (phase, placement, ended, reflection, meeting, comensha)] == [
        200,
        201,
        200,
        200,
        201,
        200,
    ]
    assert reflection.json()["reflection_end"] is not None
    assert reflection.json()["reflection_reminder_on"] is not None
    assert (
        client.get(url("placements", trajectory)).json()[0]["end_date"] == days_ago(1).isoformat()
    )
    assert len(client.get(url("care-meetings", trajectory)).json()) == 1
    assert reload(trajectory).version == 5


def test_refusals_are_precise_and_change_nothing(world, login):
    trajectory = open_trajectory(world)
    client = login(coordinator(world))
    post(
        client,
        url("placements", trajectory),
        {"shelter_type": "omm", "start_date": days_ago(10).isoformat()},
    )
    before = database_fingerprint()

    end_before_start = post(
        client,
        url("placements", trajectory),
        {
            "shelter_type": "cosm",
            "start_date": days_ago(20).isoformat(),
            "end_date": days_ago(25).isoformat(),
        },
    )
    overlap = post(
        client,
        url("placements", trajectory),
        {"shelter_type": "cosm", "start_date": days_ago(2).isoformat()},
    )
    illegal = post(
        client,
        url("phase", trajectory),
        {"to": "aftercare", "on_date": timezone.localdate().isoformat(), "version": 1},
    )
    no_outcome = post(
        client,
        url("phase", trajectory),
        {"to": "closed", "on_date": timezone.localdate().isoformat(), "version": 1},
    )
    stale = post(
        client,
        url("reflection-period", trajectory),
        {"reflection_start": days_ago(2).isoformat(), "version": 9},
    )
    unknown_field = post(
        client,
        url("comensha-reported", trajectory),
        {"reported_to_comensha_on": days_ago(1).isoformat(), "version": 1, "phase": "closed"},
    )

    assert end_before_start.status_code == 400
    assert end_before_start.json()["end_date"] == ["De einddatum ligt vóór de begindatum."]
    assert overlap.status_code == 400 and "lopende plaatsing" in overlap.json()["start_date"][0]
    assert illegal.status_code == 409 and illegal.json()["code"] == "transition_not_allowed"
    assert no_outcome.status_code == 400 and "outcome" in no_outcome.json()
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    assert unknown_field.status_code == 400 and "phase" in unknown_field.json()
    assert changed_tables(before, database_fingerprint()) == []
    assert Placement.objects.count() == 1


def test_create_refuses_a_case_it_does_not_see_and_a_stranger(world, login):
    from cases.tests.factories import make_case

    client = login(coordinator(world))
    hidden = make_case(world)
    case = coordinated_case(world)
    refused_case = post(
        client, LIST, {"case": str(hidden.public_id), "person": str(hidden.persons.get().public_id)}
    )
    refused_person = post(
        client, LIST, {"case": str(case.public_id), "person": str(hidden.persons.get().public_id)}
    )
    assert refused_case.status_code == 400 and "case" in refused_case.json()
    assert refused_person.status_code == 400 and "person" in refused_person.json()
    assert not Trajectory.objects.exists()


@pytest.mark.parametrize("role", SHIELDED_ROLES)
def test_every_other_role_gets_404_everywhere(world, login, role):
    trajectory = open_trajectory(world)
    grant(world, trajectory, world.user(role).organisation)
    client = login(world.user(role))
    for path in (
        LIST,
        url("detail", trajectory),
        url("placements", trajectory),
        url("care-meetings", trajectory),
    ):
        assert client.get(path).status_code == 404, path
    case = trajectory.case
    body = {"case": str(case.public_id), "person": str(case.persons.get().public_id)}
    assert post(client, LIST, body).status_code == 404
    assert post(client, url("phase", trajectory), {}).status_code == 404
    assert not access_entries(Trajectory).exists()


def test_a_granted_process_director_reads_but_does_not_change(world, login):
    trajectory = open_trajectory(world)
    client = login(world.user(Role.PROCESS_DIRECTOR))
    assert client.get(url("detail", trajectory)).status_code == 404
    grant(world, trajectory)

    assert client.get(LIST).json()["count"] == 1
    assert client.get(url("detail", trajectory)).status_code == 200
    assert client.get(url("placements", trajectory)).status_code == 200
    assert post(client, url("phase", trajectory), {}).status_code == 403
    assert post(client, url("care-meetings", trajectory), {}).status_code == 403
    case = trajectory.case
    body = {"case": str(case.public_id), "person": str(case.persons.get().public_id)}
    assert post(client, LIST, body).status_code == 404


def test_every_read_is_logged(world, login):
    trajectory = open_trajectory(world)
    services_meeting = CareMeeting.objects.create(
        trajectory=trajectory,
        held_on=days_ago(1),
        participants="ZoCo",
        agreements="Afspraak.",
        recorded_by=coordinator(world),
    )
    client = login(coordinator(world))
    client.get(LIST)
    client.get(url("detail", trajectory))
    client.get(url("care-meetings", trajectory))

    assert access_entries(Trajectory, AuditLogEntry.AccessKind.LIST).count() == 1
    read = access_entries(Trajectory, AuditLogEntry.AccessKind.READ).get()
    assert read.additional_data["person"] == str(trajectory.person.public_id)
    nested = access_entries(CareMeeting, AuditLogEntry.AccessKind.LIST).get()
    assert nested.additional_data["object_ids"] == [str(services_meeting.public_id)]
