"""Charts as SVG, written on the server: one drawing for the dashboard and the PDF.

Small on purpose: a horizontal bar chart (one or two series) and a line chart (per month).
Each chart is drawn from a table's cells *as shown*: a suppressed cell gets no bar or point,
only its mark ("<5", "x"), so a chart never reveals what its table hides. The numbers
themselves are in the table beside every chart (for screen readers and for copying); the
SVG is an image with a title (``role="img"``, ``<title>``, ``aria-labelledby``).

Only presentation attributes (``fill=``, ``stroke=``): the page's Content Security Policy
allows no inline style, and WeasyPrint reads the same attributes.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .tables import Cell, Table

WIDTH = 440
FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="11"'
TEXT = "#1a1a1a"
MUTED = "#4a4a4a"
GRID = "#c8ccd2"
SERIES = ["#154273", "#c05600"]  # both at least 4.5:1 on white
LABEL_WIDTH = 170
BAR_HEIGHT = 14
ROW_GAP = 7


def nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k not below ``value`` (at least 1): the axis' top."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop ends at 10


def _number(cell: Cell) -> float | None:
    value = cell.shown
    return float(value) if isinstance(value, int | float) else None


def _open(chart_id: str, title: str, description: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def _legend(table: Table, columns: tuple[int, ...], y: int) -> str:
    if len(columns) < 2:
        return ""
    parts, x = [], LABEL_WIDTH
    for series, column in enumerate(columns):
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{SERIES[series]}"/>'
            f'<text x="{x + 18}" y="{y}" fill="{TEXT}">{escape(table.columns[column])}</text>'
        )
        x += 30 + 7 * len(table.columns[column])
    return "".join(parts)


def bar_chart(table: Table, chart_id: str) -> SafeString:
    columns = table.chart_columns
    rows = table.rows
    top = 26 if len(columns) > 1 else 8
    row_height = BAR_HEIGHT * len(columns) + ROW_GAP
    height = top + row_height * len(rows) + 24
    values = [_number(row.cells[c]) for row in rows for c in columns]
    scale_max = nice_max(max([v for v in values if v is not None] or [0]))
    plot = WIDTH - LABEL_WIDTH - 36
    out = [_open(chart_id, table.title, _("Staafdiagram; de cijfers staan in de tabel."), height)]
    out.append(f"<g {FONT}>")
    out.append(_legend(table, columns, 16))
    for tick in (0, scale_max / 2, scale_max):
        x = LABEL_WIDTH + plot * tick / scale_max
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{height - 6}" fill="{MUTED}" text-anchor="middle">'
            f"{_tick(tick)}</text>"
        )
    for index, row in enumerate(rows):
        y = top + index * row_height
        out.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + row_height / 2 + 1:.1f}" fill="{TEXT}" '
            f'text-anchor="end">{escape(_short(row.label))}</text>'
        )
        for series, column in enumerate(columns):
            cell = row.cells[column]
            value = _number(cell)
            bar_y = y + series * BAR_HEIGHT
            width = plot * value / scale_max if value else 0
            if width:
                out.append(
                    f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{width:.1f}" '
                    f'height="{BAR_HEIGHT - 2}" fill="{SERIES[series]}"/>'
                )
            out.append(
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{bar_y + BAR_HEIGHT - 3}" '
                f'fill="{TEXT}">{escape(cell.display)}</text>'
            )
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703 - all text is escaped above


def line_chart(table: Table, chart_id: str) -> SafeString:
    rows = table.rows
    height, left, right, top, bottom = 200, 36, 12, 12, 34
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    values = [_number(row.cells[0]) for row in rows]
    scale_max = nice_max(max([v for v in values if v is not None] or [0]))
    step = plot_w / max(len(rows) - 1, 1)
    out = [_open(chart_id, table.title, _("Lijndiagram; de cijfers staan in de tabel."), height)]
    out.append(f"<g {FONT}>")
    for tick in (0, scale_max / 2, scale_max):
        y = top + plot_h - plot_h * tick / scale_max
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" fill="{MUTED}" text-anchor="end">'
            f"{_tick(tick)}</text>"
        )
    points: list[tuple[float, float] | None] = []
    every = max(1, math.ceil(len(rows) / 12))
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        x = left + index * step
        if index % every == 0:
            out.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" fill="{MUTED}" '
                f'text-anchor="middle">{escape(row.label)}</text>'
            )
        if value is None:
            points.append(None)
            out.append(
                f'<text x="{x:.1f}" y="{top + plot_h - 12}" fill="{TEXT}" text-anchor="middle">'
                f"{escape(row.cells[0].display)}</text>"
            )
        else:
            points.append((x, top + plot_h - plot_h * value / scale_max))
    # A hidden month breaks the line: no segment may hint at its value.
    segment: list[tuple[float, float]] = []
    for point in [*points, None]:
        if point is not None:
            segment.append(point)
            continue
        if len(segment) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            out.append(
                f'<polyline points="{coords}" fill="none" stroke="{SERIES[0]}" stroke-width="2"/>'
            )
        for x, y in segment:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{SERIES[0]}"/>')
        segment = []
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703 - all text is escaped above


def _tick(value: float) -> str:
    if value >= 1 or value == 0:
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:.1f}".replace(".", ",")


def _short(label: str, limit: int = 25) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def chart(table: Table, chart_id: str) -> SafeString:
    if table.chart == "line":
        return line_chart(table, chart_id)
    if table.chart == "bar":
        return bar_chart(table, chart_id)
    return mark_safe("")  # nosec B308 - an empty string
