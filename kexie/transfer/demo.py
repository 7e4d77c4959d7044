"""Demo data for transfer: enterprises, demands in every state, achievements, service teams,
workstations with evaluations and dockings (some signed). Idempotent and seeded.

Demands are written for Chongqing's industries (kexie/seed/transfer_demands_chongqing.tsv), then
technical topics from open project calls (kexie/seed/transfer_demand_titles.txt) fill up the volume;
achievements are papers from the CSL sample (kexie/seed/transfer_achievements.tsv); see
kexie/seed/transfer_README.md for their sources.
"""

from __future__ import annotations

import csv
import random
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from faker import Faker

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization, User
from kexie.accounts.queries import district_associations as district_associations_query
from kexie.accounts.services import ROOT_NAME, add_membership, create_organization, create_user
from kexie.core.reference import districts
from kexie.experts.enums import VerificationState
from kexie.experts.models import Expert
from kexie.search import index as search
from kexie.transfer.enums import (
    AchievementKind,
    DemandState,
    Grade,
    Maturity,
    Outcome,
    RecordKind,
    WorkstationKind,
)
from kexie.transfer.models import (
    Achievement,
    Demand,
    Docking,
    DockingRecord,
    Evaluation,
    Industry,
    ServiceTeam,
    Workstation,
)

SEED = Path(__file__).resolve().parent.parent / "seed"
PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password
DEMO_ENTERPRISE = "重庆渝创智能装备有限公司"
DEMANDS = 300

# CSL discipline → GB/T 4754 division (or section) that would use such an achievement.
CSL_INDUSTRY = {
    "食品科学与工程": "14", "园艺学": "01", "中医学/中药学": "27", "基础医学/临床医学": "84",
    "化学/化学工程与技术": "26", "交通运输工程": "54", "矿业工程": "06", "材料科学与工程": "30",
    "纺织科学与工程": "17", "力学": "34", "大气科学": "74", "药学": "27", "土木工程": "48",
    "信息与通信工程": "39", "农业工程": "35", "计算机科学与技术": "65", "机械工程": "34",
    "兵器科学与技术": "37", "水产": "04", "动力工程及工程热物理": "44", "林学/林业工程": "02",
    "环境科学与工程": "77", "电子科学与技术": "39", "水利工程": "76", "石油与天然气工程": "07",
    "电气工程": "38", "地理学": "74", "冶金工程": "31", "畜牧学/兽医学": "03",
    "地质学/地质资源与地质工程": "74", "建筑学": "48", "作物学": "01", "船舶与海洋工程": "37",
    "控制科学与工程": "40", "数学": "73", "光学工程": "39", "核科学与技术": "44", "口腔医学": "84",
    "测绘科学与技术": "74", "海洋科学": "74", "生物学/生物科学与工程": "73", "农业资源利用": "01",
    "公共卫生与预防医学": "84", "航空宇航科学与技术": "37", "地球物理学": "74", "物理学": "73",
    "天文学": "73", "植物保护": "05",
}  # fmt: skip

# Demand title words → GB/T division; the first rule that matches wins.
DEMAND_INDUSTRY = [
    (r"船|舱|锚|海洋|LNG|游艇", "37"),
    (r"药|临床|诊断|医", "27"),
    (r"水稻|病虫|作物|种植|果|茶|蔬菜", "01"),
    (r"畜|禽|猪|兽", "03"),
    (r"鱼|水产", "04"),
    (r"钢|铁|冶炼", "31"),
    (r"铝|铜|镁|钛|稀土", "32"),
    (r"油气|石油|天然气|钻井", "07"),
    (r"煤", "06"),
    (r"照明|芯片|半导体|电子|通信|传感|雷达", "39"),
    (r"电机|电池|电气|储能|变频", "38"),
    (r"软件|数据|平台|信息|网络|云", "65"),
    (r"汽车|发动机|车辆", "36"),
    (r"聚|树脂|塑料|橡胶|纤维|涂料|化工|催化", "26"),
    (r"陶瓷|玻璃|水泥|混凝土", "30"),
    (r"建筑|桥|隧道|施工", "48"),
    (r"环境|污水|废|污染|节能|减排", "77"),
    (r"食品|发酵|酿造", "14"),
    (r"仪器|测量|检测|控制", "40"),
]
DEFAULT_INDUSTRY = "35"

# A team's focus: (focus, GB/T division, NSFC discipline of the team, disciplines its members come
# from (prefixes of the demo experts' codes), the society that leads it when a society does).
TEAM_FOCUS = [
    ("智能制造", "34", "E05", ("E05", "F03"), "重庆市机械工程学会"),
    ("新材料", "30", "E02", ("E01", "E02", "E03"), "重庆市材料研究学会"),
    ("生物医药", "27", "H", ("H16", "H30"), "重庆市药学会"),
    ("乡村振兴", "01", "C13", ("C13", "C15", "C17"), ""),
    ("电子信息", "39", "F01", ("F01", "F03", "F06"), "重庆市电子学会"),
    ("绿色低碳", "77", "D07", ("E06", "E07"), "重庆市能源研究会"),
    ("现代农业", "01", "C15", ("C13", "C15", "C17"), "重庆市农学会"),
    ("汽车摩托车", "36", "E05", ("E07", "E05"), "重庆市汽车工程学会"),
    ("食品加工", "14", "C20", ("C20", "C15", "C17"), "重庆市食品科学技术学会"),
    ("数字经济", "65", "F02", ("F02", "F06"), "重庆市计算机学会"),
    ("生态环保", "77", "B07", ("D02", "E04", "E09"), "重庆市环境科学学会"),
    ("中医药", "27", "H27", ("H27",), "重庆市中医药学会"),
]
UNIVERSITIES = [
    "重庆大学", "西南大学", "重庆医科大学", "重庆邮电大学", "重庆交通大学", "重庆理工大学",
    "重庆科技大学", "重庆工商大学", "重庆师范大学", "中国科学院重庆绿色智能技术研究院", "重庆市农业科学院",
    "陆军军医大学", "重庆三峡学院", "长江师范学院",
]  # fmt: skip
ENTERPRISE_TRADES = [
    "科技",
    "智能装备",
    "新材料",
    "生物科技",
    "机电",
    "食品",
    "环保科技",
    "电子",
    "汽车零部件",
    "农业开发",
]


WORKSTATION_SUFFIX = {
    WorkstationKind.ACADEMICIAN: "院士专家工作站",
    WorkstationKind.HAIZHI: "海智工作站",
    WorkstationKind.EXPERT: "专家工作站",
}
COURTYARD_CROPS = ["柑橘", "榨菜", "生态茶", "花椒", "中药材", "柠檬", "生猪", "脆李", "蚕桑", "猕猴桃"]
COOPERATION = ["联合攻关", "技术转让", "委托开发", "技术咨询"]


def _industry(code: str) -> Industry:
    return Industry.objects.get(code=code)


def _demand_industry(title: str) -> str:
    for pattern, code in DEMAND_INDUSTRY:
        if re.search(pattern, title):
            return code
    return DEFAULT_INDUSTRY


def _user(username: str, full_name: str, organization: Organization, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_user(
            username=username, full_name=full_name, password=PASSWORD, must_change_password=False
        )
    if not user.memberships.filter(organization=organization, role=role).exists():
        add_membership(user=user, organization=organization, role=role)
    return user


# Where the members of a workstation come from (discipline prefixes of the demo experts).
STATION_FIELDS = {
    WorkstationKind.ACADEMICIAN: ("E", "F", "H"),
    WorkstationKind.HAIZHI: ("E", "F"),
    WorkstationKind.SCIENCE_COURTYARD: ("C13", "C15", "C17"),
    WorkstationKind.EXPERT: ("E", "F", "D", "H"),
}


def _expert_pool() -> list[tuple[Expert, tuple[str, ...]]]:
    """Verified experts of the library with their discipline codes, in a stable order."""
    experts = Expert.objects.filter(state=VerificationState.VERIFIED).prefetch_related("disciplines")
    return [(e, tuple(d.code for d in e.disciplines.all())) for e in experts.order_by("pk")]


def _members(
    pool: list[tuple[Expert, tuple[str, ...]]],
    fields: tuple[str, ...],
    count: int,
    rng: random.Random,
    *,
    leader: bool = False,
) -> list[dict]:
    """``count`` experts whose disciplines start with one of ``fields`` (fewer when the library has
    fewer), each with their own keywords as expertise; the first leads the team when ``leader``."""
    fitting = [e for e, codes in pool if any(c.startswith(fields) for c in codes)]
    chosen = rng.sample(fitting, min(count, len(fitting)))
    members = [
        {"name": expert.name, "expertise": "、".join(expert.keywords[:3]), "expert_id": expert.pk}
        for expert in chosen
    ]
    if leader and members:
        members[0]["role"] = "团长"
    return members


def _society(name: str, root: Organization) -> Organization:
    return Organization.objects.filter(name=name).first() or create_organization(
        name=name, kind=OrganizationKind.SOCIETY, parent=root
    )


@transaction.atomic
def _load(users: dict[str, User]) -> None:  # noqa: PLR0912, PLR0915 - a linear demo script
    fake = Faker("zh_CN")
    fake.seed_instance(2026)
    rng = random.Random(2026)  # noqa: S311 - seeded demo data, not a secret
    staff = users.get("kechuang_staff") or next(iter(users.values()))
    root = Organization.objects.get(name=ROOT_NAME)
    codes = list(districts())
    now = timezone.now()

    # Enterprises: the demo login's first, then about two hundred others.
    demo_org = create_organization(name=DEMO_ENTERPRISE, kind=OrganizationKind.ENTERPRISE)
    _user("enterprise_demo", "何企业", demo_org, Role.ENTERPRISE)
    enterprises = [demo_org]
    names = {DEMO_ENTERPRISE}
    while len(enterprises) < 200:
        name = f"重庆{fake.company_prefix()}{rng.choice(ENTERPRISE_TRADES)}有限公司"
        if name in names or Organization.objects.filter(name=name).exists():
            continue
        names.add(name)
        enterprises.append(create_organization(name=name, kind=OrganizationKind.ENTERPRISE))
    home = {org.pk: rng.choice(codes) for org in enterprises}

    # Demands in every state; the demo enterprise holds one of each.
    # Demands written for Chongqing's industries first (the demo enterprise's published one is the
    # welding demand), then technical topics of open project calls up to three hundred.
    with (SEED / "transfer_demands_chongqing.tsv").open(encoding="utf-8", newline="") as fh:
        written = [
            (row["title"], row["industry"], row["description"]) for row in csv.DictReader(fh, delimiter="\t")
        ]
    topics = [
        t for t in (SEED / "transfer_demand_titles.txt").read_text(encoding="utf-8").splitlines() if t.strip()
    ]
    titles = [*written, *((t, "", "") for t in topics[: max(0, DEMANDS - len(written))])]
    weights = [
        (DemandState.DRAFT, 12),
        (DemandState.SUBMITTED, 15),
        (DemandState.PUBLISHED, 38),
        (DemandState.DOCKING, 17),
        (DemandState.SIGNED, 12),
        (DemandState.CLOSED, 6),
    ]
    demands = []
    for index, (title, industry, description) in enumerate(titles):
        state = list(DemandState)[index] if index < 6 else rng.choices(*zip(*weights, strict=True))[0]
        enterprise = demo_org if index < 6 else rng.choice(enterprises)
        created = now - timedelta(days=rng.randint(20, 330), hours=rng.randint(0, 23))
        published = state not in (DemandState.DRAFT, DemandState.SUBMITTED)
        demand = Demand.objects.create(
            title=title,
            description=description
            or (
                f"{enterprise.name}在生产中遇到“{title}”相关的技术难题，现有工艺稳定性不足、成本偏高。"
                f"希望与高校、科研院所或专家团队合作，{rng.choice(COOPERATION)}，"
                f"在{rng.choice(['6个月', '一年', '两年'])}内形成可产业化的解决方案。"
            ),
            industry=_industry(industry or _demand_industry(title)),
            district=home[enterprise.pk],
            budget=rng.choice(["lt10", "10-50", "50-100", "100-500", "gt500", "negotiable"]),
            deadline=(now + timedelta(days=rng.randint(30, 400))).date(),
            contact_name=fake.name(),
            contact_mobile=fake.phone_number(),
            enterprise=enterprise,
            created_by=staff,
            state=state,
            submitted_at=created + timedelta(days=1) if state != DemandState.DRAFT else None,
            published_at=created + timedelta(days=rng.randint(2, 9)) if published else None,
            closed_at=now - timedelta(days=rng.randint(1, 10)) if state == DemandState.CLOSED else None,
        )
        Demand.objects.filter(pk=demand.pk).update(created_at=created)
        demands.append(demand)

    # Achievements from CSL papers, owned by researchers at Chongqing's universities.
    with (SEED / "transfer_achievements.tsv").open(encoding="utf-8", newline="") as fh:
        papers = list(csv.DictReader(fh, delimiter="\t"))
    achievements = []
    kinds = [
        AchievementKind.PATENT,
        AchievementKind.PAPER,
        AchievementKind.TECHNOLOGY,
        AchievementKind.SOFTWARE,
    ]
    for paper in papers:
        university = rng.choice(UNIVERSITIES)
        achievements.append(
            Achievement(
                title=paper["title"][:200],
                abstract=paper["abstract"],
                keywords=[k for k in paper["keywords"].split("_") if k][:8],
                kind=rng.choice(kinds),
                maturity=rng.choice(list(Maturity)),
                owner_name=f"{fake.name()}（{university}）",
                industry=_industry(CSL_INDUSTRY.get(paper["discipline"], "73")),
                district=rng.choice(codes[:26]),
                year=rng.randint(2016, 2026),
                # Welding results stay published: the demo's welding demand shows them.
                is_published=rng.random() < 0.85 or "焊" in paper["title"],
                created_by=staff,
            )
        )
    achievements = Achievement.objects.bulk_create(achievements)

    # Service teams across the districts: led by the society of their field or by the district
    # association of the district they serve first, their members experts of the library.
    pool = _expert_pool()
    district_associations = {org.code: org for org in district_associations_query()}
    teams = []
    for index in range(36):
        focus, industry, discipline, member_fields, society = TEAM_FOCUS[index % len(TEAM_FOCUS)]
        served = rng.sample(codes, rng.randint(1, 3))
        name = f"{districts()[served[0]]}{focus}科技服务团"
        if any(team.name == name for team in teams):
            name = f"{districts()[served[0]]}{focus}科技服务二团"
        # The first round of teams is led by district associations, the others by the societies.
        if society and index >= len(TEAM_FOCUS):
            lead = _society(society, root)
        else:
            lead = district_associations.get(served[0]) or root
        teams.append(
            ServiceTeam(
                name=name,
                lead_organization=lead,
                description=f"面向{focus}领域企业开展技术诊断、成果对接和人才培训。",
                members=_members(pool, member_fields, rng.randint(5, 12), rng, leader=True),
                districts=served,
                disciplines=[discipline],
                industries=[industry],
            )
        )
    teams = ServiceTeam.objects.bulk_create(teams)
    year = timezone.localdate().year
    used: set[str] = set()
    for index in range(40):
        kind = list(WorkstationKind)[index % 4]
        host = rng.choice(enterprises[1:])
        if kind == WorkstationKind.SCIENCE_COURTYARD:
            name = (
                f"{rng.choice(UNIVERSITIES)}{districts()[home[host.pk]]}{rng.choice(COURTYARD_CROPS)}科技小院"
            )
        else:
            name = f"{host.name}{WORKSTATION_SUFFIX[kind]}"
        if name in used:
            continue
        used.add(name)
        station = Workstation.objects.create(
            kind=kind,
            name=name,
            host_organization=host,
            district=home[host.pk],
            members=_members(pool, STATION_FIELDS[kind], rng.randint(2, 6), rng),
            established_year=rng.randint(2012, year - 1),
        )
        for evaluated in range(max(station.established_year + 1, year - 3), year):
            score = Decimal(rng.randint(600, 980)) / 10
            grade = Grade.EXCELLENT if score >= 90 else Grade.GOOD if score >= 80 else Grade.PASS
            Evaluation.objects.create(
                workstation=station, year=evaluated, score=score, grade=grade, created_by=staff
            )

    # Dockings for demands in docking, signed or closed; signed demands have a signed contract.
    published_achievements = [a for a in achievements if a.is_published]
    for demand in demands:
        if demand.state not in (DemandState.DOCKING, DemandState.SIGNED, DemandState.CLOSED):
            continue
        targets = [("achievement", rng.choice(published_achievements)), ("team", rng.choice(teams))]
        for number, (kind, target) in enumerate(targets[: rng.randint(1, 2)]):
            docking = Docking.objects.create(
                demand=demand,
                target_kind=kind,
                target_id=str(target.pk),
                target_name=getattr(target, "title", None) or target.name,
                created_by=staff,
            )
            start = (demand.published_at or now) + timedelta(days=3)
            for step, record_kind in enumerate(
                [RecordKind.CONTACT, RecordKind.MEETING, RecordKind.VISIT][: rng.randint(1, 3)]
            ):
                DockingRecord.objects.create(
                    docking=docking,
                    kind=record_kind,
                    date=(start + timedelta(days=7 * step)).date(),
                    note=rng.choice(["电话沟通需求细节", "双方技术座谈", "赴企业现场考察", "交换合作意向书"]),
                    created_by=staff,
                )
            if demand.state == DemandState.SIGNED and number == 0:
                signed_on = min((start + timedelta(days=rng.randint(20, 60))).date(), timezone.localdate())
                Docking.objects.filter(pk=docking.pk).update(
                    outcome=Outcome.SIGNED,
                    contract_amount=Decimal(rng.randint(20, 500)) + Decimal(rng.randint(0, 9)) / 10,
                    signed_on=signed_on,
                )
            elif demand.state == DemandState.CLOSED:
                Docking.objects.filter(pk=docking.pk).update(outcome=Outcome.NO_DEAL)


def load_demo(users: dict[str, User]) -> None:
    """Load the demo once (nothing happens when the demo enterprise exists), then index it."""
    if Organization.objects.filter(name=DEMO_ENTERPRISE).exists():
        return
    _load(users)
    search.rebuild(kinds=["demand", "achievement", "team"])
