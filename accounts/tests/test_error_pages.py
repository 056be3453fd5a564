"""A refused page answers in Dutch and leaves a line in the security log."""

import logging

from accounts.roles import Role

SECURITY_LOGGER = "meldroute.security"


def security_warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == SECURITY_LOGGER and r.levelno == logging.WARNING]


def test_it_refuses_the_audit_log_to_a_municipal_officer_in_dutch(world, login, caplog):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    client = login(officer)

    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        response = client.get("/auditlog/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Geen toegang" in html
    assert "Deze poging is vastgelegd." in html
    assert response.templates[0].name == "403.html"
    [record] = security_warnings(caplog)
    message = record.getMessage()
    assert f"user={officer.pk}" in message
    assert "role=municipal_officer" in message
    assert "path=/auditlog/" in message
    assert "method=GET" in message


def test_it_opens_the_audit_log_for_the_privacy_officer(world, login, caplog):
    """The control: the same page opens for the role that may read it, without a warning."""
    client = login(world.user(Role.PRIVACY_OFFICER))

    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        response = client.get("/auditlog/")

    assert response.status_code == 200
    assert security_warnings(caplog) == []


def test_it_refuses_the_audit_log_export_to_a_municipal_officer(world, login, caplog):
    client = login(world.user(Role.MUNICIPAL_OFFICER))

    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        response = client.get("/auditlog/export.csv")

    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert len(security_warnings(caplog)) == 1


def test_it_answers_an_unknown_page_with_a_dutch_404(world, login):
    client = login(world.user(Role.VT_STAFF))

    response = client.get("/bestaat-niet/")

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
