"""Say in one line what is missing when PostgreSQL or Redis cannot be reached."""

import warnings

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import OperationalError

HINT = "start them with `docker compose up -d db redis` (or your local services)"


class Command(BaseCommand):
    help = "Check that the database and Redis answer."

    def add_arguments(self, parser):
        parser.add_argument("--require-postgres", action="store_true")

    def handle(self, *args, require_postgres=False, **options):
        db = settings.DATABASES["default"]
        if require_postgres and connection.vendor != "postgresql":
            raise CommandError(
                f"Tests need PostgreSQL, but DATABASE_URL points to {connection.vendor}."
            )
        try:
            warnings.filterwarnings(
                "ignore", category=RuntimeWarning, module="django.db.backends.postgresql"
            )
            # The maintenance database: the test run creates its own database next to it.
            with connection._nodb_cursor() as cursor:
                cursor.execute("SELECT 1")
                if connection.vendor == "postgresql":
                    self._ensure_database(cursor, db["NAME"])
        except OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise CommandError(
                f"PostgreSQL at {db.get('HOST') or 'local socket'}:{db.get('PORT') or 5432} is not reachable "
                f"({first}); {HINT}."
            ) from None
        if settings.REDIS_URL:
            try:
                redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
            except redis.RedisError as exc:
                raise CommandError(
                    f"Redis at {settings.REDIS_URL} is not reachable ({exc}); {HINT}."
                ) from None
        self.stdout.write("database and Redis reachable")

    def _ensure_database(self, cursor, name: str) -> None:
        """Create the (empty) database the URL names, so migration checks can connect to it."""
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name.replace(chr(34), "")}"')  # noqa: S608 - name from settings
