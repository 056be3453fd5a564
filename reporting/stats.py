"""Durations in days: count, median and 90th percentile, computed in the database.

PostgreSQL computes the percentiles itself (``percentile_cont``, linear interpolation between
the two nearest values) in one query around the queryset's own SQL, however many records:
the inner query selects each moment once per row (a moment computed by a subquery runs once),
the outer one counts and interpolates. SQLite (the embedded ``make run``) has no percentile function; there the durations
are read (still one query) and the same interpolation is done in Python. Both give the same
numbers; the PostgreSQL path is the one benchmarked.

A duration counts only when both moments are known and the second is not before the first.
"""

from __future__ import annotations

import contextlib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, QuerySet

SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class DurationStat:
    count: int
    median: float | None
    p90: float | None


EMPTY = DurationStat(0, None, None)


def percentile_cont(values: Sequence[float], fraction: float) -> float | None:
    """PostgreSQL's ``percentile_cont``: interpolate at position fraction × (n − 1)."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def uses_sql_percentiles() -> bool:
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def figures_snapshot() -> Iterator[None]:
    """One consistent, read-only view of the data for a whole set of figures (PostgreSQL).

    Every table of a dashboard or report is read in one REPEATABLE READ transaction, so the
    tables agree with each other even while people keep working. And PostgreSQL's JIT is
    switched off for it: these aggregates are estimated expensive enough to be compiled, and
    compiling their many expressions took 6 s for a query that runs in 0.2 s (measured at
    100,000 signals, docs/reporting.md).
    """
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SET LOCAL jit = off")
        yield


@dataclass(frozen=True)
class Span:
    """A duration from ``start`` to ``end`` (field or annotation names of the queryset)."""

    name: str
    start: str
    end: str


def _is_date(queryset: QuerySet, name: str) -> bool:
    annotation = queryset.query.annotations.get(name)
    field = (
        annotation.output_field if annotation is not None else queryset.model._meta.get_field(name)
    )
    return isinstance(field, DateField) and not isinstance(field, DateTimeField)


def _sql_stats(queryset: QuerySet, spans: list[Span], group: str | None) -> list[tuple]:
    """PostgreSQL: the moments are selected once per row in an inner query (each annotation a
    column, its subqueries run once), and counted and interpolated around it."""
    columns = ([group] if group else []) + list(
        dict.fromkeys(f for s in spans for f in (s.start, s.end))
    )
    inner, params = queryset.order_by().values(*columns).query.sql_with_params()
    q = connection.ops.quote_name
    selects = []
    for span in spans:
        start, end = q(span.start), q(span.end)
        valid = f"({start} IS NOT NULL AND {end} IS NOT NULL AND {end} >= {start})"
        if _is_date(queryset, span.start):
            days = f"CASE WHEN {valid} THEN ({end} - {start})::float8 END"
        else:
            days = f"CASE WHEN {valid} THEN EXTRACT(EPOCH FROM ({end} - {start})) / {SECONDS_PER_DAY} END"
        selects += [
            f"COUNT(*) FILTER (WHERE {valid})",
            f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {days})",
            f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {days})",
        ]
    key = f"{q(group)}, " if group else ""
    # MATERIALIZED: computed once, not folded into the outer query (which would repeat each
    # moment's subquery in every expression that uses it). Names are this module's own
    # (fields and annotations), quoted; values stay parameters.
    sql = f"WITH spans AS MATERIALIZED ({inner}) SELECT {key}{', '.join(selects)} FROM spans"  # noqa: S608  # nosec B608
    if group:
        sql += f" GROUP BY {q(group)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _days_between(start, end) -> float | None:
    if start is None or end is None:
        return None
    if isinstance(start, datetime) is not isinstance(end, datetime):
        raise TypeError("a span compares two dates or two moments")
    if end < start:
        return None
    if isinstance(start, datetime):
        return (end - start).total_seconds() / SECONDS_PER_DAY
    return float((end - start).days)


def duration_stats(
    queryset: QuerySet, spans: Iterable[Span], *, group: str | None = None
) -> dict[object, dict[str, DurationStat]]:
    """Per value of ``group`` (or the key None without one): per span count, median, p90."""
    spans = list(spans)
    result: dict[object, dict[str, DurationStat]] = defaultdict(dict)
    if uses_sql_percentiles():
        for row in _sql_stats(queryset, spans, group):
            key, values = (row[0], row[1:]) if group else (None, row)
            for index, span in enumerate(spans):
                count, median, p90 = values[3 * index : 3 * index + 3]
                result[key][span.name] = DurationStat(count, median, p90)
        return result
    fields = [f for span in spans for f in (span.start, span.end)]
    columns = ([group] if group else []) + list(dict.fromkeys(fields))
    values: dict[object, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in queryset.order_by().values(*columns):
        key = row[group] if group else None
        values[key]  # noqa: B018 - a group with no valid span still has a (zero) row
        for span in spans:
            days = _days_between(row[span.start], row[span.end])
            if days is not None:
                values[key][span.name].append(days)
    for key, by_span in values.items():
        for span in spans:
            found = by_span.get(span.name, [])
            result[key][span.name] = DurationStat(
                len(found), percentile_cont(found, 0.5), percentile_cont(found, 0.9)
            )
    return result
