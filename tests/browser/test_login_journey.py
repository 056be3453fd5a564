"""Logging in as a person does: password, then the authenticator's code, then out again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.navigation import ROLE_INTRO
from accounts.roles import Role
from tests.browser.conftest import DEMO_PASSWORD, totp_code

pytestmark = pytest.mark.browser

USER = "demo-vt"


def _password_step(page, screenshot, *, username: str = USER) -> None:
    page.goto("/")
    # Not logged in: the start page sends the visitor to the login page.
    expect(page).to_have_url(re.compile(r"/inloggen/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_label("Gebruikersnaam")).to_be_focused()
    screenshot("login page")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    screenshot("password filled in")
    page.get_by_role("button", name="Volgende").click()
    expect(page).to_have_url(re.compile(r"/inloggen/verificatie/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verificatiecode")
    expect(page.get_by_label("Verificatiecode")).to_be_focused()


def test_it_logs_in_with_password_and_code_and_out_again(page, demo_data, screenshot):
    _password_step(page, screenshot)
    screenshot("code step")
    page.get_by_label("Verificatiecode").fill(totp_code(USER))
    screenshot("code filled in")
    page.get_by_role("button", name="Inloggen").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {USER}")
    expect(page.locator(".lead")).to_have_text(str(ROLE_INTRO[Role.VT_STAFF]))
    header = page.locator(".site-header__user")
    expect(header).to_contain_text(str(Role.VT_STAFF.label))
    expect(header).to_contain_text("Veilig Thuis Zuid-Limburg")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    for item in ("Start", "Signalen", "Nieuw signaal", "Screeningstafel"):
        expect(menu.get_by_role("link", name=item, exact=True)).to_be_visible()
    # What the role may not use is not offered.
    expect(menu.get_by_role("link", name="Auditlog")).to_have_count(0)
    expect(menu.get_by_role("link", name="Beheer")).to_have_count(0)
    screenshot("start page")

    page.get_by_role("button", name="Uitloggen").click()

    expect(page).to_have_url(re.compile(r"/inloggen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_role("status")).to_contain_text("U bent uitgelogd.")
    screenshot("logged out")
    # The session is gone: the start page asks for a login again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next=/$"))


def test_it_refuses_a_wrong_code_in_dutch(page, demo_data, screenshot):
    _password_step(page, screenshot)
    valid = {totp_code(USER, offset_steps=n) for n in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "123456") if code not in valid)
    page.get_by_label("Verificatiecode").fill(wrong)
    page.get_by_role("button", name="Inloggen").click()

    expect(page).to_have_url(re.compile(r"/inloggen/verificatie/$"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Controleer het formulier.")
    expect(alert).to_contain_text("Deze code is onjuist of al gebruikt.")
    expect(page.locator(".field__error")).to_have_text("Deze code is onjuist of al gebruikt.")
    screenshot("wrong code refused")
    # Still not logged in.
    page.goto("/account/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next=/account/$"))
