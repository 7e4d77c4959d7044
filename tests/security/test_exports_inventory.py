"""Formula injection (issue 10, finding 3): every CSV and .xlsx the platform serves is written by the
shared writer in kexie.core.exports. tests/test_exports_safe.py checks each exporter's cells; this
checks that no response escapes the list, and the one export served by a page not covered there."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.urls import reverse

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.services import create_organization
from kexie.surveys import services as survey_services
from tests.surveys.conftest import draft, owner, published  # noqa: F401 - fixtures

KEXIE = Path(__file__).resolve().parents[2] / "kexie"
SPREADSHEET_RESPONSE = re.compile(
    r"text/csv|spreadsheetml|csv\.writer\(|Workbook\(\)|\.to_csv\(|\.to_excel\("
)
# Modules that serve or build a spreadsheet, and the writer module each goes through.
INVENTORY = {
    "accounts/views.py": "kexie.core.exports",  # audit CSV
    "experts/spreadsheets.py": "kexie.core.exports",  # expert export and import template
    "experts/views.py": "spreadsheets.export_workbook",
    "literacy/services/bank.py": "kexie.core.exports",  # question bank
    "literacy/views/questions.py": "kexie.literacy",
    "policy/exports/breakdown.py": "kexie.core.exports",  # 任务分解表
    "policy/forms/exports.py": "",  # only the content-type constant
    "surveys/views/analysis.py": "kexie.surveys",  # responses and result tables via surveys.exports
    "surveys/views/distribution.py": "kexie.surveys.exports",  # invitation codes
    "calls/views.py": "kexie.core.exports",  # call results .xlsx
    "news/services.py": "",  # only the content type of attachments
    "outreach/views/activities.py": "kexie.core.exports",  # activities .xlsx
    "thinktank/views/projects.py": "kexie.core.exports",  # project ledger CSV
    "thinktank/views/public.py": "kexie.core.exports",  # the column's public CSV
}


def test_every_module_serving_a_spreadsheet_uses_the_shared_writer():
    found = {}
    for path in KEXIE.rglob("*.py"):
        relative = str(path.relative_to(KEXIE))
        if path.name == "demo.py" or "migrations" in path.parts or relative in {"core/exports.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        if SPREADSHEET_RESPONSE.search(text):
            found[relative] = text
    assert set(found) == set(INVENTORY), "a new spreadsheet export: route it through kexie.core.exports"
    for relative, writer in INVENTORY.items():
        assert writer in found[relative], relative
    assert "kexie.core.exports" in (KEXIE / "surveys" / "exports.py").read_text(encoding="utf-8")


def test_invitation_codes_csv_neutralises_the_station_name(login, owner, published):  # noqa: F811
    station = create_organization(name='=HYPERLINK("http://x","y")', kind=OrganizationKind.SOCIETY)
    batch = survey_services.issue_invitations(survey=published, organization=station, quota=2, by=owner)
    response = login(owner).get(reverse("surveys:batch_codes", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    stations = {row[1] for row in rows[1:]}
    assert stations == {"'" + '=HYPERLINK("http://x","y")'}
