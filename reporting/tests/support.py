"""Reading figures back out of what a user receives: the page, the JSON, CSV, XLSX and PDF."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

COUNT_CELL = re.compile(r'data-kind="count"[^>]*>([^<]*)<')
ROW = re.compile(r'<tr data-key="([^"]+)"><th scope="row">([^<]*)</th>(.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>([^<]*)</td>")


def html_count_cells(html: str) -> list[str]:
    return COUNT_CELL.findall(html)


def html_table(html: str, key: str) -> dict[str, list[str]]:
    """The rows of one figure table on the page: row key → cells as shown."""
    start = html.index(f'id="table-{key}"')
    end = html.index("</table>", start)
    return {k: CELL.findall(cells) for k, _label, cells in ROW.findall(html[start:end])}


def is_small(display) -> bool:
    text = str(display).replace(".", "")
    return text.isdigit() and 0 < int(text) < 5


def json_count_cells(data: dict) -> list[dict]:
    cells = []
    for table in data["tables"].values():
        for row in [*table["rows"], *([table["total"]] if table["total"] else [])]:
            cells += [c for c in row["cells"] if c["kind"] == "count"]
    return cells


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
