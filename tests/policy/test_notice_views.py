"""Notice import pages and their services: upload or paste, bad input, the editable draft with the
unit mapping, confirming, discarding, the confirmed notice with its clause anchors."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from docx import Document

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization
from kexie.accounts.services import ROOT_NAME
from kexie.core.models import AuditEvent
from kexie.policy import services
from kexie.policy.enums import NoticeState, TaskSource
from kexie.policy.models import Measure, MeasureDepartment, Notice, Target, Task
from kexie.policy.notices import importing
from kexie.policy.notices.extract import ocr_available
from kexie.policy.notices.forms import NEW_ORGANIZATION, DraftEditor, unit_prefix
from kexie.policy.views.notices import clause_segments
from tests.conftest import PASSWORD
from tests.policy.test_extract import NO_TEXT_PDF, _encrypted_pdf, _render_pdf

DATA = Path(__file__).resolve().parents[1] / "data" / "notices"
MB = 1024 * 1024

# A small notice of the association naming one unit that is not among the seed organizations.
UNKNOWN_UNIT = "重庆市某某研究院"
SMALL_NOTICE = f"""渝科协发〔2023〕12号
重庆市科学技术协会
关于开展科普示范工作的通知
各区县(自治县)科协:
一、加强科普阵地建设
1.建设科普示范基地。每年认定一批科普示范基地,到2025年全市科普示范基地达到100个。(责任部室:科学技术普及部、{UNKNOWN_UNIT})
2.开展科普讲座。组织专家进社区开展科普讲座。(责任部室:宣传文化部)
二、加强队伍建设
3.培养科普人才。(责任部室:组织人事部)
重庆市科学技术协会
2023年3月1日
"""


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def duban(login, supervisor, english):
    return login(supervisor)


@pytest.fixture
def small_draft(orgs, supervisor) -> Notice:
    return services.create_notice_draft(text=SMALL_NOTICE, source_name="small.txt", by=supervisor)


def _docx(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _upload(client, name: str, data: bytes):
    return client.post(reverse("policy:notice_import"), {"file": SimpleUploadedFile(name, data)})


def _page(response) -> str:
    return response.content.decode()


def _draft_post(notice: Notice, *, action: str = "save", **overrides) -> dict:
    """What a browser submits for the draft page as it is rendered, with `overrides` applied."""
    editor = DraftEditor(notice, organizations=[])
    forms = [
        editor.header,
        *[section["form"] for section in editor.sections],
        *editor.measure_forms,
        editor.confirm,
        editor.targets.management_form,
        *editor.targets.forms,
        *editor.units,
    ]
    data: dict[str, str] = {"action": action}
    for form in forms:
        for field in form:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value not in (None, False):
                data[field.html_name] = str(value)
    data.update(overrides)
    return data


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- import: success ---------------------------------------------------------------------------------


def test_import_txt_upload_creates_draft_and_redirects(duban, seed_text):
    response = _upload(duban, "notice.txt", seed_text.encode())

    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("policy:notice_draft", args=[notice.pk])
    assert (notice.state, notice.doc_number, notice.source_name) == (
        NoticeState.DRAFT,
        "渝科协发〔2022〕84号",
        "notice.txt",
    )
    assert sum(len(s["measures"]) for s in notice.draft["sections"]) == 16
    assert [e.after["measures"] for e in _events("policy.notice.draft")] == [16]


def test_import_docx_upload_creates_draft(duban, seed_text):
    _upload(duban, "通知.docx", _docx(seed_text))

    notice = Notice.objects.get()
    assert notice.source_name == "通知.docx"
    assert notice.title == "关于改进为创新驱动发展服务的若干举措"
    assert [len(s["measures"]) for s in notice.draft["sections"]] == [4, 4, 4, 4]


def test_import_pdf_upload_creates_draft(duban, seed_text):
    _upload(duban, "notice.pdf", _render_pdf(seed_text.splitlines()))

    notice = Notice.objects.get()
    assert notice.doc_number == "渝科协发〔2022〕84号"
    assert notice.draft["targets"] == [
        {
            "measure": 9,
            "year": 2025,
            "metric": "公民具备科学素质的比例",
            "comparator": ">",
            "value": 15,
            "unit": "%",
        }
    ]


def test_import_paste_creates_normalised_draft(duban):
    response = duban.post(reverse("policy:notice_import"), {"text": SMALL_NOTICE.replace("\n", "\r\n  ")})

    notice = Notice.objects.get()
    assert response.url == reverse("policy:notice_draft", args=[notice.pk])
    assert notice.source_text == SMALL_NOTICE.strip()
    assert notice.source_name == ""
    assert notice.draft["sections"][0]["measures"][0]["departments"] == ["科学技术普及部", UNKNOWN_UNIT]


def test_import_page_shows_form_to_supervisor(duban):
    page = _page(duban.get(reverse("policy:notice_import")))

    assert 'type="file"' in page
    assert 'name="text"' in page
    assert "at most 20 MB" in page


# --- import: bad input -------------------------------------------------------------------------------


BAD_UPLOADS = [
    ("empty.txt", b"", "The file “empty.txt” is empty."),
    (
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "The file “image.txt” is not a text file: it contains binary data.",
    ),
    ("old.doc", b"\xd0\xcf\x11\xe0data", "The Word file “old.doc” is damaged or not a Word document"),
    (
        "locked.docx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "The Word file “locked.docx” is encrypted",
    ),
    ("locked.pdf", _encrypted_pdf(), "The PDF file “locked.pdf” is encrypted or password-protected."),
    (
        "prose.txt",
        "这是一段没有编号的文字。\n它不是通知。".encode(),
        "No numbered measures were found in the notice.",
    ),
    ("huge.txt", b"a" * (50 * MB), "The file “huge.txt” is larger than 20 MB. Please upload a smaller file."),
]
if not ocr_available():
    # With tesseract, a PDF without a text layer is queued for recognition (test_notice_scans.py).
    BAD_UPLOADS.append(("scan.pdf", _render_pdf([], css="@page { size: A4; }"), NO_TEXT_PDF))


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_import_bad_upload_shows_message_and_saves_nothing(duban, name, data, message):
    events = AuditEvent.objects.count()

    response = _upload(duban, name, data)

    assert response.status_code == 200
    assert message in _page(response)
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_import_bad_upload_message_in_chinese(login, supervisor):
    client = login(supervisor)

    response = _upload(client, "prose.txt", "没有编号的文字。".encode())

    assert response.status_code == 200
    assert 'lang="zh-hans"' in _page(response)
    assert 'class="invalid-feedback d-block"' in _page(response)
    assert "No numbered measures" not in _page(response)
    assert Notice.objects.count() == 0


def test_import_paste_without_measures_shows_message(duban):
    response = duban.post(reverse("policy:notice_import"), {"text": "关于做好工作的通知\n请认真落实。"})

    assert "No numbered measures were found in the notice." in _page(response)
    assert Notice.objects.count() == 0


def test_import_nothing_given_shows_message(duban):
    response = duban.post(reverse("policy:notice_import"), {"text": "  \n "})

    assert "Upload a .txt, .docx, .doc, .wps, .ofd or .pdf file of the notice, or paste its text." in _page(
        response
    )
    assert Notice.objects.count() == 0


def test_import_paste_over_request_limit_shows_message_not_400(duban):
    events = AuditEvent.objects.count()

    response = duban.post(reverse("policy:notice_import"), {"text": "字" * (17 * MB)})  # 51 MB of UTF-8

    assert response.status_code == 200
    assert "The pasted text is larger than 20 MB." in _page(response)
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_import_paste_over_limit_within_request_limit_shows_message(duban, settings):
    settings.MAX_UPLOAD_MB = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * MB

    response = duban.post(reverse("policy:notice_import"), {"text": "a" * (MB + 1)})

    assert "The pasted text is larger than 1 MB." in _page(response)
    assert Notice.objects.count() == 0


def test_import_still_checks_csrf(login, supervisor, seed_text):
    client = Client(enforce_csrf_checks=True)
    login_client = login(supervisor)
    client.cookies = login_client.cookies

    response = client.post(reverse("policy:notice_import"), {"text": seed_text})

    assert response.status_code == 403
    assert Notice.objects.count() == 0


# --- permissions -------------------------------------------------------------------------------------


def test_import_refused_to_department_staff(login, kepu_staff, seed_text):
    client = login(kepu_staff)
    events = AuditEvent.objects.count()

    get = client.get(reverse("policy:notice_import"))
    post = client.post(
        reverse("policy:notice_import"), {"file": SimpleUploadedFile("n.txt", seed_text.encode())}
    )

    assert (get.status_code, post.status_code) == (403, 403)
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("role", "org_name", "allowed"),
    [
        (Role.SUPERVISOR, ROOT_NAME, True),
        (Role.LEADER, ROOT_NAME, True),
        (Role.DEPARTMENT_HEAD, "科学技术普及部", False),
        (Role.DEPARTMENT_STAFF, "科学技术普及部", False),
        (Role.AUDITOR, ROOT_NAME, False),
        (Role.ADMIN, ROOT_NAME, False),
    ],
)
def test_draft_pages_by_role(login, make_user, small_draft, role, org_name, allowed):
    client = login(make_user("someone", role=role, org_name=org_name))

    draft = client.get(reverse("policy:notice_draft", args=[small_draft.pk]))
    detail = client.get(reverse("policy:notice_detail", args=[small_draft.pk]))
    listing = _page(client.get(reverse("policy:notice_list")))
    discard = client.post(reverse("policy:notice_discard", args=[small_draft.pk]))

    if allowed:
        assert (draft.status_code, detail.status_code) == (200, 302)
        assert "关于开展科普示范工作的通知" in listing
        assert discard.status_code == 302
        assert not Notice.objects.filter(pk=small_draft.pk).exists()
    else:
        assert (draft.status_code, detail.status_code, discard.status_code) == (403, 404, 403)
        assert "关于开展科普示范工作的通知" not in listing
        assert Notice.objects.get(pk=small_draft.pk).state == NoticeState.DRAFT


def test_draft_post_refused_to_department_staff(login, kepu_staff, small_draft):
    client = login(kepu_staff)

    response = client.post(
        reverse("policy:notice_draft", args=[small_draft.pk]),
        _draft_post(small_draft, action="confirm", **{"h-title": "改过的标题"}),
    )

    small_draft.refresh_from_db()
    assert response.status_code == 403
    assert (small_draft.state, small_draft.title) == (NoticeState.DRAFT, "关于开展科普示范工作的通知")


def test_confirmed_notice_visible_to_department_staff(login, kepu_staff, notice):
    client = login(kepu_staff)

    page = _page(client.get(reverse("policy:notice_detail", args=[notice.pk])))
    listing = _page(client.get(reverse("policy:notice_list")))

    assert "渝科协发〔2022〕84号" in page
    assert reverse("policy:notice_detail", args=[notice.pk]) in listing
    assert reverse("policy:notice_import") not in listing


# --- notice list ---------------------------------------------------------------------------------------


def test_notice_list_shows_drafts_and_confirmed_to_supervisor(duban, notice, small_draft):
    page = _page(duban.get(reverse("policy:notice_list")))

    assert reverse("policy:notice_draft", args=[small_draft.pk]) in page
    assert reverse("policy:notice_detail", args=[notice.pk]) in page
    assert reverse("policy:notice_import") in page
    assert page.index("关于开展科普示范工作的通知") < page.index("关于改进为创新驱动发展服务的若干举措")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_notice_list_queries_constant(duban, notice, supervisor):
    url = reverse("policy:notice_list")
    services.create_notice_draft(text=SMALL_NOTICE, by=supervisor)
    one = _count(duban, url)
    services.create_notice_draft(text=SMALL_NOTICE, by=supervisor)
    services.create_notice_draft(text=SMALL_NOTICE, by=supervisor)

    three = _count(duban, url)

    assert one == three


# --- the draft page -------------------------------------------------------------------------------------


def test_draft_page_shows_parse_with_lead_first(duban, small_draft):
    page = _page(duban.get(reverse("policy:notice_draft", args=[small_draft.pk])))

    assert 'value="渝科协发〔2023〕12号"' in page
    assert 'value="2023-03-01"' in page
    assert f'value="科学技术普及部、{UNKNOWN_UNIT}"' in page
    assert page.count('data-testid="draft-measure"') == 3
    assert 'value="科普示范基地"' in page


def test_draft_page_lists_unknown_units_prominently(duban, small_draft):
    page = _page(duban.get(reverse("policy:notice_draft", args=[small_draft.pk])))

    unknown = page[
        page.index('id="unknown-units"') : page.index("</section>", page.index('id="unknown-units"'))
    ]
    assert "Units that match no organization: 1" in unknown
    assert UNKNOWN_UNIT in unknown
    assert f'name="{unit_prefix(UNKNOWN_UNIT)}-choice"' in unknown
    assert 'value="institute" selected' in unknown  # the kind guessed from 研究院


def test_draft_page_without_unknown_units_has_no_mapping(duban, supervisor, seed_text):
    draft = services.create_notice_draft(text=seed_text, by=supervisor)

    page = _page(duban.get(reverse("policy:notice_draft", args=[draft.pk])))

    assert 'id="unknown-units"' not in page
    assert page.count('data-testid="draft-measure"') == 16


def test_draft_page_queries_do_not_grow_with_measures(duban, supervisor, seed_text, small_draft):
    seed_draft = services.create_notice_draft(text=seed_text, by=supervisor)

    three = _count(duban, reverse("policy:notice_draft", args=[small_draft.pk]))
    sixteen = _count(duban, reverse("policy:notice_draft", args=[seed_draft.pk]))

    assert three == sixteen


def test_draft_of_confirmed_notice_redirects_to_notice(duban, notice):
    response = duban.get(reverse("policy:notice_draft", args=[notice.pk]))

    assert response.url == reverse("policy:notice_detail", args=[notice.pk])


def test_draft_save_round_trip_keeps_parser_shape(duban, small_draft):
    data = _draft_post(
        small_draft,
        **{
            "h-title": "关于开展科普示范工作的通知（修订）",
            "h-recipients": "各区县(自治县)科协\n市级学会(协会、研究会)",
            "m2-departments": "宣传文化部、科学技术创新部,组织人事部",
            "t-0-value": "120",
        },
    )

    response = duban.post(reverse("policy:notice_draft", args=[small_draft.pk]), data)

    small_draft.refresh_from_db()
    measure = small_draft.draft["sections"][0]["measures"][1]
    assert response.url == reverse("policy:notice_draft", args=[small_draft.pk])
    assert small_draft.title == "关于开展科普示范工作的通知（修订）"
    assert small_draft.recipients == ["各区县(自治县)科协", "市级学会(协会、研究会)"]
    assert (measure["departments"], measure["lead"], measure["co"]) == (
        ["宣传文化部", "科学技术创新部", "组织人事部"],
        "宣传文化部",
        ["科学技术创新部", "组织人事部"],
    )
    assert set(measure) == {"number", "title", "text", "departments", "lead", "co", "start", "end"}
    assert small_draft.draft["targets"] == [
        {"measure": 1, "year": 2025, "metric": "科普示范基地", "comparator": ">=", "value": 120, "unit": "个"}
    ]
    assert small_draft.state == NoticeState.DRAFT
    assert len(_events("policy.notice.edit_draft")) == 1


def test_draft_save_adds_and_deletes_targets(duban, small_draft):
    data = _draft_post(
        small_draft,
        **{
            "t-0-DELETE": "on",
            "t-1-measure": "3",
            "t-1-year": "2024",
            "t-1-metric": "科普人才",
            "t-1-comparator": ">=",
            "t-1-value": "2.5",
            "t-1-unit": "万人",
        },
    )

    duban.post(reverse("policy:notice_draft", args=[small_draft.pk]), data)

    small_draft.refresh_from_db()
    assert small_draft.draft["targets"] == [
        {"measure": 3, "year": 2024, "metric": "科普人才", "comparator": ">=", "value": 2.5, "unit": "万人"}
    ]


def test_draft_save_invalid_field_shows_error_and_saves_nothing(duban, small_draft):
    events = AuditEvent.objects.count()
    data = _draft_post(small_draft, **{"h-title": "", "h-date": "2023-02-30", "m1-departments": "新部门"})

    response = duban.post(reverse("policy:notice_draft", args=[small_draft.pk]), data)

    small_draft.refresh_from_db()
    page = _page(response)
    assert "Please correct the fields marked below." in page
    assert "This field is required." in page
    assert "Enter a valid date." in page
    assert small_draft.title == "关于开展科普示范工作的通知"
    assert small_draft.draft["sections"][0]["measures"][0]["departments"] == ["科学技术普及部", UNKNOWN_UNIT]
    assert AuditEvent.objects.count() == events


def test_draft_edit_then_confirm_sets_measure_departments_and_task(duban, supervisor, seed_text):
    draft = services.create_notice_draft(text=seed_text, by=supervisor)
    data = _draft_post(
        draft,
        action="confirm",
        **{
            "m2-departments": "宣传文化部、科学技术创新部",
            "m9-title": "深入实施全民科学素质行动",
            "c-due_date": "2025-12-31",
        },
    )

    response = duban.post(reverse("policy:notice_draft", args=[draft.pk]), data)

    draft.refresh_from_db()
    measure = Measure.objects.get(notice=draft, number=2)
    task = Task.objects.get(measure=measure)
    assert response.url == reverse("policy:notice_detail", args=[draft.pk])
    assert draft.state == NoticeState.CONFIRMED
    rows = MeasureDepartment.objects.filter(measure=measure).order_by("order")
    assert [(row.organization.name, row.is_lead, row.order) for row in rows] == [
        ("宣传文化部", True, 0),
        ("科学技术创新部", False, 1),
    ]
    assert (task.lead.name, task.source, task.due_date.isoformat()) == (
        "宣传文化部",
        TaskSource.NOTICE,
        "2025-12-31",
    )
    assert {org.name for org in task.cooperating.all()} == {"科学技术创新部"}
    assert Measure.objects.get(notice=draft, number=9).title == "深入实施全民科学素质行动"
    assert Task.objects.filter(measure__notice=draft).count() == 16


# --- unknown units ----------------------------------------------------------------------------------------


def test_confirm_refused_until_unknown_unit_mapped(duban, small_draft):
    organizations = Organization.objects.count()

    response = duban.post(
        reverse("policy:notice_draft", args=[small_draft.pk]), _draft_post(small_draft, action="confirm")
    )

    small_draft.refresh_from_db()
    assert response.status_code == 200
    assert f"Choose the organization “{UNKNOWN_UNIT}” stands for, or create it." in _page(response)
    assert small_draft.state == NoticeState.DRAFT
    assert Measure.objects.filter(notice=small_draft).count() == 0
    assert Task.objects.count() == 0
    assert Organization.objects.count() == organizations


def test_confirm_with_unknown_unit_mapped_to_existing_organization(duban, small_draft, orgs):
    kepu = orgs["科学技术普及部"]
    prefix = unit_prefix(UNKNOWN_UNIT)
    data = _draft_post(small_draft, action="confirm", **{f"{prefix}-choice": str(orgs["宣传文化部"].pk)})

    response = duban.post(reverse("policy:notice_draft", args=[small_draft.pk]), data)

    small_draft.refresh_from_db()
    measure = Measure.objects.get(notice=small_draft, number=1)
    assert response.url == reverse("policy:notice_detail", args=[small_draft.pk])
    assert small_draft.state == NoticeState.CONFIRMED
    assert [(link.organization.name, link.is_lead) for link in measure.department_links.all()] == [
        (kepu.name, True),
        ("宣传文化部", False),
    ]
    assert Organization.objects.get(name="宣传文化部").aliases == [UNKNOWN_UNIT]
    assert [e.after for e in _events("policy.notice.map_units")] == [
        {UNKNOWN_UNIT: {"organization": orgs["宣传文化部"].pk, "created": False, "remembered": True}}
    ]
    assert Target.objects.get(measure=measure).metric == "科普示范基地"


def test_mapping_without_remember_leaves_aliases(duban, small_draft, orgs):
    prefix = unit_prefix(UNKNOWN_UNIT)
    data = _draft_post(small_draft, action="confirm", **{f"{prefix}-choice": str(orgs["宣传文化部"].pk)})
    del data[f"{prefix}-remember"]

    duban.post(reverse("policy:notice_draft", args=[small_draft.pk]), data)

    small_draft.refresh_from_db()
    assert small_draft.state == NoticeState.CONFIRMED
    assert Organization.objects.get(name="宣传文化部").aliases == []


def test_confirm_with_unknown_unit_created_as_new_organization(duban, small_draft, supervisor, orgs):
    prefix = unit_prefix(UNKNOWN_UNIT)
    data = _draft_post(
        small_draft,
        action="confirm",
        **{
            f"{prefix}-choice": NEW_ORGANIZATION,
            f"{prefix}-new_name": UNKNOWN_UNIT,
            f"{prefix}-new_kind": OrganizationKind.INSTITUTE,
        },
    )

    duban.post(reverse("policy:notice_draft", args=[small_draft.pk]), data)

    created = Organization.objects.get(name=UNKNOWN_UNIT)
    task = Task.objects.get(measure__notice=small_draft, measure__number=1)
    assert (created.kind, created.parent.name) == (OrganizationKind.INSTITUTE, ROOT_NAME)
    assert created.path == f"{orgs[ROOT_NAME].path}{created.pk}/"
    assert {org.name for org in task.cooperating.all()} == {UNKNOWN_UNIT}
    [event] = AuditEvent.objects.filter(action="accounts.organization.create", object_id=str(created.pk))
    assert (event.actor_id, event.after["name"]) == (supervisor.pk, UNKNOWN_UNIT)
    assert [e.after for e in _events("policy.notice.map_units")] == [
        {UNKNOWN_UNIT: {"organization": created.pk, "created": True}}
    ]


def test_new_organization_under_other_name_keeps_unit_as_alias(duban, small_draft):
    prefix = unit_prefix(UNKNOWN_UNIT)
    data = _draft_post(
        small_draft,
        **{
            f"{prefix}-choice": NEW_ORGANIZATION,
            f"{prefix}-new_name": "某某研究院",
            f"{prefix}-new_kind": OrganizationKind.INSTITUTE,
        },
    )

    duban.post(reverse("policy:notice_draft", args=[small_draft.pk]), data)

    small_draft.refresh_from_db()
    assert Organization.objects.get(name="某某研究院").aliases == [UNKNOWN_UNIT]
    assert small_draft.draft["sections"][0]["measures"][0]["departments"] == ["科学技术普及部", "某某研究院"]
    assert importing.unknown_units(small_draft.draft) == []


def test_new_organization_with_existing_name_refused(duban, small_draft):
    prefix = unit_prefix(UNKNOWN_UNIT)
    organizations = Organization.objects.count()
    data = _draft_post(
        small_draft,
        action="confirm",
        **{
            f"{prefix}-choice": NEW_ORGANIZATION,
            f"{prefix}-new_name": "宣传文化部",
            f"{prefix}-new_kind": "department",
        },
    )

    response = duban.post(reverse("policy:notice_draft", args=[small_draft.pk]), data)

    small_draft.refresh_from_db()
    assert "An organization named “宣传文化部” already exists; choose it from the list instead." in _page(
        response
    )
    assert small_draft.state == NoticeState.DRAFT
    assert Organization.objects.count() == organizations


def test_save_keeps_mapping_by_organization_name(duban, small_draft, orgs):
    prefix = unit_prefix(UNKNOWN_UNIT)
    data = _draft_post(small_draft, **{f"{prefix}-choice": str(orgs["宣传文化部"].pk)})
    del data[f"{prefix}-remember"]

    duban.post(reverse("policy:notice_draft", args=[small_draft.pk]), data)

    small_draft.refresh_from_db()
    page = _page(duban.get(reverse("policy:notice_draft", args=[small_draft.pk])))
    assert small_draft.draft["sections"][0]["measures"][0]["departments"] == ["科学技术普及部", "宣传文化部"]
    assert 'id="unknown-units"' not in page


def test_unit_typed_in_edit_must_be_mapped_before_confirm(duban, supervisor, seed_text):
    draft = services.create_notice_draft(text=seed_text, by=supervisor)
    data = _draft_post(draft, action="confirm", **{"m4-departments": "科学技术普及部、重庆市新设中心"})

    response = duban.post(reverse("policy:notice_draft", args=[draft.pk]), data)

    draft.refresh_from_db()
    page = _page(response)
    assert "Choose the organization “重庆市新设中心” stands for, or create it." in page
    assert f'name="{unit_prefix("重庆市新设中心")}-choice"' in page
    assert draft.state == NoticeState.DRAFT
    assert draft.draft["sections"][0]["measures"][3]["departments"] == ["科学技术普及部"]


def test_failed_confirm_rolls_back_new_organization(duban, notice, supervisor):
    # Same document number as the confirmed seed notice: confirming must fail, and take the
    # organization created for the unknown unit with it.
    draft = services.create_notice_draft(
        text=SMALL_NOTICE.replace("渝科协发〔2023〕12号", notice.doc_number), by=supervisor
    )
    prefix = unit_prefix(UNKNOWN_UNIT)
    data = _draft_post(
        draft,
        action="confirm",
        **{
            f"{prefix}-choice": NEW_ORGANIZATION,
            f"{prefix}-new_kind": OrganizationKind.INSTITUTE,
        },
    )

    response = duban.post(reverse("policy:notice_draft", args=[draft.pk]), data)

    draft.refresh_from_db()
    assert "A notice numbered 渝科协发〔2022〕84号 is already in the ledger." in _page(response)
    assert draft.state == NoticeState.DRAFT
    assert not Organization.objects.filter(name=UNKNOWN_UNIT).exists()
    assert _events("policy.notice.map_units") == []


# --- discard ------------------------------------------------------------------------------------------


def test_discard_draft_deletes_and_audits(duban, small_draft, supervisor):
    pk = small_draft.pk

    response = duban.post(reverse("policy:notice_discard", args=[pk]))

    [event] = _events("policy.notice.discard")
    assert response.url == reverse("policy:notice_list")
    assert not Notice.objects.filter(pk=pk).exists()
    assert (event.object_id, event.actor_id, event.before["title"]) == (
        str(pk),
        supervisor.pk,
        "关于开展科普示范工作的通知",
    )


def test_discard_confirmed_notice_refused(duban, notice):
    response = duban.post(reverse("policy:notice_discard", args=[notice.pk]), follow=True)

    assert "Only a draft notice can be discarded." in _page(response)
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.CONFIRMED
    assert _events("policy.notice.discard") == []


def test_discard_requires_post(duban, small_draft):
    response = duban.get(reverse("policy:notice_discard", args=[small_draft.pk]))

    assert response.status_code == 405
    assert Notice.objects.filter(pk=small_draft.pk).exists()


# --- the confirmed notice ----------------------------------------------------------------------------------


def _clause(page: str, number: int) -> str:
    match = re.search(rf'<div class="kx-clause" id="clause-{number}">(.*?)</div>', page, re.S)
    assert match, f"no anchor for clause {number}"
    return match.group(1)


def test_notice_page_anchors_every_clause(duban, notice):
    page = _page(duban.get(reverse("policy:notice_detail", args=[notice.pk])))

    assert re.findall(r'id="clause-(\d+)"', page) == [str(n) for n in range(1, 17)]
    clause = _clause(page, 9)
    assert "<p>9.牵头深入实施全民科学素质行动。" in clause
    assert "确保2025年我市公民具备科学素质的比例超过15%" in clause
    assert "(责任部室:科学技术普及部)" in clause
    assert "10.发挥科普宣传教育的基础作用" not in clause
    measure = Measure.objects.get(notice=notice, number=9)
    assert reverse("policy:measure_detail", args=[measure.pk]) in clause


def test_notice_page_shows_header_measures_and_target(duban, notice):
    page = _page(duban.get(reverse("policy:notice_detail", args=[notice.pk])))

    assert "渝科协发〔2022〕84号" in page
    assert "各区县(自治县)科协、两江新区科技创新局" in page
    assert 'href="#clause-16"' in page
    assert "by 2025, 公民具备科学素质的比例 more than 15%" in page
    assert (
        "印发《关于改进为创新驱动发展服务的若干举措》的通知" in page
    )  # the source text, outside the clauses


def test_notice_page_queries_do_not_grow_with_measures(duban, notice, supervisor):
    url = reverse("policy:notice_detail", args=[notice.pk])
    sixteen = _count(duban, url)
    other = services.create_notice_draft(
        text=SMALL_NOTICE.replace(UNKNOWN_UNIT, "科学技术创新部"), by=supervisor
    )
    other = services.confirm_notice(
        notice=other,
        mapping=services.match_organizations(services.draft_unit_names(other.draft)),
        by=supervisor,
    )

    three = _count(duban, reverse("policy:notice_detail", args=[other.pk]))

    assert sixteen == three


def test_clause_segments_skip_overlapping_and_out_of_range_offsets():
    text = "头\n1.甲\n2.乙\n尾"
    measures = [
        Measure(number=1, clause_start=2, clause_end=5),
        Measure(number=2, clause_start=4, clause_end=8),  # overlaps clause 1
        Measure(number=3, clause_start=6, clause_end=99),  # beyond the text
    ]

    segments = clause_segments(text, measures)

    assert [(s["measure"].number if s["measure"] else None, s["lines"]) for s in segments] == [
        (None, ["头"]),
        (1, ["1.甲"]),
        (None, ["2.乙", "尾"]),
    ]


# --- services ---------------------------------------------------------------------------------------------


def test_split_units_keeps_bracketed_lists_whole():
    assert importing.split_units(" 甲部、乙部，市级学会（协会、研究会）;甲部\n丙部 ") == [
        "甲部",
        "乙部",
        "市级学会（协会、研究会）",
        "丙部",
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("重庆市某某研究院", "institute"),
        ("重庆大学", "university"),
        ("重庆市物理学会", "society"),
        ("市科协办公室", "department"),
        ("某某", "other"),
    ],
)
def test_guess_kind_from_name(name, kind):
    assert importing.guess_kind(name) == kind


def test_save_draft_refused_to_staff(kepu_staff, small_draft):
    with pytest.raises(PermissionDenied):
        importing.save_draft(notice=small_draft, draft=small_draft.draft, by=kepu_staff)

    assert AuditEvent.objects.filter(action__startswith="policy.notice.edit").count() == 0


def test_save_draft_refused_when_confirmed(notice, supervisor):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        importing.save_draft(notice=notice, draft=notice.draft, by=supervisor)

    assert caught.value.messages == ["Only a draft notice can be edited."]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(sections=[]), "The notice has no measures."),
        (lambda d: d["sections"][1]["measures"][0].update(number=1), "Two measures have the same number."),
        (
            lambda d: d["targets"][0].update(measure=7),
            "A target refers to measure 7, which the notice does not have.",
        ),
    ],
)
def test_save_draft_refuses_inconsistent_draft(small_draft, supervisor, change, message):
    draft = small_draft.draft
    change(draft)

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        importing.save_draft(notice=small_draft, draft=draft, by=supervisor)

    small_draft.refresh_from_db()
    assert caught.value.messages == [message]
    assert len(small_draft.draft["sections"]) == 2


def test_unit_choice_with_unknown_kind_refused(small_draft, supervisor):
    choice = importing.UnitChoice(name=UNKNOWN_UNIT, new_kind="castle")

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        importing.save_draft(notice=small_draft, draft=small_draft.draft, by=supervisor, choices=[choice])

    assert caught.value.messages == ["“castle” is not a kind of organization."]
    assert not Organization.objects.filter(name=UNKNOWN_UNIT).exists()


def test_unit_choice_for_known_name_ignored(small_draft, supervisor, orgs):
    choice = importing.UnitChoice(name="宣传文化部", organization=orgs["科学技术普及部"], remember=True)

    notice = importing.save_draft(
        notice=small_draft, draft=small_draft.draft, by=supervisor, choices=[choice]
    )

    assert notice.draft["sections"][0]["measures"][1]["departments"] == ["宣传文化部"]
    assert orgs["科学技术普及部"].aliases == []
    assert _events("policy.notice.map_units") == []


def test_confirm_draft_with_unmapped_unit_saves_nothing(small_draft, supervisor):
    edited = small_draft.draft
    edited["title"] = "改过的标题"

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        importing.confirm_draft(notice=small_draft, draft=edited, by=supervisor)

    small_draft.refresh_from_db()
    assert caught.value.messages == [f"Map these units to organizations before confirming: {UNKNOWN_UNIT}"]
    assert (small_draft.state, small_draft.title) == (NoticeState.DRAFT, "关于开展科普示范工作的通知")
    assert _events("policy.notice.edit_draft") == []


def test_discard_draft_refused_to_staff(kepu_staff, small_draft):
    with pytest.raises(PermissionDenied):
        importing.discard_draft(notice=small_draft, by=kepu_staff)

    assert Notice.objects.filter(pk=small_draft.pk).exists()
    assert _events("policy.notice.discard") == []


def test_measures_without_departments_listed_on_draft(duban, supervisor):
    text = (DATA / "ndrc_2019_860_no_marker.txt").read_text(encoding="utf-8")
    draft = services.create_notice_draft(text=text, by=supervisor)

    page = _page(duban.get(reverse("policy:notice_draft", args=[draft.pk])))

    assert importing.measures_without_departments(draft.draft) == list(range(1, 10))
    assert "Measures 1、2、3、4、5、6、7、8、9 name no responsible unit" in page


def test_real_notice_with_lead_and_cooperating_markers_imports(duban):
    text = (DATA / "guangzhou_talent_lead_cooperate.txt").read_bytes()

    _upload(duban, "guangzhou.txt", text)

    notice = Notice.objects.get()
    assert sum(len(s["measures"]) for s in notice.draft["sections"]) == 45
    assert notice.doc_number == ""
    assert notice.draft["doc_number"] is None


# --- in the browser -----------------------------------------------------------------------------------


def _browser_sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_upload_map_unknown_unit_and_confirm(page, live_server, supervisor, settings, tmp_path):
    settings.STAFF_SECOND_FACTOR = "optional"
    notice_file = tmp_path / "small.txt"
    notice_file.write_text(SMALL_NOTICE, encoding="utf-8")
    _browser_sign_in(page, live_server.url, "duban")

    page.goto(f"{live_server.url}{reverse('policy:notice_import')}")
    page.set_input_files("input[name=file]", str(notice_file))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/draft/")
    confirm = page.locator("[data-testid=confirm-notice]")
    row = page.locator("[data-testid=unit-row]")
    assert row.locator("strong, .fw-semibold").first.inner_text() == UNKNOWN_UNIT
    assert confirm.is_disabled()
    assert not row.locator("input[name$=new_name]").is_visible()

    row.locator("select[data-unit-choice]").select_option(NEW_ORGANIZATION)
    assert row.locator("input[name$=new_name]").input_value() == UNKNOWN_UNIT
    assert row.locator("select[name$=new_kind]").input_value() == OrganizationKind.INSTITUTE
    assert confirm.is_enabled()
    confirm.click()
    page.wait_for_url("**/supervision/notices/*/")

    notice = Notice.objects.get()
    assert notice.state == NoticeState.CONFIRMED
    assert Organization.objects.get(name=UNKNOWN_UNIT).kind == OrganizationKind.INSTITUTE
    page.click("a[href='#clause-1']")
    highlighted = page.locator("#clause-1").evaluate("el => getComputedStyle(el).backgroundColor")
    assert highlighted == "rgb(255, 246, 214)"
    assert (
        page.locator("#clause-2").evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_draft_page_fits_a_phone(phone_page, live_server, supervisor, settings):
    settings.STAFF_SECOND_FACTOR = "optional"
    draft = services.create_notice_draft(text=SMALL_NOTICE, by=supervisor)
    _browser_sign_in(phone_page, live_server.url, "duban")

    for name in ("policy:notice_draft", "policy:notice_list"):
        args = [draft.pk] if name == "policy:notice_draft" else []
        phone_page.goto(f"{live_server.url}{reverse(name, args=args)}")
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
