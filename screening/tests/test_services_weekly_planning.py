"""The weekly meeting plans itself: slot, cut-off, filling the agenda, idempotency.

Defaults (config/settings.py): Tuesday 10:00 Europe/Amsterdam, agenda closes 24 h before.
Week used below: Monday 4 January 2027 to Monday 11 January 2027.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Organisation
from accounts.roles import Role
from screening import services, tasks
from screening.models import AgendaItem, Meeting
from screening.tests.factories import (
    MeetingFactory,
    draft_signal,
    registered_signal,
    submitted_signal,
)
from screening.workflow import ItemState, MeetingStatus
from signals.models import EventKind
from signals.workflow import Status

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- next_slot -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2027, 1, 4, 12, 0), local(2027, 1, 5, 10, 0)),  # Monday
        (local(2027, 1, 5, 0, 0), local(2027, 1, 5, 10, 0)),  # Tuesday, early
        (local(2027, 1, 5, 9, 59), local(2027, 1, 5, 10, 0)),  # just before
        (local(2027, 1, 5, 10, 0), local(2027, 1, 12, 10, 0)),  # at the moment itself
        (local(2027, 1, 5, 10, 1), local(2027, 1, 12, 10, 0)),  # just after
        (local(2027, 1, 6, 8, 0), local(2027, 1, 12, 10, 0)),  # Wednesday
        (local(2027, 1, 7, 8, 0), local(2027, 1, 12, 10, 0)),  # Thursday
        (local(2027, 1, 8, 8, 0), local(2027, 1, 12, 10, 0)),  # Friday
        (local(2027, 1, 9, 8, 0), local(2027, 1, 12, 10, 0)),  # Saturday
        (local(2027, 1, 10, 8, 0), local(2027, 1, 12, 10, 0)),  # Sunday
        (local(2027, 1, 11, 23, 59), local(2027, 1, 12, 10, 0)),  # Monday night
    ],
)
def test_it_finds_the_next_tuesday_ten_oclock_from_each_weekday(now, expected):
    slot = services.next_slot(now)

    assert slot == expected
    assert slot.astimezone(AMS).weekday() == 1
    assert (slot.astimezone(AMS).hour, slot.astimezone(AMS).minute) == (10, 0)


def test_it_reads_the_moment_in_amsterdam_time_whatever_zone_it_gets():
    # 08:59 UTC is 09:59 in Amsterdam in winter: still this morning's meeting.
    assert services.next_slot(utc(2027, 1, 5, 8, 59)) == local(2027, 1, 5, 10, 0)
    # 09:00 UTC is 10:00 in Amsterdam: the meeting has begun, so next week.
    assert services.next_slot(utc(2027, 1, 5, 9, 0)) == local(2027, 1, 12, 10, 0)


@pytest.mark.parametrize(
    ("now", "expected_utc"),
    [
        # Summer time starts on Sunday 28 March 2027: the meeting stays at 10:00 local time.
        (local(2027, 3, 23, 12, 0), utc(2027, 3, 30, 8, 0)),
        (local(2027, 3, 27, 12, 0), utc(2027, 3, 30, 8, 0)),
        (local(2027, 3, 28, 3, 30), utc(2027, 3, 30, 8, 0)),
        (local(2027, 3, 22, 12, 0), utc(2027, 3, 23, 9, 0)),
        # Summer time ends on Sunday 25 October 2026.
        (local(2026, 10, 21, 12, 0), utc(2026, 10, 27, 9, 0)),
        (local(2026, 10, 19, 12, 0), utc(2026, 10, 20, 8, 0)),
    ],
)
def test_it_keeps_ten_oclock_local_time_across_the_dst_change(now, expected_utc):
    slot = services.next_slot(now)

    assert slot == expected_utc
    assert slot.astimezone(AMS).hour == 10


def test_it_moves_a_week_minus_one_hour_when_summer_time_starts_in_between():
    before = services.next_slot(local(2027, 3, 22, 12, 0))
    after = services.next_slot(before)

    # Subtracting in UTC: Python subtracts two Amsterdam times by the wall clock.
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=7, hours=-1)
    assert after.astimezone(AMS).hour == 10


def test_it_uses_the_configured_weekday_and_time(settings):
    settings.SCREENING_MEETING_WEEKDAY = 3  # Thursday
    settings.SCREENING_MEETING_TIME = "14:30"

    assert services.next_slot(local(2027, 1, 5, 10, 0)) == local(2027, 1, 7, 14, 30)
    assert services.next_slot(local(2027, 1, 7, 14, 30)) == local(2027, 1, 14, 14, 30)


# --- meeting_plan_next -----------------------------------------------------------------------


def test_it_creates_the_meeting_with_the_agenda_closing_24_hours_before(world):
    with time_machine.travel(local(2027, 1, 4, 8, 0), tick=False):
        meeting = services.meeting_plan_next(region=world.region)

    meeting.refresh_from_db()
    assert meeting.region == world.region
    assert meeting.status == MeetingStatus.PLANNED
    assert meeting.scheduled_for == local(2027, 1, 5, 10, 0)
    assert meeting.agenda_closes_at == local(2027, 1, 4, 10, 0)
    assert meeting.scheduled_for - meeting.agenda_closes_at == timedelta(hours=24)


def test_it_keeps_the_cut_off_24_hours_before_in_the_week_summer_time_starts(world):
    with time_machine.travel(local(2027, 3, 27, 12, 0), tick=False):
        meeting = services.meeting_plan_next(region=world.region)

    meeting.refresh_from_db()
    assert meeting.scheduled_for == utc(2027, 3, 30, 8, 0)
    assert meeting.agenda_closes_at == utc(2027, 3, 29, 8, 0)


def test_it_fills_the_agenda_with_the_registered_non_acute_signals_of_the_region(
    world, other_world
):
    with time_machine.travel(local(2027, 1, 1, 9, 0), tick=False):
        first = registered_signal(world)
    with time_machine.travel(local(2027, 1, 2, 9, 0), tick=False):
        from_avim = registered_signal(world, sender=world.user(Role.AVIM))
        draft = draft_signal(world)
        submitted = submitted_signal(world)
        acute = registered_signal(world, is_acute=True)
        elsewhere = registered_signal(other_world)
        proposed_elsewhere = registered_signal(world)
        # Already on an open agenda (proposed by AVIM for the meeting after this one).
        later = MeetingFactory(
            region=world.region,
            scheduled_for=local(2027, 1, 12, 10, 0),
            agenda_closes_at=local(2027, 1, 11, 10, 0),
        )
        services.agenda_item_add(
            meeting=later, signal=proposed_elsewhere, actor=world.user(Role.AVIM)
        )

    with time_machine.travel(local(2027, 1, 4, 8, 0), tick=False):
        meeting = services.meeting_plan_next(region=world.region)

    items = list(meeting.items.order_by("position"))
    assert [i.signal_id for i in items] == [first.pk, from_avim.pk]
    assert [i.position for i in items] == [1, 2]
    assert {i.state for i in items} == {ItemState.ACCEPTED}
    # The sender's own table member presents its signal; Veilig Thuis presents the rest.
    assert items[0].presenter == world.orgs[Organisation.Kind.VEILIG_THUIS]
    assert items[1].presenter == world.orgs[Organisation.Kind.POLICE_AVIM]
    for left_out in (draft, submitted, acute, elsewhere, proposed_elsewhere):
        assert not AgendaItem.objects.filter(meeting=meeting, signal=left_out).exists()
    assert not Meeting.objects.filter(region=other_world.region).exists()


def test_it_schedules_the_signals_with_an_event_on_their_timeline(world):
    with time_machine.travel(local(2027, 1, 1, 9, 0), tick=False):
        signal = registered_signal(world)

    with time_machine.travel(local(2027, 1, 4, 8, 0), tick=False):
        services.meeting_plan_next(region=world.region)

    signal.refresh_from_db()
    assert signal.status == Status.SCHEDULED
    event = signal.events.order_by("created_at", "pk").last()
    assert event.kind == EventKind.STATUS
    assert (event.from_status, event.to_status) == (Status.REGISTERED, Status.SCHEDULED)
    assert "05-01-2027" in event.summary
    assert event.visible_to_sender


def test_it_creates_nothing_more_when_it_runs_twice(world):
    with time_machine.travel(local(2027, 1, 1, 9, 0), tick=False):
        signals = [registered_signal(world) for _ in range(2)]

    with time_machine.travel(local(2027, 1, 4, 8, 0), tick=False):
        first = services.meeting_plan_next(region=world.region)
        events = sum(s.events.count() for s in signals)
        second = services.meeting_plan_next(region=world.region)

    assert second.pk == first.pk
    assert Meeting.objects.filter(region=world.region).count() == 1
    assert AgendaItem.objects.filter(meeting=first).count() == 2
    assert sum(s.events.count() for s in signals) == events


def test_the_task_creates_nothing_more_when_it_runs_twice(world, other_world):
    with time_machine.travel(local(2027, 1, 1, 9, 0), tick=False):
        registered_signal(world)
        registered_signal(other_world)

    with time_machine.travel(local(2027, 1, 4, 8, 0), tick=False):
        tasks.plan_weekly_meetings()
        tasks.plan_weekly_meetings()

    for region in (world.region, other_world.region):
        meeting = Meeting.objects.get(region=region)
        assert meeting.scheduled_for == local(2027, 1, 5, 10, 0)
        assert meeting.items.count() == 1
    assert AgendaItem.objects.count() == 2


def test_it_puts_a_signal_registered_after_the_cut_off_on_the_meeting_a_week_later(world):
    with time_machine.travel(local(2027, 1, 4, 9, 0), tick=False):
        early = registered_signal(world)
        tasks.plan_weekly_meetings()
    with time_machine.travel(local(2027, 1, 4, 10, 30), tick=False):
        late = registered_signal(world)
        tasks.plan_weekly_meetings()

    this_week = Meeting.objects.get(region=world.region, scheduled_for=local(2027, 1, 5, 10, 0))
    next_week = Meeting.objects.get(region=world.region, scheduled_for=local(2027, 1, 12, 10, 0))
    assert this_week.status == MeetingStatus.AGENDA_CLOSED
    assert list(this_week.items.values_list("signal_id", flat=True)) == [early.pk]
    assert next_week.status == MeetingStatus.PLANNED
    assert next_week.agenda_closes_at == local(2027, 1, 11, 10, 0)
    assert list(next_week.items.values_list("signal_id", flat=True)) == [late.pk]


def test_it_plans_the_week_after_once_the_cut_off_has_passed(world):
    with time_machine.travel(local(2027, 1, 4, 10, 0), tick=False):
        meeting = services.meeting_plan_next(region=world.region)

    assert meeting.scheduled_for == local(2027, 1, 12, 10, 0)


# --- agendas_close_due -----------------------------------------------------------------------


def test_it_closes_only_planned_agendas_past_their_cut_off(world, other_world):
    vt = world.user(Role.VT_STAFF)
    with time_machine.travel(local(2027, 1, 1, 9, 0), tick=False):
        due = MeetingFactory(
            region=world.region,
            scheduled_for=local(2027, 1, 5, 10, 0),
            agenda_closes_at=local(2027, 1, 4, 10, 0),
        )
        due_elsewhere = MeetingFactory(
            region=other_world.region,
            scheduled_for=local(2027, 1, 5, 10, 0),
            agenda_closes_at=local(2027, 1, 4, 10, 0),
        )
        not_yet = MeetingFactory(
            region=world.region,
            scheduled_for=local(2027, 1, 12, 10, 0),
            agenda_closes_at=local(2027, 1, 11, 10, 0),
        )
        in_session = MeetingFactory(
            region=world.region,
            scheduled_for=local(2026, 12, 29, 10, 0),
            agenda_closes_at=local(2026, 12, 28, 10, 0),
        )
        services.meeting_start(meeting=in_session, actor=vt)

    with time_machine.travel(local(2027, 1, 4, 10, 0), tick=False):
        closed = services.agendas_close_due()
        closed_again = services.agendas_close_due()

    assert (closed, closed_again) == (2, 0)
    statuses = {m.pk: Meeting.objects.get(pk=m.pk).status for m in (due, due_elsewhere)}
    assert set(statuses.values()) == {MeetingStatus.AGENDA_CLOSED}
    assert Meeting.objects.get(pk=not_yet.pk).status == MeetingStatus.PLANNED
    assert Meeting.objects.get(pk=in_session.pk).status == MeetingStatus.IN_SESSION
