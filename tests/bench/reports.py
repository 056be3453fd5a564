"""Benchmark of the yearly reports of one region-year: the annual PDF and the CoMensha export.

Run through `make bench` after ``run.py``, against the same synthetic database: every size's
database for its region s01 (at 100,000 signals over 4 regions and 10 years, about 2,500
signals in a region-year), and a database whose only region holds 20,000 signals in one year
(``manage.py synth --regions 1 --signals 20000 --year <last year>``). Targets (issue
"Reporting"): the annual PDF of a region-year under 10 s at 2,000 signals, under 30 s at
20,000.

Measured, each REPEAT times after one warm-up (the median is reported, the slowest, and the
median CPU time of this process, which a shared machine's other work moves less):

- ``compute_figures`` for the region-year: every table, exact, with its number of queries;
- the annual PDF as the worker makes it: ``annual_report_start`` as a policy analyst, whose
  task runs when the start commits (eager tasks, as ``DJANGO_ENV=test`` has them), so the
  time covers both years' figures, the charts, WeasyPrint's layout and the stored file;
- the CoMensha counts as CSV and as XLSX: the export page through Django's test client
  (middleware, permission and access log included), the CSV's stream read to its end.

The runs write their PDFs to a temporary directory and remove them and their run records
afterwards, so the database stays as synth made it (the audit log keeps its entries).
``--profile`` adds a cProfile of one PDF run: the 25 functions with the most own time and
the 25 with the most cumulative time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

REPEAT = 3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--region", default="s01", help="code of the region (synth: s01, s02…)")
    parser.add_argument("--year", type=int, help="default: last year")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import shutil
    import tempfile

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Region
    from accounts.roles import Role
    from reporting import services
    from reporting.figures import compute_figures
    from reporting.figures.register import signal_base
    from reporting.models import AnnualReport
    from reporting.periods import Period, Scope
    from tests.bench.endpoints import user_for
    from tests.bench.run import verified_client

    setup_test_environment()
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        sys.exit("the annual report is measured with eager tasks (CELERY_TASK_ALWAYS_EAGER)")
    year = args.year or timezone.localdate().year - 1
    region = Region.objects.get(code=args.region)
    scope, period = Scope(region), Period.for_year(year)
    analyst = user_for(Role.POLICY_ANALYST, args.region)
    client = verified_client(analyst)
    signals = signal_base(scope, period).count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def timed(call, label: str) -> tuple[float, float, float]:
        """(median, slowest, median CPU) in seconds of ``repeat`` calls after one warm-up.

        CPU: this process's own (rendering, Python), not PostgreSQL's; on a shared machine
        it moves less with other work than the wall-clock time does."""
        call()
        seconds, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        print(f"  {label}: " + ", ".join(f"{s:.2f}" for s in seconds) + " s", file=sys.stderr)
        return statistics.median(seconds), max(seconds), statistics.median(cpu)

    with CaptureQueriesContext(connection) as queries:
        compute_figures(scope=scope, period=period)
    figures_queries = len(queries)
    figures = timed(lambda: compute_figures(scope=scope, period=period), "figures")

    media = tempfile.mkdtemp(prefix="bench-reports-")
    settings.MEDIA_ROOT = media
    made: list[AnnualReport] = []

    def annual_pdf() -> None:
        report, created = services.annual_report_start(actor=analyst, scope=scope, year=year)
        report.refresh_from_db()
        if not created or report.status != "done":
            sys.exit(f"annual report {report.pk}: {report.status} {report.error}")
        made.append(report)

    def export(fmt: str):
        url = reverse("reporting:comensha_export")

        def call() -> None:
            response = client.get(url, {"year": str(year), "format": fmt})
            if response.status_code != 200:
                sys.exit(f"CoMensha {fmt}: {response.status_code}")
            if response.streaming:
                b"".join(response.streaming_content)

        return call

    try:
        pdf = timed(annual_pdf, "annual PDF")
        pages = made[-1].pages
        size = made[-1].size
        csv = timed(export("csv"), "CoMensha CSV")
        xlsx = timed(export("xlsx"), "CoMensha XLSX")
        if args.profile:
            _profile(annual_pdf)
    finally:
        for report in made:
            report.delete()
        shutil.rmtree(media, ignore_errors=True)

    print(
        f"region {region.code}, year {year}: {signals:,} signals  "
        f"load average: {os.getloadavg()[0]:.1f}  repeat: {args.repeat}"
    )
    print("| report | median s | slowest s | CPU s | notes |")
    print("|---|---:|---:|---:|---|")
    rows = [
        ("figures of the region-year", figures, f"{figures_queries} queries"),
        ("annual PDF", pdf, f"{pages} pages, {size / 1024:.0f} kB"),
        ("CoMensha CSV", csv, ""),
        ("CoMensha XLSX", xlsx, ""),
    ]
    for name, (median, slowest, cpu), notes in rows:
        print(f"| {name} | {median:.2f} | {slowest:.2f} | {cpu:.2f} | {notes} |")


def _profile(call) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
