"""Every CSV and .xlsx the platform produces goes through kexie.core.exports: a payload typed into a
field that lands in an export comes out as text, never as a formula (issue 10, finding 3)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kexie.accounts.enums import Role
from kexie.core.exports import FORMULA_STARTS
from kexie.experts.models import Expert
from kexie.experts.spreadsheets import export_workbook
from kexie.literacy.services import export_questions
from kexie.policy.exports.breakdown import export_breakdown
from kexie.policy.models import Task
from kexie.surveys.exports import to_csv, to_xlsx
from tests.experts.conftest import curator, make_expert  # noqa: F401 - fixtures
from tests.literacy.conftest import make_question, reference  # noqa: F401 - fixtures
from tests.policy.conftest import notice, seed_parsed, seed_text, supervisor  # noqa: F401 - fixtures

PAYLOAD = '=HYPERLINK("http://x","y")'
PAYLOADS = [PAYLOAD, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
NUMBER = re.compile(r"-\d+(\.\d+)?")
KEXIE = Path(__file__).resolve().parents[1] / "kexie"


def assert_csv_safe(content: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    # A negative number is harmless (and was written as a number); any other text is neutralised.
    assert [c for c in cells if c.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(c)] == []
    assert "'" + PAYLOAD in cells
    return rows


def assert_xlsx_safe(content: bytes) -> None:
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", cell.coordinate
                    assert not cell.value.startswith(FORMULA_STARTS), cell.coordinate
                    texts.append(cell.value)
    assert "'" + PAYLOAD in texts


def test_audit_csv_neutralises_a_failed_sign_in_name(client, make_user, login):
    client.post(reverse("accounts:login"), {"username": PAYLOAD, "password": "wrong"})
    auditor = make_user("shenji", role=Role.AUDITOR)

    response = login(auditor).get(reverse("accounts:audit_export"))

    assert response.status_code == 200
    assert_csv_safe(b"".join(response))


def test_expert_export_neutralises_text(make_expert, curator):  # noqa: F811
    make_expert(PAYLOAD, organization_name="-重庆大学", research_areas="@研究", biography="+简介")

    content = export_workbook(experts=Expert.objects.all(), unmasked=True, by=curator)

    assert_xlsx_safe(content)


def test_breakdown_export_neutralises_task_titles(notice, supervisor):  # noqa: F811
    Task.objects.filter(measure__notice=notice).update(title=PAYLOAD)

    assert_xlsx_safe(export_breakdown(notice=notice, by=supervisor))


def test_question_bank_export_neutralises_text(make_question):  # noqa: F811
    question = make_question()
    question.text = PAYLOAD
    question.explanation = "-1"
    question.save()

    assert_xlsx_safe(export_questions(type(question).objects.all()))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_survey_exports_neutralise_answers(payload):
    header, body = ["Response", "Q1"], [[1, payload], [2, PAYLOAD], [3, -5]]

    rows = assert_csv_safe(to_csv(header, body))
    assert_xlsx_safe(to_xlsx(header, body, title="responses"))

    assert rows[1] == ["1", "'" + payload]
    assert rows[3] == ["3", "-5"]  # a number stays a number


def test_every_spreadsheet_writer_is_the_shared_one():
    """A module that builds a CSV or a workbook itself must be one of those tested above and write
    its cells through kexie.core.exports (demo data generators excepted)."""
    writers = set()
    for path in KEXIE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "demo.py" or "migrations" in path.parts or path.parts[-2:] == ("core", "exports.py"):
            continue
        if re.search(r"csv\.writer\(|Workbook\(\)", text):
            writers.add(str(path.relative_to(KEXIE)))
            assert "kexie.core.exports" in text, path
    assert writers == {
        "experts/spreadsheets.py",
        "literacy/services/bank.py",
        "policy/exports/breakdown.py",
    }
