"""Demo data of the calls app for `kexie demo`: idempotent, deterministic, through the services.

A generic call in 公示 (dossiers through codes, endorsement, formal check with one return, a remote
round with a conflict excluded, scores, z-score ranking, decisions, an objection handled) and a
second call open for nominations (codes issued, a draft). The award catalogue, campaigns and the
托举 cohort are the talent app's demo.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import add_membership, create_organization, create_user
from kexie.calls import services
from kexie.calls.enums import FormalOutcome, ObjectionState, SubmissionState
from kexie.calls.models import Assignment, Call
from kexie.experts.enums import ProfessionalTitle, Sex, VerificationState
from kexie.experts.models import Expert

PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password
TITLE_REVIEWED = "2026年度科技创新人才推荐评审（通用流程示例）"
TITLE_OPEN = "2027年度青年科技人才推荐（通用流程示例）"

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
                {"key": "birth_date", "label": "出生日期", "type": "date", "required": True, "private": True},
                {"key": "title_rank", "label": "专业技术职务", "type": "text", "max_length": 40},
                {"key": "discipline", "label": "学科领域（代码）", "type": "text", "max_length": 10},
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
                    "min_length": 20,
                    "max_length": 3000,
                },
                {
                    "key": "team",
                    "label": "主要合作者",
                    "type": "persons",
                    "max_rows": 5,
                    "columns": [{"key": "name", "label": "姓名"}, {"key": "unit", "label": "单位"}],
                },
                {
                    "key": "evidence",
                    "label": "证明材料",
                    "type": "file",
                    "extensions": ["pdf"],
                    "max_size_mb": 10,
                },
            ],
        },
    ]
}
RUBRIC = [
    {"key": "merit", "label": "创新成果与贡献", "weight": 1, "min": 0, "max": 50},
    {"key": "impact", "label": "经济社会效益", "weight": 1, "min": 0, "max": 30},
    {"key": "ethics", "label": "科学精神与作风", "weight": 1, "min": 0, "max": 20},
]
NOMINEES = [
    ("杨静怡", "female", "1986-04-12", "重庆大学", "页岩气智能钻井与储层改造关键技术", "E0402"),
    ("马俊豪", "male", "1984-09-03", "重庆邮电大学", "工业互联网标识解析与边缘计算平台", "F0106"),
    ("黄思远", "male", "1989-01-20", "西南大学", "柑橘黄龙病绿色防控技术体系", "C1505"),
    ("刘佳琪", "female", "1987-07-08", "重庆医科大学", "儿童罕见病基因诊断与精准治疗", "H0418"),
    ("周泽宇", "male", "1985-11-15", "重庆交通大学", "山区高速公路桥梁智能监测与养护", "E0804"),
    ("谢雨桐", "female", "1990-02-27", "重庆理工大学", "新能源汽车电驱动系统高效控制", "E0706"),
]
# (merit, impact, ethics) per nominee for the three reviewers; reviewer 2 scores generously.
SCORES = [(44, 26, 18), (40, 25, 17), (36, 22, 17), (42, 24, 18), (33, 20, 16), (38, 23, 17)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _user(username: str, full_name: str, index: int) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_user(
            username=username,
            full_name=full_name,
            email=f"{username}@kexie.example",
            mobile=f"137{index:04d}{6100 + index:04d}",
            password=PASSWORD,
            must_change_password=False,
        )
    return user


def _organization(name: str, kind=OrganizationKind.UNIVERSITY) -> Organization:
    org = Organization.objects.filter(name=name).first()
    if org is None:
        root = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
        org = create_organization(name=name, kind=kind, parent=root)
    return org


def _reviewer(  # noqa: PLR0917
    username: str, name: str, org: str, keywords: list[str], codes: list[str], index: int, staff
) -> Expert:
    from kexie.experts import services as experts

    user = _user(username, name, index)
    if not user.memberships.filter(role=Role.EXPERT).exists():
        add_membership(
            user=user, organization=Organization.objects.filter(parent__isnull=True).first(), role=Role.EXPERT
        )
    expert = Expert.objects.filter(user=user).first()
    if expert is None:
        expert = experts.create_expert(
            by=staff,
            user=user,
            state=VerificationState.VERIFIED,
            disciplines=codes,
            name=name,
            sex=Sex.MALE,
            birth_year=1968 + index,
            organization_name=org,
            title=ProfessionalTitle.PROFESSOR,
            keywords=keywords,
            research_areas="、".join(keywords),
        )
    return expert


def _upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@transaction.atomic
def load_demo(users: dict) -> list[tuple[str, str]]:  # noqa: PLR0915 - one story, step by step
    """Load the app's demo data; return the demo logins it created as (username, description)."""
    staff = users.get("zuzhi_staff")
    organiser = Organization.objects.get(name="组织人事部")
    channel_org = Organization.objects.get(name="渝中区科学技术协会")
    admin = _user("calls_channel", "钱渠道", 1)
    if not admin.memberships.filter(organization=channel_org, role=Role.DISTRICT_STAFF).exists():
        add_membership(user=admin, organization=channel_org, role=Role.DISTRICT_STAFF)
    nominee = _user("calls_nominee", "杨静怡", 2)
    reviewers = [
        _reviewer(
            "calls_reviewer1",
            "蒋立新",
            "重庆工商大学",
            ["智能钻井", "储层改造", "工业互联网"],
            ["E04"],
            3,
            staff,
        ),
        _reviewer(
            "calls_reviewer2",
            "曹文博",
            "中国科学院重庆绿色智能技术研究院",
            ["精准医疗", "新能源汽车", "桥梁监测"],
            ["E07"],
            4,
            staff,
        ),
        _reviewer(
            "calls_reviewer3", "邓国庆", "重庆大学", ["页岩气", "边缘计算", "柑橘病害"], ["E04"], 5, staff
        ),
    ]
    logins = [
        ("calls_channel", "推荐渠道管理员 channel administrator (渝中区科协): codes, endorsement"),
        ("calls_nominee", "被推荐人 nominee: dossier on a phone, result letter"),
        ("calls_reviewer1", "评审专家 reviewer 1: scores"),
        ("calls_reviewer2", "评审专家 reviewer 2: scores (generous; see the normalised ranking)"),
    ]
    if Call.objects.filter(title=TITLE_REVIEWED).exists():
        return logins
    now = timezone.now()
    call = services.create_call(
        kind="recommendation",
        title=TITLE_REVIEWED,
        organiser=organiser,
        year=2026,
        by=staff,
        form_schema=SCHEMA,
        description="面向全市推荐科技创新人才，经单位、推荐渠道和市科协逐级推荐，专家通讯评审后公示。",
        opens_at=now - dt.timedelta(days=40),
        closes_at=now + dt.timedelta(hours=2),
        needs_code=True,
        eligibility=[
            {
                "rule": "age",
                "birth_field": "birth_date",
                "sex_field": "sex",
                "reference_date": "2026-06-30",
                "max": {"male": 45, "female": 45},
            }
        ],
        endorsement_chain=["unit", "channel", "organiser"],
        publicity_days=5,
    )
    channel = services.add_channel(call, channel_org, 8, by=staff, admins=[admin])
    services.open_call(call, by=staff)
    codes = services.issue_codes(channel, 8, by=admin)
    submissions = []
    for n, (name, sex, birth, unit, title, discipline) in enumerate(NOMINEES):
        applicant = nominee if n == 0 else _user(f"calls_applicant{n}", name, 10 + n)
        s = services.create_submission(
            call=call, applicant=applicant, code=codes[n].code, organization=_organization(unit), title=title
        )
        s = services.save_draft(
            s,
            by=applicant,
            data={
                "name": name,
                "sex": sex,
                "birth_date": birth,
                "title_rank": "研究员",
                "discipline": discipline,
                "summary": f"{name}长期从事{title}研究，主持国家级项目3项，"
                "成果在重庆多家单位推广应用，取得显著效益。",
                "team": [{"name": "王海涛", "unit": unit}],
            },
        )
        services.attach_file(s, field_key="evidence", upload=_upload("证明材料.pdf"), by=applicant)
        s = services.submit(s, by=applicant)
        for who in (admin, admin, staff):  # the units have no accounts: the channel endorses for them
            s = services.endorse(s, by=who)
        submissions.append((s, applicant))
    # One dossier is returned at the formal check, corrected and resubmitted.
    first, first_user = submissions[0]
    services.formal_check(
        first,
        by=staff,
        outcome=FormalOutcome.RETURN,
        reasons={"summary": "请补充近五年代表性成果及应用证明。"},
    )
    services.save_draft(
        first, by=first_user, data={"summary": first.data["summary"] + "近五年在涪陵页岩气田推广示范井12口。"}
    )
    services.resubmit(first, by=first_user)
    for s, _u in submissions:
        services.formal_check(s, by=staff, outcome=FormalOutcome.PASS)
    services.update_call(
        call, by=staff, closes_at=now - dt.timedelta(days=20), opens_at=now - dt.timedelta(days=40)
    )
    services.close_call(call, by=staff)
    review_round = services.add_round(
        call,
        by=staff,
        name="通讯评审",
        rubric=RUBRIC,
        reviewers_per_submission=2,
        max_load=6,
        comment_below=60,
        blind=True,
    )
    for r in services.invite_reviewers(review_round, reviewers, by=staff):
        services.accept(r, by=r.expert.user)
    services.assign(review_round, by=staff)
    index = {s.pk: n for n, (s, _u) in enumerate(submissions)}
    for a in Assignment.objects.filter(round=review_round, active=True).select_related("reviewer__expert"):
        merit, impact, ethics = SCORES[index[a.submission_id]]
        if a.reviewer.expert.user.username == "calls_reviewer2":
            merit, impact = min(50, merit + 5), min(30, impact + 4)
        services.score(
            a,
            by=a.reviewer.expert.user,
            scores={"merit": merit, "impact": impact, "ethics": ethics},
            comment="材料翔实，成果突出。",
        )
    services.close_round(review_round, by=staff)
    services.decide(call, by=staff, rule={"top_n": 4})
    call = services.open_publicity(call, by=staff, start=timezone.localdate() - dt.timedelta(days=1))
    winner = (
        call.submissions.filter(state=SubmissionState.DECIDED, decision="selected").order_by("rank").first()
    )
    objection = services.object(
        winner,
        by=users.get("yuzhong"),
        real_name="赵敏",
        contact="023-63800000",
        body="该候选人申报材料中推广示范井数量与公开报道不一致，请核实。",
    )
    services.handle_objection(
        objection,
        by=staff,
        outcome=ObjectionState.DISMISSED,
        handling="调阅示范井验收报告及企业证明，与申报材料一致。",
        result="经核实，申报材料属实，异议不成立，已电话答复异议人。",
    )
    # A second call open for nominations: codes issued, the nominee has a draft.
    open_call = services.create_call(
        kind="recommendation",
        title=TITLE_OPEN,
        organiser=organiser,
        year=2027,
        by=staff,
        form_schema=SCHEMA,
        description="通用流程示例：推荐渠道发放推荐码，被推荐人在手机上填写申报材料。",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        needs_code=True,
        endorsement_chain=["unit", "channel", "organiser"],
        publicity_days=5,
    )
    open_channel = services.add_channel(open_call, channel_org, 5, by=staff, admins=[admin])
    services.open_call(open_call, by=staff)
    codes = services.issue_codes(open_channel, 5, by=admin)
    draft = services.create_submission(
        call=open_call,
        applicant=nominee,
        code=codes[0].code,
        organization=_organization("重庆大学"),
        title="深层页岩气高效开发技术",
    )
    services.save_draft(draft, by=nominee, data={"name": "杨静怡", "sex": "female"})
    return logins
