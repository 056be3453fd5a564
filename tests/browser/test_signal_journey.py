"""A signal's way into the register, as its users click through it.

demo-heerlen logs a signal with two persons and an attachment and submits it; demo-vt
finds it by a person's name typed without the accent and registers it; demo-maastricht,
an officer of another municipality, cannot reach it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from signals.models import Signal
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# A minimal valid PDF: the register accepts attachments by content, not by name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_a_signal_goes_from_heerlen_to_the_register(
    page, demo_data, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path

    # --- Heerlen logs the signal ----------------------------------------------------------
    log_in(page, "demo-heerlen")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Nieuw signaal"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw signaal")
    page.get_by_label("Bron").select_option("municipality_internal")
    page.get_by_label("Gemeente waar het speelt").select_option(label="Gemeente Heerlen")
    page.get_by_label("Ontvangen op").fill("2026-11-20")
    page.get_by_label("Wat is er gezien?").fill(
        "Twee vrouwen wonen boven een nagelstudio en werken er van 's ochtends tot 's nachts."
    )
    page.get_by_role("checkbox", name="Arbeidsuitbuiting").check()
    page.locator("#id_persons-0-role").select_option("possible_victim")
    page.locator("#id_persons-0-name").fill("Zoë Müller")
    page.locator("#id_persons-0-age_band").select_option("23-29")
    page.get_by_role("button", name="Persoon toevoegen").click()
    second = page.locator("#id_persons-1-name")
    expect(second).to_be_visible()
    page.locator("#id_persons-1-role").select_option("possible_offender")
    second.fill("Piotr Nowak")
    screenshot("signal form filled in")
    page.get_by_role("button", name="Opslaan als concept").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Signaal ZL-")
    signal = Signal.objects.get()
    assert signal.status == "draft"
    assert signal.involvements.count() == 2
    screenshot("draft saved")

    page.locator("input[type=file]").set_input_files(
        files=[{"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Bijlage toevoegen").click()
    expect(page.get_by_role("link", name=re.compile("verslag.pdf"))).to_be_visible()
    page.get_by_role("button", name="Indienen bij Veilig Thuis").click()
    expect(page.locator("body")).to_contain_text("Ingediend bij Veilig Thuis")
    screenshot("submitted")
    signal.refresh_from_db()
    assert signal.status == "submitted"
    assert signal.attachments.count() == 1

    # --- Veilig Thuis finds it without typing the accent, and registers it ---------------------
    log_in(page, "demo-vt")
    page.goto("/signalen/")
    page.get_by_label("Zoeken", exact=True).fill("muller")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    link = page.get_by_role("link", name=signal.reference)
    expect(link).to_be_visible()
    screenshot("found by name without accent")
    link.click()
    page.get_by_label("Voorlopige classificatie").select_option("suspected")
    page.get_by_role("button", name="Registreren").click()
    expect(page.locator("body")).to_contain_text("Geregistreerd")
    screenshot("registered")
    signal.refresh_from_db()
    assert (signal.status, signal.preliminary_classification) == ("registered", "suspected")

    # --- Maastricht cannot reach it ------------------------------------------------------------
    log_in(page, "demo-maastricht")
    response = page.goto(f"/signalen/{signal.public_id}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    screenshot("other municipality gets not found")
    page.goto("/signalen/?q=muller")
    expect(page.get_by_role("link", name=signal.reference)).to_have_count(0)
