"""Reflection period, care meetings, the CoMensha date and the region's shelter capacity."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from accounts.roles import Role
from cases.models import CareMeeting, ShelterCapacity
from cases.selectors.trajectory import reflection_reminder_on
from cases.services import trajectory as services
from cases.tests.test_trajectory_support import coordinator, days_ago, open_trajectory, reload
from tests.permission_matrix import changed_tables, database_fingerprint

pytestmark = pytest.mark.django_db


def test_the_reflection_period_lasts_three_months_with_a_reminder_two_weeks_before(world):
    trajectory = open_trajectory(world)
    trajectory.reflection_start = date(2026, 1, 31)

    assert trajectory.reflection_end == date(2026, 4, 30)  # no 31 April: the month's last day
    assert reflection_reminder_on(trajectory) == date(2026, 4, 16)
    with override_settings(REFLECTION_REMINDER_DAYS=7):
        assert reflection_reminder_on(trajectory) == date(2026, 4, 23)


def test_setting_the_reflection_period(world):
    trajectory = open_trajectory(world)
    changed = services.reflection_period_set(
        trajectory=trajectory, start=days_ago(3), actor=coordinator(world), version=1
    )
    assert reload(changed).reflection_start == days_ago(3)
    assert changed.version == 2


def test_a_reflection_start_in_the_future_is_refused(world):
    trajectory = open_trajectory(world)
    before = database_fingerprint()
    with pytest.raises(ValidationError) as exc:
        services.reflection_period_set(
            trajectory=trajectory, start=days_ago(-5), actor=coordinator(world), version=1
        )
    assert exc.value.message_dict["reflection_start"] == ["De datum ligt in de toekomst."]
    assert changed_tables(before, database_fingerprint()) == []


def test_recording_a_care_meeting(world):
    trajectory = open_trajectory(world)
    meeting = services.care_meeting_add(
        trajectory=trajectory,
        held_on=days_ago(1),
        participants="Zorgcoördinator, COSM, advocaat",
        agreements="Intake bij COSM volgende week.",
        actor=coordinator(world),
    )
    assert CareMeeting.objects.get() == meeting
    assert meeting.recorded_by == coordinator(world)


def test_a_care_meeting_needs_participants_and_agreements(world):
    trajectory = open_trajectory(world)
    with pytest.raises(ValidationError) as exc:
        services.care_meeting_add(
            trajectory=trajectory,
            held_on=days_ago(1),
            participants=" ",
            agreements="",
            actor=coordinator(world),
        )
    assert set(exc.value.message_dict) == {"participants", "agreements"}
    assert not CareMeeting.objects.exists()


def test_recording_the_comensha_date(world):
    trajectory = open_trajectory(world)
    services.comensha_reported(
        trajectory=trajectory, on_date=days_ago(2), actor=coordinator(world), version=1
    )
    assert reload(trajectory).reported_to_comensha_on == days_ago(2)


def test_the_care_coordinator_sets_the_capacity_of_its_region(world):
    services.shelter_capacity_set(
        region=world.region, shelter_type="omm", places=6, actor=coordinator(world)
    )
    services.shelter_capacity_set(
        region=world.region, shelter_type="omm", places=8, actor=coordinator(world)
    )
    assert ShelterCapacity.objects.get(region=world.region, shelter_type="omm").places == 8
    services.shelter_capacity_set(
        region=world.region, shelter_type="omm", places=None, actor=coordinator(world)
    )
    assert not ShelterCapacity.objects.exists()


def test_capacity_of_another_region_or_by_another_role_is_refused(world, other_world):
    with pytest.raises(PermissionDenied):
        services.shelter_capacity_set(
            region=other_world.region, shelter_type="omm", places=6, actor=coordinator(world)
        )
    with pytest.raises(PermissionDenied):
        services.shelter_capacity_set(
            region=world.region, shelter_type="omm", places=6, actor=world.user(Role.VT_STAFF)
        )
    with pytest.raises(ValidationError):
        services.shelter_capacity_set(
            region=world.region, shelter_type="omm", places=-1, actor=coordinator(world)
        )
    assert not ShelterCapacity.objects.exists()
