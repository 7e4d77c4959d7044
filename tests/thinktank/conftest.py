"""Think-tank fixtures: a private search index, the people who run the think tank, sample files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from kexie.accounts.enums import Role
from kexie.accounts.services import ROOT_NAME
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.thinktank import documents, services
from kexie.thinktank.enums import SearchKind

TEXT = (
    "成渝地区双城经济圈科技创新中心建设需要统筹布局重大科技基础设施，"
    "建议设立西部科学城协同创新基金，推动高校院所与企业共建联合实验室。"
)


@pytest.fixture(autouse=True)
def backend(tmp_path) -> Iterator[TantivyBackend]:
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    search.register_source(SearchKind.RESULT, documents.result_documents)
    search.register_source(SearchKind.QUESTION, documents.question_documents)
    yield backend
    search.set_backend(None)


@pytest.fixture
def staff(make_user):
    return make_user("zhanlue", role=Role.DEPARTMENT_STAFF, org_name="战略发展部")


@pytest.fixture
def editor(make_user):
    return make_user("zhanlue_head", role=Role.DEPARTMENT_HEAD, org_name="战略发展部")


@pytest.fixture
def leader(make_user):
    return make_user("boss", role=Role.LEADER, org_name=ROOT_NAME)


@pytest.fixture
def district(make_user):
    return make_user("yuzhong_tt", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会")


@pytest.fixture
def publicity(make_user):
    return make_user("xuanchuan", role=Role.DEPARTMENT_STAFF, org_name="宣传文化部")


REPORT_DOCX_TEXT = TEXT


def docx_bytes(text: str = TEXT) -> bytes:
    document = Document()
    for line in text.split("，"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_upload(text: str = TEXT, name: str = "report.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes(text), content_type="application/octet-stream")


def reindex_all() -> None:
    search.rebuild(kinds=[SearchKind.RESULT, SearchKind.QUESTION])


BODY = (
    "一、基本判断。"
    + "成渝地区双城经济圈建设进入攻坚期，科技创新中心建设需要系统谋划。" * 3
    + "\n二、对策建议。建议设立协同创新基金。"
)


@pytest.fixture
def issued_brief(staff, editor, leader):
    brief = services.create_brief(
        by=staff, title="关于加快建设西部科学城的建议", authors="张院士 等", body=BODY
    )
    services.submit_brief(brief=brief, by=staff)
    services.review_brief(brief=brief, by=editor, approve=True)
    services.sign_off_brief(brief=brief, by=leader)
    return services.issue_brief(brief=brief, by=staff)


def tomorrow():
    return timezone.localdate() + timedelta(days=1)
