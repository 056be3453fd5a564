"""The hourly reminders: overdue actions, reflection periods ending, shelter stays over their
limit — each once, in-app and by e-mail, with a reference and a link and no personal data."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import Notification, Organisation
from accounts.roles import Role
from cases.models import Action, Placement, Reminder
from cases.services import trajectory as services
from cases.tasks import reminders_send, send_reminders
from cases.tests.factories import make_case
from cases.tests.test_trajectory_support import coordinator, open_trajectory
from signals.tests.factories import with_email

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = date(2027, 6, 15)


def at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 9, tzinfo=AMSTERDAM), tick=False
    )


def _overdue_action(world):
    case = make_case(world)  # led by the municipality
    return Action.objects.create(
        case=case,
        description="Huisbezoek bij Anna Müller",
        owner_organisation=world.municipality,
        due_date=date(2027, 6, 10),
        created_by=world.user(Role.MUNICIPAL_OFFICER),
    )


def test_an_overdue_action_is_reminded_once_to_the_owner(world):
    officer = with_email(world.user(Role.MUNICIPAL_OFFICER))
    vt = with_email(world.user(Role.VT_STAFF))  # not the owner
    with at(date(2027, 6, 1)):
        action = _overdue_action(world)

    with at(TODAY):
        first = send_reminders.delay().get()
        second = send_reminders.delay().get()

    assert first["overdue_actions"] == 1
    assert second == {"overdue_actions": 0, "reflection_periods": 0, "shelter_stays": 0}
    notice = Notification.objects.get(recipient=officer)
    assert action.case.reference in notice.message
    assert "Müller" not in notice.message and "Huisbezoek" not in notice.message
    assert not Notification.objects.filter(recipient=vt).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert "Müller" not in mail.outbox[0].body
    assert Reminder.objects.filter(key__startswith="action-overdue:").count() == 1


def test_a_done_action_or_one_not_yet_due_is_not_reminded(world):
    with_email(world.user(Role.MUNICIPAL_OFFICER))
    with at(date(2027, 6, 1)):
        action = _overdue_action(world)
        action.done_at = timezone.now()
        action.save()
        Action.objects.create(
            case=action.case,
            description="Later",
            owner_organisation=world.municipality,
            due_date=TODAY,
            created_by=world.user(Role.MUNICIPAL_OFFICER),
        )
    with at(TODAY):
        assert reminders_send()["overdue_actions"] == 0
    assert not Notification.objects.exists()


def test_a_reflection_period_ending_within_two_weeks_is_reminded_once(world):
    zoco = with_email(coordinator(world))
    with at(date(2027, 3, 25)):
        trajectory = open_trajectory(world)
        services.reflection_period_set(
            trajectory=trajectory, start=date(2027, 3, 20), actor=zoco, version=1
        )
    # The period ends on 20 June 2027; the reminder is due from 6 June.
    with at(date(2027, 6, 5)):
        assert reminders_send()["reflection_periods"] == 0
    with at(date(2027, 6, 6)):
        assert reminders_send()["reflection_periods"] == 1
        assert reminders_send()["reflection_periods"] == 0
    with at(date(2027, 6, 7)):
        assert reminders_send()["reflection_periods"] == 0

    notice = Notification.objects.get(recipient=zoco)
    assert trajectory.case.reference in notice.message
    assert trajectory.person.name not in notice.message
    assert notice.url.endswith(f"/trajecten/{trajectory.public_id}/")
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(recipient__role=Role.VT_STAFF).exists()


def test_an_emergency_bed_over_14_days_is_reminded_once(world):
    zoco = with_email(coordinator(world))
    director = with_email(world.user(Role.PROCESS_DIRECTOR))  # same ZVH, not the coordinator
    with at(date(2027, 6, 1)):
        trajectory = open_trajectory(world)
        services.placement_add(
            trajectory=trajectory,
            shelter_type="emergency_bed",
            provider="Noodbed Heerlen",
            start=date(2027, 6, 1),
            actor=zoco,
        )
        services.placement_add(
            trajectory=open_trajectory(world),
            shelter_type="omm",  # no limit
            provider="",
            start=date(2027, 5, 1),
            actor=zoco,
        )
    with at(date(2027, 6, 15)):  # 14 days: still within the limit
        assert reminders_send()["shelter_stays"] == 0
    with at(date(2027, 6, 16)):
        assert reminders_send()["shelter_stays"] == 1
        assert reminders_send()["shelter_stays"] == 0

    notice = Notification.objects.get(recipient=zoco)
    assert "14 dagen" in notice.message and "Noodbed Heerlen" not in notice.message
    assert not Notification.objects.filter(recipient=director).exists()
    assert [m.to for m in mail.outbox] == [[zoco.email]]


def test_an_ended_placement_is_not_reminded(world):
    zoco = coordinator(world)
    with at(date(2027, 6, 1)):
        trajectory = open_trajectory(world)
        placement = services.placement_add(
            trajectory=trajectory,
            shelter_type="emergency_bed",
            provider="",
            start=date(2027, 5, 1),
            actor=zoco,
        )
        services.placement_end(
            placement=Placement.objects.get(pk=placement.pk),
            end=date(2027, 5, 30),
            actor=zoco,
            version=1,
        )
    with at(TODAY):
        assert reminders_send()["shelter_stays"] == 0


def test_coordinators_of_another_organisation_are_not_told(world):
    from accounts.tests.factories import OrganisationFactory

    other = with_email(
        coordinator(world, OrganisationFactory(region=world.region, kind=Organisation.Kind.ZVH))
    )
    with at(date(2027, 6, 1)):
        trajectory = open_trajectory(world)
        services.placement_add(
            trajectory=trajectory,
            shelter_type="emergency_bed",
            provider="",
            start=date(2027, 5, 1),
            actor=coordinator(world),
        )
    with at(TODAY):
        reminders_send()
    assert not Notification.objects.filter(recipient=other).exists()
