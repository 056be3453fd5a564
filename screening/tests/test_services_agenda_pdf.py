"""The agenda PDF shows the participants only what they need; names only when allowed."""

import io

import pytest
from pypdf import PdfReader

from accounts.models import Organisation
from accounts.roles import Role
from screening import services
from screening.documents import agenda_pdf
from screening.tests.factories import MeetingFactory, agenda_item, registered_signal
from signals.tests.factories import person_input

PERSON = "Zofia Kowalczyk"


@pytest.fixture
def meeting(world):
    meeting = MeetingFactory(region=world.region)
    agenda_item(world, meeting, registered_signal(world, persons=[person_input(name=PERSON)]))
    return meeting


def _compact(text: str) -> str:
    # Table cells wrap, so a name may be split over lines: compare without any whitespace.
    return "".join(text.split())


def _text(pdf: bytes) -> str:
    return _compact(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def _shows(pdf: bytes, *values: str) -> list[bool]:
    text = _text(pdf)
    return [_compact(str(v)) in text for v in values]


def test_it_is_a_valid_pdf_with_what_the_participants_need(world, meeting):
    pdf = agenda_pdf(meeting=meeting)

    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1
    signal = meeting.items.get().signal
    assert (
        _shows(
            pdf,
            signal.reference,
            world.municipality.name,
            "Arbeidsuitbuiting",  # the form of exploitation
            "boven een nagelstudio",  # the short summary
            world.orgs[Organisation.Kind.VEILIG_THUIS].name,  # the presenter
        )
        == [True] * 5
    )


def test_it_leaves_out_person_names_unless_the_region_allows_them(world, meeting, settings):
    settings.SCREENING_AGENDA_FULL_NAMES = False

    assert _shows(agenda_pdf(meeting=meeting), PERSON, "Kowalczyk") == [False, False]


def test_it_shows_person_names_when_the_region_allows_them(world, meeting, settings):
    settings.SCREENING_AGENDA_FULL_NAMES = True

    assert _shows(agenda_pdf(meeting=meeting), PERSON) == [True]


def test_it_leaves_out_proposals_nobody_accepted(world, meeting):
    proposal = services.agenda_item_add(
        meeting=meeting, signal=registered_signal(world), actor=world.user(Role.AVIM)
    )

    accepted = meeting.items.get(state="accepted").signal.reference
    pdf = agenda_pdf(meeting=meeting)
    assert _shows(pdf, accepted, proposal.signal.reference) == [True, False]
