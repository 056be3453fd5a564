"""The policy analyst's year: the dashboard, Heerlen's figures, and the annual PDF.

demo-beleid opens the dashboard for the demo year, switches to Heerlen, starts the annual
PDF for Heerlen and watches the progress bar reach 100 % while a real Celery worker (a
thread of this test, on the Redis broker) renders it, then downloads it. The PDF's first
two pages are rendered to PNG next to the screenshots, for a person to look at.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from contextlib import contextmanager

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Region
from reporting.demo import load_demo_figures
from reporting.models import AnnualReport
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@contextmanager
def celery_worker():
    """Tasks go to the broker and a worker thread runs them, as in production."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = eager


def progress_values(page, seconds: float = 90) -> list[int]:
    """The progress bar's value as the page polls for it, until 100 (or time runs out)."""
    seen: list[int] = []
    bar = page.locator("#progress-bar")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = int(bar.get_attribute("value"))
        if not seen or seen[-1] != value:
            seen.append(value)
        if value == 100:
            break
        page.wait_for_timeout(150)
    return seen


def test_the_analyst_follows_heerlen_and_makes_its_annual_report(
    page, demo_data, screenshot, settings, tmp_path, console_errors
):
    settings.MEDIA_ROOT = tmp_path
    year = timezone.localdate().year - 1
    load_demo_figures(region=Region.objects.get(), year=year)

    # --- the dashboard of the demo year ---------------------------------------------------------
    log_in(page, "demo-beleid")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cijfers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers van de meldroute")
    page.get_by_label("Jaar", exact=True).fill(str(year))
    page.get_by_role("button", name="Toon cijfers").click()
    expect(page.locator(".lead")).to_contain_text(f"Zuid-Limburg · {year}")
    expect(page.locator("#table-signals_by_month tfoot td")).not_to_have_text("0")
    expect(page.get_by_role("img", name="Signalen per maand")).to_be_visible()
    screenshot("dashboard of the region")

    # --- Heerlen ----------------------------------------------------------------------------------
    page.get_by_label("Gemeente", exact=True).select_option(label="Gemeente Heerlen")
    page.get_by_role("button", name="Toon cijfers").click()
    expect(page.locator(".lead")).to_contain_text(f"Gemeente Heerlen · {year}")
    rows = page.locator("#table-signals_by_municipality tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Heerlen")
    screenshot("dashboard of heerlen")

    # --- the annual report for Heerlen --------------------------------------------------------
    page.get_by_role("link", name="Jaarverslag (evaluatie)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Jaarverslag {year}")
    page.get_by_label("Voor", exact=True).select_option(label="Gemeente Heerlen")
    with celery_worker():
        page.get_by_role("button", name="Jaarverslag maken").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Gemeente Heerlen")
        screenshot("progress")
        seen = progress_values(page)
        assert seen[-1] == 100, seen
        assert seen[0] < 100, seen  # the bar was watched on its way, not found finished
        expect(page.locator(".report-progress__value")).to_have_text("100%")
        download_link = page.get_by_role("link", name="Download het jaarverslag")
        expect(download_link).to_be_visible()
        screenshot("report ready")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    report = AnnualReport.objects.get()
    assert download.suggested_filename.startswith(f"jaarverslag-{year}-gm0917-")
    data = path.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert 8 <= len(reader.pages) <= 30
    assert len(reader.pages) == report.pages
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"Evaluatie aanpak mensenhandel {year}" in text
    assert "Gemeente Heerlen (regio Zuid-Limburg)" in text
    assert [e for e in console_errors if "Content Security Policy" in e] == []

    # --- the first two pages as pictures, next to the screenshots --------------------------------
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: apt-get install -y poppler-utils (or make chromium)"
    subprocess.run(  # noqa: S603 - a fixed program on a file this test wrote
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "2",
            str(path),
            str(screenshot.directory / "pdf-page"),
        ],
        check=True,
    )
    pictures = sorted(p.name for p in screenshot.directory.glob("pdf-page-*.png"))
    assert pictures == ["pdf-page-01.png", "pdf-page-02.png"] or pictures == [
        "pdf-page-1.png",
        "pdf-page-2.png",
    ]
