"""Demo data of the public information section for `kexie demo`: idempotent, deterministic, written
through the services and reviewed through all three steps (初审 宣传文化部, 复审 the writing
department's head, 终审 the leader). Needs the policy and experts demos loaded before it."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import add_membership, create_user
from kexie.experts.models import Expert
from kexie.news import services, sources
from kexie.news.enums import Column, Decision
from kexie.news.models import NewsItem
from kexie.policy.enums import CaseState, TaskState
from kexie.policy.models import Task, TypicalCase
from kexie.policy.services import cases as policy_cases

DEMO_PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password
WORDS = [
    ("最权威", "广告法：绝对化用语"),
    ("史上最", "广告法：绝对化用语"),
    ("国家级最高", "广告法：绝对化用语"),
]
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
NEWS = [
    (
        "2026年全国科普日重庆主场活动在重庆科技馆启动",
        "38个区县同步开展科普日活动，线上线下参与群众逾20万人次。",
        "9月20日，2026年全国科普日重庆主场活动在重庆科技馆启动。"
        "活动以“提升全民科学素质 助力科技自立自强”为主题，设置科技成果展、科学实验秀、科普讲解大赛等板块。\n"
        "全市38个区县同步开展科普日活动，组织科技志愿者走进社区、"
        "学校和乡村，线上线下参与群众逾20万人次。",
    ),
    (
        "重庆市科普讲解大赛决赛举行",
        "来自全市的32名选手同台竞技，8人获推荐参加全国赛。",
        "重庆市科普讲解大赛决赛在渝中区举行，32名选手围绕航天、生命健康、人工智能等主题进行讲解。\n"
        "经评委现场评审，8名选手获推荐参加全国科普讲解大赛。",
    ),
    (
        "“科技助力乡村振兴”服务团走进城口县",
        "专家为当地中药材种植户现场答疑，发放技术手册500余份。",
        "市科协组织农业科技专家服务团走进城口县，围绕中药材种植、林下经济等开展技术指导，发放技术手册500余份。",
    ),
]


def _user(username, full_name, org_name, role, index) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _pw = create_user(
            username=username,
            full_name=full_name,
            email=f"{username}@kexie.example",
            mobile=f"136{index:04d}{7000 + index:04d}",
            password=DEMO_PASSWORD,
            must_change_password=False,
        )
    org = Organization.objects.get(name=org_name)
    if not user.memberships.filter(organization=org, role=role).exists():
        add_membership(user=user, organization=org, role=role)
    return user


def _through(version, editor, head, leader, **final):
    services.review(
        editor, version, decision=Decision.PASS, comment="文字、数据已校对", acknowledge_hits=True
    )
    services.review(head, version, decision=Decision.PASS, comment="同意", acknowledge_hits=True)
    services.review(
        leader, version, decision=Decision.PASS, comment="同意发布", acknowledge_hits=True, **final
    )


def _publish(item, editor, head, leader, **final):
    version = services.submit(item.created_by, item.latest_version)
    _through(version, editor, head, leader, **final)
    return item


def _logins() -> list[tuple[str, str]]:
    return [
        ("xuanchuan_head", "宣传文化部 部长 (复审 of its own items; 初审 as editor)"),
    ]


@transaction.atomic
def load_demo(users: dict) -> list[tuple[str, str]]:
    if NewsItem.objects.exists():
        sources.sync_sources()  # idempotent: what the other apps show the public now
        return _logins()
    leader, editor, kepu_head = users["leader"], users["xuanchuan_staff"], users["kepu_head"]
    kechuang = users["kechuang_staff"]
    xuanchuan_head = _user("xuanchuan_head", "周宣", "宣传文化部", Role.DEPARTMENT_HEAD, 1)
    kechuang_head = _user(
        "kechuang_head", "刘创", kechuang.memberships.first().organization.name, Role.DEPARTMENT_HEAD, 2
    )
    for word, note in WORDS:
        services.add_sensitive_word(editor, word=word, note=note)
    now = timezone.now()

    # 通知公告 with an attachment and a validity period.
    notice = services.create_item(
        editor,
        column=Column.NOTICE,
        title="关于组织申报2026年度重庆市科普基地的通知",
        summary="申报截止时间为2026年12月31日，申报表见附件。",
        body="各区县科协、各有关单位：\n为加强科普阵地建设，现组织开展2026年度重庆市科普基地申报工作。"
        "请于2026年12月31日前将申报材料报送市科协科学技术普及部。\n附件：科普基地申报表",
        valid_until=(now + timedelta(days=40)).date(),
    )
    services.add_attachment(editor, notice.latest_version, SimpleUploadedFile("科普基地申报表.pdf", PDF))
    _publish(notice, editor, xuanchuan_head, leader)

    # 专题 and the news items grouped under it.
    topic = services.create_item(
        kepu_head,
        column=Column.TOPIC,
        title="全国科普日 2026",
        summary="2026年全国科普日重庆系列活动专题。",
        body="本专题汇集2026年全国科普日重庆主场活动、区县活动和科普讲解大赛等报道。",
    )
    _publish(topic, editor, kepu_head, leader)
    for index, (title, summary, body) in enumerate(NEWS):
        item = services.create_item(
            kepu_head,
            column=Column.NEWS,
            title=title,
            summary=summary,
            body=body,
            topic=topic if index < 2 else None,
        )
        _publish(item, editor, kepu_head, leader)

    # Two typical cases from the ledger: its published case, and a second case of the completed task.
    ledger = (
        TypicalCase.objects.filter(state=CaseState.PUBLISHED).select_related("task").order_by("pk").first()
    )
    if ledger is not None:
        item = services.case_from_ledger(kechuang, case=ledger)
        _publish(item, editor, kechuang_head, leader)
        second = policy_cases.write_case(
            task=ledger.task,
            title="新成立科技社团服务人工智能产业",
            body="重庆市人工智能学会成立半年内组织学术交流12场，为8家企业提供技术咨询，发布重庆科技期刊目录。",
            submit=True,
            by=kechuang,
        )
        policy_cases.publish_case(case=second, by=leader)
        item = services.case_from_ledger(kechuang, case=second)
        version = services.submit(kechuang, item.latest_version)
        services.review(editor, version, decision=Decision.PASS, comment="已校对")
        services.review(kechuang_head, version, decision=Decision.RETURN, comment="请补充学术交流的参与人数")
        services.update_draft(
            kechuang,
            version,
            title=version.title,
            summary=version.summary,
            body=version.body + "学术交流参与科技工作者逾1500人次。",
        )
        _publish(item, editor, kechuang_head, leader)
    elif Task.objects.filter(state=TaskState.COMPLETED).exists():
        item = services.case_from_ledger(
            kechuang, task=Task.objects.filter(state=TaskState.COMPLETED).first()
        )
        _publish(item, editor, kechuang_head, leader)

    # 典型人物: an expert of the expert pool, with consent recorded.
    expert = Expert.objects.order_by("pk").first()
    if expert is not None:
        person = services.create_item(
            kepu_head,
            column=Column.PERSON,
            title=f"{expert.name}：把科普讲到田间地头",
            summary="扎根基层二十年的科技工作者。",
            body=f"{expert.name}长期参与科技志愿服务，每年深入区县开展科普讲座20余场，带动组建基层科普队伍。",
            expert=expert,
        )
        services.record_consent(kepu_head, person, note="本人签署《典型人物宣传同意书》（2026年11月）")
        _publish(person, editor, kepu_head, leader)

    # Waiting for review: one with a screened word (shown to the editor), one scheduled for tomorrow.
    flagged = services.create_item(
        kepu_head,
        column=Column.NEWS,
        title="青少年科学营招募营员",
        body="本届科学营由史上最强导师阵容带队，面向全市中学生招募营员200名。",
    )
    services.submit(kepu_head, flagged.latest_version)
    scheduled = services.create_item(
        editor,
        column=Column.NOTICE,
        title="关于元旦假期平台维护的公告",
        body="平台将于元旦假期进行维护升级，期间部分功能暂停使用。",
        publish_at=now + timedelta(days=1),
    )
    _publish(scheduled, editor, xuanchuan_head, leader)

    # What the other apps show the public (calls, 公示 and results, the think-tank column, campaign
    # activities), handed over through their news.py: 公示 and results at once, the rest into 初审.
    sources.sync_sources()
    return _logins()
