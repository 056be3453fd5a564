"""Security headers on every page, taken from the permission matrix, and HSTS in production.

Every row of ``tests/permission_matrix.py`` with a GET (the table covers every named URL,
so a new page is checked as soon as it has its row) is requested once by a role that may
open it, on an object of its own organisation. Each answer must carry:

* a Content Security Policy with ``frame-ancestors 'none'``, ``object-src 'none'`` and
  ``base-uri 'none'`` and no inline script (HTML pages);
* ``X-Frame-Options: DENY`` and ``X-Content-Type-Options: nosniff``;
* ``Cache-Control: no-store`` — on every page, as nearly all show personal data;
* a strict ``Referrer-Policy``.

HSTS is only sent over HTTPS with the production settings: checked in a fresh process.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection

from accounts.roles import Role
from tests.permission_matrix import OWN, ROWS, Case, expected
from tests.test_permission_matrix import _run, make_object
from tests.test_production_settings import production_env, run


def header_cases() -> list[Case]:
    """One allowed GET per row: Veilig Thuis where it may, else the first role that may."""
    chosen = []
    for row in ROWS:
        if row.get is None:
            continue
        kinds = row.objects_for("GET")
        candidates = [
            Case(row, "GET", role, kinds[0] if kinds else None, OWN if kinds else None)
            for role in ([None] if row.public else [Role.VT_STAFF, *Role])
        ]
        allowed = [c for c in candidates if expected(c).outcome == "allowed"]
        if allowed:
            chosen.append(allowed[0])
    return chosen


CASES = header_cases()


class HeaderSummary:
    name = "security-headers-summary"

    def __init__(self) -> None:
        self.routes = 0
        self.html = 0

    def pytest_terminal_summary(self, terminalreporter) -> None:
        terminalreporter.write_line(
            f"security headers: {self.routes} routes checked ({self.html} HTML pages), "
            f"{len(ROWS)} rows in the matrix"
        )


@pytest.fixture(scope="session")
def summary(request) -> HeaderSummary:
    manager = request.config.pluginmanager
    plugin = manager.get_plugin(HeaderSummary.name)
    if plugin is None:
        plugin = HeaderSummary()
        manager.register(plugin, HeaderSummary.name)
    return plugin


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_every_get_route_is_checked():
    rows_with_get = [row.name for row in ROWS if row.get is not None]
    assert len(CASES) == len(rows_with_get), "a GET row without a role that may open it"


@pytest.mark.parametrize("case", CASES, ids=[c.row.name for c in CASES])
def test_the_page_sends_the_security_headers(case, world, request, login, summary):
    obj = make_object(case, world, request.getfixturevalue("other_world"))
    response, problems = _run(case, obj, world, login)
    assert not problems, "\n".join(problems)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")
    summary.routes += 1
    if response.get("Content-Type", "").startswith("text/html"):
        summary.html += 1
        csp = csp_directives(response["Content-Security-Policy"])
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"]
        assert "'unsafe-inline'" not in csp.get("script-src", csp["default-src"])
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"<script>" not in body, "inline script: the CSP would block it"


# --- HSTS: production settings, in a fresh process --------------------------------------------

HEADERS_OVER_HTTPS = """
import json
import django
django.setup()
from django.test import Client
client = Client()
secure = client.get("/", secure=True, HTTP_HOST="meldroute.example.nl")
plain = client.get("/", HTTP_HOST="meldroute.example.nl")
print(json.dumps({
    "secure_status": secure.status_code,
    "secure": dict(secure.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "plain_hsts": plain.get("Strict-Transport-Security"),
}))
"""


def test_production_sends_hsts_over_https_and_redirects_http(db):
    name = connection.settings_dict["NAME"]
    env = production_env()
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"

    result = run(["-c", HEADERS_OVER_HTTPS], env)

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    hsts = answer["secure"]["Strict-Transport-Security"]
    parts = [p.strip() for p in hsts.split(";")]
    assert int(parts[0].removeprefix("max-age=")) >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in parts
    assert answer["secure"]["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer["secure"]["Content-Security-Policy"]
    # Plain HTTP is sent to HTTPS, without the header (it only counts over HTTPS).
    assert answer["plain_status"] == 301
    assert answer["plain_location"].startswith("https://meldroute.example.nl/")
    assert answer["plain_hsts"] is None
