"""Demo data of the thinktank app for `kexie demo`: idempotent, deterministic, through the services.

The whole loop: the network, questions (one merged duplicate), the 2026 topic guide, projects of
the three kinds with milestones and reviews, results with .docx full text (public ones in the
column), issued briefs with 批示 that created 督办 tasks (one completed), meetings with viewpoints,
and the yearly survey of science and technology workers linked from the surveys app.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from docx import Document

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import add_membership, create_user
from kexie.experts.enums import VerificationState
from kexie.experts.models import Expert
from kexie.policy import services as policy_services
from kexie.search import index as search
from kexie.surveys.models import Survey
from kexie.thinktank import services
from kexie.thinktank.enums import (
    Access,
    BaseKind,
    EventKind,
    FeedbackKind,
    FeedbackLevel,
    ProjectKind,
    ResultKind,
    ReviewConclusion,
    ReviewStage,
    SearchKind,
)
from kexie.thinktank.models import Brief, ResearchBase

PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password

BASES = [
    ("城市化与区域创新极发展研究中心", BaseKind.RESEARCH_CENTRE, "500106", ["innovation", "strategy"]),
    ("中国科协创新战略研究院重庆分院", BaseKind.CAST_BRANCH, "500103", ["strategy", "talent"]),
    ("两江新区科技智库平台", BaseKind.DISTRICT_PLATFORM, "500112", ["industry", "innovation"]),
    ("永川区科技智库工作站", BaseKind.DISTRICT_PLATFORM, "500118", ["industry"]),
    ("重庆大学科技政策研究中心", BaseKind.UNIVERSITY, "500106", ["strategy", "organization"]),
    ("西南大学乡村振兴战略研究院", BaseKind.UNIVERSITY, "500109", ["society", "ecology"]),
    ("重庆市科技管理研究会", BaseKind.SOCIETY, "500103", ["organization", "talent"]),
    ("重庆渝科创新发展研究院", BaseKind.PRIVATE_NONPROFIT, "500105", ["innovation"]),
]

QUESTIONS = [
    (
        "yuzhong",
        "成渝地区双城经济圈科技创新中心建设路径研究",
        "围绕建设具有全国影响力的科技创新中心，研究两地科技资源共享、重大平台共建和成果转化协同的路径与机制。",
        "innovation",
        5,
    ),
    (
        "zhanlue_staff",
        "成渝双城经济圈科技创新中心协同机制研究",
        "成渝两地如何在科技创新中心建设中形成合力，需要研究协同机制与政策衔接。",
        "innovation",
        None,
    ),
    (
        "kechuang_staff",
        "科技社团参与决策咨询的激励机制研究",
        "市级科技社团参与决策咨询积极性不高、成果转化为政策建议的渠道不畅，需要研究激励与评价机制。",
        "organization",
        4,
    ),
    (
        "yuzhong",
        "区县科协智库平台建设的现实困境与对策",
        "区县研究力量薄弱、经费不足，建议研究区县与高校院所共建智库平台的模式。",
        "organization",
        4,
    ),
    (
        "xuanchuan_staff",
        "青年科技人才减负与成长环境优化研究",
        "青年科技人才非科研事务负担较重，需摸清现状并提出减负举措。",
        "talent",
        5,
    ),
    (
        "guoji_staff",
        "西部陆海新通道建设中的国际科技合作研究",
        "依托西部陆海新通道拓展国际科技合作，需要研究合作重点领域与平台布局。",
        "strategy",
        3,
    ),
]

REPORT_TEXT = (
    "一、基本情况\n成渝地区双城经济圈科技创新资源加快集聚，西部科学城建设取得阶段性进展。\n"
    "二、存在问题\n两地科技资源共享机制不健全，重大科技基础设施布局统筹不足，科技成果本地转化率偏低。\n"
    "三、对策建议\n建议设立成渝协同创新基金，建立重大科研仪器设备共享平台，推动高校院所与企业共建联合实验室，"
    "完善科技成果转化收益分配机制。"
)

BRIEF_BODY = (
    "当前，成渝地区双城经济圈建设进入攻坚期，科技创新中心建设需要系统谋划、协同推进。"
    "课题组在深入调研两地高校、科研院所和重点企业的基础上，形成如下建议。\n"
    "一、设立成渝协同创新基金。由两地财政共同出资，引导社会资本参与，重点支持跨区域联合攻关项目。\n"
    "二、建设重大科研仪器设备共享平台。统一开放共享标准，实行服务补贴，提高大型仪器使用效率。\n"
    "三、完善科技成果转化机制。推广赋予科研人员职务科技成果所有权或长期使用权试点，提高本地转化率。"
)


def _user(username: str, full_name: str, organization: Organization, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_user(
            username=username, full_name=full_name, password=PASSWORD, must_change_password=False
        )
    if not user.memberships.filter(organization=organization, role=role).exists():
        add_membership(user=user, organization=organization, role=role)
    return user


def _docx(title: str, text: str) -> SimpleUploadedFile:
    document = Document()
    document.add_heading(title, level=1)
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(f"{title[:20]}.docx", out.getvalue())


def _issue(brief: Brief, *, staff, editor, leader, days_ago: int) -> Brief:
    services.submit_brief(brief=brief, by=staff)
    services.review_brief(brief=brief, by=editor, approve=True)
    services.sign_off_brief(brief=brief, by=leader)
    brief = services.issue_brief(brief=brief, by=staff)
    # The demo's briefs were issued earlier in the year.
    moment = timezone.now() - timedelta(days=days_ago)
    Brief.objects.filter(pk=brief.pk).update(issued_at=moment, signed_at=moment - timedelta(days=2))
    brief.refresh_from_db()
    return brief


@transaction.atomic
def load_demo(users: dict) -> list[tuple[str, str]]:  # noqa: PLR0915 - a linear demo script
    logins = [
        ("zhanlue_head", "战略发展部 部长 智库编辑 (reviews briefs)"),
        ("tt_scholar", "课题负责人 think-tank project account (delivers results)"),
    ]
    if ResearchBase.objects.exists():
        return logins
    staff, leader = users["zhanlue_staff"], users["leader"]
    strategy = Organization.objects.get(name="战略发展部")
    editor = _user("zhanlue_head", "黄智库", strategy, Role.DEPARTMENT_HEAD)
    scholar = _user("tt_scholar", "韩学者", Organization.objects.get(name="重庆市科学技术协会"), Role.EXPERT)
    today = timezone.localdate()
    year = today.year

    # Network (measure 13): members from the verified experts of the library.
    experts = list(Expert.objects.filter(state=VerificationState.VERIFIED).order_by("pk")[:40])
    for n, (name, kind, district, areas) in enumerate(BASES):
        base = services.save_base(
            by=staff,
            name=name,
            kind=kind,
            district=district,
            areas=areas,
            description=f"{name}是重庆柔性科技智库网络成员单位，围绕{('、'.join(areas))}开展决策咨询研究。",
            agreement=f"共建协议 渝科协智〔{year - 1}〕{n + 1}号",
            agreement_until=today.replace(year=year + 2),
            members=experts[n * 4 : n * 4 + 5],
        )
        services.record_output(
            base=base, by=staff, year=year - 1, reports=3 + n % 4, briefs=n % 3, projects=1 + n % 2
        )

    # Question bank (measure 16): one duplicate merged, the rest curated.
    questions = []
    for username, title, background, field, importance in QUESTIONS:
        questions.append(services.propose_question(by=users[username], title=title, background=background))
        if importance:
            services.curate_question(question=questions[-1], by=staff, field=field, importance=importance)
    services.merge_question(duplicate=questions[1], into=questions[0], by=staff)

    # The year's topic guide from chosen questions.
    guide = services.create_guide(
        by=staff,
        year=year,
        title=f"{year}年度重庆市科协科技智库研究课题指南",
        introduction="围绕市委、市政府中心工作和科技界关切，面向全市公开征集课题研究团队。",
    )
    for question in (questions[0], questions[2], questions[4]):
        services.add_topic(guide=guide, by=staff, question=question)
    services.publish_guide(guide=guide, by=staff)
    topics = list(guide.topics.all())

    # Projects (measure 14): an awarded topic project, a third-party evaluation, a consultation.
    topic_project = services.award_topic_project(
        call_ref="demo",
        title=topics[0].title,
        lead_organization="重庆大学",
        principal="韩学者",
        owner=scholar,
        by=staff,
        topic=topics[0],
        amount=Decimal(8),
    )
    services.set_contract(
        project=topic_project,
        by=staff,
        contract_number=f"ZK{year}-01",
        amount=Decimal(8),
        start_date=today - timedelta(days=200),
        end_date=today + timedelta(days=160),
    )
    services.add_milestone(
        project=topic_project, by=staff, title="开题论证", due_date=today - timedelta(days=170)
    )
    services.add_milestone(
        project=topic_project, by=staff, title="中期报告", due_date=today - timedelta(days=60)
    )
    services.add_milestone(
        project=topic_project, by=staff, title="结题报告", due_date=today + timedelta(days=150)
    )
    for milestone in topic_project.milestones.all()[:2]:
        services.complete_milestone(milestone=milestone, by=scholar)
    services.record_review(
        project=topic_project,
        by=staff,
        stage=ReviewStage.MIDTERM,
        held_on=today - timedelta(days=55),
        conclusion=ReviewConclusion.PASSED,
    )
    evaluation = services.create_project(
        by=staff,
        kind=ProjectKind.EVALUATION,
        title="《重庆市科技创新促进条例》实施情况第三方评估",
        lead_organization="中国科协创新战略研究院重庆分院",
        principal="刘研究员",
        client="市人大教科文卫委",
        amount=Decimal(15),
        start_date=today - timedelta(days=300),
        end_date=today - timedelta(days=30),
    )
    services.create_project(
        by=staff,
        kind=ProjectKind.CONSULTATION,
        title="重庆市“十五五”科技创新规划咨询评议",
        lead_organization="重庆市科技管理研究会",
        principal="陈教授",
        client="市科技局",
        amount=Decimal(6),
        start_date=today - timedelta(days=40),
        end_date=today + timedelta(days=80),
    )

    # Results (measure 16, 15): .docx full text indexed; public ones in the column.
    report = services.add_result(
        by=scholar,
        project=topic_project,
        title="成渝地区双城经济圈科技创新中心建设中期研究报告",
        authors="韩学者 等",
        year=year,
        kind=ResultKind.REPORT,
        summary="提出设立成渝协同创新基金等三项建议。",
        keywords=["成渝地区双城经济圈", "科技创新中心", "协同创新基金"],
        field="innovation",
        upload=_docx("科技创新中心建设研究报告", REPORT_TEXT),
    )
    evaluation_report = services.add_result(
        by=staff,
        project=evaluation,
        title="《重庆市科技创新促进条例》实施情况评估报告",
        authors="刘研究员 等",
        year=year,
        kind=ResultKind.EVALUATION,
        summary="条例总体实施良好，建议完善成果转化配套细则。",
        upload=_docx(
            "条例评估报告", "评估结论：条例实施总体良好。\n建议：完善科技成果转化配套细则，加强执法检查。"
        ),
    )
    services.record_review(
        project=evaluation,
        by=staff,
        stage=ReviewStage.FINAL,
        held_on=today - timedelta(days=20),
        conclusion=ReviewConclusion.PASSED,
    )
    publicity = users.get("xuanchuan_staff") or staff
    for title, summary in [
        ("重庆科技工作者创新创业环境调查报告", "基于全市科技工作者调查，分析创新创业环境的变化与诉求。"),
        ("科技社团参与社会治理的重庆实践", "总结市级学会参与基层治理和决策咨询的典型做法。"),
        ("区县科协智库平台建设观察", "梳理两江新区、永川区等地共建智库平台的经验。"),
    ]:
        result = services.add_result(
            by=staff,
            title=title,
            authors="战略发展部课题组",
            year=year,
            kind=ResultKind.REPORT,
            summary=summary,
            access=Access.PUBLIC,
            upload=_docx(title, f"{title}\n{summary}\n" + REPORT_TEXT),
        )
        services.publish_to_column(result=result, by=publicity)
    services.recommend_result_to_cast(result=evaluation_report, by=staff)
    services.add_result(
        by=staff,
        title="重大科技基础设施布局内部研判",
        authors="战略发展部课题组",
        year=year,
        summary="内部研判材料，不公开。",
        upload=_docx("内部研判", "内部研判材料：重大科技基础设施布局的比较分析。"),
    )

    # Briefs (measure 14) and the feedback loop (16): 批示 → 督办 tasks, one completed.
    brief = services.create_brief(
        by=staff,
        title="关于加快成渝地区双城经济圈科技创新中心建设的建议",
        authors="韩学者 等",
        summary="本期刊发课题组关于科技创新中心建设的三项建议，供领导参阅。",
        body=BRIEF_BODY,
        result=report,
    )
    brief = _issue(brief, staff=staff, editor=editor, leader=leader, days_ago=60)
    innovation = Organization.objects.get(name="科学技术创新部")
    feedback = services.record_feedback(
        brief=brief,
        by=staff,
        kind=FeedbackKind.INSTRUCTION,
        given_by="市政府分管副市长",
        level=FeedbackLevel.CITY_LEADER,
        given_on=today - timedelta(days=52),
        text="建议很有价值，请市科协会同市科技局研究提出落实方案。",
        task_departments=[innovation, strategy],
        task_due=today + timedelta(days=30),
    )
    services.record_feedback(
        brief=brief,
        by=staff,
        kind=FeedbackKind.ADOPTION,
        given_by="市科技局",
        level=FeedbackLevel.DEPARTMENT,
        given_on=today - timedelta(days=20),
        document="重庆市科研仪器设备开放共享管理办法",
        reference="渝科局发〔2026〕18号",
    )
    done = feedback.tasks.get(lead=innovation)
    worker = users.get("kechuang_staff") or staff
    policy_services.record_progress(
        task=done, text="已会同市科技局形成协同创新基金设立方案并报市政府。", by=worker, percent=100
    )
    policy_services.request_completion(task=done, by=worker)
    policy_services.approve_completion(task=done, by=leader)
    policy_services.start_task(task=feedback.tasks.get(lead=strategy), by=staff)
    services.recommend_brief_to_cast(brief=brief, by=staff, note="推荐至中国科协《科技工作者建议》")

    second = services.create_brief(
        by=staff,
        title="关于为青年科技人才减负松绑的建议",
        authors="重庆市科技管理研究会",
        body="青年科技人才普遍反映表格多、检查多、报销难。" * 3
        + "\n建议清理规范各类评审评估检查，推行科研经费包干制。",
    )
    second = _issue(second, staff=staff, editor=editor, leader=leader, days_ago=25)
    services.record_feedback(
        brief=second,
        by=staff,
        kind=FeedbackKind.TRANSFER,
        given_by="市委组织部",
        level=FeedbackLevel.DEPARTMENT,
        given_on=today - timedelta(days=18),
        department="市人力社保局",
    )
    third = services.create_brief(
        by=staff,
        title="关于支持区县共建科技智库平台的建议",
        authors="两江新区科技智库平台",
        body="区县智库平台建设起步晚、力量弱。" * 4 + "\n建议设立区县智库平台建设专项，实行市区联动共建。",
    )
    services.submit_brief(brief=third, by=staff)
    services.review_brief(brief=third, by=editor, approve=True)
    third.refresh_from_db()

    # Meetings and viewpoints (measure 15).
    meeting = services.create_event(
        by=publicity,
        kind=EventKind.ANNUAL_MEETING,
        title=f"{year}年重庆市科协年会",
        held_on=today - timedelta(days=90),
        place="重庆国际博览中心",
        theme="科技创新引领现代化新重庆建设",
    )
    for speaker, affiliation, title, text in [
        (
            "张院士",
            "重庆大学",
            "加强基础研究和原始创新",
            "基础研究是科技创新的源头，要建立稳定支持机制，鼓励自由探索。",
        ),
        (
            "李研究员",
            "中国科协创新战略研究院重庆分院",
            "构建成渝协同创新共同体",
            "以西部科学城为牵引，共建共享重大科技基础设施。",
        ),
        (
            "王教授",
            "西南大学",
            "以科技赋能乡村振兴",
            "推动科技特派员制度提质增效，让科技成果在田间地头转化。",
        ),
    ]:
        services.add_viewpoint(
            event=meeting, by=publicity, speaker=speaker, affiliation=affiliation, title=title, text=text
        )
    seminar = services.create_event(
        by=staff,
        kind=EventKind.SEMINAR,
        title="科协改革研讨会",
        held_on=today - timedelta(days=30),
        place="市科协",
        theme="深化科协组织改革",
    )
    services.add_viewpoint(
        event=seminar,
        by=staff,
        speaker="赵秘书长",
        affiliation="市科技管理研究会",
        title="激发学会组织活力",
        text="推动学会治理结构改革，完善会员服务体系，提升学术影响力。",
    )

    # The yearly survey of science and technology workers (measure 16), run in the surveys app.
    survey = Survey.objects.filter(title="科技工作者状况调查").order_by("-version").first()
    worker_survey = services.link_worker_survey(
        by=staff, year=year, survey=survey, summary="全市科技工作者状况年度调查，样本覆盖38个区县。"
    )
    services.set_headline_figures(
        worker_survey=worker_survey,
        by=staff,
        figures=[
            ("对科研环境满意的比例", Decimal("72.4"), "%"),
            ("每周工作时长", Decimal("49.6"), "小时"),
            ("非科研事务占用时间比例", Decimal("27.3"), "%"),
        ],
    )
    transaction.on_commit(lambda: search.rebuild(kinds=[SearchKind.RESULT, SearchKind.QUESTION]))
    return logins
