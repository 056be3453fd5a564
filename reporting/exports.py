"""CSV and XLSX answers. Every text cell is neutralised (no spreadsheet formula can start)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.exports import csv_response, neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    # Numbers stay numbers (a spreadsheet can add them up); everything else is neutral text.
    if isinstance(value, bool) or value is None:
        return neutralise(value)
    if isinstance(value, int | float):
        return value
    return neutralise(value)


def xlsx_response(
    filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> HttpResponse:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([neutralise(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(
    fmt: str, stem: str, header: Sequence[str], rows: list[Sequence[Any]], notes: Sequence[str] = ()
):
    """``fmt`` is "csv" or "xlsx"; the XLSX gets a second sheet with the notes."""
    header = [str(h) for h in header]
    if fmt == "xlsx":
        sheets = [(stem, header, rows)]
        if notes:
            sheets.append(("Toelichting", ["Toelichting"], [[n] for n in notes]))
        return xlsx_response(f"{stem}.xlsx", sheets)
    return csv_response(f"{stem}.csv", header, rows)
