"""The spreadsheet import kit: every .xlsx the platform reads goes through here.

- :func:`open_workbook` makes the checks every workbook upload needs (empty, too large, old .xls or
  password-protected, a decompression bomb — :func:`kexie.core.uploads.check_archive`, before
  openpyxl parses anything —, not a workbook) with a Chinese message naming the file.
- :func:`read_table` maps the header row to columns (by header text or an alias, in any order) and
  returns the rows with their row numbers; :class:`RowError` names row and column;
  :class:`ImportRefused` carries every problem found, so that an importer validates all rows and
  writes nothing when the list is not empty.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from kexie.core.exports import restore
from kexie.core.uploads import OLE, ZIP, check_archive


@dataclass(frozen=True)
class RowError:
    """One problem: in a row and column of the file, or (row None) with the whole file."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRefused(Exception):
    """The file cannot be imported; nothing was written. ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


def refuse(message: str) -> ImportRefused:
    return ImportRefused([RowError(None, "", message)])


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def check_size(data: bytes, *, name: str) -> None:
    if not data:
        raise refuse(_("The file “%(name)s” is empty.") % {"name": name})
    if len(data) > max_upload_bytes():
        raise refuse(
            _("The file “%(name)s” is larger than %(limit)s MB. Please upload a smaller file.")
            % {"name": name, "limit": settings.MAX_UPLOAD_MB}
        )


def open_workbook(source: bytes | IO[bytes], *, name: str = "", not_workbook: str = "") -> Workbook:
    """A read-only, values-only openpyxl workbook of an uploaded .xlsx, or ImportRefused naming the
    file: empty, too large, an old .xls or a password-protected workbook, a zip bomb, not a workbook
    (``not_workbook``, when given, says what to upload instead)."""
    data = source if isinstance(source, bytes) else _read(source)
    name = name or getattr(source, "name", "") or _("uploaded file")
    check_size(data, name=name)
    if data.startswith(OLE):
        raise refuse(
            _(
                "The file “%(name)s” is an old-format (.xls) or password-protected workbook. "
                "Please save it as an unprotected .xlsx file and upload it again."
            )
            % {"name": name}
        )
    not_workbook = not_workbook or _("The file “%(name)s” is not an Excel workbook (.xlsx).") % {"name": name}
    if not data.startswith(ZIP):  # the signature of every .xlsx: a zip package
        raise refuse(not_workbook)
    try:
        check_archive(data, name=name)
    except ValidationError as exc:
        raise refuse(exc.messages[0]) from None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise refuse(not_workbook) from exc


def _read(file: IO[bytes]) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    limit = max_upload_bytes()
    data = file.read(limit + 1)
    return data


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: whole floats without ".0", dates as yyyy-mm-dd, trimmed,
    and the apostrophe the safe export writer put before a formula character removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return restore(str(value).strip())


@dataclass(frozen=True)
class Column:
    """A column of an import: its key in the row dicts, its header (the file format, so often fixed
    Chinese text), other accepted headers, and whether a value is required."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def matches(self, text: str) -> bool:
        text = text.strip().lower()
        return text == self.header.lower() or text in {a.lower() for a in self.aliases}


@dataclass
class Row:
    number: int
    cells: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    rows: list[Row]
    errors: list[RowError]
    header_row: int


def read_table(
    values: Iterable[Sequence[Any]],
    columns: Sequence[Column],
    *,
    search_rows: int = 1,
    max_rows: int = 5000,
) -> Table:
    """Map the header (found in the first ``search_rows`` rows) to ``columns`` and read the rows
    below it, skipping empty ones. A missing header or too many rows refuses the file; a required
    cell left empty is an error of its row and column, collected in ``Table.errors``."""
    iterator = iter(values)
    header_row = 0
    index: dict[str, int] = {}
    for number, raw in enumerate(iterator, start=1):
        texts = [cell_text(v) for v in raw]
        found = {c.key: i for c in columns for i, t in enumerate(texts) if t and c.matches(t)}
        if found:
            index, header_row = found, number
            break
        if number >= search_rows:
            break
    missing = [c.header for c in columns if c.key not in index]
    if missing:
        raise refuse(_("Columns missing from the header row: %(columns)s.") % {"columns": "、".join(missing)})
    rows: list[Row] = []
    errors: list[RowError] = []
    for number, raw in enumerate(iterator, start=header_row + 1):
        cells = {key: cell_text(raw[i]) if i < len(raw) else "" for key, i in index.items()}
        if not any(cells.values()):
            continue
        if len(rows) >= max_rows:
            raise refuse(_("At most %(max)s rows can be imported at once.") % {"max": max_rows})
        row = Row(number, cells, {key: raw[i] if i < len(raw) else None for key, i in index.items()})
        rows.append(row)
        errors.extend(
            RowError(number, c.header, _("this column is required."))
            for c in columns
            if c.required and not cells[c.key]
        )
    if not rows:
        raise refuse(_("The file holds no rows to import."))
    return Table(rows=rows, errors=errors, header_row=header_row)
