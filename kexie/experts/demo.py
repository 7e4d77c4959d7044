"""Demo data of the expert library: a few hundred plausible Chongqing experts (seeded), an expert
login linked to a verified profile, a curating head, a few profiles waiting for verification, and
the search index rebuilt for kind "expert"."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import translation
from faker import Faker

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import ROOT_NAME, add_membership, create_user
from kexie.core import reference
from kexie.core.validators import id_number_check_digit
from kexie.experts import services
from kexie.experts.enums import (
    Availability,
    Honour,
    ProfessionalTitle,
    SearchKind,
    Sex,
    VerificationState,
    WorkKind,
    WorkRole,
)
from kexie.experts.models import Discipline, Expert
from kexie.search import index as search

DEMO_PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password
COUNT = 300
SEED = 20260404

# (organization, kind)
UNITS = [
    ("重庆大学", OrganizationKind.UNIVERSITY),
    ("西南大学", OrganizationKind.UNIVERSITY),
    ("重庆医科大学", OrganizationKind.UNIVERSITY),
    ("重庆邮电大学", OrganizationKind.UNIVERSITY),
    ("重庆交通大学", OrganizationKind.UNIVERSITY),
    ("重庆理工大学", OrganizationKind.UNIVERSITY),
    ("重庆师范大学", OrganizationKind.UNIVERSITY),
    ("西南政法大学", OrganizationKind.UNIVERSITY),
    ("重庆工商大学", OrganizationKind.UNIVERSITY),
    ("重庆三峡学院", OrganizationKind.UNIVERSITY),
    ("中国科学院重庆绿色智能技术研究院", OrganizationKind.INSTITUTE),
    ("重庆市农业科学院", OrganizationKind.INSTITUTE),
    ("重庆市畜牧科学院", OrganizationKind.INSTITUTE),
    ("中煤科工集团重庆研究院有限公司", OrganizationKind.ENTERPRISE),
    ("重庆长安汽车股份有限公司", OrganizationKind.ENTERPRISE),
    ("重庆市中医院", OrganizationKind.OTHER),
    ("重庆市人民医院", OrganizationKind.OTHER),
]

# (discipline prefixes, keywords, research areas, work title stems)
THEMES = [
    (
        ["F02", "F06"],
        ["人工智能", "机器学习", "计算机视觉", "自然语言处理", "大数据"],
        "人工智能；智能信息处理",
        ["基于深度学习的{}方法研究", "面向{}的智能算法", "{}大数据平台关键技术"],
    ),
    (
        ["E05", "F03"],
        ["智能制造", "工业机器人", "数控机床", "故障诊断", "工业互联网"],
        "智能制造；机器人技术",
        ["{}装备可靠性研究", "{}智能控制系统", "一种用于{}的夹具"],
    ),
    (
        ["E01", "E02", "E03"],
        ["轻合金", "镁合金", "复合材料", "新能源材料", "涂层"],
        "先进材料；材料加工",
        ["高性能{}制备技术", "{}组织与性能调控", "{}成形工艺"],
    ),
    (
        ["E07", "E06"],
        ["新能源汽车", "动力电池", "电机驱动", "储能", "氢能"],
        "新能源与动力系统",
        ["{}热管理技术", "{}系统集成与控制", "{}安全评估"],
    ),
    (
        ["C13", "C15", "C17"],
        ["柑橘", "榨菜", "生猪育种", "智慧农业", "乡村振兴"],
        "现代山地特色高效农业",
        ["{}绿色栽培技术", "{}品种选育", "{}产业化示范"],
    ),
    (
        ["H16", "H27", "H30"],
        ["肿瘤", "中医药", "新药研发", "精准医学", "医疗器械"],
        "生物医药；临床医学",
        ["{}临床研究", "{}作用机制研究", "{}转化应用"],
    ),
    (
        ["D02", "E04", "E09"],
        ["页岩气", "地质灾害", "三峡库区", "矿山安全", "水环境"],
        "资源环境与安全",
        ["{}监测预警技术", "{}综合治理", "{}评价方法"],
    ),
    (
        ["E08", "G01"],
        ["智慧城市", "桥梁工程", "绿色建筑", "交通规划", "山地城市"],
        "土木与城市建设",
        ["{}健康监测", "{}设计方法", "{}规划与管理"],
    ),
]

TITLES = [
    (ProfessionalTitle.PROFESSOR, 30),
    (ProfessionalTitle.RESEARCHER, 12),
    (ProfessionalTitle.PROFESSOR_ENGINEER, 10),
    (ProfessionalTitle.CHIEF_PHYSICIAN, 5),
    (ProfessionalTitle.ASSOCIATE_PROFESSOR, 20),
    (ProfessionalTitle.ASSOCIATE_RESEARCHER, 8),
    (ProfessionalTitle.SENIOR_ENGINEER, 10),
    (ProfessionalTitle.LECTURER, 5),
]
CHANNELS = [
    "重庆市机械工程学会",
    "重庆市人工智能学会",
    "重庆市农学会",
    "重庆市医学会",
    "渝中区科协",
    "沙坪坝区科协",
    "",
]


def _id_number(rng: random.Random, district: str, year: int, sex: str) -> str:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    order = rng.randint(10, 99) * 10 + (
        rng.choice([1, 3, 5, 7, 9]) if sex == Sex.MALE else rng.choice([0, 2, 4, 6, 8])
    )
    first17 = f"{district}{year:04d}{month:02d}{day:02d}{order:03d}"
    return first17 + id_number_check_digit(first17)


# Cumulative probability → honours of a senior expert (academicians are rare).
HONOUR_ODDS = [
    (0.01, [Honour.CAS_ACADEMICIAN]),
    (0.02, [Honour.CAE_ACADEMICIAN]),
    (0.05, [Honour.DISTINGUISHED_YOUNG]),
    (0.08, [Honour.DISTINGUISHED_YOUNG, Honour.CHANGJIANG]),
    (0.15, [Honour.EXCELLENT_YOUNG]),
    (0.30, [Honour.STATE_COUNCIL_ALLOWANCE]),
    (0.38, [Honour.BAYU_SCHOLAR]),
]
SENIOR = {ProfessionalTitle.PROFESSOR, ProfessionalTitle.RESEARCHER, ProfessionalTitle.PROFESSOR_ENGINEER}


def _honours(rng: random.Random, title: str) -> list[str]:
    if title not in SENIOR:
        return []
    roll = rng.random()
    return next((list(honours) for limit, honours in HONOUR_ODDS if roll < limit), [])


def _user(username: str, full_name: str, org: Organization, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_user(
            username=username, full_name=full_name, password=DEMO_PASSWORD, must_change_password=False
        )
    if not user.memberships.filter(organization=org, role=role).exists():
        add_membership(user=user, organization=org, role=role)
    return user


@transaction.atomic
def load_demo(users: dict[str, User]) -> None:  # noqa: PLR0915 - a linear demo script
    if Expert.objects.exists():
        return
    curator = users.get("kechuang_staff") or next(iter(users.values()))
    root = Organization.objects.get(name=ROOT_NAME)
    _user("kechuang_head", "何科创", Organization.objects.get(name="科学技术创新部"), Role.DEPARTMENT_HEAD)
    expert_login = _user("expert_demo", "周立新", root, Role.EXPERT)
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
    districts = list(reference.districts())
    # Most experts work in the main urban districts, where the universities are.
    weighted = ["500103", "500106", "500108", "500112", "500105", "500107"] * 6 + districts
    codes_by_prefix: dict[str, list[str]] = {}
    for code in Discipline.objects.filter(level__gte=2).values_list("code", flat=True):
        codes_by_prefix.setdefault(code[:3], []).append(code)
    with translation.override("zh-hans"):
        title_names = {value: str(label) for value, label in ProfessionalTitle.choices}
    created: list[Expert] = []
    for n in range(COUNT):
        prefixes, keywords, areas, stems = THEMES[n % len(THEMES)]
        sex = Sex.FEMALE if rng.random() < 0.3 else Sex.MALE
        name = fake.name_female() if sex == Sex.FEMALE else fake.name_male()
        if n == 0:
            name, sex = "周立新", Sex.MALE
        unit, kind = rng.choice(UNITS)
        title = rng.choices([t for t, _w in TITLES], weights=[w for _t, w in TITLES])[0]
        birth = rng.randint(1958, 1990)
        district = rng.choice(weighted)
        chosen_keywords = rng.sample(keywords, k=rng.randint(2, 4))
        disciplines = rng.sample(codes_by_prefix.get(rng.choice(prefixes), []) or ["F02"], k=1)
        state = VerificationState.VERIFIED
        if n in {1, 2, 3, 4, 5}:
            state = VerificationState.UNVERIFIED
        expert = services.create_expert(
            by=curator,
            user=expert_login if n == 0 else None,
            state=state,
            name=name,
            sex=sex,
            birth_year=birth,
            organization_name=unit,
            organization_kind=kind,
            title=title,
            honours=_honours(rng, title),
            disciplines=disciplines,
            keywords=chosen_keywords,
            research_areas=areas,
            biography=(
                f"{name}，{unit}{title_names[title]}，长期从事{'、'.join(chosen_keywords)}方面的研究与技术服务，"
                f"主持和参与多项国家及重庆市科研项目。"
            ),
            district=district,
            overseas=rng.random() < 0.1,
            availability=rng.choices(list(Availability.values), weights=[70, 22, 8])[0],
            channel=rng.choice(CHANNELS),
            mobile=f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
            id_number=_id_number(rng, district, birth, sex),
            email=f"expert{n:03d}@example.cn",
        )
        for _ in range(rng.randint(1, 5)):
            kind_of_work = rng.choice([WorkKind.PAPER, WorkKind.PAPER, WorkKind.PROJECT, WorkKind.PATENT])
            role = {
                WorkKind.PAPER: rng.choice([WorkRole.FIRST_AUTHOR, WorkRole.COAUTHOR]),
                WorkKind.PROJECT: rng.choice([WorkRole.PI, WorkRole.CO_PI]),
                WorkKind.PATENT: WorkRole.INVENTOR,
            }[kind_of_work]
            services.add_work(
                expert=expert,
                by=curator,
                kind=kind_of_work,
                title=rng.choice(stems).format(rng.choice(chosen_keywords)),
                year=rng.randint(2012, 2025),
                role=role,
                coauthors=[fake.name() for _ in range(rng.randint(0, 3))],
            )
        if rng.random() < 0.3:
            past = rng.choice([u for u, _k in UNITS if u != unit])
            services.add_affiliation(
                expert=expert, by=curator, organization_name=past, start_year=birth + 25, end_year=birth + 32
            )
        created.append(expert)
    # A few advisor–student links inside the library, for the conflict-of-interest check.
    for advisor, student in zip(created[10:20], created[20:30], strict=True):
        services.add_mentorship(by=curator, advisor=advisor, student=student)
    services.reject_expert(expert=created[5], by=curator, reason="工作单位信息无法核实，请补充证明材料。")
    transaction.on_commit(lambda: search.rebuild(kinds=[SearchKind.EXPERT]))
