"""The shape of every figure: a table of cells, and the small-cell suppression applied to it.

One table type serves the dashboard, the API, the exports, the charts and the PDF, so what
is suppressed in one is suppressed in all. Suppression (docs/reporting.md):

1. **Primary**: a count from 1 to 4 is shown as "<5".
2. **Secondary**: wherever cells add up to a total that is shown (the rows of a column add up
   to the total row; some columns of a row add up to another column of that row), one
   suppressed cell alone could be computed back from the total. So in every such group with
   exactly one suppressed cell, the smallest other non-zero cell is suppressed as well
   (shown as "x"), repeated until no group has exactly one.
3. A statistic (a median, a percentile, a share) over fewer than 5 records is not shown.

A count of 0 is shown: it identifies nobody.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

COUNT = "count"
DAYS = "days"
PERCENT = "percent"
TEXT = "text"

PRIMARY = "primary"
SECONDARY = "secondary"
SMALL_BASE = "small_base"

THRESHOLD = 5
PRIMARY_MARK = "<5"
SECONDARY_MARK = "x"
HIDDEN_MARK = "–"


@dataclass
class Cell:
    value: int | float | str | None
    kind: str = COUNT
    suppressed: str = ""

    @property
    def shown(self) -> int | float | str | None:
        return None if self.suppressed else self.value

    @property
    def display(self) -> str:
        if self.suppressed == PRIMARY:
            return PRIMARY_MARK
        if self.suppressed == SECONDARY:
            return SECONDARY_MARK
        if self.suppressed or self.value is None:
            return HIDDEN_MARK
        if self.kind == COUNT:
            return f"{int(self.value):,}".replace(",", ".")
        if self.kind == DAYS:
            return f"{float(self.value):.1f}".replace(".", ",")
        if self.kind == PERCENT:
            return f"{float(self.value):.0f}%"
        return str(self.value)

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.shown,
            "display": self.display,
            "kind": self.kind,
            "suppressed": self.suppressed,
        }


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "cells": [c.as_dict() for c in self.cells]}


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    total: Row | None = None
    # "bar" or "line": a chart of ``chart_columns``, drawn from the cells as shown.
    chart: str = ""
    chart_columns: tuple[int, ...] = (0,)
    note: str = ""
    # Within one row: (column that is the sum, columns that add up to it).
    row_sums: tuple[tuple[int, tuple[int, ...]], ...] = ()
    # A statistic column and the count column of the same row it is computed over.
    bases: dict[int, int] = field(default_factory=dict)

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.total] if self.total else [])]

    def row(self, key: str) -> Row:
        for row in self.all_rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def value(self, key: str, column: int = 0) -> int | float | str | None:
        """The exact value (tests and comparisons; never for display)."""
        return self.row(key).cells[column].value

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": self.columns,
            "rows": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict() if self.total else None,
            "note": self.note,
        }


def count_cells(tables: Iterable[Table]) -> Iterable[Cell]:
    for table in tables:
        for row in table.all_rows:
            yield from (c for c in row.cells if c.kind == COUNT)


# --- suppression -----------------------------------------------------------------------------


def _groups(table: Table) -> list[list[Cell]]:
    """Sets of cells tied by a sum that is shown: the total first, then its parts."""
    groups: list[list[Cell]] = []
    if table.total is not None:
        for index, total_cell in enumerate(table.total.cells):
            if total_cell.kind == COUNT:
                groups.append([total_cell, *(row.cells[index] for row in table.rows)])
    for row in table.all_rows:
        for total_index, parts in table.row_sums:
            groups.append([row.cells[total_index], *(row.cells[p] for p in parts)])
    return groups


def _is_small(cell: Cell) -> bool:
    return cell.kind == COUNT and isinstance(cell.value, int) and 0 < cell.value < THRESHOLD


def suppress_table(table: Table) -> Table:
    """A copy of ``table`` as an aggregate-only reader may see it."""
    table = copy.deepcopy(table)
    for row in table.all_rows:
        for cell in row.cells:
            if _is_small(cell):
                cell.suppressed = PRIMARY
    groups = _groups(table)
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [c for c in group if c.suppressed]
            if len(hidden) != 1:
                continue
            # Parts before the total, smallest first: the least information given away.
            candidates = [c for c in group[1:] + group[:1] if not c.suppressed and c.value]
            if not candidates:
                continue  # the others are all 0: the hidden cell equals the (hidden) total
            min(candidates, key=lambda c: c.value).suppressed = SECONDARY
            changed = True
    for row in table.all_rows:
        for stat_index, base_index in table.bases.items():
            base = row.cells[base_index].value
            if isinstance(base, int) and base < THRESHOLD:
                row.cells[stat_index].suppressed = SMALL_BASE
    return table


@dataclass
class Figures:
    """Every table of the dashboard for one period and scope, as one reader may see them."""

    period: Any  # periods.Period
    scope: Any  # periods.Scope
    data_date: datetime
    tables: dict[str, Table]
    exact: bool = True

    def __getitem__(self, key: str) -> Table:
        return self.tables[key]

    def suppressed(self) -> Figures:
        if not self.exact:
            return self
        return Figures(
            period=self.period,
            scope=self.scope,
            data_date=self.data_date,
            tables={k: suppress_table(t) for k, t in self.tables.items()},
            exact=False,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.as_dict(),
            "scope": self.scope.as_dict(),
            "data_date": self.data_date.isoformat(),
            "exact": self.exact,
            "tables": {k: t.as_dict() for k, t in self.tables.items()},
        }
