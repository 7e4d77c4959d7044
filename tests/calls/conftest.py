"""Fixtures of the calls engine: a call with a form, a channel, a unit, a nominee and reviewers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.services import create_organization
from kexie.calls import services
from kexie.experts.enums import ProfessionalTitle, Sex, VerificationState
from kexie.experts.models import Expert, Work
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend

SCHEMA = {
    "sections": [
        {
            "key": "basic",
            "title": "基本信息",
            "fields": [
                {"key": "name", "label": "姓名", "type": "text", "required": True, "max_length": 30},
                {
                    "key": "sex",
                    "label": "性别",
                    "type": "choice",
                    "required": True,
                    "choices": [["male", "男"], ["female", "女"]],
                },
                {"key": "birth_date", "label": "出生日期", "type": "date", "required": True},
                {
                    "key": "papers",
                    "label": "代表性论文数",
                    "type": "number",
                    "min": 0,
                    "max": 200,
                    "integer": True,
                },
            ],
        },
        {
            "key": "merits",
            "title": "主要事迹",
            "fields": [
                {
                    "key": "summary",
                    "label": "主要事迹",
                    "type": "longtext",
                    "required": True,
                    "min_length": 10,
                    "max_length": 2000,
                },
                {
                    "key": "team",
                    "label": "合作者",
                    "type": "persons",
                    "columns": [{"key": "name", "label": "姓名"}, {"key": "unit", "label": "单位"}],
                    "max_rows": 5,
                },
                {
                    "key": "evidence",
                    "label": "证明材料",
                    "type": "file",
                    "extensions": ["pdf"],
                    "max_size_mb": 1,
                },
            ],
        },
    ]
}

ANSWERS = {
    "name": "林晓雨",
    "sex": "female",
    "birth_date": "1988-03-02",
    "papers": 12,
    "summary": "长期从事页岩气储层改造与智能钻井研究，主持国家重点研发计划课题。",
    "team": [{"name": "周海", "unit": "重庆大学"}],
}


@pytest.fixture(autouse=True)
def search_backend(settings, tmp_path) -> Iterator[TantivyBackend]:
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    yield backend
    search.set_backend(None)


@pytest.fixture
def staff(make_user):
    return make_user("zuzhi", role=Role.DEPARTMENT_STAFF, org_name="组织人事部", full_name="郑组")


@pytest.fixture
def other_staff(make_user):
    return make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")


@pytest.fixture
def channel_admin(make_user):
    return make_user("yuzhong", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会", full_name="赵敏")


@pytest.fixture
def university(db, orgs):
    return create_organization(
        name="重庆示范大学",
        short_name="示范大学",
        kind=OrganizationKind.UNIVERSITY,
        parent=orgs["重庆市科学技术协会"],
    )


@pytest.fixture
def unit_staff(make_user, university):
    from kexie.accounts.services import add_membership

    user = make_user("unit", role=None, full_name="单位科研处")
    add_membership(user=user, organization=university, role=Role.DEPARTMENT_STAFF)
    return user


@pytest.fixture
def nominee(make_user):
    return make_user("nominee", role=None, full_name="林晓雨")


def make_expert(name, *, org_name="", user=None, keywords=(), channel="", coauthors=()):
    expert = Expert.objects.create(
        name=name,
        sex=Sex.MALE,
        birth_year=1970,
        organization_name=org_name,
        title=ProfessionalTitle.PROFESSOR,
        keywords=list(keywords),
        research_areas="、".join(keywords),
        state=VerificationState.VERIFIED,
        user=user,
        channel=channel,
    )
    if coauthors:
        Work.objects.create(
            expert=expert, kind="paper", title=f"{name}的论文", year=2020, coauthors=list(coauthors)
        )
    return expert


@pytest.fixture
def reviewers(make_user):
    """Three reviewers with accounts; 王钧 works at the nominee's university (a conflict)."""
    users = [
        make_user(f"rev{i}", role=Role.EXPERT, full_name=n) for i, n in enumerate(["李工", "陈研", "王钧"])
    ]
    return [
        make_expert("李工", org_name="重庆理工大学", user=users[0], keywords=["页岩气", "钻井"]),
        make_expert("陈研", org_name="西南大学", user=users[1], keywords=["储层", "智能钻井"]),
        make_expert("王钧", org_name="重庆示范大学", user=users[2], keywords=["页岩气", "储层改造"]),
    ]


@pytest.fixture
def call(staff, orgs, channel_admin):
    now = timezone.now()
    c = services.create_call(
        kind="award",
        title="2026年度重庆市示范奖",
        organiser=orgs["组织人事部"],
        year=2026,
        by=staff,
        form_schema=SCHEMA,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
        eligibility=[
            {
                "rule": "age",
                "birth_field": "birth_date",
                "sex_field": "sex",
                "reference_date": "2026-06-30",
                "max": {"male": 40, "female": 45},
            }
        ],
        endorsement_chain=["unit", "channel", "organiser"],
        needs_code=True,
    )
    services.add_channel(c, orgs["渝中区科学技术协会"], 2, by=staff, admins=[channel_admin])
    services.open_call(c, by=staff)
    c.refresh_from_db()
    return c


@pytest.fixture
def channel(call):
    return call.channels.get()


@pytest.fixture
def dossier(call, channel, channel_admin, nominee, university):
    """A filled draft made with a fresh code."""
    code = services.issue_codes(channel, 1, by=channel_admin)[0]
    submission = services.create_submission(
        call=call, applicant=nominee, code=code.code, organization=university, title="页岩气智能钻井关键技术"
    )
    return services.save_draft(submission, by=nominee, data=ANSWERS)


def endorse_all(submission, *, unit_staff, channel_admin, staff):
    for user in (unit_staff, channel_admin, staff):
        submission = services.endorse(submission, by=user)
    return submission
