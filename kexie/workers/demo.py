"""Demo data of the sci-tech workers' services for `kexie demo`: idempotent, deterministic.

Needs in every state (one merged duplicate, one reopened after 不满意), a joint meeting with member
units and decisions that are 督办 tasks, and an archive of two (invented) senior scientists.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import ROOT_NAME, add_membership, create_organization, create_user
from kexie.workers import services
from kexie.workers.enums import AccessLevel, ItemType, NeedState, Rating
from kexie.workers.models import ArchiveCollection, JointMeeting, Need, NeedCategory

DEMO_PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password

MEMBER_UNITS = [
    "重庆市人力资源和社会保障局",
    "重庆市科学技术局",
    "重庆市住房和城乡建设委员会",
    "重庆市教育委员会",
    "重庆市财政局",
]

# (category code, title, description, district, unit, anonymous)
NEEDS = [
    (
        "housing",
        "青年博士人才公寓申请周期过长",
        "我单位引进的两名青年博士申请人才公寓已等待8个月，希望明确审批时限并公开轮候进度。",
        "500112",
        "重庆市住房和城乡建设委员会",
        False,
    ),
    (
        "settling",
        "安家补助分期发放到账慢",
        "按政策第二期安家补助应于今年6月发放，至今未到账，单位财务称需市里统一拨付。",
        "500106",
        "重庆市人力资源和社会保障局",
        False,
    ),
    (
        "funding",
        "横向课题经费间接费用比例限制",
        "横向合作项目的间接费用比例被单位统一压到10%，影响团队绩效支出，希望明确可按合同约定执行。",
        "500103",
        "重庆市财政局",
        True,
    ),
    (
        "projects",
        "市级项目申报材料重复提交",
        "同一批材料在申报系统和纸质件中重复提交，且各部门格式要求不一，希望推动一网通办。",
        "500108",
        "重庆市科学技术局",
        False,
    ),
    (
        "evaluation",
        "人才评价过度看重论文数量",
        "工程技术岗位的职称评审仍以论文数量为主，成果转化和专利实施未被充分认可。",
        "500105",
        "重庆市人力资源和社会保障局",
        False,
    ),
    (
        "schooling",
        "引进人才子女入学对接渠道不明",
        "高层次人才子女入学需要跨区协调，希望明确对接窗口和办理时限。",
        "500112",
        "重庆市教育委员会",
        False,
    ),
    (
        "titles",
        "民营企业工程师职称申报通道",
        "民营科技企业工程师申报高级职称缺少评审通道，希望科协推动建立行业评审委员会。",
        "500113",
        "组织人事部",
        False,
    ),
    (
        "projects",
        "科研项目结题审计重复",
        "项目结题时审计和财务验收重复进行，耗时两个月以上。",
        "500107",
        None,
        False,
    ),
    (
        "housing",
        "人才公寓申请审批时间长",
        "引进博士申请人才公寓等待时间过长，审批环节不透明。",
        "500112",
        None,
        False,
    ),
    ("other", "大型仪器共享预约困难", "高校大型仪器对外共享预约困难，收费标准不一。", "500109", None, False),
]


def _pdf_bytes(text: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _png_bytes() -> bytes:
    from PIL import Image  # noqa: PLC0415 - Pillow comes with weasyprint

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 160, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def _user(username, full_name, org, role, index) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _pw = create_user(
            username=username,
            full_name=full_name,
            email=f"{username}@kexie.example",
            mobile=f"137{index:04d}{6000 + index:04d}",
            password=DEMO_PASSWORD,
            must_change_password=False,
        )
    if org is not None and not user.memberships.filter(organization=org, role=role).exists():
        add_membership(user=user, organization=org, role=role)
    return user


@transaction.atomic
def load_demo(users: dict) -> list[tuple[str, str]]:
    if Need.objects.exists():
        return _logins()
    zuzhi = users["zuzhi_staff"]
    root = Organization.objects.get(name=ROOT_NAME)
    scientist = _user("scientist_demo", "林青", None, None, 1)
    units = {}
    for order, name in enumerate(MEMBER_UNITS, start=1):
        unit = Organization.objects.filter(name=name).first() or create_organization(
            name=name, kind=OrganizationKind.DECISION_DEPARTMENT, sort_order=500 + order
        )
        units[name] = unit
        services.add_member_unit(organization=unit, by=zuzhi, contact_role="联席会议联络员")
    units["组织人事部"] = Organization.objects.get(name="组织人事部", parent=root)
    rsj = _user("rensheju_staff", "钱社保", units["重庆市人力资源和社会保障局"], Role.DEPARTMENT_STAFF, 2)
    repliers = {"重庆市人力资源和社会保障局": rsj, "组织人事部": zuzhi}
    for name in MEMBER_UNITS[1:]:
        repliers[name] = _user(
            f"lxh_{MEMBER_UNITS.index(name)}",
            f"{name[3:5]}联络员",
            units[name],
            Role.DEPARTMENT_STAFF,
            10 + MEMBER_UNITS.index(name),
        )

    services.ensure_need_categories()
    categories = {c.code: c for c in NeedCategory.objects.all()}
    filed = []
    now = timezone.now()
    for index, (code, title, text, district, unit_name, anonymous) in enumerate(NEEDS):
        need = services.file_need(
            by=scientist,
            category=categories[code],
            title=title,
            description=text,
            anonymous=anonymous,
            contact_mobile="13700001111" if anonymous else "",
            district=district,
            organization_name="重庆大学" if index % 2 else "西南大学",
            files=[SimpleUploadedFile("情况说明.pdf", _pdf_bytes(title))] if index == 0 else [],
        )
        Need.objects.filter(pk=need.pk).update(created_at=now - timedelta(days=120 - 11 * index))
        filed.append((need, unit_name))
    # Route, reply and rate: states across the ledger.
    for index, (filed_need, unit_name) in enumerate(filed[:7]):
        need = services.route_need(need=filed_need, unit=units[unit_name], by=zuzhi, workdays_to_reply=10)
        if index < 5:
            services.reply_need(
                need=need,
                text="已收到并会同相关处室研究，现答复如下：已明确办理时限，并将在官网公开进度，请关注后续通知。",
                by=repliers[unit_name],
            )
            need.refresh_from_db()
            rating = [
                Rating.SATISFIED,
                Rating.MOSTLY,
                Rating.UNSATISFIED,
                Rating.SATISFIED,
                Rating.SATISFIED,
            ][index]
            services.rate_reply(
                need=need,
                rating=rating,
                reason="答复未给出具体时间" if rating == Rating.UNSATISFIED else "",
                by=scientist,
            )
    # The reopened one is answered a second time and rated.
    reopened = Need.objects.get(state=NeedState.REOPENED)
    services.reply_need(
        need=reopened,
        text="补充答复：财政部门已明确横向经费间接费用按合同约定执行，文件将于本月印发。",
        by=repliers[filed[2][1]],
    )
    reopened.refresh_from_db()
    services.rate_reply(need=reopened, rating=Rating.MOSTLY, by=scientist)
    # A duplicate merged into the first housing need.
    services.merge_need(need=filed[8][0], into=filed[0][0], by=zuzhi)

    meeting = services.record_meeting(
        title="2026年“为科技工作者办实事”行动联席会议第二次全体会议",
        held_on=timezone.localdate() - timedelta(days=40),
        place="市科协四楼会议室",
        minutes="会议通报了上半年科技工作者诉求办理情况，研究了人才公寓、职称评审、子女入学等事项。",
        attendees=list(JointMeeting.attendees.field.related_model.objects.all()),
        by=zuzhi,
    )
    members = {
        m.organization.name: m
        for m in JointMeeting.attendees.field.related_model.objects.select_related("organization")
    }
    services.add_decision(
        meeting=meeting,
        text="建立人才公寓审批进度公开机制",
        responsible=members["重庆市住房和城乡建设委员会"],
        due_date=timezone.localdate() + timedelta(days=30),
        by=zuzhi,
    )
    services.add_decision(
        meeting=meeting,
        text="研究设立民营企业工程技术人才职称评审通道",
        responsible=members["重庆市人力资源和社会保障局"],
        due_date=timezone.localdate() + timedelta(days=60),
        by=zuzhi,
    )

    _load_archive(users)
    _load_spirit(users, scientist)
    return _logins()


def _load_archive(users: dict) -> None:
    curator = users["zuzhi_staff"]
    if ArchiveCollection.objects.exists():
        return
    people = [
        (
            "陈守仁",
            1931,
            "水利工程",
            "长期从事山区水库坝工研究，参与主持多座水电站建设。",
            AccessLevel.PUBLIC,
        ),
        ("蒋慧兰", 1936, "植物病理学", "柑橘病害防治专家，培养研究生四十余名。", AccessLevel.PUBLIC),
    ]
    for name, born, field, bio, level in people:
        collection = services.create_collection(
            scientist_name=name, born=born, field=field, biography=bio, access=level, by=curator
        )
        items = [
            ("手稿：" + field + "讲义（第一册）", ItemType.MANUSCRIPT, "1978", AccessLevel.PUBLIC, ".pdf"),
            ("工作照：野外调查", ItemType.PHOTO, "1985-05", AccessLevel.PUBLIC, ".png"),
            ("与同事往来书信", ItemType.LETTER, "1990-03-12", AccessLevel.INTERNAL, ".pdf"),
            ("口述史访谈记录（整理稿）", ItemType.ORAL_HISTORY, "2024-06-18", AccessLevel.RESTRICTED, ".pdf"),
        ]
        for title, item_type, when, item_access, ext in items:
            data = _png_bytes() if ext == ".png" else _pdf_bytes(title)
            services.add_archive_item(
                collection=collection,
                by=curator,
                upload=SimpleUploadedFile(f"{name}{ext}", data),
                title=title,
                creator=name,
                date=when,
                item_type=item_type,
                extent="1 件",
                subject=f"{field}，{name}",
                description=f"{name}的{title}。",
                rights="重庆市科协，经本人或家属授权",
                provenance="老科学家学术成长资料采集工程 2024 年度采集",
                access=item_access,
            )


def _load_spirit(users: dict, scientist: User) -> None:
    from kexie.workers import spirit  # noqa: PLC0415
    from kexie.workers.enums import SessionKind  # noqa: PLC0415
    from kexie.workers.models import Enrolment, SpiritTalk  # noqa: PLC0415

    staff = users["xuanchuan_staff"]
    speakers = [
        spirit.add_speaker(
            name="陈守仁", title="研究员（退休）", topics="一生扎根西南水利，讲好重庆科学家故事", by=staff
        ),
        spirit.add_speaker(name="蒋慧兰", title="教授（退休）", topics="柑橘园里的科学家精神", by=staff),
        spirit.add_speaker(name="邓长河", title="正高级工程师", topics="从学徒到大国工匠", by=staff),
    ]
    today = timezone.localdate()
    yuzhong = Organization.objects.get(name="渝中区科学技术协会")
    requests = [
        ("科学家精神进校园", 60, 300, speakers[0], "巴蜀中学报告厅"),
        ("弘扬科学家精神 争做时代新人", 45, 200, speakers[1], "渝中区图书馆"),
        ("工匠精神与创新", 20, 150, speakers[2], "渝中区科协会议室"),
    ]
    for topic, days_ago, audience, speaker, place in requests:
        talk = SpiritTalk.objects.create(
            requester=yuzhong,
            topic=topic,
            preferred_date=today - timedelta(days=days_ago),
            expected_audience=audience,
            created_by=users["yuzhong"],
        )
        spirit.schedule_talk(
            talk=talk,
            speaker=speaker,
            scheduled_at=timezone.now() - timedelta(days=days_ago),
            place=place,
            by=staff,
        )
        spirit.report_talk(
            talk=talk, audience=audience - 12, summary=f"{speaker.name}作专题报告，现场互动热烈。", by=staff
        )
    spirit.request_talk(
        requester=yuzhong,
        topic="老科学家的初心故事",
        preferred_date=today + timedelta(days=20),
        expected_audience=120,
        by=users["yuzhong"],
    )
    base = spirit.register_base(
        name="重庆科学家精神教育基地（陈守仁工作旧址）",
        district="500103",
        host="重庆市水利科学研究院",
        designated_year=2023,
        by=staff,
    )
    spirit.report_base_year(
        base=base,
        year=today.year - 1,
        activities=24,
        visitors=3800,
        summary="接待参观24批次，开展主题教育活动。",
        by=staff,
    )
    spirit.register_base(
        name="西南大学科学家精神教育基地", district="500109", host="西南大学", designated_year=2024, by=staff
    )
    held = spirit.create_session(
        kind=SessionKind.SEMINAR,
        title="2026年科技英才专题研修班（第一期）",
        starts_at=timezone.now() - timedelta(days=10),
        place="市科协党校",
        capacity=60,
        enrol_until=timezone.now() - timedelta(days=12),
        by=users["zuzhi_staff"],
    )
    for index, username in enumerate(["kechuang_staff", "zhanlue_staff", "kepu_head"]):
        enrolment = Enrolment.objects.create(session=held, user=users[username])
        Enrolment.objects.filter(pk=enrolment.pk).update(
            attended_at=held.starts_at + timedelta(minutes=5 + index), feedback_score=5 - index % 2
        )
    spirit.create_session(
        kind=SessionKind.LEADERS_LECTURE,
        title="重庆领导干部科技讲堂：人工智能与城市治理",
        starts_at=timezone.now() + timedelta(days=14),
        place="市委党校礼堂",
        capacity=200,
        enrol_until=timezone.now() + timedelta(days=12),
        by=users["zuzhi_staff"],
    )


def _logins() -> list[tuple[str, str]]:
    return [
        ("scientist_demo", "科技工作者 scientist (files and rates needs)"),
        ("rensheju_staff", "市人力社保局 联席会议成员单位 (answers needs)"),
    ]
