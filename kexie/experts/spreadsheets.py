"""Import of experts from .xlsx (template, validation of every row, all-or-nothing write) and export
with masking. The column names are the file format, so they are fixed Chinese text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kexie.core.crypto import blind_index
from kexie.core.exports import append_row, xlsx_bytes
from kexie.core.masking import mask_email, mask_id_number, mask_mobile
from kexie.core.services import audit_batch, record_event
from kexie.core.spreadsheets import ImportRefused, RowError, cell_text, open_workbook
from kexie.core.validators import is_valid_email, is_valid_id_number, is_valid_mobile
from kexie.experts import services
from kexie.experts.conflicts import normalise
from kexie.experts.documents import split_terms
from kexie.experts.enums import Availability, Honour, ProfessionalTitle, Sex
from kexie.experts.models import Discipline, Expert
from kexie.experts.queries import district_choices

HEADERS = [
    "姓名",
    "性别",
    "出生年份",
    "工作单位",
    "职称",
    "荣誉称号",
    "学科代码",
    "关键词",
    "研究方向",
    "个人简介",
    "所在区县",
    "海智专家",
    "参与意愿",
    "推荐渠道",
    "手机号码",
    "身份证号",
    "电子邮箱",
]
REQUIRED = {"姓名", "工作单位", "职称"}
MAX_ROWS = 5000
YES = {"是", "y", "yes", "true", "1"}
NO = {"否", "n", "no", "false", "0", ""}


@dataclass
class ParsedRow:
    row: int
    data: dict[str, Any] = field(default_factory=dict)
    disciplines: list[str] = field(default_factory=list)


def _labels(choices) -> dict[str, str]:
    """Label (Chinese as in the template, or English) and value → value."""
    mapping: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in choices:
                mapping[str(label)] = value
                mapping[value] = value
    return mapping


def template_workbook() -> bytes:
    """The import template: the header row, an example row, and a sheet of allowed values."""
    book = Workbook()
    sheet = book.active
    sheet.title = "专家"
    append_row(sheet, HEADERS)
    bold = Font(bold=True)
    for index, name in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        if name in REQUIRED:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.column_dimensions[get_column_letter(index)].width = 14
    with translation.override("zh-hans"):
        append_row(
            sheet,
            [
                "张明",
                str(Sex.MALE.label),
                1975,
                "重庆大学",
                str(ProfessionalTitle.PROFESSOR.label),
                str(Honour.DISTINGUISHED_YOUNG.label),
                "F0201、F0305",
                "人工智能、机器视觉",
                "智能制造；工业机器人",
                "长期从事智能制造研究。",
                "沙坪坝区",
                "否",
                str(Availability.AVAILABLE.label),
                "",
                "13800138000",
                "",
                "zhangming@example.cn",
            ],
        )
        ref = book.create_sheet("可选值")
        append_row(ref, ["职称", "荣誉称号", "参与意愿", "所在区县", "区划代码", "学科代码", "学科名称"])
        titles = [str(label) for _v, label in ProfessionalTitle.choices]
        honours = [str(label) for _v, label in Honour.choices]
        availability = [str(label) for _v, label in Availability.choices]
    districts = district_choices()
    codes = list(Discipline.objects.values_list("code", "name"))
    for i in range(max(len(titles), len(honours), len(districts), len(codes))):
        append_row(
            ref,
            [
                titles[i] if i < len(titles) else None,
                honours[i] if i < len(honours) else None,
                availability[i] if i < len(availability) else None,
                districts[i][1] if i < len(districts) else None,
                districts[i][0] if i < len(districts) else None,
                codes[i][0] if i < len(codes) else None,
                codes[i][1] if i < len(codes) else None,
            ],
        )
    return xlsx_bytes(book)


_text = cell_text


def parse_workbook(content: bytes, *, file_name: str = "") -> list[ParsedRow]:  # noqa: PLR0912, PLR0915 - one check per column
    """Read and validate every row; raise ImportRefused listing every problem, or return clean rows."""
    book = open_workbook(content, name=file_name)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    if not rows or [_text(c) for c in rows[0][: len(HEADERS)]] != HEADERS:
        found = "、".join(_text(c) or "—" for c in (rows[0] if rows else [])[: len(HEADERS)])
        raise ImportRefused(
            [
                RowError(
                    None,
                    "",
                    _("The first row must hold the template's columns: %(expected)s (found: %(found)s).")
                    % {"expected": "、".join(HEADERS), "found": found or "—"},
                )
            ]
        )
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(_text(c) for c in r)]
    if not body:
        raise ImportRefused([RowError(None, "", _("The file holds no expert rows."))])
    if len(body) > MAX_ROWS:
        raise ImportRefused(
            [RowError(None, "", _("At most %(max)s rows can be imported at once.") % {"max": MAX_ROWS})]
        )
    sexes, titles = _labels(Sex.choices), _labels(ProfessionalTitle.choices)
    honours, availability = _labels(Honour.choices), _labels(Availability.choices)
    districts = {name: code for code, name in district_choices()}
    district_codes = set(districts.values())
    known_codes = set(Discipline.objects.values_list("code", flat=True))
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen_ids: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    this_year = timezone.localdate().year
    for number, raw in body:
        cells = {h: _text(v) for h, v in zip(HEADERS, [*raw, *([None] * len(HEADERS))], strict=False)}

        def err(column: str, message: str, number=number) -> None:
            errors.append(RowError(number, column, message))

        row = ParsedRow(row=number)
        data = row.data
        for column in sorted(REQUIRED, key=HEADERS.index):
            if not cells[column]:
                err(column, _("this column is required."))
        data["name"] = cells["姓名"]
        data["organization_name"] = cells["工作单位"]
        if cells["性别"]:
            if cells["性别"] not in sexes:
                err("性别", _("“%(value)s” is not 男 or 女.") % {"value": cells["性别"]})
            else:
                data["sex"] = sexes[cells["性别"]]
        if cells["出生年份"]:
            year = cells["出生年份"]
            if not year.isdigit() or not 1900 <= int(year) <= this_year:
                err("出生年份", _("“%(value)s” is not a year between 1900 and now.") % {"value": year})
            else:
                data["birth_year"] = int(year)
        if cells["职称"]:
            if cells["职称"] not in titles:
                err(
                    "职称",
                    _("“%(value)s” is not an allowed title (see the sheet 可选值).")
                    % {"value": cells["职称"]},
                )
            else:
                data["title"] = titles[cells["职称"]]
        chosen_honours = []
        for label in split_terms(cells["荣誉称号"]):
            if label not in honours:
                err(
                    "荣誉称号",
                    _("“%(value)s” is not an allowed honour (see the sheet 可选值).") % {"value": label},
                )
            else:
                chosen_honours.append(honours[label])
        data["honours"] = chosen_honours
        codes = [c.upper() for c in split_terms(cells["学科代码"])]
        unknown = [c for c in codes if c not in known_codes]
        if unknown:
            err("学科代码", _("unknown discipline codes: %(codes)s.") % {"codes": "、".join(unknown)})
        row.disciplines = codes
        data["keywords"] = split_terms(cells["关键词"])
        data["research_areas"] = cells["研究方向"]
        data["biography"] = cells["个人简介"]
        if cells["所在区县"]:
            value = cells["所在区县"]
            if value in district_codes:
                data["district"] = value
            elif value in districts:
                data["district"] = districts[value]
            else:
                err("所在区县", _("“%(value)s” is not a Chongqing district or county.") % {"value": value})
        overseas = cells["海智专家"].lower()
        if overseas not in YES | NO:
            err("海智专家", _("“%(value)s” is not 是 or 否.") % {"value": cells["海智专家"]})
        data["overseas"] = overseas in YES
        if cells["参与意愿"]:
            if cells["参与意愿"] not in availability:
                err(
                    "参与意愿",
                    _("“%(value)s” is not an allowed value (see the sheet 可选值).")
                    % {"value": cells["参与意愿"]},
                )
            else:
                data["availability"] = availability[cells["参与意愿"]]
        data["channel"] = cells["推荐渠道"]
        mobile = cells["手机号码"]
        if mobile and not is_valid_mobile(mobile):
            err("手机号码", _("“%(value)s” is not a valid mainland mobile number.") % {"value": mobile})
        data["mobile"] = mobile
        id_number = cells["身份证号"].upper()
        if id_number:
            if not is_valid_id_number(id_number):
                err("身份证号", _("the ID number is not valid (length, birth date or check digit)."))
            elif id_number in seen_ids:
                err("身份证号", _("the same ID number is in row %(other)s.") % {"other": seen_ids[id_number]})
            else:
                seen_ids[id_number] = number
        data["id_number"] = id_number
        email = cells["电子邮箱"]
        if email and not is_valid_email(email):
            err("电子邮箱", _("“%(value)s” is not an e-mail address.") % {"value": email[:80]})
        data["email"] = email
        key = (normalise(data["name"]), normalise(data["organization_name"]))
        if all(key):
            if key in seen_names:
                err(
                    "姓名",
                    _("the same name and organization are in row %(other)s.") % {"other": seen_names[key]},
                )
            else:
                seen_names[key] = number
        parsed.append(row)
    # Duplicates against the library: by ID number (blind index) and by name + organization.
    indexes = {blind_index(i): n for i, n in seen_ids.items()}
    for index in Expert.objects.filter(id_number_index__in=list(indexes)).values_list(
        "id_number_index", flat=True
    ):
        errors.append(
            RowError(
                indexes[index], "身份证号", _("an expert with this ID number is already in the library.")
            )
        )
    names = {data_name for data_name, _org in seen_names}
    existing = Expert.objects.filter(
        name__in=[r.data["name"] for r in parsed if normalise(r.data["name"]) in names]
    )
    for name, organization in existing.values_list("name", "organization_name"):
        number = seen_names.get((normalise(name), normalise(organization)))
        if number:
            errors.append(
                RowError(
                    number,
                    "姓名",
                    _("%(name)s of %(organization)s is already in the library.")
                    % {"name": name, "organization": organization},
                )
            )
    if errors:
        errors.sort(key=lambda e: (e.row or 0, HEADERS.index(e.column) if e.column in HEADERS else -1))
        raise ImportRefused(errors)
    return parsed


@transaction.atomic
def import_experts(*, content: bytes, by, file_name: str = "") -> list[Expert]:
    """Validate the whole file, then create every expert in one transaction (verified: staff import)."""
    rows = parse_workbook(content, file_name=file_name)
    # One link of the audit chain for the whole file: the head is locked once, each event still
    # carries its own hash.
    with audit_batch():
        try:
            created = services.create_experts(by=by, rows=[(row.data, row.disciplines) for row in rows])
        except ValidationError as exc:  # a race with another writer: refuse the whole file
            raise ImportRefused([RowError(None, "", "; ".join(exc.messages))]) from exc
        record_event(
            None,
            "experts.expert.import",
            actor=by,
            after={"file": file_name, "created": len(created), "ids": [e.pk for e in created]},
        )
    return created


EXPORT_HEADERS = [*HEADERS[:14], "手机号码", "身份证号", "电子邮箱", "审核状态"]


def export_workbook(*, experts, unmasked: bool, by) -> bytes:
    """The experts as .xlsx in the import layout; contact details masked unless ``unmasked``."""
    book = Workbook()
    sheet = book.active
    sheet.title = "专家"
    append_row(sheet, EXPORT_HEADERS)
    districts = dict(district_choices())
    count = 0
    with translation.override("zh-hans"):
        honour_labels = dict(Honour.choices)
        for expert in experts:
            count += 1
            append_row(
                sheet,
                [
                    expert.name,
                    expert.get_sex_display(),
                    expert.birth_year,
                    expert.organization_display,
                    expert.get_title_display(),
                    "、".join(str(honour_labels.get(h, h)) for h in expert.honours),
                    "、".join(d.code for d in expert.disciplines.all()),
                    "、".join(expert.keywords),
                    expert.research_areas,
                    expert.biography,
                    districts.get(expert.district, expert.district),
                    "是" if expert.overseas else "否",
                    expert.get_availability_display(),
                    expert.channel,
                    expert.mobile if unmasked else mask_mobile(expert.mobile),
                    expert.id_number if unmasked else mask_id_number(expert.id_number),
                    expert.email if unmasked else (mask_email(expert.email) if expert.email else ""),
                    str(expert.get_state_display()),
                ],
            )
    for index in range(1, len(EXPORT_HEADERS) + 1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
    record_event(None, "experts.expert.export", actor=by, after={"rows": count, "unmasked": unmasked})
    return xlsx_bytes(book)
