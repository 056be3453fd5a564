"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser download does not work here: the tests launch ``/usr/bin/chromium``
(``apt-get install -y chromium``, or ``make chromium``). Without it they fail with that
instruction; they never skip, so a missing browser cannot pass for a green run.

Screenshots of each step land in ``test-artifacts/screenshots/<test>/<nn>-<step>.png``
(git-ignored), for a person to look at.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# The password of every demo user in these tests (it passes the password validators).
DEMO_PASSWORD = "demo-wachtwoord-2026"


# Playwright's sync API keeps an event loop running in the test thread while it is started;
# Django's ORM refuses every query from a thread with a running loop (the tests' own set-up
# and checks) unless this variable is set.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all browser tests.

    Package scope, not session scope: Playwright's loop stays "running" in the main thread
    until it stops, so it must stop after the last browser test, and the variable above must
    go with it; left set for the rest of the session it leaks into every subprocess (Django's
    ``check --deploy`` refuses it: async.E001).
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium with "
            "`apt-get update && apt-get install -y chromium` (or `make chromium`). "
            "Never `playwright install`: there is no browser download here.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser context (no cookies) per test, in Dutch, at a laptop's size."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_errors(page) -> list[str]:
    """Console messages of type error and uncaught page errors, as the page runs."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


@pytest.fixture
def failed_responses(page) -> list[str]:
    """Every answer of 400 or more the page received, as "status path"."""
    from urllib.parse import urlsplit

    failed: list[str] = []
    page.on(
        "response",
        lambda r: failed.append(f"{r.status} {urlsplit(r.url).path}") if r.status >= 400 else None,
    )
    return failed


class Screenshots:
    """``shot("login")`` saves ``<nn>-login.png`` for this test, numbered in order."""

    def __init__(self, page, directory: Path):
        self.page = page
        self.directory = directory
        self.count = 0
        self.saved: list[Path] = []

    def __call__(self, step: str) -> Path:
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.directory / f"{self.count:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.saved.append(path)
        return path


@pytest.fixture
def screenshot(page, request) -> Screenshots:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    directory = SCREENSHOTS / name
    # Only this run's pictures: a step that no longer exists must not linger.
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return Screenshots(page, directory)


@pytest.fixture
def demo_data(transactional_db):
    """The demo region and its users, each with a confirmed authenticator."""
    from django.core.management import call_command

    call_command("demo_data", password=DEMO_PASSWORD, stdout=io.StringIO())


def totp_code(username: str, *, offset_steps: int = 0) -> str:
    """The code the user's authenticator app shows now (or ``offset_steps`` steps later)."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(page, username: str, *, step: int = 0) -> None:
    """Log in through the two login steps as ``username``.

    ``step=1`` uses the authenticator's next code, for a second login of the same user within
    one 30-second window: a code is single-use, replaying it is refused.
    """
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Verificatiecode").fill(totp_code(username, offset_steps=step))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
