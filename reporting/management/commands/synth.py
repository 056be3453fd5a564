import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from reporting.synth import generate


class Command(BaseCommand):
    help = "Fill the database with reproducible synthetic data (regions, signals, persons, meetings). Never in production."

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, default=1)
        parser.add_argument("--signals", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Every signal received in this calendar year (default: the last ten years).",
        )

    def handle(self, *args, regions, signals, seed, year=None, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("synth refuses to run with DJANGO_ENV=production.")
        if regions < 1 or signals < 0:
            raise CommandError("--regions must be at least 1 and --signals at least 0.")
        if year is not None and not 2000 <= year <= timezone.localdate().year:
            raise CommandError("--year must be from 2000 to this year.")
        started = time.monotonic()
        result = generate(
            regions=regions, signals=signals, seed=seed, year=year, stdout=self.stdout
        )
        if connection.vendor == "postgresql":
            # Bulk inserts leave the planner's statistics stale until autovacuum comes by.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"{result.regions} regions, {result.signals} signals, {result.persons} persons, "
            f"{result.meetings} meetings, {result.items} agenda items, {result.cases} cases, "
            f"{result.referrals} referrals, {result.trajectories} trajectories "
            f"in {time.monotonic() - started:.1f} s"
        )
