"""Drop and recreate the benchmark database named by DATABASE_URL (never any other), and drop
the earlier loads of the same size and seed that older `synth` code made.

`make bench` names each database ``meldroute_bench_<size>_<seed>_<digest of synth's source>``;
a database whose digest no longer matches is never reused, so it goes when its successor is
loaded instead of staying on disk.
"""

import os
import sys
from urllib.parse import urlparse

import psycopg


def stale(name: str, existing: list[str]) -> list[str]:
    """The databases of earlier ``synth`` code for the same size and seed as ``name``."""
    prefix = name.rsplit("_", 1)[0] + "_"
    return [
        other
        for other in existing
        if other != name and other.startswith(prefix) and other[len(prefix) :].isdigit()
    ]


def main() -> None:
    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    if not name.startswith("meldroute_bench_"):
        sys.exit(f"refusing to reset {name!r}: only meldroute_bench_* databases")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        existing = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'meldroute_bench_%'"
            )
        ]
        for old in stale(name, existing):
            print(f"dropping {old}: made by earlier synth code", file=sys.stderr)
            conn.execute(f'DROP DATABASE IF EXISTS "{old}"')
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
