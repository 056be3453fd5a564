"""In-process latency benchmark of the key pages, against PostgreSQL with synthetic data.

Run through `make bench`, which creates (or reuses) a database per size and seed, loads it
with `manage.py synth`, and calls this module. Each endpoint is requested REPEAT times by a
logged-in user of the right role through Django's test client (middleware, sessions,
templates and access logging included; no network or web server), after WARMUP requests.
Reported per endpoint: median and 95th percentile in ms, SQL queries per request, the median
time spent in SQL, and the median as a ratio to a bare authenticated endpoint measured in the
same run. The endpoints are the list in ``endpoints.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

WARMUP = 3
REPEAT = 30


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=REPEAT)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from accounts.roles import Role
    from signals.models import Signal
    from tests.bench.endpoints import ENDPOINTS, objects_for, user_for

    setup_test_environment()  # allows the test client's "testserver" host
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE"
        )  # fresh planner statistics, as autovacuum keeps them in production

    def client_for(role) -> Client:
        return verified_client(user_for(role, "s01"))

    objects = objects_for("s01")
    clients = {role: client_for(role) for role in dict.fromkeys(e.role for e in ENDPOINTS)}
    endpoints = [(e.name, clients[e.role], e.path(objects)) for e in ENDPOINTS]
    vt = clients[Role.VT_STAFF]

    def measure(name: str, client: Client, url: str) -> None:
        for _ in range(WARMUP):
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{name}: {url} answered {response.status_code}")
        timings = []
        sql_times = []
        sql_ms = 0.0

        def timed(execute, sql, params, many, context):
            nonlocal sql_ms
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                sql_ms += (time.perf_counter() - started) * 1000

        with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
            for _ in range(args.repeat):
                sql_ms = 0.0
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                sql_times.append(sql_ms)
        timings.sort()
        rows.append(
            (
                name,
                statistics.median(timings),
                timings[int(len(timings) * 0.95) - 1],
                len(queries) / args.repeat,
                statistics.median(sql_times),
            )
        )

    rows: list[tuple] = []
    for name, client, url in endpoints:
        measure(name, client, url)
    once = _meeting_of_60(vt, measure)

    base = rows[0][1]
    print(
        f"signals: {Signal.objects.count():,}  persons: {Signal.objects.values('involvements__person').distinct().count():,}  "
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}  "
        f"date: {timezone.now():%Y-%m-%d}  "
        # Other work on a shared machine shows here: the bare endpoint's median moves with it.
        f"load average: {os.getloadavg()[0]:.1f}"
    )
    # "SQL ms": the median time a request spent waiting for its queries (round trips included).
    print("| endpoint | median ms | p95 ms | queries/request | SQL ms | × bare |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, median, p95, q, sql in rows:
        print(f"| {name} | {median:.1f} | {p95:.1f} | {q:.1f} | {sql:.1f} | {median / base:.1f} |")
    for name, ms in once:
        print(f"| {name} (one run) | {ms:.0f} | | | | |")


def bench_device(user):
    """The benchmark's confirmed TOTP device of ``user`` (made once per database)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    return device


def verified_client(user):
    """A test client logged in as ``user`` with both factors, as after a real login."""
    from django.test import Client

    from tests.sessions import mark_verified

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    mark_verified(session, bench_device(user))
    session.save()
    return client


class _Rollback(Exception):
    pass


def _meeting_of_60(client, measure) -> list[tuple[str, float]]:
    """A meeting with 60 decided items: meeting mode, then concluding it and its minutes.

    Everything happens in one transaction that is rolled back, so the benchmark database
    stays as synth made it; the minutes go to a temporary directory.
    """
    import tempfile
    from datetime import timedelta

    from django.conf import settings
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Organisation, User
    from accounts.roles import Role
    from referrals.routes import Route
    from screening import services
    from screening.documents import minutes_generate
    from screening.models import Meeting
    from signals.models import Signal

    vt = User.objects.filter(role=Role.VT_STAFF, username__startswith="synth-s01").first()
    officer = User.objects.filter(role=Role.VT_OFFICER, username__startswith="synth-s01").first()
    results: list[tuple[str, float]] = []
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    try:
        with transaction.atomic():
            when = timezone.now() + timedelta(days=3650)
            meeting = Meeting.objects.create(
                region=vt.organisation.region, scheduled_for=when, agenda_closes_at=when
            )
            signals = Signal.objects.filter(
                region=vt.organisation.region, status="registered", is_acute=False
            ).exclude(agenda_items__meeting__status__in=["planned", "agenda_closed", "in_session"])[
                :60
            ]
            for signal in signals:
                services.agenda_item_add(meeting=meeting, signal=signal, actor=vt)
            meeting = services.meeting_start(meeting=meeting, actor=vt)
            owner = Organisation.objects.filter(region=vt.organisation.region, kind="zvh").first()
            for item in meeting.items.all():
                services.item_decide(
                    item=item,
                    actor=officer,
                    version=item.version,
                    decision=services.Decision(
                        routes=[Route.CARE_COORDINATOR], follow_up_owner=owner
                    ),
                )
            count = meeting.items.count()
            measure(
                f"meeting mode, {count} items",
                client,
                reverse("screening:detail", args=[meeting.public_id]),
            )
            started = time.perf_counter()
            services.meeting_conclude(meeting=meeting, actor=vt)
            results.append(
                (
                    f"conclude {count} items (hand-off included)",
                    (time.perf_counter() - started) * 1000,
                )
            )
            started = time.perf_counter()
            minutes_generate(meeting_id=meeting.pk, actor_id=vt.pk)
            results.append(
                (f"minutes PDF of {count} items", (time.perf_counter() - started) * 1000)
            )
            raise _Rollback
    except _Rollback:
        pass
    return results


if __name__ == "__main__":
    main()
