"""Reminders for referrals without an answer: once per referral, to who may answer."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

from accounts.audit import allow_bulk_writes
from accounts.models import Notification, Organisation
from accounts.roles import Role
from cases.models import Reminder
from referrals import tasks
from referrals.models import Referral
from referrals.reminders import referral_reminders_send, reminder_key
from referrals.tests.factories import accepted, external_receiver, sent
from signals.tests.factories import with_email

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Monday 7 December 2026, 10:00: five working days back is Monday 30 November, 10:00.
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=AMSTERDAM)


def sent_on(referral: Referral, moment: datetime) -> Referral:
    with allow_bulk_writes("test: when the referral was sent"):
        Referral.objects.filter(pk=referral.pk).update(sent_at=moment)
    referral.refresh_from_db()
    return referral


def test_it_reminds_the_receiver_after_five_working_days(world):
    officer = with_email(world.user(Role.MUNICIPAL_OFFICER))
    referral = sent_on(sent(world), NOW - timedelta(days=7, minutes=1))

    notified = referral_reminders_send(now=NOW)

    assert notified == 1
    notice = Notification.objects.get(recipient=officer)
    assert notice.url.endswith(f"/verwijzingen/{referral.public_id}/")
    assert "5 werkdagen" in notice.message
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert Reminder.objects.filter(key=reminder_key(referral)).exists()


def test_it_waits_the_full_five_working_days(world):
    world.user(Role.MUNICIPAL_OFFICER)
    # Sent on Tuesday 1 December: the weekend does not count, so not yet due.
    sent_on(sent(world), datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM))
    assert referral_reminders_send(now=NOW) == 0
    assert not Notification.objects.exists()


def test_running_twice_reminds_once(world):
    with_email(world.user(Role.MUNICIPAL_OFFICER))
    sent_on(sent(world), NOW - timedelta(days=10))

    first = referral_reminders_send(now=NOW)
    second = referral_reminders_send(now=NOW)

    assert (first, second) == (1, 0)
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_answered_referral_is_not_reminded(world):
    world.user(Role.MUNICIPAL_OFFICER)
    sent_on(accepted(world), NOW - timedelta(days=10))
    assert referral_reminders_send(now=NOW) == 0


def test_at_the_zvh_the_process_director_is_reminded(world):
    zvh = world.orgs[Organisation.Kind.ZVH]
    director = world.user(Role.PROCESS_DIRECTOR)
    coordinator = world.user(Role.CARE_COORDINATOR)
    sent_on(sent(world, zvh), NOW - timedelta(days=10))

    referral_reminders_send(now=NOW)

    assert Notification.objects.filter(recipient=director).exists()
    assert not Notification.objects.filter(recipient=coordinator).exists()


def test_veilig_thuis_is_reminded_for_a_receiver_without_users(world):
    staff, officer = world.user(Role.VT_STAFF), world.user(Role.VT_OFFICER)
    sent_on(sent(world, external_receiver(world)), NOW - timedelta(days=10))

    referral_reminders_send(now=NOW)

    assert set(Notification.objects.values_list("recipient", flat=True)) == {staff.pk, officer.pk}


def test_the_notice_holds_no_personal_data(world):
    world.user(Role.MUNICIPAL_OFFICER)
    referral = sent_on(sent(world), NOW - timedelta(days=10))
    referral_reminders_send(now=NOW)
    text = Notification.objects.get().message + "".join(m.body for m in mail.outbox)
    assert "Anna" not in text
    assert referral.case.reference not in text
    assert referral.reason not in text


def test_the_task_runs_the_reminders(world, settings):
    with_email(world.user(Role.MUNICIPAL_OFFICER))
    sent_on(sent(world), datetime(2020, 1, 6, 9, 0, tzinfo=AMSTERDAM))
    assert tasks.send_reminders.delay().get() == 1
    assert tasks.send_reminders.delay().get() == 0
