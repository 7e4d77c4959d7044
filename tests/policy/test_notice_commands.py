"""`kexie parse-notice FILE [--json]` and `kexie import-notice FILE [--user U] [--confirm]`."""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization
from kexie.core.models import AuditEvent
from kexie.policy.enums import NoticeState
from kexie.policy.models import Measure, Notice, Task
from kexie.policy.notices.parser import ParsedNotice, Target

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "kexie" / "seed" / "notice-yukexiefa-2022-84.txt"
DATA = ROOT / "tests" / "data" / "notices"

MEASURE_KEYS = {"number", "title", "text", "departments", "lead", "co"}
TOP_KEYS = {"doc_number", "issuer", "date", "title", "recipients", "sections", "targets"}

SMALL_NOTICE = """渝科协发〔2023〕12号
重庆市科学技术协会
关于开展科普示范工作的通知
各区县(自治县)科协:
一、加强科普阵地建设
1.建设科普示范基地。到2025年全市科普示范基地达到100个。(责任部室:科学技术普及部、重庆市某某研究院)
2.开展科普讲座。组织专家进社区开展科普讲座。(责任部室:宣传文化部)
重庆市科学技术协会
2023年3月1日
"""


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _refusal(*args: str) -> CommandError:
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    return caught.value


def _file(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


# --- parse-notice: no database at all ------------------------------------------------------------------
# These tests do not request the `db` fixture: pytest-django makes any database access fail, so a
# passing test shows the command touched no database.


def test_parse_notice_json_has_the_documented_shape():
    out, _err = _run("parse-notice", str(SEED), "--json")

    data = json.loads(out)
    measures = [m for s in data["sections"] for m in s["measures"]]
    assert set(data) == TOP_KEYS
    assert all(set(s) == {"number", "title", "measures"} for s in data["sections"])
    assert all(set(m) == MEASURE_KEYS for m in measures)
    assert (data["doc_number"], data["issuer"], data["date"]) == (
        "渝科协发〔2022〕84号",
        "重庆市科学技术协会",
        "2022-09-19",
    )
    assert data["title"] == "关于改进为创新驱动发展服务的若干举措"
    assert [s["title"] for s in data["sections"]] == [
        "助推科技成果转移转化",
        "推动科技人才成长提高",
        "厚植科技创新社会土壤",
        "提升科技智库咨政能力",
    ]
    assert [m["number"] for m in measures] == list(range(1, 17))
    assert measures[9]["departments"] == [
        "科学技术普及部",
        "宣传文化部",
        "组织人事部",
        "市科协科技服务中心",
        "市反邪教协会办公室",
    ]
    assert (measures[9]["lead"], measures[9]["co"]) == ("科学技术普及部", measures[9]["departments"][1:])
    assert data["targets"] == [
        {
            "measure": 9,
            "year": 2025,
            "metric": "公民具备科学素质的比例",
            "comparator": ">",
            "value": 15,
            "unit": "%",
        }
    ]


def test_parse_notice_json_missing_fields_are_null():
    out, _err = _run("parse-notice", str(DATA / "guangzhou_talent_lead_cooperate.txt"), "--json")

    data = json.loads(out)
    assert (data["doc_number"], data["date"]) == (None, None)
    assert sum(len(s["measures"]) for s in data["sections"]) == 45


@pytest.mark.parametrize(
    ("name", "measures"),
    [
        ("national_guofa_2019_3.txt", 21),
        ("national_guofa_2018_38.txt", 53),
        ("ndrc_2019_860_no_marker.txt", 9),
    ],
)
def test_parse_notice_json_real_notices(name, measures):
    out, _err = _run("parse-notice", str(DATA / name), "--json")

    data = json.loads(out)
    assert sum(len(s["measures"]) for s in data["sections"]) == measures


def test_parse_notice_summary_readable():
    out, _err = _run("parse-notice", str(SEED))

    lines = out.splitlines()
    assert lines[:4] == [
        "Document number: 渝科协发〔2022〕84号",
        "Issuer: 重庆市科学技术协会",
        "Date: 2022-09-19",
        "Title: 关于改进为创新驱动发展服务的若干举措",
    ]
    assert "一、助推科技成果转移转化" in lines
    assert "四、提升科技智库咨政能力" in lines
    assert "  1. 助力重点科创区域建设" in lines
    assert "     Responsible units: 科学技术创新部 (lead)、国际合作部、院士工作服务中心" in lines
    assert "  Measure 9: by 2025, 公民具备科学素质的比例 more than 15%" in lines
    assert lines[-1] == "Sections: 4, measures: 16, targets: 1."


def test_parse_notice_summary_marks_missing_values(tmp_path):
    path = _file(tmp_path, "bare.txt", "1.开展调查研究。\n2.形成工作报告。")

    out, _err = _run("parse-notice", path)

    assert out.splitlines()[:5] == ["Document number: —", "Issuer: —", "Date: —", "Title: —", "Recipients: —"]
    assert "     Responsible units: none found" in out


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "The file “empty.txt” is empty."),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "The file “image.txt” is not a text file: it contains binary data.",
        ),
        ("prose.txt", "这是一段没有编号的文字。".encode(), "No numbered measures were found in the notice."),
        ("notice.xls", b"data", "The file type of “notice.xls” is not supported."),
    ],
)
def test_parse_notice_bad_file_exit_2(tmp_path, name, data, message):
    error = _refusal("parse-notice", _file(tmp_path, name, data), "--json")

    assert error.returncode == 2
    assert str(error).startswith(message)


def test_parse_notice_missing_file_exit_2(tmp_path):
    error = _refusal("parse-notice", str(tmp_path / "nothing.txt"))

    assert (error.returncode, str(error)) == (2, f"The file “{tmp_path / 'nothing.txt'}” does not exist.")


def _kexie(*args: str, var: Path) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("kexie")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "kexie.cli"]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KEXIE_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'never.sqlite3'}",
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=120, check=False, env=env
    )


def test_parse_notice_command_line_prints_json_without_database(tmp_path):
    result = _kexie("parse-notice", str(SEED), "--json", var=tmp_path)

    data = json.loads(result.stdout)
    assert result.returncode == 0, result.stderr
    assert set(data) == TOP_KEYS
    assert sum(len(s["measures"]) for s in data["sections"]) == 16
    assert not (tmp_path / "never.sqlite3").exists()


def test_parse_notice_command_line_bad_file_exit_2(tmp_path):
    empty = _file(tmp_path, "empty.txt", b"")

    result = _kexie("parse-notice", empty, "--json", var=tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "empty.txt" in result.stderr
    assert not (tmp_path / "never.sqlite3").exists()


# --- import-notice -------------------------------------------------------------------------------------


def test_import_notice_creates_draft(supervisor, orgs):
    out, _err = _run("import-notice", str(SEED), "--user", "duban")

    notice = Notice.objects.get()
    assert (notice.state, notice.doc_number, notice.created_by) == (
        NoticeState.DRAFT,
        "渝科协发〔2022〕84号",
        supervisor,
    )
    assert notice.source_name == SEED.name
    assert f"Draft notice {notice.pk} “关于改进为创新驱动发展服务的若干举措” saved: measures: 16." in out
    assert f"Check and confirm it at /supervision/notices/{notice.pk}/draft/" in out
    assert "match no organization" not in out
    assert AuditEvent.objects.filter(action="policy.notice.draft", actor_id=supervisor.pk).count() == 1


def test_import_notice_draft_lists_unknown_units(tmp_path, supervisor, orgs):
    out, _err = _run("import-notice", _file(tmp_path, "small.txt", SMALL_NOTICE), "--user", "duban")

    assert "Units that match no organization: 重庆市某某研究院" in out
    assert Notice.objects.get().state == NoticeState.DRAFT


def test_import_notice_confirm_creates_measures_and_tasks(supervisor, orgs):
    out, _err = _run("import-notice", str(SEED), "--user", "duban", "--confirm", "--due-date", "2025-12-31")

    notice = Notice.objects.get()
    tasks = Task.objects.filter(measure__notice=notice)
    assert notice.state == NoticeState.CONFIRMED
    assert Measure.objects.filter(notice=notice).count() == 16
    assert tasks.count() == 16
    assert {t.due_date.isoformat() for t in tasks} == {"2025-12-31"}
    assert tasks.get(measure__number=9).lead.name == "科学技术普及部"
    assert (
        f"Confirmed notice {notice.pk} “关于改进为创新驱动发展服务的若干举措”: measures: 16, tasks: 16."
        in out
    )


def test_import_notice_confirm_with_unknown_unit_refused(tmp_path, supervisor, orgs):
    organizations = Organization.objects.count()
    events = AuditEvent.objects.count()

    error = _refusal(
        "import-notice", _file(tmp_path, "small.txt", SMALL_NOTICE), "--user", "duban", "--confirm"
    )

    assert error.returncode == 1
    assert "these units match no organization: 重庆市某某研究院." in str(error)
    assert Notice.objects.count() == 0
    assert Organization.objects.count() == organizations
    assert AuditEvent.objects.count() == events


def test_import_notice_confirm_duplicate_refused(notice, supervisor):
    error = _refusal("import-notice", str(SEED), "--user", "duban", "--confirm")

    assert error.returncode == 1
    assert str(error) == (
        "Not confirmed, and nothing was saved: "
        "A notice numbered 渝科协发〔2022〕84号 is already in the ledger."
    )
    assert list(Notice.objects.values_list("pk", flat=True)) == [notice.pk]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
        ("prose.txt", "这是一段没有编号的文字。".encode()),
    ],
)
def test_import_notice_bad_file_exit_2_nothing_saved(tmp_path, supervisor, name, data):
    events = AuditEvent.objects.count()

    error = _refusal("import-notice", _file(tmp_path, name, data), "--user", "duban", "--confirm")

    assert error.returncode == 2
    assert name in str(error) or str(error).startswith("No numbered measures")
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_import_notice_unknown_user_exit_2(orgs):
    error = _refusal("import-notice", str(SEED), "--user", "nobody")

    assert (error.returncode, str(error)) == (2, "There is no active user “nobody”.")
    assert Notice.objects.count() == 0


def test_import_notice_user_without_role_refused(make_user):
    make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")

    error = _refusal("import-notice", str(SEED), "--user", "kepu")

    assert error.returncode == 1
    assert str(error) == "kepu may not import notices: that needs the supervision officer or leader role."
    assert Notice.objects.count() == 0


def test_import_notice_defaults_to_supervisor(leader, supervisor):
    _run("import-notice", str(SEED))

    assert Notice.objects.get().created_by == supervisor


def test_import_notice_without_any_importer_exit_2(orgs):
    error = _refusal("import-notice", str(SEED))

    assert error.returncode == 2
    assert str(error).startswith("Name the importing user with --user USERNAME")


def test_import_notice_bad_due_date_exit_2(supervisor):
    error = _refusal("import-notice", str(SEED), "--user", "duban", "--due-date", "2025-02-30")

    assert str(error) == "Error: argument --due-date: “2025-02-30” is not a date (YYYY-MM-DD)."
    assert Notice.objects.count() == 0


def test_import_notice_warns_of_measures_without_units(supervisor):
    _out, err = _run(
        "import-notice", str(DATA / "ndrc_2019_860_no_marker.txt"), "--user", "duban", "--confirm"
    )

    notice = Notice.objects.get()
    assert err.strip() == "Measures without a responsible unit (no task): 1、2、3、4、5、6、7、8、9"
    assert notice.state == NoticeState.CONFIRMED
    assert Task.objects.filter(measure__notice=notice).count() == 0


def test_parse_notice_summary_target_without_year():
    command = importlib.import_module("kexie.policy.management.commands.parse-notice")
    parsed = ParsedNotice(
        doc_number=None,
        issuer=None,
        date=None,
        title="标题",
        recipients=[],
        sections=[],
        targets=[Target(measure=2, year=None, metric="覆盖率", comparator=">=", value=90, unit="%")],
    )

    with translation.override("en"):
        text = command.summary(parsed)

    assert "  Measure 2: 覆盖率 at least 90%" in text.splitlines()
