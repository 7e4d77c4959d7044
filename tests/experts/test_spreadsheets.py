from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kexie.core.models import AuditEvent
from kexie.experts.enums import ProfessionalTitle, VerificationState
from kexie.experts.models import Expert
from kexie.experts.spreadsheets import (
    HEADERS,
    ImportRefused,
    export_workbook,
    import_experts,
    template_workbook,
)
from tests.experts.conftest import ID_A, ID_B, MOBILE_A, MOBILE_B


def row(**cells) -> list:
    with translation.override("zh-hans"):
        professor = str(ProfessionalTitle.PROFESSOR.label)
    values = {
        "姓名": "王强",
        "工作单位": "西南大学",
        "职称": professor,
        "学科代码": "F0201、E05",
        "关键词": "智能制造、工业互联网",
        "所在区县": "渝中区",
        "海智专家": "否",
        "手机号码": MOBILE_B,
        "身份证号": ID_B,
    }
    values.update(cells)
    return [values.get(h, "") for h in HEADERS]


def workbook(*rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refused(content: bytes, by) -> list[tuple[int | None, str]]:
    with pytest.raises(ImportRefused) as exc:
        import_experts(content=content, by=by)
    return [(e.row, e.column) for e in exc.value.errors]


def test_template_has_headers_and_reference_sheet(db, orgs):
    book = load_workbook(io.BytesIO(template_workbook()))

    assert [c.value for c in book["专家"][1]] == HEADERS
    reference = book["可选值"]
    codes = [r[5] for r in reference.iter_rows(min_row=2, values_only=True) if r[5]]
    districts = [r[3] for r in reference.iter_rows(min_row=2, values_only=True) if r[3]]
    assert "A010101" in codes and len(codes) > 2800
    assert "渝中区" in districts and len(districts) == 38


def test_import_clean_file_creates_verified_experts_with_audit(orgs, curator):
    content = workbook(row(), row(姓名="赵六", 身份证号="", 手机号码="", 海智专家="是", 所在区县="500112"))

    created = import_experts(content=content, by=curator, file_name="x.xlsx")

    assert [e.name for e in created] == ["王强", "赵六"]
    wang = Expert.objects.get(name="王强")
    assert (wang.state, wang.district, wang.id_number, wang.mobile) == (
        VerificationState.VERIFIED,
        "500103",
        ID_B,
        MOBILE_B,
    )
    assert sorted(wang.disciplines.values_list("code", flat=True)) == ["E05", "F0201"]
    assert wang.keywords == ["智能制造", "工业互联网"]
    assert Expert.objects.get(name="赵六").overseas is True
    assert AuditEvent.objects.get(action="experts.expert.import").after["created"] == 2


def test_import_bad_id_mobile_code_district_writes_nothing(orgs, curator):
    content = workbook(
        row(身份证号="500103198505050021"),
        row(姓名="赵六", 身份证号="", 手机号码="1381234", 学科代码="Z99"),
        row(姓名="孙八", 身份证号="", 所在区县="成都市", 职称="大师"),
    )

    errors = refused(content, curator)

    assert errors == [(2, "身份证号"), (3, "学科代码"), (3, "手机号码"), (4, "职称"), (4, "所在区县")]
    assert Expert.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="experts.").exists()


def test_import_duplicates_in_file_are_refused(orgs, curator):
    content = workbook(row(), row(姓名="赵六"), row(身份证号="", 手机号码=""))

    errors = refused(content, curator)

    assert errors == [(3, "身份证号"), (4, "姓名")]
    assert Expert.objects.count() == 0


def test_import_duplicates_in_library_are_refused(expert, orgs, curator):
    content = workbook(row(身份证号=ID_A), row(姓名="李明", 工作单位="重庆 大学", 身份证号=""))

    with translation.override("en"):
        with pytest.raises(ImportRefused) as exc:
            import_experts(content=content, by=curator)
        messages = [str(e) for e in exc.value.errors]

    assert messages == [
        "Row 2, “身份证号”: an expert with this ID number is already in the library.",
        "Row 3, “姓名”: 李明 of 重庆大学 is already in the library.",
    ]
    assert Expert.objects.count() == 1


def test_import_missing_required_and_wrong_headers(orgs, curator):
    assert refused(workbook(row(姓名="", 工作单位="")), curator) == [(2, "姓名"), (2, "工作单位")]
    assert refused(workbook(row(), headers=["名字", *HEADERS[1:]]), curator) == [(None, "")]
    assert refused(workbook(), curator) == [(None, "")]
    assert refused(b"not a workbook", curator) == [(None, "")]
    assert Expert.objects.count() == 0


def _exported(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_export_masks_unless_allowed(expert, curator):
    masked = _exported(export_workbook(experts=Expert.objects.all(), unmasked=False, by=curator))
    full = _exported(export_workbook(experts=Expert.objects.all(), unmasked=True, by=curator))

    assert (masked[0]["手机号码"], masked[0]["身份证号"], masked[0]["电子邮箱"]) == (
        "138****8000",
        "5001**********0016",
        "l***@example.cn",
    )
    assert (full[0]["手机号码"], full[0]["身份证号"]) == (MOBILE_A, ID_A)
    assert full[0]["学科代码"] == "F0201"
    assert AuditEvent.objects.filter(action="experts.expert.export").count() == 2
