"""The production shape of config/settings.py, checked in fresh processes.

Settings are read once per process, so every case starts ``manage.py`` or ``python -c`` with
its own environment: a clean copy of ours without the variables that production requires
(SECURITY.md: "`check --deploy --fail-level WARNING` in production settings → 0 issues").
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The interpreter running the tests is the project's (.venv/bin/python under `make test`).
PYTHON = sys.executable

REQUIRED = ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS")
# Variables that would change what production means; none may leak in from the caller.
STRIPPED = (
    *REQUIRED,
    "DJANGO_ENV",
    "DEBUG",
    "SECRET_KEY_FALLBACKS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CSRF_TRUSTED_ORIGINS",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_URL",
)

SETTINGS_AS_JSON = """
import json
import os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ENGINE": db["ENGINE"],
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_PROXY_SSL_HEADER": s.SECURE_PROXY_SSL_HEADER,
    "SECURE_CONTENT_TYPE_NOSNIFF": s.SECURE_CONTENT_TYPE_NOSNIFF,
    "SECURE_REFERRER_POLICY": s.SECURE_REFERRER_POLICY,
    "X_FRAME_OPTIONS": s.X_FRAME_OPTIONS,
    "CSP": s.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "SECRET_KEY_FALLBACKS": getattr(s, "SECRET_KEY_FALLBACKS", []),
    "CELERY_TASK_ALWAYS_EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "CELERY_BROKER_URL": s.CELERY_BROKER_URL,
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
}))
"""


def secret_key() -> str:
    return secrets.token_urlsafe(60)  # 80 characters, plenty of distinct ones (security.W009)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(extra)
    return env


def production_env(**overrides: str) -> dict[str, str]:
    return clean_env(
        DJANGO_ENV="production",
        SECRET_KEY=secret_key(),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/meldroute",
        ALLOWED_HOSTS="meldroute.example.nl",
        **overrides,
    )


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def settings_of(env: dict[str, str]) -> dict:
    result = run(["-c", SETTINGS_AS_JSON], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_no_issues():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Django's wording for zero issues; "(0 silenced)": nothing is hidden either.
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output
    assert "ERROR" not in output


def test_check_deploy_accepts_a_rotated_key():
    env = production_env(SECRET_KEY_FALLBACKS=secret_key())

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert settings_of(env)["SECRET_KEY_FALLBACKS"] == [env["SECRET_KEY_FALLBACKS"]]


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without(missing):
    env = production_env()
    del env[missing]

    result = run(["manage.py", "check"], env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_production_cookies_and_transport_are_secure():
    values = settings_of(production_env())

    assert values["DEBUG"] is False
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] in {"same-origin", "no-referrer", "strict-origin"}
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_production_content_security_policy_is_strict():
    csp = settings_of(production_env())["CSP"]

    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    sources = [source for values in csp.values() for source in values]
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources


def test_production_sends_tasks_to_the_broker():
    values = settings_of(production_env(REDIS_URL="redis://redis:6379/0"))

    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_embedded_default_needs_no_environment():
    """`make run`: nothing set but PATH and HOME gives SQLite, eager tasks, console e-mail."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/")}

    values = settings_of(env)

    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["DEBUG"] is True
