"""The minutes: a PDF made once after the meeting concludes, stored with its checksum."""

import hashlib
import io

import pytest
from pypdf import PdfReader

from accounts.roles import Role
from referrals.routes import Route
from screening import services, tasks
from screening.models import Meeting
from screening.tests.factories import decide, meeting_in_session


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def concluded(world, media, django_capture_on_commit_callbacks):
    meeting, (decided, pending) = meeting_in_session(world, items=2)
    services.partner_input_add(item=decided, actor=world.user(Role.AVIM), text="Bekend bij AVIM.")
    decide(world, decided, routes=[Route.CARE_COORDINATOR], advice="Intake plannen")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.meeting_conclude(meeting=meeting, actor=world.user(Role.VT_STAFF))
    assert len(callbacks) == 1
    meeting.refresh_from_db()
    return meeting, decided, pending


def _compact(text: str) -> str:
    # Lines wrap anywhere in a PDF: compare without any whitespace.
    return "".join(str(text).split())


def _text(pdf: bytes) -> str:
    return _compact(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def test_it_stores_the_minutes_as_a_pdf_with_its_checksum(concluded, media):
    meeting, _decided, _pending = concluded

    assert meeting.minutes.name == f"minutes/notulen-{meeting.public_id}.pdf"
    stored = (media / meeting.minutes.name).read_bytes()
    assert stored.startswith(b"%PDF")
    assert meeting.minutes_sha256 == hashlib.sha256(stored).hexdigest()


def test_the_minutes_name_the_signals_and_the_route(concluded):
    meeting, decided, pending = concluded

    with meeting.minutes.open("rb") as f:
        text = _text(f.read())

    for shown in (
        decided.signal.reference,
        pending.signal.reference,
        Route.CARE_COORDINATOR.label,
        "Bekend bij AVIM.",
        "Intake plannen",
    ):
        assert _compact(shown) in text


def test_running_the_task_again_changes_nothing(world, concluded, media):
    meeting, _decided, _pending = concluded
    name, checksum = meeting.minutes.name, meeting.minutes_sha256

    result = tasks.generate_minutes(meeting.pk, world.user(Role.VT_STAFF).pk)

    meeting.refresh_from_db()
    assert result == name
    assert (meeting.minutes.name, meeting.minutes_sha256) == (name, checksum)
    assert [p.name for p in (media / "minutes").iterdir()] == [name.split("/")[-1]]
    assert hashlib.sha256((media / name).read_bytes()).hexdigest() == checksum


def test_it_makes_no_minutes_for_a_meeting_that_has_not_concluded(world, media):
    meeting, _items = meeting_in_session(world)

    assert tasks.generate_minutes(meeting.pk, None) == ""

    meeting = Meeting.objects.get(pk=meeting.pk)
    assert not meeting.minutes
    assert meeting.minutes_sha256 == ""
    assert not (media / "minutes").exists()
