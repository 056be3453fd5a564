"""Drop and recreate the benchmark database named by DATABASE_URL (never any other)."""

import os
import sys
from urllib.parse import urlparse

import psycopg


def main() -> None:
    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    if not name.startswith("meldroute_bench_"):
        sys.exit(f"refusing to reset {name!r}: only meldroute_bench_* databases")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
