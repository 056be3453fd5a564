"""Starting the meeting: only from a planned meeting or one whose agenda has closed."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import Role
from screening import services
from screening.services import MeetingStateError
from screening.tests.factories import MeetingFactory, agenda_item
from screening.workflow import MeetingStatus


def test_it_starts_a_planned_meeting(world):
    meeting = MeetingFactory(region=world.region)

    with time_machine.travel(timezone.now(), tick=False):
        started = services.meeting_start(meeting=meeting, actor=world.user(Role.VT_STAFF))
        now = timezone.now()

    started.refresh_from_db()
    assert started.status == MeetingStatus.IN_SESSION
    assert started.started_at == now
    assert started.version == meeting.version + 1


def test_it_starts_a_meeting_whose_agenda_has_closed(world):
    vt = world.user(Role.VT_OFFICER)
    meeting = services.agenda_close(meeting=MeetingFactory(region=world.region), actor=vt)

    started = services.meeting_start(meeting=meeting, actor=vt)

    assert started.status == MeetingStatus.IN_SESSION


@pytest.mark.parametrize("status", [MeetingStatus.IN_SESSION, MeetingStatus.CONCLUDED])
def test_it_refuses_to_start_a_meeting_that_already_ran(world, status):
    vt = world.user(Role.VT_STAFF)
    meeting = MeetingFactory(region=world.region)
    agenda_item(world, meeting)
    services.meeting_start(meeting=meeting, actor=vt)
    if status == MeetingStatus.CONCLUDED:
        services.meeting_conclude(meeting=meeting, actor=vt)
    meeting.refresh_from_db()
    started_at, version = meeting.started_at, meeting.version

    with pytest.raises(MeetingStateError):
        services.meeting_start(meeting=meeting, actor=vt)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.started_at, meeting.version) == (status, started_at, version)


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR, Role.MUNICIPAL_OFFICER])
def test_only_veilig_thuis_starts_the_meeting(world, role):
    meeting = MeetingFactory(region=world.region)

    with pytest.raises(PermissionDenied):
        services.meeting_start(meeting=meeting, actor=world.user(role))

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
