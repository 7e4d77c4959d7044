"""The spreadsheet import kit: opening a workbook safely, mapping headers, row/column errors."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.utils import translation
from openpyxl import Workbook

from kexie.core.exports import append_row, neutralise, xlsx_bytes
from kexie.core.spreadsheets import (
    Column,
    ImportRefused,
    RowError,
    cell_text,
    open_workbook,
    read_table,
)
from tests.core.test_uploads import bomb

COLUMNS = [Column("name", "姓名", aliases=("name",), required=True), Column("org", "工作单位")]


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        append_row(book.active, row)
    return xlsx_bytes(book)


def refusal(data, **kwargs) -> list[str]:
    with translation.override("en"), pytest.raises(ImportRefused) as caught:
        open_workbook(data, **kwargs)
    return [str(e) for e in caught.value.errors]


def test_open_workbook_refuses_what_is_not_a_usable_workbook(settings):
    settings.MAX_UPLOAD_MB = 1
    assert refusal(b"", name="a.xlsx") == ["The file “a.xlsx” is empty."]
    assert refusal(b"PK" + b"\0" * (1024 * 1024), name="a.xlsx") == [
        "The file “a.xlsx” is larger than 1 MB. Please upload a smaller file."
    ]
    assert refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="a.xls")[0].startswith(
        "The file “a.xls” is an old-format (.xls) or password-protected workbook."
    )
    assert refusal(b"name,org\n", name="a.csv") == ["The file “a.csv” is not an Excel workbook (.xlsx)."]
    assert refusal(b"PK\x03\x04garbage", name="a.xlsx", not_workbook="upload the template") == [
        "upload the template"
    ]
    assert refusal(io.BytesIO(b"x")) == ["The file “uploaded file” is not an Excel workbook (.xlsx)."]


def test_open_workbook_refuses_a_bomb_before_parsing():
    messages = refusal(bomb(name="xl/worksheets/sheet1.xml"), name="a.xlsx")

    assert len(messages) == 1
    assert "zip bomb" in messages[0]


def test_read_table_maps_headers_in_any_order_and_names_row_and_column():
    data = workbook(
        ["工作单位", "备注", "name"], ["重庆大学", "x", "张明"], [None, None, None], ["西南大学", "", ""]
    )

    with translation.override("en"):
        table = read_table(open_workbook(data).active.iter_rows(values_only=True), COLUMNS)

    assert [(r.number, r.cells) for r in table.rows] == [
        (2, {"name": "张明", "org": "重庆大学"}),
        (4, {"name": "", "org": "西南大学"}),
    ]
    with translation.override("en"):
        assert [str(e) for e in table.errors] == ["Row 4, “姓名”: this column is required."]


def test_read_table_refuses_missing_columns_no_rows_and_too_many_rows():
    def refused(*rows, **kwargs):
        with translation.override("en"), pytest.raises(ImportRefused) as caught:
            read_table(iter(rows), COLUMNS, **kwargs)
        return str(caught.value)

    assert refused(["姓名"], ["张明"]) == "Columns missing from the header row: 工作单位."
    assert refused(["姓名", "工作单位"], [None, ""]) == "The file holds no rows to import."
    assert refused(["姓名", "工作单位"], ["a", "b"], ["c", "d"], max_rows=1) == (
        "At most 1 rows can be imported at once."
    )


def test_read_table_finds_a_header_below_a_title():
    table = read_table(iter([["任务分解表"], ["姓名", "工作单位"], ["张明", "重大"]]), COLUMNS, search_rows=3)

    assert table.header_row == 2
    assert table.rows[0].number == 3


def test_cell_text_reads_back_what_the_safe_writer_wrote():
    assert cell_text(neutralise("=SUM(A1)")) == "=SUM(A1)"
    assert cell_text("'plain") == "'plain"
    assert cell_text(1975.0) == "1975"
    assert cell_text(datetime(2026, 3, 1, 0, 0)) == "2026-03-01"  # noqa: DTZ001 - openpyxl reads naive
    assert cell_text(None) == ""
    assert cell_text("  张明 ") == "张明"


def test_row_error_names_row_and_column():
    with translation.override("en"):
        assert str(RowError(3, "职称", "unknown.")) == "Row 3, “职称”: unknown."
        assert str(RowError(3, "", "unknown.")) == "Row 3: unknown."
        assert str(RowError(None, "", "bad file.")) == "bad file."
