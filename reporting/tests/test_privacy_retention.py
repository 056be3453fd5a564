"""Retention with frozen time: what is due is anonymised completely, the rest is untouched."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.registry import auditlog
from django.conf import settings

from accounts.models import AuditLogEntry, Tombstone
from accounts.roles import Role
from reporting import retention
from reporting.privacy_tasks import run_retention
from reporting.retention import ANONYMISED, CLEARED_FIELDS, NULLED_FIELDS, TEXT_FIELDS
from signals.models import Person, Place, Signal

from .privacy_factories import (
    Story,
    closed_case,
    closed_none,
    closed_suspected,
    files_naming,
    internally_handled,
    open_signal,
    remnants,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)
AFTER_13_MONTHS = datetime(2028, 1, 4, 10, 0, tzinfo=AMSTERDAM)
AFTER_61_MONTHS = datetime(2032, 1, 6, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def story(world, media, django_capture_on_commit_callbacks):
    story = Story()
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        internally_handled(world, story)
        none = closed_none(world, story)
        closed_suspected(world, story)
        closed_case(world, story)
        # Jolanta's signal is closed, but a second person of it is also in an open signal.
        shared = Person.objects.create(region=world.region, name="Grace Okafor")
        none.involvements.create(person=shared, role="other", position=1)
        open_signal(world, story, shared_person=shared)
    story.names["open"].append("Grace Okafor")
    return story


def run(when, capture) -> retention.RunResult:
    with time_machine.travel(when, tick=False), capture(execute=True):
        return retention.retention_run()


def test_nothing_is_due_before_its_term(story, django_capture_on_commit_callbacks):
    result = run(
        datetime(2027, 11, 30, 10, 0, tzinfo=AMSTERDAM), django_capture_on_commit_callbacks
    )

    assert result.total == 0
    assert Tombstone.objects.count() == 0
    assert all(remnants(names) for names in story.names.values())


def test_after_a_year_the_signals_without_trafficking_are_anonymised(
    story, media, django_capture_on_commit_callbacks
):
    result = run(AFTER_13_MONTHS, django_capture_on_commit_callbacks)

    # N due → N anonymised: two signals and the two persons only they kept.
    assert dict(result.counts) == {"signal_none": 4}
    stones = Tombstone.objects.all()
    assert sorted(s.model_label for s in stones) == [
        "signals.person",
        "signals.person",
        "signals.signal",
        "signals.signal",
    ]
    assert {s.object_public_id for s in stones if s.model_label == "signals.signal"} == {
        str(story.signals["handled_internally"].public_id),
        str(story.signals["closed_none"].public_id),
    }
    # 0 remnants: no row of any table, and no stored file, holds their names any more.
    gone = story.names["handled_internally"] + story.names["closed_none"]
    assert remnants(gone) == {}
    assert files_naming(gone) == []
    for name in story.files["handled_internally"]:
        assert not (media / name).exists()
    # What the figures need stays: the municipality, the dates, the classification, the band.
    signal = Signal.objects.get(pk=story.signals["handled_internally"].pk)
    assert signal.description == ANONYMISED
    assert signal.municipality_id and signal.received_at and signal.closed_at
    person = Person.objects.get(involvements__signal=signal)
    assert (person.name, person.birth_date, person.age_band) == (ANONYMISED, None, "30-39")
    assert person.gender == "female"
    place = Place.objects.get(signal=signal)
    assert (place.name, place.address, place.postcode, place.city) == (
        ANONYMISED,
        ANONYMISED,
        "",
        "Heerlen",
    )
    # Not yet due: untouched, including the person the open signal still keeps.
    for key in ("closed_suspected", "case", "open"):
        for name in story.names[key]:
            assert remnants([name]), name
    for name in story.files["case"]:
        assert (media / name).exists()


def test_a_second_run_changes_nothing(story, django_capture_on_commit_callbacks):
    first = run(AFTER_13_MONTHS, django_capture_on_commit_callbacks)
    entries = AuditLogEntry.objects.count()

    second = run(AFTER_13_MONTHS, django_capture_on_commit_callbacks)

    assert first.total == 4
    assert second.total == 0 and sum(second.rows.values()) == 0 and second.files == 0
    assert AuditLogEntry.objects.count() == entries
    assert Tombstone.objects.count() == 4


def test_after_five_years_closed_signals_cases_and_trajectories_go_too(
    story, media, django_capture_on_commit_callbacks
):
    run(AFTER_13_MONTHS, django_capture_on_commit_callbacks)

    result = run(AFTER_61_MONTHS, django_capture_on_commit_callbacks)

    assert dict(result.counts) == {
        "trajectory_closed": 1,
        # the case, its signal and its victim (whose trajectory is already anonymised)
        "case_closed": 3,
        # the other closed signal and its person
        "signal_closed": 2,
    }
    gone = story.names["closed_suspected"] + story.names["case"]
    assert remnants(gone) == {}
    assert files_naming(gone) == []
    for name in story.files["case"]:
        assert not (media / name).exists()
    # The open signal and the person it keeps are untouched, five years on.
    for name in story.names["open"]:
        assert remnants([name]), name
    assert run(AFTER_61_MONTHS, django_capture_on_commit_callbacks).total == 0


def test_the_daily_task_runs_the_same_job_and_is_scheduled(
    story, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(AFTER_13_MONTHS, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = run_retention.delay().get()
        second = run_retention.delay().get()

    assert first["tombstones"] == {"signal_none": 4}
    assert second["tombstones"] == {}
    schedule = settings.CELERY_BEAT_SCHEDULE["retention-daily"]
    assert schedule["task"] == "reporting.privacy_tasks.run_retention"
    assert "reporting.privacy_tasks" in settings.CELERY_IMPORTS


def test_the_audit_log_holds_none_of_the_anonymised_values():
    """Every field the job anonymises is masked (or not logged) by auditlog when written, so
    the append-only log never held a value retention would have to remove."""
    unmasked = []
    for model in {*TEXT_FIELDS, *CLEARED_FIELDS, *NULLED_FIELDS}:
        names = {*TEXT_FIELDS.get(model, ()), *CLEARED_FIELDS.get(model, ())}
        names |= set(NULLED_FIELDS.get(model, ()))
        assert auditlog.contains(model), model
        meta = auditlog.get_model_fields(model)
        logged = {f.name for f in model._meta.concrete_fields} - set(meta["exclude_fields"])
        if meta["include_fields"]:
            logged &= set(meta["include_fields"])
        unmasked += [
            f"{model._meta.label}.{n}"
            for n in names
            if n in logged and n not in meta["mask_fields"]
        ]
    assert unmasked == []


def test_the_terms_are_settings(settings):
    settings.RETENTION_SIGNAL_NONE_MONTHS = 3
    assert retention.terms().signal_none == 3
    assert retention.cutoff(date(2027, 5, 31), 3) == date(2027, 2, 28)
    assert Path(settings.BASE_DIR, "docs", "privacy.md").exists()


def _text_of(fieldfile) -> str:
    from pypdf import PdfReader

    with fieldfile.open("rb") as handle:
        return " ".join(page.extract_text() or "" for page in PdfReader(handle).pages)


def test_the_minutes_are_made_again_without_the_anonymised_item(
    world, media, django_capture_on_commit_callbacks
):
    from referrals.routes import Route
    from screening import services as screening
    from screening.documents import minutes_generate
    from screening.models import Meeting
    from screening.tests.factories import MeetingFactory, agenda_item, decide, registered_signal
    from signals.tests.factories import person_input

    vt, officer = world.user(Role.VT_STAFF), world.user(Role.VT_OFFICER)
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        meeting = MeetingFactory(region=world.region)
        gone = agenda_item(
            world,
            meeting,
            registered_signal(world, persons=[person_input(name="Piotr Zielinski")], places=[]),
        )
        kept = agenda_item(world, meeting)
        screening.meeting_start(meeting=meeting, actor=vt)
        screening.partner_input_add(
            item=gone, actor=world.user(Role.AVIM), text="Piotr Zielinski is bij ons bekend."
        )
        screening.partner_input_add(
            item=kept, actor=world.user(Role.AVIM), text="Bewaard blijft deze inbreng."
        )
        screening.item_classify(item=gone, actor=officer, kind="final", value="none")
        decide(world, gone, routes=[Route.NO_FURTHER_ACTION], weighing="Piotr Zielinski zegt nee.")
        decide(world, kept, routes=[Route.PRESENTER_FOLLOWS_UP])
        screening.meeting_conclude(meeting=meeting, actor=vt)
        minutes_generate(meeting_id=meeting.pk, actor_id=vt.pk)
    meeting.refresh_from_db()
    old_checksum = meeting.minutes_sha256
    assert "Piotr Zielinski" in _text_of(meeting.minutes)

    result = run(AFTER_13_MONTHS, django_capture_on_commit_callbacks)

    assert result.counts["signal_none"] == 2  # the signal and its person
    meeting = Meeting.objects.get(pk=meeting.pk)
    # Deleted, then made again (same stored name) from the anonymised records.
    assert meeting.minutes and meeting.minutes_sha256 not in ("", old_checksum)
    text = _text_of(meeting.minutes)
    assert "Piotr" not in text and "Zielinski" not in text
    assert "Bewaard blijft deze inbreng." in text
    assert remnants(["Piotr Zielinski"]) == {}
