"""Demo data of the talent app for `kexie demo`: idempotent, deterministic, through the services.

- a national nomination round (2026 中国青年科技奖, nominating, on the engine with a channel and codes)
  and a Chongqing award in publicity (2026 重庆市创新争先奖 run on the engine: dossiers, a scoring
  round by two reviewers, decisions, 公示 open for objections);
- a campaign with public votes (最美科技工作者, votes over several days, one burst flagged);
- a 托举 cohort in its second year (reports of year 1 filed, instalments paid) and a login for a
  supported young scientist;
- academician pairs, the 增选 ledger with a login for 院士工作服务中心, top talents and
  engagements, the engineers' union with excellent engineers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import add_membership, create_user
from kexie.calls import services as calls
from kexie.experts import services as expert_services
from kexie.experts.enums import Honour, ProfessionalTitle, VerificationState
from kexie.experts.models import Expert
from kexie.talent.enums import (
    CandidateState,
    EngagementKind,
    EngineerField,
    NominationOutcome,
    PairActivityKind,
    RoundState,
    ServiceKind,
)
from kexie.talent.models import Award, Cohort
from kexie.talent.services import academicians, awards, engine, programme

DEMO_PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password (kexie/site/demo.py)

# (name, sex, birth date, organization, district code, deeds)
PEOPLE = [
    (
        "陈思远",
        "male",
        date(1988, 3, 12),
        "重庆大学",
        "500106",
        "长期从事高性能镁合金研究,成果在汽车轻量化中批量应用。",
    ),
    (
        "李雨桐",
        "female",
        date(1990, 7, 8),
        "西南大学",
        "500109",
        "围绕柑橘病害绿色防控开展研究,技术覆盖三峡库区果园。",
    ),
    ("王浩然", "male", date(1985, 11, 2), "重庆邮电大学", "500108", "在工业互联网标识解析方向取得系列成果。"),
    ("张婧", "female", date(1987, 1, 20), "陆军军医大学", "500106", "在创伤救治新技术研究中作出突出贡献。"),
    ("刘明轩", "male", date(1979, 9, 30), "中国汽车工程研究院", "500112", "主持新能源汽车安全评价体系建设。"),
    ("赵一诺", "female", date(1992, 4, 16), "重庆医科大学", "500103", "在儿童罕见病基因诊断方面取得突破。"),
    ("周子航", "male", date(1983, 6, 5), "长安汽车", "500112", "带领团队攻克智能驾驶域控制器关键技术。"),
    (
        "吴佳怡",
        "female",
        date(1991, 12, 1),
        "重庆交通大学",
        "500108",
        "研究山地城市桥梁健康监测,应用于多座跨江大桥。",
    ),
]


def _user(username: str, full_name: str, org_name: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_user(
            username=username, full_name=full_name, password=DEMO_PASSWORD, must_change_password=False
        )
    org = Organization.objects.get(name=org_name)
    if not user.memberships.filter(organization=org, role=role).exists():
        add_membership(user=user, organization=org, role=role)
    return user


def _person(index: int) -> dict:
    name, sex, birth, org, district, deeds = PEOPLE[index % len(PEOPLE)]
    return {
        "name": name,
        "sex": sex,
        "birth_date": birth,
        "organization_name": org,
        "district": district,
        "deeds": deeds,
    }


def _advance(round_, by, to) -> None:
    for step in awards.ROUND_ORDER[
        awards.ROUND_ORDER.index(round_.state) + 1 : awards.ROUND_ORDER.index(to) + 1
    ]:
        awards.advance_round(round=round_, by=by, to=step)


def _awards(users: dict, today: date, supported_expert: Expert) -> None:
    zuzhi, xuanchuan = users["zuzhi_staff"], users["xuanchuan_staff"]
    catalogue = {a.code: a for a in Award.objects.all()}
    year = today.year
    # A national nomination round, taking nominations (the association recommends two).
    national = awards.open_round(
        award=catalogue["youth_sci_tech"], year=year, by=zuzhi, quota=2, reference_date=date(year, 6, 30)
    )
    _advance(national, zuzhi, RoundState.NOMINATING)
    for i in (0, 1, 5, 7):
        awards.add_nomination(round=national, by=zuzhi, channel="重庆大学科协", **_person(i))
    # The round also runs on the 申报评审 engine: a call with the award's eligibility, a channel
    # (渝中区科协, three places) and a first batch of nomination codes.
    call = engine.create_round_call(
        round_=national,
        organiser=Organization.objects.get(name="组织人事部"),
        by=zuzhi,
        closes_at=timezone.now() + timedelta(days=30),
    )
    channel = calls.add_channel(
        call, Organization.objects.get(name="渝中区科学技术协会"), 3, by=zuzhi, admins=[users["yuzhong"]]
    )
    codes = calls.issue_codes(channel, 5, by=zuzhi)
    calls.open_call(call, by=zuzhi)
    # One dossier already in through the channel: 渝中区科协 files its nominee with a code, the
    # unit's endorsement is done, and it waits on 渝中区科协's to-do list for the channel's.
    yuzhong, person = users["yuzhong"], _person(3)
    dossier = calls.create_submission(
        call=call,
        applicant=yuzhong,
        code=codes[0].code,
        title=f"{person['name']}同志推荐材料",
        organization_name=person["organization_name"],
        by=yuzhong,
    )
    data = {k: person[k] for k in ("name", "sex", "district", "deeds")}
    calls.save_draft(dossier, by=yuzhong, data={**data, "birth_date": person["birth_date"].isoformat()})
    calls.endorse(calls.submit(dossier, by=yuzhong), by=yuzhong)
    # A Chongqing award in publicity; one winner is a supported young scientist.
    municipal = awards.open_round(award=catalogue["cq_innovation_pioneer"], year=year, by=zuzhi, quota=3)
    _advance(municipal, zuzhi, RoundState.NOMINATING)
    _municipal_on_engine(municipal, zuzhi, supported_expert, today)
    # Last year's 十佳科技青年奖, published: its winners carry the honour.
    last = awards.open_round(award=catalogue["cq_top_ten_youth"], year=year - 1, by=zuzhi, quota=2)
    _advance(last, zuzhi, RoundState.NOMINATING)
    done = [awards.add_nomination(round=last, by=zuzhi, **_person(i)) for i in (5, 7, 1)]
    _advance(last, zuzhi, RoundState.REVIEWING)
    for nomination, outcome in zip(
        done,
        [NominationOutcome.WINNER, NominationOutcome.WINNER, NominationOutcome.NOT_SELECTED],
        strict=True,
    ):
        awards.decide_nomination(nomination=nomination, outcome=outcome, by=zuzhi)
    _advance(last, zuzhi, RoundState.CLOSED)
    # A campaign with a public vote running this week.
    campaign = awards.open_round(
        award=catalogue["most_beautiful_worker"],
        year=year,
        by=xuanchuan,
        voting_opens=today - timedelta(days=5),
        voting_closes=today + timedelta(days=9),
        vote_weight=Decimal("0.30"),
        burst_limit=6,
    )
    _advance(campaign, xuanchuan, RoundState.NOMINATING)
    candidates = [awards.add_nomination(round=campaign, by=xuanchuan, **_person(i)) for i in range(5)]
    _advance(campaign, xuanchuan, RoundState.REVIEWING)
    voters = sorted(users.values(), key=lambda u: u.username)
    for day_back in range(5, 0, -1):
        moment = timezone.make_aware(datetime.combine(today - timedelta(days=day_back), time(10)))
        for k, voter in enumerate(voters):
            choice = candidates[(k * 3 + day_back) % 4 if k % 3 else 0]
            awards.cast_vote(nomination=choice, user=voter, ip=f"10.{day_back}.{k}.8", now=moment)
    # A burst: seven votes from one address within the hour, flagged for staff.
    moment = timezone.make_aware(datetime.combine(today - timedelta(days=1), time(22)))
    for k in range(7):
        voter = _user(f"voter{k + 1}", f"投票人{k + 1}", "重庆市科学技术协会", Role.VOLUNTEER)
        awards.cast_vote(
            nomination=candidates[4], user=voter, ip="172.16.5.20", now=moment + timedelta(minutes=k)
        )


def _reviewer(username: str, name: str, org: str, by) -> Expert:
    user = _user(username, name, "重庆市科学技术协会", Role.EXPERT)
    expert = Expert.objects.filter(user=user).first()
    return expert or _expert(name, by, organization_name=org, user=user, keywords=["新材料", "智能制造"])


def _municipal_on_engine(municipal, zuzhi, supported_expert: Expert, today: date) -> None:
    """The Chongqing award's round run on the 申报评审 engine up to 公示: five dossiers (one of them a
    托举 person, flagged on the review pages), the organiser's check, a scoring round by two
    reviewers, decisions, and the public 公示 page open for objections."""
    call = engine.create_round_call(
        round_=municipal,
        organiser=Organization.objects.get(name="组织人事部"),
        by=zuzhi,
        closes_at=timezone.now() + timedelta(days=1),
        needs_code=False,
    )
    calls.update_call(call, by=zuzhi, endorsement_chain=["organiser"], publicity_days=7)
    calls.open_call(call, by=zuzhi)
    people = [_person(i) for i in (2, 3, 4, 6)]
    people.append(
        {
            "name": supported_expert.name,
            "sex": "male",
            "birth_date": date(1993, 10, 9),
            "organization_name": supported_expert.organization_name,
            "district": "500106",
            "deeds": "托举期间在柔性电子材料方向取得系列原创成果。",
        }
    )
    dossiers = []
    for person in people:
        # The supported scientist files his own dossier; the others are filed by the department.
        applicant = supported_expert.user if person["name"] == supported_expert.name else zuzhi
        s = calls.create_submission(
            call=call,
            applicant=applicant,
            title=f"{person['name']}同志推荐材料",
            organization_name=person["organization_name"],
            by=zuzhi,
        )
        data = {k: person[k] for k in ("name", "sex", "district", "deeds")}
        calls.save_draft(s, by=applicant, data={**data, "birth_date": person["birth_date"].isoformat()})
        s = calls.endorse(calls.submit(s, by=applicant), by=zuzhi)
        dossiers.append(calls.formal_check(s, by=zuzhi, outcome="pass"))
    calls.close_call(call, by=zuzhi)
    reviewers = [
        _reviewer("talent_reviewer1", "罗文博", "重庆理工大学", zuzhi),
        _reviewer("talent_reviewer2", "邱雅琴", "重庆交通大学", zuzhi),
    ]
    review_round = calls.add_round(
        call,
        by=zuzhi,
        name="评审委员会评审",
        rubric=[{"key": "merit", "label": "创新贡献", "min": 0, "max": 100}],
        reviewers_per_submission=2,
        max_load=5,
    )
    for reviewer in calls.invite_reviewers(review_round, reviewers, by=zuzhi):
        calls.accept(reviewer, by=reviewer.expert.user)
    calls.assign(review_round, by=zuzhi)
    marks = dict(zip((s.pk for s in dossiers), (93, 90, 71, 68, 88), strict=True))
    for a in review_round.assignments.filter(active=True).select_related("reviewer__expert__user"):
        bonus = 3 if a.reviewer.expert.name == "罗文博" else 0
        calls.score(a, by=a.reviewer.expert.user, scores={"merit": marks[a.submission_id] - bonus})
    calls.close_round(review_round, by=zuzhi)
    calls.decide(call, by=zuzhi, rule={"top_n": 3})
    calls.open_publicity(call, by=zuzhi, start=today)
    municipal.refresh_from_db()  # the decisions moved it to review
    _advance(municipal, zuzhi, RoundState.PUBLICITY)


def _expert(name: str, by, **data) -> Expert:
    existing = Expert.objects.filter(name=name, organization_name=data.get("organization_name", "")).first()
    if existing:
        return existing
    data.setdefault("title", ProfessionalTitle.PROFESSOR)
    return expert_services.create_expert(by=by, name=name, state=VerificationState.VERIFIED, **data)


def _programme(users: dict, today: date) -> Expert:
    zuzhi = users["zuzhi_staff"]
    starts = date(today.year - 1, 9, 1) if today.month >= 9 else date(today.year - 2, 9, 1)
    cohort = programme.create_cohort(
        name=f"{starts.year}年度青年科技人才托举工程",
        year=starts.year,
        starts_on=starts,
        annual_amount=Decimal("15"),
        by=zuzhi,
    )
    login = _user("tuoju_demo", "何俊杰", "重庆市科学技术协会", Role.EXPERT)
    own = _expert(
        "何俊杰",
        zuzhi,
        organization_name="重庆大学",
        title=ProfessionalTitle.ASSOCIATE_PROFESSOR,
        birth_year=1993,
        sex="male",
        user=login,
        research_areas="柔性电子材料",
        disciplines=["E0201"],
    )
    mentors = [
        ("潘复生", "重庆大学"),
        ("周绪红", "重庆大学"),
        ("魏于全", "四川大学"),
        ("黄维", "西北工业大学"),
    ]
    people = [
        programme.add_supported_person(
            cohort=cohort,
            by=zuzhi,
            expert=own,
            name="何俊杰",
            sex="male",
            birth_date=date(1993, 10, 9),
            organization_name="重庆大学",
            district="500106",
            project_title="可拉伸柔性电子材料的界面调控",
            mentors=[{"name": mentors[0][0], "organization_name": mentors[0][1]}],
        )
    ]
    for i in (1, 3, 5, 7):
        facts = _person(i)
        facts.pop("deeds")
        people.append(
            programme.add_supported_person(
                cohort=cohort,
                by=zuzhi,
                project_title=f"{facts['organization_name']}青年托举项目",
                mentors=[{"name": mentors[i % 4][0], "organization_name": mentors[i % 4][1]}],
                **facts,
            )
        )
    # Year 1 is over: instalments of years 1 and 2 paid, year-1 reports filed (one late).
    for k, person in enumerate(people):
        for instalment in person.instalments.filter(number__lte=2):
            programme.pay_instalment(
                instalment=instalment, by=zuzhi, paid_on=instalment.due_on + timedelta(days=12)
            )
        report = person.reports.get(support_year=1)
        delay = 9 if k == 3 else -6
        when = timezone.make_aware(datetime.combine(report.due_on + timedelta(days=delay), time(15)))
        programme.submit_report(
            report=report,
            by=login if k == 0 else zuzhi,
            progress="完成第一年度研究任务,发表论文2篇,申请发明专利1项。",
            outputs="论文2篇;发明专利申请1项",
            now=when,
        )
        if k != 4:
            programme.review_report(report=report, by=zuzhi, accept=True)
    return own


def _academicians(users: dict, today: date) -> None:
    zuzhi = users["zuzhi_staff"]
    centre = _user("yuanshi_centre", "钱院服", "院士工作服务中心", Role.DEPARTMENT_STAFF)
    academicians_ = [
        _expert(
            name,
            zuzhi,
            organization_name=org,
            honours=[honour],
            birth_year=birth,
            sex="male",
            disciplines=["E0101"],
        )
        for name, org, honour, birth in (
            ("潘复生", "重庆大学", Honour.CAE_ACADEMICIAN, 1962),
            ("周绪红", "重庆大学", Honour.CAE_ACADEMICIAN, 1956),
            ("刘汉龙", "重庆大学", Honour.CAE_ACADEMICIAN, 1964),
        )
    ]
    young = [
        _expert(
            n,
            zuzhi,
            organization_name=o,
            title=ProfessionalTitle.ASSOCIATE_PROFESSOR,
            birth_year=b,
            disciplines=["E0101"],
        )
        for n, o, b in (
            ("郑楷", "重庆大学", 1990),
            ("孙蔓", "重庆交通大学", 1991),
            ("马骁", "重庆科技大学", 1989),
        )
    ]
    topics = ["高性能镁合金与轻量化", "山地城市钢结构体系", "岩土工程灾害防控"]
    for k, (a, y) in enumerate(zip(academicians_, young, strict=True)):
        pair = academicians.create_pair(
            academician=a,
            scientist=y,
            topic=topics[k],
            starts_on=date(today.year - 1, 3, 1),
            ends_on=date(today.year + 1, 12, 31),
            by=zuzhi,
        )
        for j, kind in enumerate(
            (PairActivityKind.GUIDANCE, PairActivityKind.LECTURE, PairActivityKind.EXCHANGE)[: k + 1]
        ):
            academicians.add_pair_activity(
                pair=pair,
                by=zuzhi,
                kind=kind,
                held_on=today - timedelta(days=30 * (j + 1)),
                title=f"{a.name}院士{['指导课题设计', '学术讲座', '参加学术交流会'][j]}",
            )
        academicians.save_pair_summary(
            pair=pair, year=today.year - 1, text="完成年度带培计划,合作发表论文1篇。", by=zuzhi
        )
    for name, org, academy, division, state in (
        ("冯建国", "重庆大学", "cae", "机械与运载工程学部", CandidateState.FIRST_ROUND),
        ("唐晓岚", "西南大学", "cas", "生命科学和医学学部", CandidateState.NOMINATED),
    ):
        candidate = academicians.create_candidate(
            by=centre,
            name=name,
            organization_name=org,
            academy=academy,
            division=division,
            election_year=today.year + (1 if today.year % 2 == 0 else 0),
            materials=["提名书", "代表性论著", "学术成就摘要", "推荐单位意见"],
        )
        for item in ("提名书", "代表性论著"):
            academicians.check_material(
                candidate=candidate, item=item, done=True, by=centre, on=today - timedelta(days=40)
            )
        academicians.add_candidate_event(
            candidate=candidate,
            by=centre,
            happened_on=today - timedelta(days=60),
            kind=ServiceKind.MATERIALS,
            description="审核提名材料,提出修改意见",
        )
        academicians.add_candidate_event(
            candidate=candidate,
            by=centre,
            happened_on=today - timedelta(days=20),
            kind=ServiceKind.TRAINING,
            description="组织答辩演练",
        )
        academicians.set_candidate_state(candidate=candidate, state=CandidateState.NOMINATED, by=centre)
        if state == CandidateState.FIRST_ROUND:
            academicians.set_candidate_state(candidate=candidate, state=state, by=centre)
    for name, org, field, honours, engagements in (
        (
            "欧阳明",
            "清华大学",
            "人工智能",
            "中国科学院院士",
            [("重庆长安汽车股份有限公司", "500112", EngagementKind.JOINT_LAB, "智能驾驶联合实验室")],
        ),
        (
            "白雪",
            "浙江大学",
            "生物医药",
            "国家杰出青年科学基金获得者",
            [
                ("重庆医科大学", "500103", EngagementKind.PROJECT, "罕见病药物联合攻关"),
                ("重庆国际生物城", "500113", EngagementKind.CONSULTING, "产业规划咨询"),
            ],
        ),
        (
            "顾长风",
            "上海交通大学",
            "集成电路",
            "中国工程院院士",
            [("西部(重庆)科学城", "500106", EngagementKind.POST, "特聘首席科学家")],
        ),
        (
            "林海",
            "中国科学院大学",
            "新材料",
            "长江学者",
            [("重庆大学", "500106", EngagementKind.LECTURE, "科创中国@重庆双月论坛主旨报告")],
        ),
    ):
        talent = academicians.add_top_talent(
            by=zuzhi,
            name=name,
            organization_name=org,
            field=field,
            honours=honours,
            joined_year=today.year - 1,
        )
        for organization_name, district, kind, title in engagements:
            academicians.add_engagement(
                talent=talent,
                by=zuzhi,
                organization_name=organization_name,
                district=district,
                kind=kind,
                title=title,
                starts_on=today - timedelta(days=120),
            )
    kechuang = users["kechuang_staff"]
    for org, district, engineers in (
        (
            "重庆长安汽车股份有限公司",
            "500112",
            [("邓志强", EngineerField.MECHANICAL, today.year - 1), ("付蓉", EngineerField.ELECTRONIC, None)],
        ),
        (
            "中冶赛迪集团有限公司",
            "500103",
            [("韩建平", EngineerField.MATERIALS, today.year), ("秦朗", EngineerField.CIVIL, None)],
        ),
        (
            "重庆京东方光电科技有限公司",
            "500106",
            [("杨帆", EngineerField.ELECTRONIC, today.year), ("蒋敏", EngineerField.ELECTRONIC, None)],
        ),
    ):
        member = academicians.add_union_member(
            by=kechuang, organization_name=org, district=district, joined_on=date(today.year - 1, 5, 20)
        )
        for name, field, year in engineers:
            academicians.add_engineer(
                member=member, by=kechuang, name=name, field=field, title="正高级工程师", excellent_year=year
            )


@transaction.atomic
def load_demo(users: dict) -> list[tuple[str, str]]:
    """Load the app's demo data; return the demo logins it created as (username, description)."""
    awards.sync_catalogue()
    logins = [
        ("tuoju_demo", "托举工程 supported young scientist (files progress reports)"),
        ("talent_reviewer1", "评审专家 reviewer of the 重庆市创新争先奖 round (scores on the calls pages)"),
        ("talent_reviewer2", "评审专家 reviewer of the 重庆市创新争先奖 round"),
        ("yuanshi_centre", "院士工作服务中心 (the confidential 院士增选 ledger)"),
    ]
    if Cohort.objects.exists():
        return logins
    today = timezone.localdate()
    supported = _programme(users, today)
    _awards(users, today, supported)
    _academicians(users, today)
    return logins
