"""The weekly screening table as its members click through it.

demo-vt opens this week's meeting, reorders two items and starts it; demo-avim adds what it
knows to an item; demo-vt-officer confirms the final classification "suspected" and decides
the route to the care coordinator; demo-vt concludes (which opens the care coordinator's
case) and downloads the minutes.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Organisation, User
from screening import services
from screening.models import Meeting
from signals import services as signal_services
from signals.models import Signal
from signals.tests.factories import make_signal
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def registered(officer: User, vt: User, description: str) -> Signal:
    signal = make_signal(officer, description=description)
    signal = signal_services.signal_submit(signal=signal, actor=officer, version=signal.version)
    return signal_services.signal_register(
        signal=signal, actor=vt, version=signal.version, preliminary_classification="potential"
    )


def test_the_table_screens_a_signal_from_agenda_to_minutes(
    page, demo_data, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    heerlen, vt = User.objects.get(username="demo-heerlen"), User.objects.get(username="demo-vt")
    first = registered(heerlen, vt, "Drie mannen slapen in een loods bij een kwekerij.")
    second = registered(
        heerlen, vt, "Een meisje van 15 wordt elke avond opgehaald door een oudere man."
    )
    meeting = services.meeting_plan_next(region=vt.organisation.region)
    assert meeting.items.count() == 2

    # --- VT prepares: reorder, then start -----------------------------------------------------
    log_in(page, "demo-vt")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Screeningstafel"
    ).click()
    page.get_by_role("link", name="Naar het overleg").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Screeningsoverleg")
    agenda = page.locator("#agenda .agenda-item h3")
    expect(agenda.nth(0)).to_contain_text(first.reference)
    page.get_by_role("button", name=f"{second.reference} omhoog").click()
    expect(agenda.nth(0)).to_contain_text(second.reference)  # swapped by htmx, no reload
    screenshot("agenda reordered")
    page.get_by_role("button", name="Overleg starten").click()
    expect(page.locator(".lead")).to_contain_text("In vergadering")
    screenshot("meeting started")

    item = meeting.items.get(signal=first)
    box = f"#item-{item.public_id}"

    # --- AVIM adds what it knows -----------------------------------------------------------------
    log_in(page, "demo-avim")
    page.goto(f"/screening/{meeting.public_id}/")
    page.locator(f"{box} summary").click()
    page.locator(f"{box} textarea[name=text]").fill(
        "Loods is bekend bij de politie; eerder controle."
    )
    page.locator(box).get_by_role("button", name="Inbreng toevoegen").click()
    expect(page.locator(f"{box} .inputs")).to_contain_text("Loods is bekend bij de politie")
    screenshot("avim input added")

    # --- the VT officer classifies and decides -------------------------------------------------
    log_in(page, "demo-vt-officer")
    page.goto(f"/screening/{meeting.public_id}/")
    page.locator(f"{box} summary").click()
    page.locator(f"{box} select[name=kind]").select_option("final")
    page.locator(f"{box} select[name=value]").select_option("suspected")
    page.locator(box).get_by_role("button", name="Classificatie vastleggen").click()
    expect(page.locator(box)).to_contain_text("Vermoedelijk slachtoffer (definitief)")
    if not page.locator(f"{box} details").get_attribute("open"):
        page.locator(f"{box} summary").click()
    page.locator(box).get_by_role("checkbox", name="Traject zorgcoördinator").check()
    zvh = Organisation.objects.get(name="Zorg- en Veiligheidshuis Parkstad")
    page.locator(f"{box} select[name=follow_up_owner]").select_option(str(zvh.pk))
    page.locator(box).get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator(box)).to_contain_text("Route: Traject zorgcoördinator")
    screenshot("classified and decided")

    # --- VT concludes and downloads the minutes ------------------------------------------------
    log_in(page, "demo-vt", step=1)
    page.goto(f"/screening/{meeting.public_id}/")
    page.get_by_role("button", name="Overleg afronden").click()
    expect(page.locator(".lead")).to_contain_text("Afgerond")
    minutes = page.get_by_role("link", name="Verslag (PDF)")
    expect(minutes).to_be_visible()
    screenshot("concluded")
    response = page.request.get(minutes.get_attribute("href"))
    assert response.status == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert first.reference in text
    assert re.search(r"Traject zorgco", text)

    meeting.refresh_from_db()
    first.refresh_from_db()
    assert (meeting.status, first.status, first.final_classification) == (
        "concluded",
        "routed",  # the hand-off opened the care coordinator's case
        "suspected",
    )
    case = first.cases.get()
    assert case.lead_kind == "care_coordinator" and case.lead_organisation == zvh
    # The undecided item waits on the next meeting's agenda.
    assert Meeting.objects.exclude(pk=meeting.pk).get().items.get().signal == second
