"""Every Celery task executed twice has the effect of once (SECURITY.md "Tests that prove it").

A broker may deliver a task twice (acks late, a worker lost), beat may fire while the previous
run still works. For each task: run it, take a snapshot of what it produces (rows, notices,
e-mails, stored files), run it again with the same arguments, and compare. The last test fails
when a task is added without a case here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import Notification, Tombstone
from accounts.roles import Role
from config.celery import app

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)

TESTED: set[str] = set()


def covers(*names: str):
    def mark(func):
        TESTED.update(names)
        return func

    return mark


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def effects(root=None) -> dict:
    from cases.models import Reminder
    from screening.models import Meeting

    return {
        "notifications": Notification.objects.count(),
        "mails": len(mail.outbox),
        "reminders": Reminder.objects.count(),
        "meetings": Meeting.objects.count(),
        "tombstones": Tombstone.objects.count(),
        "files": files(root) if root is not None else [],
    }


@covers("signals.tasks.send_acute_alert")
def test_the_acute_alert_is_sent_once(world):
    from signals.models import Signal
    from signals.tasks import send_acute_alert
    from signals.tests.factories import submitted_signal, with_email

    for role in (Role.VT_STAFF, Role.VT_OFFICER, Role.AVIM):
        with_email(world.user(role))
    sender = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(sender, world.municipality, is_acute=True)

    first = send_acute_alert.delay(signal.pk, sender.pk).get()
    once = effects()
    second = send_acute_alert.delay(signal.pk, sender.pk).get()

    assert first == 3 and second == 0
    assert effects() == once and once["notifications"] == 3 and once["mails"] == 1
    assert Signal.objects.get(pk=signal.pk).acute_alert_sent_at is not None


@covers("screening.tasks.plan_weekly_meetings")
def test_planning_the_weekly_meetings_twice_plans_them_once(world, other_world):
    from screening.tasks import plan_weekly_meetings

    with time_machine.travel(T0, tick=False):
        plan_weekly_meetings.delay().get()
        once = effects()
        plan_weekly_meetings.delay().get()

    assert once["meetings"] == 2  # one next meeting for each region
    assert effects() == once


@covers("screening.tasks.generate_minutes")
def test_the_minutes_are_stored_once(world, media):
    from screening.models import Meeting
    from screening.tasks import generate_minutes
    from tests.permission_matrix import CONCLUDED_MEETING

    meeting = CONCLUDED_MEETING.make(world, None).meeting
    vt = world.user(Role.VT_STAFF)

    first = generate_minutes.delay(meeting.pk, vt.pk).get()
    once = effects(media)
    checksum = Meeting.objects.get(pk=meeting.pk).minutes_sha256
    second = generate_minutes.delay(meeting.pk, vt.pk).get()

    assert first and second == first
    assert effects(media) == once and len(once["files"]) == 1
    assert Meeting.objects.get(pk=meeting.pk).minutes_sha256 == checksum


@covers("cases.tasks.send_reminders")
def test_case_reminders_are_sent_once(world):
    from cases.services import case as case_services
    from cases.tasks import send_reminders
    from cases.tests.factories import make_case
    from signals.tests.factories import with_email

    with time_machine.travel(T0, tick=False):
        case = make_case(world)
        with_email(world.user(Role.MUNICIPAL_OFFICER))
        case_services.action_add(
            case=case,
            actor=world.user(Role.VT_STAFF),
            description="Huisbezoek",
            owner_organisation=world.municipality,
            due_date=timezone.localdate(),
        )
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        first = send_reminders.delay().get()
        once = effects()
        second = send_reminders.delay().get()

    assert first["overdue_actions"] == 1
    assert sum(second.values()) == 0
    assert effects() == once and once["mails"] == 1


@covers("referrals.tasks.send_reminders")
def test_referral_reminders_are_sent_once(world):
    from referrals.tasks import send_reminders
    from referrals.tests.factories import sent

    with time_machine.travel(T0, tick=False):
        sent(world)
    with time_machine.travel(T0 + timedelta(days=14), tick=False):
        first = send_reminders.delay().get()
        once = effects()
        second = send_reminders.delay().get()

    assert first >= 1 and second == 0
    assert effects() == once and once["reminders"] == 1


@covers("reporting.tasks.generate_annual_report")
def test_the_annual_report_of_one_run_is_made_once(world, media):
    from reporting.models import AnnualReport
    from reporting.tasks import generate_annual_report

    report = AnnualReport.objects.create(
        region=world.region,
        year=2025,
        scope_key="region",
        generated_by=world.user(Role.POLICY_ANALYST),
        task_id="annual-report-test",
    )

    first = generate_annual_report.delay(report.pk).get()
    once = effects(media)
    done = AnnualReport.objects.get(pk=report.pk)
    second = generate_annual_report.delay(report.pk).get()

    assert first == second == "done"
    assert effects(media) == once and len(once["files"]) == 1
    again = AnnualReport.objects.get(pk=report.pk)
    assert (again.file.name, again.sha256, again.finished_at) == (
        done.file.name,
        done.sha256,
        done.finished_at,
    )


@covers("reporting.privacy_tasks.run_retention")
def test_the_retention_run_anonymises_once(world, media, django_capture_on_commit_callbacks):
    from reporting.privacy_tasks import run_retention
    from reporting.tests.privacy_factories import Story, internally_handled

    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        internally_handled(world, Story())
    with time_machine.travel(T0 + timedelta(days=400), tick=False):
        # Files are deleted once the run's transaction commits (the end of each block here).
        with django_capture_on_commit_callbacks(execute=True):
            first = run_retention.delay().get()
        once = effects(media)
        with django_capture_on_commit_callbacks(execute=True):
            second = run_retention.delay().get()

    assert first["tombstones"] == {"signal_none": 2} and first["files"] == 1
    assert once["files"] == []
    assert second == {"tombstones": {}, "rows": {}, "files": 0}
    assert effects(media) == once


def test_every_task_of_the_project_is_covered():
    # Load every app's tasks module, as a worker does: a partial test run may not have.
    app.loader.import_default_modules()
    ours = {
        name
        for name in app.tasks
        if not name.startswith("celery.") and name.split(".")[0] in _PROJECT_APPS
    }
    assert ours - TESTED == set(), "tasks without an idempotence test"
    assert TESTED - ours == set(), "tested tasks that no longer exist"


_PROJECT_APPS = {"accounts", "signals", "screening", "cases", "referrals", "reporting"}
