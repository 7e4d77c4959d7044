"""The safe export writer."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook, load_workbook

from kexie.core.exports import SafeCsvWriter, append_row, csv_bytes, neutralise, set_cell, table_xlsx


def test_neutralise_prefixes_formula_starts_only_on_text():
    assert [neutralise(v) for v in ["=1", "+1", "-1", "@A", "\tx", "\rx", "张明", "", None, -1, 2.5]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@A",
        "'\tx",
        "'\rx",
        "张明",
        "",
        None,
        -1,
        2.5,
    ]


def test_csv_starts_with_a_bom_and_neutralises_every_row():
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(["=a", "b"])
    writer.writerows([["@c", 1]])

    assert out.getvalue() == "\ufeff'=a,b\r\n'@c,1\r\n"
    assert csv_bytes(["h"], [["-x"]]) == "\ufeffh\r\n'-x\r\n".encode()


def test_xlsx_text_cells_are_strings_and_other_values_keep_their_type():
    book = Workbook()
    sheet = book.active
    append_row(sheet, ["=1+1", 3, date(2026, 1, 2)])
    set_cell(sheet, row=2, column=1, value="+2")

    assert [(c.value, c.data_type) for c in sheet[1]] == [("'=1+1", "s"), (3, "n"), (date(2026, 1, 2), "d")]
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("'+2", "s")


def test_table_xlsx_writes_header_and_rows():
    sheet = load_workbook(io.BytesIO(table_xlsx(["h1", "h2"], [["=x", 1]], title="t" * 40))).active

    assert sheet.title == "t" * 31
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["h1", "h2"], ["'=x", 1]]
    assert sheet.freeze_panes == "A2"
