"""Two web processes, one database and one shared upload directory: nothing lives in a process.

Two gunicorn servers run the application against the test database, as two web containers
would behind a load balancer. A user logs in through A (password and verification code);
B accepts that session. A file uploaded through A downloads through B, and logging out
through B ends the session in A. See docs/scaling.md.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import TOTPDeviceFactory
from accounts.tests.login_steps import PASSWORD, code_for, user_with_password
from signals.models import Attachment
from signals.tests.factories import make_signal
from signals.tests.test_views_support import PDF_BYTES

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"
START_TIMEOUT = 30

pytestmark = pytest.mark.django_db(transaction=True)  # the servers see committed rows only


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies itself (not per port, as a browser would not) and never follows redirects."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, base: str, path: str, *, data: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(base + path, data=data, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read()

    def get(self, base: str, path: str):
        return self.request(base, path)

    def post(self, base: str, path: str, fields: dict[str, str]):
        body = urllib.parse.urlencode(fields).encode()
        return self.request(
            base, path, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_file(self, base: str, path: str, fields: dict[str, str], name: str, content: bytes):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachment-file"; '
            f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            base,
            path,
            data=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )


def csrf_token(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1).decode()


def database_url() -> str:
    """DATABASE_URL pointing at the test database pytest-django created."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def start_server(port: int, media: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(media),
    }
    return subprocess.Popen(
        [
            str(GUNICORN),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            os.devnull,
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def wait_until_up(server: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"{base} exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + reverse("accounts:login"), timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{base} did not answer within {START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture
def servers(tmp_path):
    media = tmp_path / "shared-media"
    media.mkdir()
    started = []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = tmp_path / f"{name}.log"
            started.append((start_server(port, media, log), f"http://127.0.0.1:{port}", log))
        for server, base, log in started:
            wait_until_up(server, base, log)
        yield started[0][1], started[1][1], media
    finally:
        for server, _, _ in started:
            server.terminate()
        for server, _, _ in started:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_a_login_and_an_upload_through_one_process_work_through_the_other(world, servers):
    a, b, media = servers
    officer = user_with_password(world.municipality, role=Role.MUNICIPAL_OFFICER)
    device = TOTPDeviceFactory(user=officer, confirmed=True)
    signal = make_signal(officer)
    browser = Browser()

    # Log in through A: password, then the verification code.
    _, _, page = browser.get(a, reverse("accounts:login"))
    status, headers, _ = browser.post(
        a,
        reverse("accounts:login"),
        {"csrfmiddlewaretoken": csrf_token(page), "username": "anna", "password": PASSWORD},
    )
    assert status == 302 and headers["Location"].endswith(reverse("accounts:verify"))
    _, _, page = browser.get(a, reverse("accounts:verify"))
    status, _, _ = browser.post(
        a,
        reverse("accounts:verify"),
        {"csrfmiddlewaretoken": csrf_token(page), "code": code_for(device)},
    )
    assert status == 302

    # B knows the session: the officer's own signals, not the login page.
    status, _, html = browser.get(b, reverse("signals:list"))
    assert status == 200
    assert b"Mijn signalen" in html
    assert str(signal.public_id).encode() in html

    # Upload through A, download through B.
    detail = reverse("signals:detail", args=[signal.public_id])
    _, _, page = browser.get(a, detail)
    status, _, _ = browser.post_file(
        a,
        reverse("signals:add_attachment", args=[signal.public_id]),
        {"csrfmiddlewaretoken": csrf_token(page)},
        "verslag.pdf",
        PDF_BYTES,
    )
    assert status == 302
    attachment = Attachment.objects.get(signal=signal)
    assert [p for p in media.rglob("*") if p.is_file()], "stored outside the shared directory"
    status, headers, body = browser.get(
        b, reverse("signals:attachment", args=[signal.public_id, attachment.public_id])
    )
    assert status == 200
    assert body == PDF_BYTES
    assert headers["Content-Disposition"].startswith("attachment")

    # Logging out through B ends the session in A too, even for a client that keeps the cookie.
    _, _, page = browser.get(b, detail)
    session = browser.cookies["sessionid"]
    status, _, _ = browser.post(
        b, reverse("accounts:logout"), {"csrfmiddlewaretoken": csrf_token(page)}
    )
    assert status == 302
    browser.cookies["sessionid"] = session
    status, headers, _ = browser.get(a, reverse("signals:list"))
    assert status == 302 and reverse("accounts:login") in headers["Location"]
