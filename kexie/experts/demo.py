"""Demo data of the expert library: three hundred Chongqing experts (seeded), an expert login linked
to a verified profile, a curating head, a few profiles waiting for verification, and the search index
rebuilt for kind "expert".

Works are real public titles (kexie/seed/experts_demo_works.tsv: CSL papers, NSSFC projects and a few
written welding titles, see kexie/seed/experts_README.md); names are generated, and keywords, research
areas and biographies are made from each expert's own works."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

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
WORKS = Path(__file__).resolve().parent.parent / "seed" / "experts_demo_works.tsv"

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


# Units by the first letter of an expert's NSFC code: where such a researcher would work.
UNITS_BY_AREA = {
    "H": ["重庆医科大学", "重庆市中医院", "重庆市人民医院", "重庆大学"],
    "C": ["西南大学", "重庆市农业科学院", "重庆市畜牧科学院", "重庆三峡学院", "重庆师范大学"],
    "G": ["重庆工商大学", "西南政法大学", "重庆大学", "重庆师范大学", "重庆交通大学"],
    "E": ["重庆大学", "重庆理工大学", "重庆交通大学", "中国科学院重庆绿色智能技术研究院",
          "中煤科工集团重庆研究院有限公司", "重庆长安汽车股份有限公司", "重庆三峡学院"],
    "F": ["重庆邮电大学", "重庆大学", "重庆理工大学", "中国科学院重庆绿色智能技术研究院",
          "重庆长安汽车股份有限公司"],
    "B": ["重庆大学", "西南大学", "重庆工商大学", "中国科学院重庆绿色智能技术研究院"],
    "D": ["重庆交通大学", "西南大学", "重庆师范大学", "中煤科工集团重庆研究院有限公司", "重庆三峡学院"],
}  # fmt: skip
UNIT_KINDS = dict(UNITS)


@dataclass
class SeedWork:
    nsfc: str
    field: str
    title: str
    keywords: list[str]
    year: int | None
    source: str


def _seed_works() -> list[list[SeedWork]]:
    """The works of each demo expert, in order (kexie/seed/experts_demo_works.tsv)."""
    groups: dict[int, list[SeedWork]] = defaultdict(list)
    with WORKS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            groups[int(row["expert"])].append(
                SeedWork(
                    nsfc=row["nsfc"],
                    field=row["field"],
                    title=row["title"],
                    keywords=[k.strip() for k in row["keywords"].split("_") if k.strip()],
                    year=int(row["year"]) if row["year"] else None,
                    source=row["source"],
                )
            )
    return [groups[n] for n in sorted(groups)]


def _keywords(works: list[SeedWork]) -> list[str]:
    """Up to five keywords from the works themselves: the first keywords of each work (papers' own
    keywords; words of project titles, see tools/make_expert_seed.py)."""
    seen: dict[str, None] = {}
    for rank in range(3):
        for work in works:
            terms = work.keywords
            if rank < len(terms) and len(terms[rank]) <= 12:
                seen.setdefault(terms[rank], None)
    return list(seen)[:5]


def _biography(
    rng: random.Random,
    *,
    name: str,
    unit: str,
    title: str,
    works: list[SeedWork],
    keywords: list[str],
    areas: str,
) -> str:
    """A short biography from the expert's own works: every sentence carries the expert's content."""
    first = works[0]
    kw = keywords or [first.field]
    areas = areas.replace("；", "与", 1).replace("；", "、")
    opening = rng.choice(
        [
            f"{name}，{unit}{title}。",
            f"{name}现任{unit}{title}。",
            f"{name}，{title}，任职于{unit}。",
        ]
    )
    focus = rng.choice(
        [
            f"主要研究{'、'.join(kw[:3])}等问题。",
            f"研究方向集中在{kw[0]}{'与' + kw[1] if len(kw) > 1 else ''}。",
            f"近年来关注{'、'.join(kw[:2])}，研究领域为{areas}。",
            f"长期在{areas}领域工作，擅长{kw[-1]}。",
        ]
    )
    if first.source == "nssfc":
        year = f"（{first.year}年立项）" if first.year else ""
        work = rng.choice(
            [
                f"主持国家社会科学基金项目“{first.title}”{year}。",
                f"承担国家社科基金项目“{first.title}”{year}，成果供有关部门决策参考。",
            ]
        )
    else:
        work = rng.choice(
            [
                f"代表性成果有《{first.title}》。",
                f"发表《{first.title}》等论文。",
                f"完成“{first.title}”等工作。",
            ]
        )
    extra = ""
    if len(works) > 1:
        extra = rng.choice(
            [
                f"另有“{works[1].title}”等{len(works) - 1}项成果。",
                f"还开展了{works[1].title}方面的工作。",
                "",
            ]
        )
    service = rng.choice(
        [
            f"可为企业提供{kw[0]}方面的技术咨询。",
            f"愿意围绕{kw[-1]}与企业合作攻关。",
            "",
            "",
        ]
    )
    return "".join([opening, focus, work, extra, service])


def _work_kind(rng: random.Random, source: str) -> tuple[str, str]:
    if source == "nssfc":
        return WorkKind.PROJECT, WorkRole.PI
    if source == "written":
        return WorkKind.PROJECT, rng.choice([WorkRole.PI, WorkRole.CO_PI])
    return WorkKind.PAPER, rng.choice([WorkRole.FIRST_AUTHOR, WorkRole.COAUTHOR])


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
    discipline_names = dict(Discipline.objects.filter(level=1).values_list("code", "name"))
    with translation.override("zh-hans"):
        title_names = {value: str(label) for value, label in ProfessionalTitle.choices}
    created: list[Expert] = []
    names: set[str] = set()
    for n, works in enumerate(_seed_works()[:COUNT]):
        prefix = works[0].nsfc
        sex = Sex.FEMALE if rng.random() < 0.3 else Sex.MALE
        name = fake.name_female() if sex == Sex.FEMALE else fake.name_male()
        while name in names:
            name = fake.name_female() if sex == Sex.FEMALE else fake.name_male()
        if n == 0:
            name, sex = "周立新", Sex.MALE
        names.add(name)
        unit = rng.choice(UNITS_BY_AREA.get(prefix[0], [u for u, _k in UNITS]))
        kind = UNIT_KINDS.get(unit, OrganizationKind.OTHER)
        title = rng.choices([t for t, _w in TITLES], weights=[w for _t, w in TITLES])[0]
        if prefix.startswith("H") and rng.random() < 0.4:
            title = ProfessionalTitle.CHIEF_PHYSICIAN
        birth = rng.randint(1958, 1990)
        district = rng.choice(weighted)
        keywords = _keywords(works)
        disciplines = rng.sample(codes_by_prefix.get(prefix, []) or ["F02"], k=1)
        areas = "；".join(
            part for part in dict.fromkeys([works[0].field, discipline_names.get(prefix, "")]) if part
        )
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
            keywords=keywords,
            research_areas=areas,
            biography=_biography(
                rng,
                name=name,
                unit=unit,
                title=title_names[title],
                works=works,
                keywords=keywords,
                areas=areas,
            ),
            district=district,
            overseas=rng.random() < 0.1,
            availability=rng.choices(list(Availability.values), weights=[70, 22, 8])[0],
            channel=rng.choice(CHANNELS),
            mobile=f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
            id_number=_id_number(rng, district, birth, sex),
            email=f"expert{n:03d}@example.cn",
        )
        for work in works:
            kind_of_work, role = _work_kind(rng, work.source)
            services.add_work(
                expert=expert,
                by=curator,
                kind=kind_of_work,
                title=work.title,
                year=work.year or rng.randint(2012, 2025),
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
    _entered_twice(created, curator)
    transaction.on_commit(lambda: search.rebuild(kinds=[SearchKind.EXPERT]))


def _entered_twice(created: list[Expert], curator: User) -> None:
    """One expert entered a second time under a part of their organization, as a sheet from another
    department would list them: the library's possible-duplicates page offers the pair."""
    original = next(e for e in created[10:] if "大学" in e.organization_name and not e.user_id)
    first_work = original.works.order_by("pk").first()
    with translation.override("zh-hans"):
        title = str(original.get_title_display())
    again = services.create_expert(
        by=curator,
        state=VerificationState.UNVERIFIED,
        name=original.name,
        sex=original.sex,
        organization_name=f"{original.organization_name}科学技术研究院",
        organization_kind=original.organization_kind,
        title=original.title,
        disciplines=[d.code for d in original.disciplines.all()],
        keywords=original.keywords[:3],
        district=original.district,
        channel=original.channel,
        biography=(
            f"{original.name}，{original.organization_name}科学技术研究院{title}，"
            f"参与{first_work.title if first_work else original.research_areas}等工作。"
        ),
    )
    if first_work is not None:
        services.add_work(
            expert=again, by=curator, kind=first_work.kind, title=first_work.title, year=first_work.year
        )
