"""The pages run under the Content Security Policy without a single violation.

The policy allows no inline script or style and nothing from another host (SECURITY.md);
a template that breaks it shows up here as an error in the browser console, which the
policy's own header would otherwise only report silently in the field.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

CSP_WORDS = ("Content Security Policy", "Content-Security-Policy")

# What a Veilig Thuis employee opens on a normal day, in order.
PAGES = [
    ("/", "Welkom"),
    ("/signalen/", "Register"),
    ("/signalen/nieuw/", "Nieuw signaal"),
    ("/screening/", "Screeningstafel"),
    ("/meldingen/", "Meldingen"),
    ("/account/", "Mijn account"),
]


def _csp_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if any(word in e for word in CSP_WORDS)]


def test_the_login_flow_and_the_daily_pages_break_no_policy(
    page, demo_data, console_errors, failed_responses, screenshot
):
    page.goto("/inloggen/")
    screenshot("login")
    log_in(page, "demo-vt")
    for path, heading in PAGES:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        page.wait_for_load_state("networkidle")
        screenshot(path.strip("/") or "start")
    # htmx at work (a script of our own, configured by a meta tag): add a person row.
    page.goto("/signalen/nieuw/")
    page.get_by_role("button", name="Persoon toevoegen").click()
    expect(page.get_by_role("group", name="Persoon 2")).to_be_visible()
    screenshot("person row added with htmx")

    assert _csp_errors(console_errors) == [], "\n".join(console_errors)
    # The only other console errors allowed are the browser's own "Failed to load resource"
    # lines for the favicon it asks for by itself (the site declares none).
    assert set(failed_responses) <= {"404 /favicon.ico"}, failed_responses
    others = [e for e in console_errors if not e.startswith("Failed to load resource")]
    assert others == [], "\n".join(others)


def test_the_api_documentation_breaks_no_policy(page, demo_data, console_errors, screenshot):
    log_in(page, "demo-vt")
    page.goto("/api/docs/")
    page.wait_for_load_state("networkidle")
    screenshot("api docs")

    assert _csp_errors(console_errors) == [], "\n".join(console_errors)
