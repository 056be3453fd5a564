"""For the tests of the lists that count at most ``COUNT_LIMIT`` rows (``accounts/pagination.py``)."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import pagination


def counts_over(table: str, request: Callable[[], object]) -> list[str]:
    """The SQL of every ``COUNT`` over ``table`` that ``request()`` asks."""
    with CaptureQueriesContext(connection) as captured:
        request()
    return [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"].upper() and table in q["sql"]
    ]


def is_bounded(sql: str) -> bool:
    """Whether a count stops after one row more than the limit."""
    return f"LIMIT {pagination.COUNT_LIMIT + 1}" in sql
