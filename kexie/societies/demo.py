"""Demo data of the societies app for `kexie demo`: idempotent, deterministic, through the services.

Societies (the seeded 重庆市科学技术期刊编辑学会 among them) with yearly reports in every state, a
founding request, alliances and cooperation projects, an approved conference with its programme and
registrations, an annual meeting with sub-forums, a held event with its report, real Chongqing
journals (CN/ISSN as published) and a published directory, and the international registry.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import add_membership, create_user
from kexie.calls import services as calls_services
from kexie.experts.models import Expert
from kexie.societies import services
from kexie.societies.calls import CONFERENCE_SUPPORT, CONFERENCE_SUPPORT_FORM
from kexie.societies.enums import CooperationKind, EventKind, ExchangeKind, PositionLevel, SupportKind
from kexie.societies.models import IndexingDatabase, Society
from kexie.transfer.enums import WorkstationKind
from kexie.transfer.models import Workstation

PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password
EDITORS = "重庆市科学技术期刊编辑学会"
SECRETARY = "qikan_secretary"

# (name, short, kind, discipline, president, members individual/unit/student, grade)
SOCIETIES = [
    (EDITORS, "期刊编辑学会", "society", "编辑出版", "陈主编", (326, 41, 0), "4A"),
    ("重庆市机械工程学会", "机械工程学会", "society", "机械工程", "杨立新", (2150, 86, 310), "5A"),
    ("重庆市计算机学会", "计算机学会", "society", "计算机科学与技术", "李晓东", (1860, 64, 520), "4A"),
    ("重庆市土木建筑学会", "土木建筑学会", "society", "土木工程", "周建国", (1420, 58, 0), "4A"),
    ("重庆市化学化工学会", "化学化工学会", "society", "化学工程", "吴海燕", (980, 35, 120), "3A"),
    ("重庆市农学会", "农学会", "society", "农学", "郑永红", (760, 22, 0), ""),
    ("重庆市汽车工程学会", "汽车工程学会", "society", "车辆工程", "何振华", (1310, 97, 180), "4A"),
    ("重庆市科技期刊发展研究会", "期刊研究会", "research", "科技传播", "黄文静", (210, 18, 0), ""),
]

INDEXING = ["CSCD", "北大核心", "中国科技核心", "EI", "Scopus", "CA"]

# title, CN, ISSN, publisher, discipline, frequency, founded, indexing, sponsoring society (or None)
JOURNALS = [
    (
        "重庆大学学报",
        "50-1044/N",
        "1000-582X",
        "重庆大学",
        "综合",
        "月刊",
        1960,
        ["CSCD", "北大核心", "中国科技核心"],
        None,
    ),
    (
        "西南大学学报（自然科学版）",
        "50-1189/N",
        "1673-9868",
        "西南大学",
        "综合",
        "月刊",
        1957,
        ["CSCD", "北大核心"],
        None,
    ),
    (
        "重庆师范大学学报（自然科学版）",
        "50-1165/N",
        "1672-6693",
        "重庆师范大学",
        "综合",
        "双月刊",
        1984,
        ["中国科技核心"],
        None,
    ),
    (
        "重庆邮电大学学报（自然科学版）",
        "50-1181/N",
        "1673-825X",
        "重庆邮电大学",
        "信息技术",
        "双月刊",
        1988,
        ["北大核心", "中国科技核心"],
        None,
    ),
    (
        "计算机科学",
        "50-1075/TP",
        "1002-137X",
        "重庆西南信息有限公司",
        "信息技术",
        "月刊",
        1974,
        ["CSCD", "北大核心", "Scopus"],
        "重庆市计算机学会",
    ),
    (
        "表面技术",
        "50-1083/TG",
        "1001-3660",
        "中国兵器装备集团第五九研究所",
        "材料与机械",
        "月刊",
        1972,
        ["EI", "北大核心", "CSCD"],
        "重庆市机械工程学会",
    ),
    (
        "功能材料",
        "50-1099/TH",
        "1001-9731",
        "重庆材料研究院有限公司",
        "材料与机械",
        "月刊",
        1970,
        ["北大核心", "CA"],
        None,
    ),
    (
        "材料导报",
        "50-1078/TB",
        "1005-023X",
        "重庆西南信息有限公司",
        "材料与机械",
        "半月刊",
        1987,
        ["EI", "CSCD", "北大核心"],
        None,
    ),
    (
        "重庆交通大学学报（自然科学版）",
        "50-1190/U",
        "1674-0696",
        "重庆交通大学",
        "交通与土木",
        "月刊",
        1982,
        ["北大核心", "中国科技核心"],
        None,
    ),
    (
        "土木与环境工程学报（中英文）",
        "50-1218/TU",
        "2096-6717",
        "重庆大学",
        "交通与土木",
        "双月刊",
        1979,
        ["CSCD", "北大核心", "EI"],
        "重庆市土木建筑学会",
    ),
    (
        "重庆理工大学学报（自然科学）",
        "50-1205/T",
        "1674-8425",
        "重庆理工大学",
        "材料与机械",
        "月刊",
        1987,
        ["中国科技核心"],
        "重庆市汽车工程学会",
    ),
    (
        "重庆医学",
        "50-1097/R",
        "1671-8348",
        "重庆市卫生信息中心",
        "医药卫生",
        "半月刊",
        1972,
        ["中国科技核心"],
        None,
    ),
    (
        "中国药房",
        "50-1055/R",
        "1001-0408",
        "中国医院协会",
        "医药卫生",
        "半月刊",
        1990,
        ["北大核心", "中国科技核心"],
        None,
    ),
    (
        "陆军军医大学学报",
        "50-1223/R",
        "2097-0927",
        "陆军军医大学",
        "医药卫生",
        "半月刊",
        1979,
        ["CSCD", "北大核心"],
        None,
    ),
]
TIER_OF = {"CSCD": "T1", "EI": "T1"}


def _secretary(org: Organization) -> tuple[User, bool]:
    user = User.objects.filter(username=SECRETARY).first()
    created = user is None
    if created:
        user, _password = create_user(
            username=SECRETARY,
            full_name="周晓蕾",
            email=f"{SECRETARY}@kexie.example",
            mobile="13983001234",
            password=PASSWORD,
            must_change_password=False,
        )
    if not user.memberships.filter(organization=org, role=Role.SOCIETY_STAFF).exists():
        add_membership(user=user, organization=org, role=Role.SOCIETY_STAFF)
    return user, created


def _at(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _support_call(*, staff, secretary, society, event, year) -> None:
    """An open call for conference support on the calls engine, with the editors' society's dossier
    for its conference submitted."""
    now = timezone.now()
    call = calls_services.create_call(
        kind=CONFERENCE_SUPPORT,
        title=f"{year}年度学术会议资助",
        organiser=Organization.objects.get(name="科学技术创新部"),
        year=year,
        by=staff,
        form_schema=CONFERENCE_SUPPORT_FORM,
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=30),
        endorsement_chain=[],
        description="支持市级学会争取高层次、国际性或全国性学术会议来渝举办。",
        extra={"grant": "10"},
    )
    calls_services.open_call(call, by=staff)
    dossier = calls_services.create_submission(
        call=call, applicant=secretary, title=event.title, organization=society.organization, by=secretary
    )
    dossier = calls_services.save_draft(
        dossier,
        by=secretary,
        data={
            "event": event.pk,
            "amount": 8,
            "plan": "邀请全国期刊界专家，预计300人参会，形成集群建设倡议。",
        },
    )
    calls_services.submit(dossier, by=secretary)


@transaction.atomic
def load_demo(users: dict) -> list[tuple[str, str]]:  # noqa: PLR0912, PLR0915 - one linear script of demo rows
    logins = [(SECRETARY, "学会秘书 society secretary (重庆市科学技术期刊编辑学会, keeps its own data)")]
    editors_org = Organization.objects.get(name=EDITORS)
    secretary, _created = _secretary(editors_org)
    if Society.objects.filter(organization=editors_org).exists():
        return logins
    staff = users["kechuang_staff"]
    guoji = users["guoji_staff"]
    xuanchuan = users["xuanchuan_staff"]
    today = timezone.localdate()
    last_year = today.year - 1
    supervising = Organization.objects.get(name="科学技术创新部")
    party = Organization.objects.get(name="科技社团党委办公室")

    societies = {}
    for index, (name, short, kind, discipline, president, (ind, unit, stud), grade) in enumerate(SOCIETIES):
        existing = Organization.objects.filter(name=name).first()
        societies[name] = services.register_society(
            by=staff,
            name=name,
            short_name=short,
            organization=existing,
            supervising_unit=supervising,
            party_office=party,
            kind=kind,
            discipline=discipline,
            president=president,
            secretary_general=f"{president[0]}秘书长",
            individual_members=ind,
            unit_members=unit,
            student_members=stud,
            secretariat_staff=3 + index % 4,
            credit_code=f"51500000MJ{index:07d}X"[:18],
            registered_on=today.replace(year=1985 + index * 3, month=1 + index % 12, day=10),
            council=[
                {"name": president, "post": "理事长"},
                {"name": f"{president[0]}副理事长", "post": "副理事长"},
            ],
        )
        if grade:
            services.set_society_grade(society=societies[name], grade=grade, year=last_year - 1, by=staff)
    editors = societies[EDITORS]

    # Yearly reports: two years ago all reviewed; last year some reviewed, one waiting, one returned.
    for i, society in enumerate(societies.values()):
        for year in (last_year - 1, last_year):
            if society == editors and year == last_year:
                continue  # left for the secretary to fill in (the demo's journey)
            report = services.save_inspection(
                society=society,
                year=year,
                by=staff,
                individual_members=society.individual_members,
                unit_members=society.unit_members,
                council_meetings=2,
                academic_events=3 + i,
                income=Decimal(30 + i * 7),
                expense=Decimal(27 + i * 6),
                party_activities="开展主题党日活动4次。",
                summary=f"{year}年度举办学术活动{3 + i}场，开展科普与咨询服务。",
            )
            if year == last_year and i == 4:
                continue  # a draft
            services.submit_inspection(inspection=report, by=staff)
            if year == last_year and i == 5:
                continue  # waiting for review
            if year == last_year and i == 6:
                services.review_inspection(
                    inspection=report, by=staff, approve=False, comment="请补充财务审计报告。"
                )
                continue
            services.review_inspection(
                inspection=report,
                by=staff,
                approve=True,
                rating="qualified" if i != 3 else "basic",
                score=Decimal(95 - i * 2),
            )

    request = services.save_founding_request(
        by=staff,
        name="重庆市智能网联汽车学会",
        discipline="车辆工程/人工智能",
        supervising_unit=supervising,
        initiators="重庆大学、长安汽车、中国汽车工程研究院",
        founding_members=168,
        rationale="围绕智能网联新能源汽车支柱产业，集聚产学研力量，开展学术交流与标准研究。",
    )
    services.submit_founding_request(request=request, by=staff)

    # Alliances and cooperation projects.
    services.create_alliance(
        by=staff,
        name="成渝地区双城经济圈智能制造技术创新联盟",
        kind="tech_innovation",
        lead_society=societies["重庆市机械工程学会"],
        established_on=today.replace(year=today.year - 2, month=5, day=18),
        description="联合成渝两地企业、高校与海外创新团队，共建技术创新联盟。",
        members=[
            {"name": "重庆大学", "country": "CN", "role": "理事长单位"},
            {"name": "长安汽车", "country": "CN", "role": "副理事长单位"},
            {"name": "Fraunhofer IPA", "country": "DE", "role": "海外团队"},
            {"name": "KAIST 智能制造中心", "country": "KR", "role": "海外团队"},
        ],
    )
    services.create_alliance(
        by=staff,
        name="“科创中国”重庆青年创新创业联合体",
        kind="youth",
        lead_society=societies["重庆市计算机学会"],
        established_on=today.replace(year=today.year - 1, month=9, day=6),
        members=[{"name": "重庆邮电大学", "country": "CN"}, {"name": "猪八戒网", "country": "CN"}],
    )
    projects = [
        (CooperationKind.DISTRICT, "重庆市机械工程学会", "学会服务永川区智能装备产业", "500118", ""),
        (CooperationKind.DISTRICT, "重庆市农学会", "学会助力巫山脆李品质提升", "500237", ""),
        (
            CooperationKind.ENTERPRISE,
            "重庆市汽车工程学会",
            "会企协作：新能源汽车热管理技术攻关",
            "",
            "长安汽车",
        ),
        (
            CooperationKind.ENTERPRISE,
            "重庆市化学化工学会",
            "会企协作：页岩气伴生资源综合利用",
            "",
            "重庆化医控股",
        ),
    ]
    for n, (kind, society, title, district, partner) in enumerate(projects):
        project = services.record_project(
            by=staff,
            kind=kind,
            society=societies[society],
            title=title,
            district=district,
            partner=partner,
            signed_on=today - timedelta(days=200 - n * 30),
        )
        if n % 2 == 0:
            services.update_project_outcome(
                project=project,
                by=staff,
                state="completed",
                outcomes=3 + n,
                value=Decimal(120 + n * 40),
                outcome_note="转化技术成果并开展专题培训。",
            )

    # Events: an approved conference with its programme and registrations, a held forum with its
    # report, the annual meeting with sub-forums, an application waiting for review.
    start = today + timedelta(days=21)
    conference = services.create_event(
        by=secretary,
        society=editors,
        kind=EventKind.NATIONAL_CONFERENCE,
        title="2026年中国科技期刊发展论坛（重庆）",
        starts_on=start,
        ends_on=start + timedelta(days=1),
        venue="重庆科技馆学术报告厅",
        description="聚焦科技期刊高质量发展与集群化建设，邀请全国期刊界专家交流办刊经验。",
        expected_attendance=300,
        capacity=300,
        registration_deadline=_at(start - timedelta(days=3), 18),
    )
    for hour, title, speaker in [
        (9, "开幕式暨主旨报告：世界一流科技期刊建设路径", "中国科协科学技术创新部"),
        (10, "科技期刊集群化与数字化转型", "重庆大学期刊社"),
        (14, "分组研讨：高质量科技期刊分级目录", "重庆市科学技术期刊编辑学会"),
    ]:
        services.add_programme_item(
            event=conference, by=secretary, starts_at=_at(start, hour), title=title, speaker=speaker
        )
    services.apply_event(event=conference, by=secretary)
    services.decide_event(event=conference, by=staff, approve=True, comment="同意举办，请做好安全保障。")
    for n, (name, org) in enumerate(
        [("张明", "重庆大学"), ("刘芳", "西南大学"), ("王强", "重庆邮电大学"), ("陈静", "陆军军医大学")]
    ):
        services.register_attendee(event=conference, name=name, organization=org, mobile=f"1390230{n:04d}")

    forum = services.create_event(
        by=staff,
        society=societies["重庆市计算机学会"],
        kind=EventKind.BIMONTHLY_FORUM,
        title="“科创中国”@重庆双月论坛：人工智能赋能制造业",
        starts_on=today,
        ends_on=today,
        venue="西部科学城重庆高新区",
        description="围绕人工智能赋能制造业开展产学研对接。",
        capacity=120,
    )
    services.apply_event(event=forum, by=staff)
    services.decide_event(event=forum, by=staff, approve=True)
    services.file_event_report(
        event=forum,
        by=staff,
        attendance=108,
        papers=6,
        international_attendees=4,
        outcomes="发布需求12项，促成对接意向5项。",
    )

    annual_day = today + timedelta(days=60)
    annual = services.create_event(
        by=staff,
        society=None,
        kind=EventKind.ANNUAL_MEETING,
        title=f"重庆市科协{today.year}年学术年会",
        starts_on=annual_day,
        ends_on=annual_day + timedelta(days=1),
        venue="重庆悦来国际会议中心",
        description="年会设主论坛与多个学会承办的分论坛。",
        capacity=800,
    )
    services.apply_event(event=annual, by=staff)
    services.decide_event(event=annual, by=staff, approve=True)
    for society, title in [("重庆市机械工程学会", "智能制造分论坛"), (EDITORS, "科技期刊分论坛")]:
        sub = services.create_event(
            by=staff,
            society=societies[society],
            kind=EventKind.SUB_FORUM,
            parent=annual,
            title=title,
            starts_on=annual_day + timedelta(days=1),
            ends_on=annual_day + timedelta(days=1),
            venue="重庆悦来国际会议中心",
            description=f"{title}，由{society}承办。",
            capacity=150,
        )
        services.apply_event(event=sub, by=staff)
        services.decide_event(event=sub, by=staff, approve=True)
    waiting = services.create_event(
        by=staff,
        society=societies["重庆市土木建筑学会"],
        kind=EventKind.INTERNATIONAL_CONFERENCE,
        title="第十届山地城市建设国际学术会议",
        starts_on=today + timedelta(days=120),
        ends_on=today + timedelta(days=122),
        venue="重庆大学虎溪校区",
        description="山地城市与韧性基础设施。",
        capacity=400,
        countries=["GB", "JP", "IT", "SG"],
    )
    services.apply_event(event=waiting, by=staff)

    _support_call(staff=staff, secretary=secretary, society=editors, event=conference, year=today.year)

    # Journals and the directory.
    databases = {}
    for order, name in enumerate(INDEXING):
        databases[name] = IndexingDatabase.objects.get_or_create(name=name, defaults={"order": order})[0]
    journals = []
    for n, (title, cn, issn, publisher, discipline, frequency, founded, indexing, society) in enumerate(
        JOURNALS
    ):
        journal = services.register_journal(
            by=xuanchuan,
            title=title,
            cn=cn,
            issn=issn,
            publisher=publisher,
            discipline=discipline,
            frequency=frequency,
            founded_year=founded,
            society=societies.get(society) if society else None,
            indexing=[databases[d] for d in indexing],
        )
        for year in (last_year - 1, last_year):
            services.record_impact(
                journal=journal,
                year=year,
                impact_factor=Decimal("0.8") + Decimal(n % 7) / 5 + Decimal(year - last_year + 1) / 10,
                citations=800 + n * 137,
                by=xuanchuan,
            )
        journals.append((journal, indexing))
    directory = services.create_directory(
        by=xuanchuan,
        title=f"重庆市高质量科技期刊分级目录（{last_year}年版）",
        year=last_year,
        tiers="T1、T2、T3",
        note="由重庆市科学技术期刊编辑学会组织评议，按学科分级发布。",
    )
    for journal, indexing in journals:
        tier = (
            "T1"
            if any(TIER_OF.get(d) == "T1" for d in indexing)
            else ("T2" if "北大核心" in indexing else "T3")
        )
        services.add_directory_entry(directory=directory, journal=journal, tier=tier, by=xuanchuan)
    services.publish_directory(directory=directory, by=xuanchuan)

    # International.
    experts = list(Expert.objects.order_by("pk")[:6])
    organizations = [
        services.create_intl_organization(
            by=guoji,
            name="国际水协会",
            name_en="International Water Association",
            acronym="IWA",
            country="GB",
        ),
        services.create_intl_organization(
            by=guoji,
            name="国际隧道与地下空间协会",
            name_en="International Tunnelling and Underground Space Association",
            acronym="ITA",
            country="CH",
        ),
        services.create_intl_organization(
            by=guoji,
            name="世界交通运输大会",
            name_en="World Transport Convention",
            acronym="WTC",
            country="CN",
            founded_by_chongqing=False,
        ),
    ]
    for n, expert in enumerate(experts[:3]):
        position = services.record_position(
            by=guoji,
            organization=organizations[n],
            expert=expert,
            title=["理事", "工作组主席", "技术委员会委员"][n],
            level=[PositionLevel.EXECUTIVE, PositionLevel.COMMITTEE, PositionLevel.COMMITTEE][n],
            term_start=today.replace(year=today.year - 1, month=1, day=1),
            term_end=today.replace(year=today.year + 2, month=12, day=31),
        )
        services.record_duty_support(
            by=guoji,
            position=position,
            kind=SupportKind.TRAVEL,
            date=today - timedelta(days=40 + n),
            amount=Decimal("2.5"),
            note="资助出席年度理事会。",
        )
    for n, (expert, country) in enumerate(zip(experts[3:6], ["DE", "SG", "US"], strict=False)):
        services.record_overseas_expert(
            by=guoji,
            expert=expert,
            country=country,
            haizhi_expert=True,
            haizhi_plan=n != 2,
            last_engaged_on=today - timedelta(days=30 * (n + 1)),
            engagement="参加海智专家区县行，对接企业技术需求。",
        )
    base = services.record_offshore_base(
        by=guoji,
        name="两江新区国家海外人才离岸创新创业基地",
        host=Organization.objects.get(name="两江新区科技创新局"),
        district="",
        established_year=2017,
    )
    services.record_overseas_partner(
        by=guoji, base=base, name="德国弗劳恩霍夫协会 IPA 研究所", country="DE", since=2019, projects=4
    )
    services.record_overseas_partner(
        by=guoji, base=base, name="新加坡南洋理工大学创新中心", country="SG", since=2020, projects=2
    )
    station = Workstation.objects.filter(kind=WorkstationKind.HAIZHI).order_by("pk").first()
    if station is not None:
        services.record_overseas_partner(
            by=guoji, workstation=station, name="英国帝国理工学院材料系", country="GB", since=2021, projects=3
        )
    for n, (kind, title, countries, people) in enumerate(
        [
            (ExchangeKind.INCOMING, "泰国国家科技发展署代表团来渝交流", ["TH"], 12),
            (ExchangeKind.OUTGOING, "赴匈牙利、塞尔维亚开展科技人文交流", ["HU", "RS"], 8),
            (ExchangeKind.POPULARIZATION, "中德青少年机器人科普交流营", ["DE"], 60),
            (ExchangeKind.YOUTH, "“一带一路”青年科学家重庆行", ["KZ", "UZ", "PK", "VN"], 35),
            (ExchangeKind.COOPERATION, "重庆市土木建筑学会与英国土木工程师学会签署合作备忘录", ["GB"], 6),
        ]
    ):
        services.record_exchange(
            by=guoji,
            kind=kind,
            title=title,
            starts_on=today - timedelta(days=20 + n * 25),
            countries=countries,
            participants=people,
            society=societies["重庆市土木建筑学会"] if kind == ExchangeKind.COOPERATION else None,
        )
    return logins
