"""Load benchmark: the application under gunicorn, driven by concurrent logged-in users (locust).

Run through ``make bench`` after the in-process run (``run.py``), against the same
synthetic database (``DATABASE_URL``) and Redis (``REDIS_URL``). What it does:

1. makes one persona per role of ``endpoints.ENDPOINTS`` and region: a user of that role
   with a verified session (both login factors, as after a real login) written to the
   session store gunicorn reads, so no password or code is sent during the run;
2. starts gunicorn with the production configuration (``config/gunicorn.conf.py``: sync
   workers, no recycling) on a free loopback port with settings ``tests.bench.settings``;
3. runs locust headless: the users with a pause of 0.5–1.5 s between requests (latency
   under a steady load), then the same users without pauses (the most the workers deliver
   on this machine);
4. reads the peak resident memory (VmHWM) of every gunicorn worker and stops gunicorn.

Reported per endpoint: median and 95th percentile in ms, requests per second and SQL
queries per request (counted by the server, ``tests.bench.middleware``), and the median as
a multiple of the bare authenticated endpoint's in the same run. Static files are not
requested: production serves them from nginx, not gunicorn.

Defaults: 2 workers, 8 users, 60 s steady and 20 s without pauses; change them with
``--workers/--users/--duration/--saturation`` or ``BENCH_WORKERS``, ``BENCH_USERS``,
``BENCH_DURATION``, ``BENCH_SATURATION`` (``make bench BENCH_USERS=16``).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SETTINGS = "tests.bench.settings"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def verified_session(user) -> str:
    """A session as ``accounts.views.auth.login_verify`` leaves it, in the configured store."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from tests.bench.run import bench_device
    from tests.sessions import mark_verified

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    mark_verified(store, bench_device(user))
    store.create()
    return store.session_key


def make_plan() -> dict:
    from django.conf import settings

    from accounts.models import Region
    from tests.bench.endpoints import BARE, ENDPOINTS, ROLES, objects_for, user_for

    bare = next(e for e in ENDPOINTS if e.name == BARE)
    personas = []
    # Region by region, every role in turn: the first N users cover every role.
    for code in (
        Region.objects.filter(code__startswith="s").order_by("code").values_list("code", flat=True)
    ):
        objects = objects_for(code)
        for role in ROLES:
            user = user_for(role, code)
            if user is None:
                continue
            mine = [e for e in ENDPOINTS if e.role == role]
            if bare not in mine:
                mine.insert(0, bare)
            personas.append(
                {
                    "role": str(role),
                    "region": code,
                    "session": verified_session(user),
                    "endpoints": [
                        {"name": e.name, "path": e.path(objects), "weight": e.weight} for e in mine
                    ],
                }
            )
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "personas": personas}


def wait_for(url: str, cookie: str, timeout: float = 60) -> None:
    """Until the loopback server (http://127.0.0.1:port, built by main) answers 200."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"gunicorn did not answer {url} within {timeout:.0f} s")
        time.sleep(0.3)


def worker_memory(master_pid: int) -> list[dict]:
    """Peak and current resident memory of each gunicorn worker, from /proc."""
    import psutil

    result = []
    for child in psutil.Process(master_pid).children():
        status = Path(f"/proc/{child.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        result.append(
            {
                "pid": child.pid,
                "peak_mib": int(fields["VmHWM"].split()[0]) / 1024,
                "rss_mib": int(fields["VmRSS"].split()[0]) / 1024,
            }
        )
    return result


def run_locust(host: str, plan_path: Path, out: Path, *, users: int, seconds: int, wait: str):
    env = {**os.environ, "BENCH_PLAN": str(plan_path), "BENCH_OUT": str(out), "BENCH_WAIT": wait}
    started = time.monotonic()
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "tests" / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--stop-timeout",
            "10",
        ],
        env=env,
        cwd=ROOT,
        check=False,  # locust exits 1 when a request failed; failures are reported below
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # its own summary rounds times; ours is printed below
    )
    elapsed = time.monotonic() - started
    return json.loads(out.read_text()), elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * share)) - 1)]


def summarise(results: dict, seconds: float) -> list[dict]:
    from tests.bench.endpoints import BARE, ENDPOINTS

    rows = []
    for endpoint in ENDPOINTS:
        data = results.get(endpoint.name)
        if not data or not data["ms"]:
            continue
        rows.append(
            {
                "name": endpoint.name,
                "requests": len(data["ms"]),
                "failures": len(data["failures"]),
                "median": statistics.median(data["ms"]),
                "p95": percentile(data["ms"], 0.95),
                "rps": len(data["ms"]) / seconds,
                "queries": statistics.mean(data["queries"]) if data["queries"] else None,
            }
        )
    bare = next((r["median"] for r in rows if r["name"] == BARE), None)
    for row in rows:
        row["ratio"] = row["median"] / bare if bare else None
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", 8)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 60)))
    parser.add_argument(
        "--saturation", type=int, default=int(os.environ.get("BENCH_SATURATION", 20))
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from django.db import connection

    from signals.models import Signal

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan = make_plan()
    signals = Signal.objects.count()
    connection.close()

    tmp = Path(tempfile.mkdtemp(prefix="meldroute-bench-"))
    plan_path = tmp / "plan.json"
    plan_path.write_text(json.dumps(plan))
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    log = (tmp / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--max-requests",
            "0",  # no recycling during the run: the peak memory is the workers' own
            "--access-logfile",
            os.devnull,
            "--error-logfile",
            "-",
            "config.wsgi",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        first = plan["personas"][0]
        cookie = f"{plan['cookie_name']}={first['session']}"
        wait_for(host + first["endpoints"][0]["path"], cookie)
        # Warm every worker: imports, templates and per-process caches load on first use.
        for persona in plan["personas"]:
            for endpoint in persona["endpoints"]:
                for _ in range(args.workers):
                    wait_for(host + endpoint["path"], f"{plan['cookie_name']}={persona['session']}")
        steady, steady_s = run_locust(
            host,
            plan_path,
            tmp / "steady.json",
            users=args.users,
            seconds=args.duration,
            wait="0.5,1.5",
        )
        saturated, saturated_s = (None, 0.0)
        if args.saturation:
            saturated, saturated_s = run_locust(
                host,
                plan_path,
                tmp / "saturated.json",
                users=args.users,
                seconds=args.saturation,
                wait="0,0",
            )
        memory = worker_memory(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    rows = summarise(steady, steady_s)
    report = {
        "load_average": round(os.getloadavg()[0], 1),
        "signals": signals,
        "users": args.users,
        "workers": args.workers,
        "duration_s": round(steady_s, 1),
        "endpoints": rows,
        "total_rps": sum(r["rps"] for r in rows),
        "failures": sum(r["failures"] for r in rows),
        "memory": memory,
    }
    if saturated is not None:
        sat_rows = summarise(saturated, saturated_s)
        report["saturated"] = {
            "duration_s": round(saturated_s, 1),
            "total_rps": sum(r["rps"] for r in sat_rows),
            "failures": sum(r["failures"] for r in sat_rows),
            "endpoints": sat_rows,
        }
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))


def print_report(report: dict) -> None:
    print(
        f"\ngunicorn, {report['workers']} sync workers; {report['users']} concurrent users "
        f"(0.5–1.5 s pause) for {report['duration_s']:.0f} s; {report['signals']:,} signals; "
        f"load average at the end {report['load_average']}"
    )
    print("| endpoint | median ms | p95 ms | req/s | queries/request | × bare |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in report["endpoints"]:
        queries = f"{r['queries']:.1f}" if r["queries"] is not None else "?"
        print(
            f"| {r['name']} | {r['median']:.1f} | {r['p95']:.1f} | {r['rps']:.2f} | {queries} "
            f"| {r['ratio']:.1f} |"
        )
    print(f"| all endpoints | | | {report['total_rps']:.1f} | | |")
    print(f"failed requests: {report['failures']}")
    peaks = ", ".join(f"{m['peak_mib']:.0f}" for m in report["memory"])
    print(f"peak resident memory per worker (VmHWM): {peaks} MiB")
    sat = report.get("saturated")
    if sat:
        from tests.bench.endpoints import BARE

        bare = next((r["median"] for r in sat["endpoints"] if r["name"] == BARE), float("nan"))
        print(
            f"the same users without pauses for {sat['duration_s']:.0f} s: "
            f"{sat['total_rps']:.1f} requests/s in all, bare endpoint median {bare:.1f} ms, "
            f"failed requests: {sat['failures']}"
        )


if __name__ == "__main__":
    main()
