"""The one writer for every CSV and .xlsx the platform produces.

A cell that starts with ``= + - @`` (or a tab or carriage return) is run as a formula by Excel,
WPS and LibreOffice: ``=HYPERLINK("http://x","y")`` typed as a user name at the sign-in page would
otherwise land in the auditor's spreadsheet as a live link (CWE-1236). Every text cell therefore
passes through :func:`neutralise`, which prefixes such a value with an apostrophe, and every .xlsx
text cell is stored as a string (``data_type == "s"``), never as a formula.

The spreadsheet import kit (:mod:`kexie.core.spreadsheets`) strips that apostrophe again, so an
exported file imported back reads the same text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
# Excel opens a UTF-8 CSV with the Chinese intact only when it starts with a byte-order mark.
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def neutralise(value: Any) -> Any:
    """The value a spreadsheet shows as text: strings starting with a formula character get a
    leading apostrophe; numbers, dates and None are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return NEUTRALISER + value
    return value


def restore(text: str) -> str:
    """Undo :func:`neutralise` on a cell read back from an exported file."""
    if text.startswith(NEUTRALISER) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


class SafeCsvWriter:
    """``csv.writer`` over ``stream`` (a file, a StringIO or an HttpResponse) that neutralises
    every cell; writes the byte-order mark first."""

    def __init__(self, stream: IO[str] | Any, *, bom: bool = True):
        if bom:
            stream.write(BOM)
        self._writer = csv.writer(stream)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(header: list[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def set_cell(sheet: Worksheet, *, row: int, column: int, value: Any) -> Cell:
    """Write one .xlsx cell: text neutralised and typed as a string, other values as they are."""
    cell = sheet.cell(row=row, column=column)
    cell.value = neutralise(value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> int:
    """Append a row below the last one (as ``sheet.append``), safely; returns its row number."""
    values = list(values)
    sheet.append(safe_row(values))
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            sheet.cell(row=row, column=column).data_type = "s"
    return row


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(header: list[Any], rows: Iterable[Iterable[Any]], *, title: str) -> bytes:
    """A one-sheet workbook: the header row, frozen, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    append_row(sheet, header)
    for values in rows:
        append_row(sheet, values)
    sheet.freeze_panes = "A2"
    return xlsx_bytes(workbook)
