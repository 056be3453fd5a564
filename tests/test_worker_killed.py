"""A worker killed mid-task: no half result is visible, and the retry completes it once.

Celery acknowledges a task only when it has finished (``CELERY_TASK_ACKS_LATE``) and hands
the task back to the queue when its worker process dies (``CELERY_TASK_REJECT_ON_WORKER_LOST``):
a task whose worker was killed (a deploy, the hard time limit, the OOM killer) is delivered
again. Each test runs a task in a separate process against the test database, lets it stop
at a chosen point (it says so through a file, with the pid of its database session), kills
it with SIGKILL and then checks that

- nothing half is visible: no record points to a file, the status is not "done", no page
  links a download and the download answers 404;
- nothing blocks the retry: PostgreSQL ends the killed worker's session and with it the
  run's lock, so the second delivery, or a person starting the report again, goes ahead at
  once;
- the retry's result exists once: one stored file, with its checksum; each reminder's
  notices and e-mail once, also when the kill came after some of them had been sent.
"""

from __future__ import annotations

import contextlib
import email
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import Notification
from accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)  # the worker sees committed rows only

ROOT = Path(__file__).resolve().parents[1]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)
REMINDED = T0 + timedelta(days=5)
# Booting Django and rendering a PDF on a busy machine; the session's end takes milliseconds.
REACH_TIMEOUT = 240
GONE_TIMEOUT = 30
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file-based e-mail backend


# --- the worker process ------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """Where the worker stops: before or after the ``nth`` call of ``target``.

    ``target`` is ``"module:attribute"`` (``"module:Class.method"`` for a method). Only calls
    for which ``only_if(*args, **kwargs)`` holds are counted.
    """

    target: str
    when: str = "after"
    nth: int = 1
    only_if: Callable[..., bool] | None = None


def _done_report(report, *args, **kwargs) -> bool:
    return report.status == "done"


STOPS: dict[str, Stop] = {
    # The annual report (reporting.services): progress 50 is saved, the PDF is being made.
    "report:rendering": Stop("reporting.services:report_progress", nth=2),
    # The whole PDF is in the temporary file, not yet flushed and renamed into place.
    "report:writing": Stop("os:fsync", when="before"),
    # The file is in place under its name; the run does not record it yet.
    "report:stored": Stop("reporting.services:store_atomically"),
    # "done", the file and its checksum are written to the row, not committed.
    "report:recording": Stop("reporting.models:AnnualReport.save", only_if=_done_report),
    # The minutes (screening.documents).
    "minutes:rendering": Stop("screening.documents:render_pdf", when="before"),
    "minutes:writing": Stop("os:fsync", when="before"),
    "minutes:stored": Stop("screening.documents:store_atomically"),
    # The reminders of cases: one of three sent completely.
    "cases:one sent": Stop("cases.tasks:reminder_send"),
    # The first reminder's key and notices are written, not committed.
    "cases:notices written": Stop("cases.services.reminder:notification_send"),
    # The first reminder is committed; its e-mail is owed.
    "cases:e-mail owed": Stop("cases.services.reminder:_send_owed_mail", when="before"),
    # The first e-mail is claimed: the worker is talking to the mail server.
    "cases:e-mail sending": Stop("cases.services.reminder:send_mail", when="before"),
    # The first e-mail went.
    "cases:e-mail sent": Stop("cases.services.reminder:send_mail"),
    # The reminders of referrals.
    "referrals:one sent": Stop("referrals.reminders:reminder_send"),
    "referrals:e-mail owed": Stop("cases.services.reminder:_send_owed_mail", when="before"),
}


def _wait_to_be_killed(reached: Path) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pid = cursor.fetchone()[0]
    written = reached.with_suffix(".tmp")
    written.write_text(json.dumps({"backend_pid": backend_pid}))
    written.replace(reached)
    while True:
        time.sleep(60)


def _install(stop: Stop, reached: Path) -> None:
    module, _, path = stop.target.partition(":")
    owner: Any = import_module(module)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original = getattr(owner, name)
    calls = 0

    def stopping(*args, **kwargs):
        nonlocal calls
        counted = stop.only_if is None or stop.only_if(*args, **kwargs)
        calls += counted
        if counted and calls == stop.nth and stop.when == "before":
            _wait_to_be_killed(reached)
        result = original(*args, **kwargs)
        if counted and calls == stop.nth and stop.when == "after":
            _wait_to_be_killed(reached)
        return result

    setattr(owner, name, stopping)


def child_main() -> None:
    """The worker: ``python -c "...; child_main()" '<json>'`` (see ``start_worker``)."""
    from django.conf import settings

    spec = json.loads(sys.argv[1])
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = spec["mail_dir"]
    _install(STOPS[spec["stop"]], Path(spec["reached"]))
    with contextlib.ExitStack() as stack:
        if spec["now"]:
            stack.enter_context(
                time_machine.travel(datetime.fromisoformat(spec["now"]), tick=False)
            )
        import_string(spec["task"])(*spec["args"])
    sys.exit(3)  # finished without reaching the stop: the test reports it


CHILD = (
    "import django; django.setup(); from tests.test_worker_killed import child_main; child_main()"
)


def database_url() -> str:
    """DATABASE_URL pointing at the test database pytest-django created."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + connection.settings_dict["NAME"]).geturl()


@dataclass
class Worker:
    process: subprocess.Popen
    reached: Path
    log: Path

    def wait_until_stopped(self) -> int:
        """The pid of the worker's database session, once it stands at its stop."""
        deadline = time.monotonic() + REACH_TIMEOUT
        while not self.reached.exists():
            if self.process.poll() is not None:
                pytest.fail(
                    f"the worker ended ({self.process.returncode}) before its stop:\n"
                    + self.log.read_text()[-5000:]
                )
            if time.monotonic() > deadline:
                pytest.fail("the worker did not reach its stop:\n" + self.log.read_text()[-5000:])
            time.sleep(0.1)
        return json.loads(self.reached.read_text())["backend_pid"]

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or Celery's hard time limit does it."""
        backend_pid = self.wait_until_stopped()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL
        # PostgreSQL notices the closed connection, rolls back and ends the session.
        deadline = time.monotonic() + GONE_TIMEOUT
        while _session_alive(backend_pid):
            assert time.monotonic() < deadline, "the killed worker's session lives on"
            time.sleep(0.05)


def _session_alive(backend_pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend_pid])
        return cursor.fetchone()[0] > 0


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def mail_dir(settings, tmp_path) -> Path:
    """Every e-mail, the worker's and this process's, as files (counted by ``mails``)."""
    directory = tmp_path / "mail"
    directory.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(directory)
    return directory


# A worker standing at its stop may hold row locks until it is killed: this process waits for
# none longer than this, so a lock taken where none should be fails the test instead of
# hanging it.
LOCK_TIMEOUT = "30s"


@pytest.fixture
def start_worker(media, mail_dir, tmp_path):
    started: list[Worker] = []
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")

    def start(stop: str, task: str, *args, now: datetime | None = None) -> Worker:
        assert stop in STOPS
        number = len(started)
        reached = tmp_path / f"worker-{number}.reached"
        log = tmp_path / f"worker-{number}.log"
        spec = {
            "stop": stop,
            "task": task,
            "args": list(args),
            "now": now.isoformat() if now else None,
            "reached": str(reached),
            "mail_dir": str(mail_dir),
        }
        env = {
            **os.environ,
            "DJANGO_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(media),
        }
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-c", CHILD, json.dumps(spec)],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(process, reached, log)
        started.append(worker)
        return worker

    yield start
    for worker in started:  # a test that failed halfway leaves no worker behind
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait(timeout=30)
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def mails(directory: Path) -> list[email.message.Message]:
    found = []
    for path in sorted(directory.iterdir()):
        for part in path.read_bytes().split(MAIL_SEPARATOR):
            if part.strip():
                found.append(email.message_from_bytes(part.lstrip(b"\n")))
    return found


def mail_bodies(directory: Path) -> list[str]:
    return sorted(m.get_payload(decode=True).decode() for m in mails(directory))


# --- the annual report -------------------------------------------------------------------------


@pytest.fixture
def queued_report(world):
    from reporting.models import AnnualReport

    return AnnualReport.objects.create(
        region=world.region,
        year=2025,
        scope_key="region",
        generated_by=world.user(Role.POLICY_ANALYST),
        task_id="annual-report-killed",
    )


def _nothing_half_of_the_report(world, login, report, media) -> None:
    report.refresh_from_db()
    assert report.status == "running" and report.progress < 100
    assert (report.file.name, report.sha256, report.finished_at) == ("", "", None)
    client = login(world.user(Role.POLICY_ANALYST))
    download = reverse("reporting:annual_file", args=[report.public_id])
    assert client.get(download).status_code == 404
    for page in (
        reverse("reporting:annual_detail", args=[report.public_id]),
        reverse("reporting:annual") + "?year=2025",
        reverse("reporting:annual_progress", args=[report.public_id]),
    ):
        response = client.get(page)
        assert response.status_code == 200 and download not in response.content.decode()


def _one_whole_report(report, media) -> None:
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100
    assert files(media) == [report.file.name]  # no second file, no temporary file
    data = (media / report.file.name).read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert report.sha256 == hashlib.sha256(data).hexdigest() and report.size == len(data)


@pytest.mark.parametrize("stop", ["rendering", "writing", "stored", "recording"])
def test_a_report_whose_worker_was_killed_is_completed_by_the_second_delivery(
    stop, world, login, queued_report, start_worker, media
):
    from reporting.tasks import generate_annual_report

    report = queued_report
    worker = start_worker(f"report:{stop}", "reporting.tasks.generate_annual_report", report.pk)
    worker.wait_until_stopped()
    # While the worker lives, a second delivery leaves the run to it.
    assert generate_annual_report(report.pk) == "running"

    worker.kill()

    _nothing_half_of_the_report(world, login, report, media)
    if stop == "writing":
        assert [Path(f).suffix for f in files(media)] == [".part"]  # recorded nowhere
    if stop in ("stored", "recording"):
        assert files(media) == [f"reports/{report.region_id}/{report.public_id.hex}.pdf"]
    # The broker delivers the task again: the run's lock is free, the run is taken over.
    assert generate_annual_report(report.pk) == "done"
    _one_whole_report(report, media)
    # And a third delivery changes nothing.
    before = (report.file.name, report.sha256, report.finished_at)
    assert generate_annual_report(report.pk) == "done"
    report.refresh_from_db()
    assert (report.file.name, report.sha256, report.finished_at) == before


@pytest.mark.parametrize("stop", ["rendering", "stored"])
def test_a_report_whose_worker_was_killed_can_be_started_again_at_once(
    stop, world, login, queued_report, start_worker, media
):
    from reporting import services
    from reporting.models import AnnualReport
    from reporting.periods import Scope
    from reporting.tasks import generate_annual_report

    analyst = world.user(Role.POLICY_ANALYST)
    worker = start_worker(
        f"report:{stop}", "reporting.tasks.generate_annual_report", queued_report.pk
    )
    worker.wait_until_stopped()
    # Starting the same report while its worker lives returns the running run.
    same, created = services.annual_report_start(
        actor=analyst, scope=Scope(world.region), year=2025
    )
    assert (same.pk, created) == (queued_report.pk, False)

    worker.kill()

    _nothing_half_of_the_report(world, login, queued_report, media)
    # Started again right away, not after the heartbeat went stale: a new run, made now.
    new, created = services.annual_report_start(actor=analyst, scope=Scope(world.region), year=2025)
    lost = AnnualReport.objects.get(pk=queued_report.pk)
    assert created and new.pk != lost.pk
    assert lost.status == "failed" and lost.error.startswith("Afgebroken")
    assert not lost.file
    _one_whole_report(new, media)  # what the killed worker wrote is gone
    # The killed run's late delivery does nothing.
    assert generate_annual_report(lost.pk) == "failed"
    assert AnnualReport.objects.filter(status="done").count() == 1


# --- the minutes of the screening table ------------------------------------------------------


@pytest.fixture
def concluded_meeting(world, monkeypatch):
    from screening.tasks import generate_minutes
    from tests.permission_matrix import CONCLUDED_MEETING

    with monkeypatch.context() as patch:
        # The conclusion sends the minutes task on commit; here the worker below runs it.
        patch.setattr(generate_minutes, "delay", lambda *args, **kwargs: None)
        meeting = CONCLUDED_MEETING.make(world, None).meeting
    meeting.refresh_from_db()
    assert meeting.status == "concluded" and not meeting.minutes
    return meeting


@pytest.mark.parametrize("stop", ["rendering", "writing", "stored"])
def test_minutes_whose_worker_was_killed_are_stored_once_by_the_retry(
    stop, world, login, concluded_meeting, start_worker, media
):
    from screening.tasks import generate_minutes

    meeting = concluded_meeting
    vt = world.user(Role.VT_STAFF)
    worker = start_worker(f"minutes:{stop}", "screening.tasks.generate_minutes", meeting.pk, vt.pk)

    worker.kill()

    meeting.refresh_from_db()
    assert (meeting.minutes.name, meeting.minutes_sha256) == ("", "")
    client = login(vt)
    download = reverse("screening:minutes_pdf", args=[meeting.public_id])
    assert client.get(download).status_code == 404
    page = client.get(reverse("screening:detail", args=[meeting.public_id]))
    assert page.status_code == 200 and download not in page.content.decode()
    if stop == "writing":
        assert [Path(f).suffix for f in files(media)] == [".part"]

    name = generate_minutes(meeting.pk, vt.pk)

    meeting.refresh_from_db()
    assert name == meeting.minutes.name == f"minutes/notulen-{meeting.public_id}.pdf"
    assert files(media) == [name]
    data = (media / name).read_bytes()
    assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == meeting.minutes_sha256
    assert client.get(download).status_code == 200


# --- the reminders ---------------------------------------------------------------------------


@pytest.fixture
def three_overdue_actions(world):
    """Three actions of one case, due on three days, for the municipality (one officer).

    All three are overdue at ``REMINDED``; each reminder names its own due date.
    """
    from cases.services import case as case_services
    from cases.tests.factories import make_case
    from signals.tests.factories import with_email

    with time_machine.travel(T0, tick=False):
        case = make_case(world)
        officer = with_email(world.user(Role.MUNICIPAL_OFFICER))
    for days in range(3):
        with time_machine.travel(T0 + timedelta(days=days), tick=False):
            case_services.action_add(
                case=case,
                actor=world.user(Role.VT_STAFF),
                description=f"Actie {days}",
                owner_organisation=world.municipality,
                due_date=timezone.localdate(),
            )
    return officer


def _reminder_rows() -> tuple[list[str], list[str]]:
    from cases.models import Reminder

    keys = sorted(Reminder.objects.values_list("key", flat=True))
    owed = [k for k in keys if k.startswith("mail:")]
    return [k for k in keys if k not in owed], owed


@pytest.mark.parametrize(
    ("stop", "sent_before", "committed", "mails_lost"),
    [
        # killed after the first reminder went completely: it is not sent again
        ("one sent", 1, 1, 0),
        # killed before the first reminder committed: nothing of it exists, the retry sends it
        ("notices written", 0, 0, 0),
        # killed with the first reminder committed and its e-mail owed: the retry sends the mail
        ("e-mail owed", 0, 1, 0),
        # killed while talking to the mail server: that mail is lost, never sent twice
        ("e-mail sending", 0, 1, 1),
        # killed right after the mail went: it is not sent again
        ("e-mail sent", 1, 1, 0),
    ],
)
def test_case_reminders_are_sent_once_when_the_worker_is_killed(
    stop, sent_before, committed, mails_lost, three_overdue_actions, start_worker, mail_dir
):
    from cases.tasks import send_reminders

    officer = three_overdue_actions
    now = REMINDED
    worker = start_worker(f"cases:{stop}", "cases.tasks.send_reminders", now=now)

    worker.kill()

    assert len(mails(mail_dir)) == sent_before
    keys, owed = _reminder_rows()
    assert len(keys) == committed
    assert Notification.objects.filter(recipient=officer).count() == committed
    assert len(owed) == (1 if stop == "e-mail owed" else 0)

    with time_machine.travel(now, tick=False):
        retried = send_reminders()
        again = send_reminders()

    assert retried["overdue_actions"] == 3 - committed
    assert sum(again.values()) == 0
    keys, owed = _reminder_rows()
    assert len(keys) == 3 and owed == []
    notices = list(Notification.objects.filter(recipient=officer).values_list("key", flat=True))
    assert len(notices) == len(set(notices)) == 3
    bodies = mail_bodies(mail_dir)
    assert len(bodies) == len(set(bodies)) == 3 - mails_lost  # never one e-mail twice
    assert {m["To"] for m in mails(mail_dir)} <= {officer.email}


@pytest.fixture
def two_unanswered_referrals(world):
    from referrals.tests.factories import sent
    from signals.tests.factories import with_email

    with time_machine.travel(T0, tick=False):
        referrals = [sent(world), sent(world)]
    return with_email(world.user(Role.MUNICIPAL_OFFICER)), referrals


@pytest.mark.parametrize(("stop", "sent_before"), [("one sent", 1), ("e-mail owed", 0)])
def test_referral_reminders_are_sent_once_when_the_worker_is_killed(
    stop, sent_before, two_unanswered_referrals, start_worker, mail_dir
):
    from referrals.tasks import send_reminders

    officer, referrals = two_unanswered_referrals
    now = T0 + timedelta(days=14)
    worker = start_worker(f"referrals:{stop}", "referrals.tasks.send_reminders", now=now)

    worker.kill()

    assert len(mails(mail_dir)) == sent_before
    assert Notification.objects.filter(recipient=officer).count() == 1

    with time_machine.travel(now, tick=False):
        send_reminders()
        assert send_reminders() == 0

    keys, owed = _reminder_rows()
    assert keys == sorted(f"referral-answer:{r.public_id}" for r in referrals) and owed == []
    notices = list(Notification.objects.filter(recipient=officer).values_list("url", flat=True))
    assert len(notices) == len(set(notices)) == 2
    bodies = mail_bodies(mail_dir)
    assert len(bodies) == len(set(bodies)) == 2


def test_a_refused_e_mail_is_tried_again_by_the_next_run_and_the_notices_stay(
    three_overdue_actions, mail_dir, monkeypatch
):
    from cases.services import reminder
    from cases.tasks import send_reminders

    officer = three_overdue_actions
    now = REMINDED

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with time_machine.travel(now, tick=False):
        with monkeypatch.context() as patch:
            patch.setattr(reminder, "send_mail", refused)
            with pytest.raises(ConnectionRefusedError):
                send_reminders()
        keys, owed = _reminder_rows()
        assert (len(keys), len(owed)) == (1, 1)  # the first reminder: notices kept, mail owed
        assert Notification.objects.filter(recipient=officer).count() == 1
        assert mails(mail_dir) == []

        send_reminders()

    keys, owed = _reminder_rows()
    assert (len(keys), owed) == (3, [])
    assert Notification.objects.filter(recipient=officer).count() == 3
    assert len(set(mail_bodies(mail_dir))) == len(mails(mail_dir)) == 3
