"""Demo data of the literacy module: the question bank (seed + demo items, reviewed), a published reader,
an assessment with attempts, a running contest with past rounds across districts, the published
Chongqing rates, the annual literacy survey of 2025 (synthetic responses, margins, weighted rate), and
the measure-9 target bound to the computed indicator. Idempotent, deterministic."""

from __future__ import annotations

import csv
import math
import random
import secrets
from datetime import timedelta

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Membership, Organization, User
from kexie.accounts.queries import district_associations
from kexie.accounts.services import add_membership, create_user
from kexie.core.services import record_event
from kexie.literacy import scoring, services
from kexie.literacy.enums import PublishState, QuestionKind, ReviewState
from kexie.literacy.models import (
    Assessment,
    AssessmentAttempt,
    Chapter,
    Contest,
    ContestAnswer,
    Contestant,
    ContestAttempt,
    ContestBest,
    Dimension,
    LiteracySurvey,
    Question,
    ReaderVisit,
    ScoringRule,
)
from kexie.literacy.services import survey as survey_services
from kexie.policy.services import bind_target_indicators
from kexie.surveys import services as surveys
from kexie.surveys.demo import POPULATION, margins_workbook
from kexie.surveys.models import Answer as SurveyAnswer
from kexie.surveys.models import Response as SurveyResponse

PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password
CONTEST_TITLE = "2026年重庆市全民科学素质网络竞赛"
CITIZENS = 240

CHAPTERS = [
    (
        1,
        "身边的科学：从一杯水说起",
        "物理",
        "水为什么在100℃沸腾？光和声音怎样传播？从日常现象出发认识物质与能量的基本规律。",
    ),
    (2, "生命与健康", "健康", "认识人体、疫苗和抗生素，学会合理膳食、科学就医，远离健康谣言。"),
    (3, "地球与宇宙", "地球与宇宙", "从地球自转、四季成因到太阳系，理解我们所在的世界。"),
    (4, "像科学家一样思考", "科学方法", "对照实验、随机抽样、相关与因果：科学方法帮助我们分辨真伪。"),
    (5, "科学精神与科学家精神", "科学精神", "求真务实、质疑批判、爱国奉献：科学精神是科学素质的灵魂。"),
    (6, "应急避险与安全生活", "应急避险", "火灾、地震、触电、燃气泄漏时该怎么做？掌握关键的自救互救知识。"),
]
BODY = (
    "{summary}\n\n本章围绕“{topic}”主题，结合重庆市民日常生活中的常见场景，介绍相关的基本概念和科学原理，"
    "并配有练习题，帮助读者为科学素质测评和网络竞赛做好准备。\n\n"
    "阅读建议：先通读全文，再完成章末练习；遇到不理解的概念，可以到社区科普大学或科技馆进一步学习。"
)
LETTERS = "ABCDEFGH"


def _extra_user(username: str, full_name: str, org_name: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_user(
            username=username, full_name=full_name, password=PASSWORD, must_change_password=False
        )
        add_membership(user=user, organization=Organization.objects.get(name=org_name), role=role)
    return user


def _load_demo_items(*, author: User, reviewer: User) -> None:
    dimensions = {d.code: d for d in Dimension.objects.all()}
    now = timezone.now()
    with (services.SEED_DIR / "literacy_demo_items.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if Question.objects.filter(external_id=row["id"]).exists():
            continue
        kind = row["kind"]
        if kind == QuestionKind.TRUE_FALSE:
            options, answer = services.TRUE_FALSE_OPTIONS, [0 if row["answer"] == "对" else 1]
        else:
            options, answer = row["options"].split("|"), [LETTERS.index(ch) for ch in row["answer"]]
        Question.objects.create(
            external_id=row["id"],
            dimension=dimensions[row["dimension"]],
            kind=kind,
            text=row["text"],
            options=options,
            answer=answer,
            difficulty=int(row["difficulty"]),
            explanation=row["explanation"],
            source="重庆市科协科普部编写（演示题）",
            topic=row["topic"],
            audiences=["youth", "workers", "farmers", "elderly", "officials"][
                : 2 + int(row["difficulty"]) % 4
            ],
            state=ReviewState.REVIEWED,
            created_by=author,
            reviewed_by=reviewer,
            reviewed_at=now,
        )
    record_event(None, "literacy.question.import", actor=author, after={"demo_items": len(rows)})


def _citizens(
    districts: list[Organization], units: list[Organization], rng: random.Random
) -> list[Contestant]:
    """Citizens across the districts, weighted towards the main urban districts (bulk: one password hash)."""
    fake = Faker("zh_CN")
    fake.seed_instance(2026)
    password = make_password(PASSWORD)
    weights = [
        4 if d.code in {"500103", "500105", "500106", "500107", "500108", "500112"} else 1 for d in districts
    ]
    users = [
        User(
            username=f"citizen{n:03d}",
            full_name=fake.name(),
            password=password,
            email=f"citizen{n:03d}@kexie.example",
        )
        for n in range(1, CITIZENS + 1)
    ]
    User.objects.bulk_create(users)
    users = list(
        User.objects.filter(username__startswith="citizen")
        .exclude(username="citizen_demo")
        .order_by("username")
    )
    chosen = rng.choices(districts, weights=weights, k=len(users))
    Membership.objects.bulk_create(
        Membership(user=u, organization=d, role=Role.VOLUNTEER) for u, d in zip(users, chosen, strict=True)
    )
    Contestant.objects.bulk_create(
        Contestant(user=u, district=d, organization=rng.choice(units) if rng.random() < 0.5 else None)
        for u, d in zip(users, chosen, strict=True)
    )
    record_event(None, "literacy.contestant.register", actor_name="demo", after={"citizens": len(users)})
    return list(Contestant.objects.filter(user__in=users).select_related("user"))


def _past_rounds(contest: Contest, contestants: list[Contestant], rng: random.Random) -> None:
    ids = list(services.contest_pool(contest).values_list("pk", flat=True))
    answers_of = dict(Question.objects.filter(pk__in=ids).values_list("pk", "answer"))
    options_of = dict(Question.objects.filter(pk__in=ids).values_list("pk", "options"))
    today = timezone.localdate()
    now = timezone.now()
    points = services.points_per_question(contest)
    best: dict[int, tuple[int, object]] = {}
    rounds: dict[int, int] = {}
    for contestant in contestants:
        skill = rng.uniform(0.45, 0.95)
        days = sorted(rng.sample(range(1, 20), rng.randint(1, 4)), reverse=True)
        for back in days:
            day = today - timedelta(days=back)
            started = now - timedelta(days=back, minutes=rng.randint(0, 600))
            drawn = rng.sample(ids, contest.questions_per_round)
            attempt = ContestAttempt.objects.create(
                contest=contest,
                user=contestant.user,
                day=day,
                district_id=contestant.district_id,
                organization_id=contestant.organization_id,
                question_ids=drawn,
                position=len(drawn),
                started_at=started,
            )
            rows, score, correct = [], 0, 0
            served = started
            for position, qid in enumerate(drawn):
                ok = rng.random() < skill
                key = answers_of[qid]
                choice = key if ok else [next(i for i in range(len(options_of[qid])) if [i] != key)]
                elapsed = rng.uniform(4, 26)
                rows.append(
                    ContestAnswer(
                        attempt=attempt,
                        position=position,
                        question_id=qid,
                        served_at=served,
                        answered_at=served + timedelta(seconds=elapsed),
                        choice=choice,
                        is_correct=ok,
                        points=points if ok else 0,
                    )
                )
                served += timedelta(seconds=elapsed + 1)
                score += points if ok else 0
                correct += ok
            ContestAnswer.objects.bulk_create(rows)
            ContestAttempt.objects.filter(pk=attempt.pk).update(
                score=score, correct=correct, finished_at=served
            )
            rounds[contestant.pk] = rounds.get(contestant.pk, 0) + 1
            if contestant.pk not in best or score > best[contestant.pk][0]:
                best[contestant.pk] = (score, served)
    ContestBest.objects.bulk_create(
        ContestBest(
            contest=contest,
            user=c.user,
            district_id=c.district_id,
            organization_id=c.organization_id,
            best_score=best[c.pk][0],
            rounds=rounds[c.pk],
            best_at=best[c.pk][1],
        )
        for c in contestants
        if c.pk in best
    )
    record_event(
        contest, "literacy.contest.demo_rounds", actor_name="demo", after={"rounds": sum(rounds.values())}
    )


def _assessment_attempts(assessment: Assessment, contestants: list[Contestant], rng: random.Random) -> None:
    items = list(assessment.items.select_related("question"))
    rule = assessment.rule
    now = timezone.now()
    rows = []
    for contestant in contestants:
        skill = rng.betavariate(3.2, 4.2)
        answers, flags = {}, []
        for item in items:
            ok = rng.random() < skill
            key = item.question.answer
            answers[str(item.question_id)] = (
                key if ok else [next(i for i in range(len(item.question.options)) if [i] != key)]
            )
            flags.append(ok)
        result = scoring.score_paper(
            points=[i.points for i in items],
            correct_flags=flags,
            kind=rule.kind,
            tiers=rule.tiers,
            pass_share=rule.pass_share,
            pass_label=rule.pass_label,
            fail_label=rule.fail_label,
        )
        rows.append(
            AssessmentAttempt(
                assessment=assessment,
                user=contestant.user,
                district_id=contestant.district_id,
                answers=answers,
                correct=result.correct,
                score=result.score,
                tier=result.tier,
                literate=result.literate,
                submitted_at=now - timedelta(days=rng.randint(1, 25), minutes=rng.randint(0, 600)),
            )
        )
    AssessmentAttempt.objects.bulk_create(rows)
    record_event(
        assessment, "literacy.assessment.demo_attempts", actor_name="demo", after={"attempts": len(rows)}
    )


@transaction.atomic
def load_demo(users: dict[str, User]) -> None:  # noqa: PLR0915 - a linear demo script
    if Contest.objects.filter(title=CONTEST_TITLE).exists():
        return
    rng = random.Random(2026)  # noqa: S311 - deterministic demo data
    head = users["kepu_head"]
    editor = _extra_user("kepu_editor", "何科普", "科学技术普及部", Role.DEPARTMENT_STAFF)
    services.load_reference_data(by=head)
    _load_demo_items(author=editor, reviewer=head)
    # Two drafts waiting for review, one rejected.
    knowledge = Dimension.objects.get(code="knowledge")
    services.create_question(
        by=editor,
        dimension=knowledge,
        kind=QuestionKind.SINGLE,
        text="重庆被称为“桥都”，主要是因为？",
        options=["桥梁数量多、类型丰富", "只有一座桥", "桥都建在平原上"],
        answer=[0],
        difficulty=2,
        explanation="重庆山水交织，建有大量不同类型的桥梁。",
        topic="重庆科技",
        audiences=["youth"],
    )
    services.create_question(
        by=editor,
        dimension=Dimension.objects.get(code="application"),
        kind=QuestionKind.TRUE_FALSE,
        text="手机充电时边充边长时间玩大型游戏，会使电池发热加剧。",
        options=[],
        answer=[0],
        difficulty=2,
        explanation="高负载与充电同时进行会增加发热。",
        topic="信息技术",
        audiences=["youth", "workers"],
    )
    rejected = services.create_question(
        by=editor,
        dimension=knowledge,
        kind=QuestionKind.TRUE_FALSE,
        text="人类只使用了大脑的10%。",
        options=[],
        answer=[0],
        difficulty=2,
        explanation="",
        topic="健康",
        audiences=[],
    )
    services.review_question(
        question=rejected, by=head, approve=False, note="答案错误：这是流传甚广的误解，人脑各区域都在使用。"
    )

    # The reader: six published chapters, each linked to the questions of its topic.
    for number, title, topic, summary in CHAPTERS:
        chapter = services.save_chapter(
            by=editor,
            number=number,
            title=title,
            summary=summary,
            body=BODY.format(summary=summary, topic=topic),
            questions=Question.objects.filter(topic=topic, state=ReviewState.REVIEWED)[:10],
        )
        services.publish_chapter(chapter=chapter, by=head)

    graded = ScoringRule.objects.get(name=services.GRADED_RULE)
    benchmark = ScoringRule.objects.get(name=services.BENCHMARK_RULE)
    blueprint = {d.code: d.weight for d in Dimension.objects.all()}
    mix = {"easy": 40, "medium": 40, "hard": 20}
    assessment = services.create_assessment(
        by=editor,
        title="2026年公民科学素质测评（20题）",
        rule=graded,
        item_count=20,
        blueprint=blueprint,
        difficulty_mix=mix,
        seed=2026,
    )
    services.publish_assessment(assessment=assessment, by=head)
    services.create_assessment(
        by=editor,
        title="《基准》测评练习卷（50题×2分）",
        rule=benchmark,
        item_count=50,
        blueprint=blueprint,
        difficulty_mix=mix,
        seed=84,
    )

    today = timezone.localdate()
    contest = services.save_contest(
        by=editor,
        title=CONTEST_TITLE,
        topic="",
        dimension=None,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
        questions_per_round=20,
        seconds_per_question=30,
    )
    services.publish_contest(contest=contest, by=head)
    themed = services.save_contest(
        by=editor,
        title="应急科普专题赛",
        topic="应急避险",
        dimension=None,
        starts_on=today,
        ends_on=today + timedelta(days=14),
        questions_per_round=10,
        seconds_per_question=30,
    )
    services.publish_contest(contest=themed, by=head)

    districts = list(district_associations())
    units = list(
        Organization.objects.filter(
            kind__in=[
                OrganizationKind.SOCIETY,
                OrganizationKind.AFFILIATED_UNIT,
                OrganizationKind.UNIVERSITY,
                OrganizationKind.ENTERPRISE,
            ]
        ).order_by("pk")[:12]
    )
    units = units or list(Organization.objects.filter(kind=OrganizationKind.DEPARTMENT).order_by("pk")[:8])
    contestants = _citizens(districts, units, rng)
    _past_rounds(contest, contestants, rng)
    _assessment_attempts(assessment, contestants, rng)
    services.estimate_from_assessments(year=today.year, by=head)
    _annual_survey(head=head, editor=editor, blueprint=blueprint, mix=mix)

    visits = []
    for chapter in Chapter.objects.filter(state=PublishState.PUBLISHED):
        for district in districts:
            for back in range(0, 14, 3):
                visits.append(
                    ReaderVisit(
                        chapter=chapter,
                        district=district,
                        day=today - timedelta(days=back),
                        count=rng.randint(0, 40),
                    )
                )
    ReaderVisit.objects.bulk_create(visits)

    citizen = User.objects.filter(username="citizen_demo").first()
    if citizen is None:
        services.register_citizen(
            username="citizen_demo",
            password=PASSWORD,
            full_name="张小渝",
            district=Organization.objects.get(code="500103"),
            organization=None,
        )
    bind_target_indicators(by=head)


# --- the annual literacy survey of 2025 ---------------------------------------------------------

SURVEY_YEAR = 2025
SURVEY_RESPONSES = 3000
SURVEY_SEED = 2025
CORE_DISTRICTS = ("渝中区", "江北区", "沙坪坝区", "九龙坡区", "南岸区", "渝北区")
# Education by urban/rural (shares of 小学及以下 … 本科及以上) among residents aged 18–69; demo figures.
EDUCATION_SHARE = {"1": [0.12, 0.33, 0.24, 0.15, 0.16], "2": [0.30, 0.45, 0.15, 0.06, 0.04]}
# Log-odds of having science literacy: by education, then shifts for age group and rural residence.
LITERACY_LOGIT = [-4.2, -2.9, -1.7, -0.8, -0.15]
AGE_SHIFT = [0.35, 0.25, 0.0, -0.35, -0.7]
RURAL_SHIFT = -0.35


def _survey_respondents(districts: list[tuple[str, str]], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Who answered: more people from the main urban districts, the young, townspeople and the better
    educated than in the population (so the weighted rate differs from the raw share), every district
    with a few respondents."""
    n = SURVEY_RESPONSES
    pull = np.array(
        [POPULATION.get(name, 50) * (2.5 if name in CORE_DISTRICTS else 1.0) for _code, name in districts]
    )
    district = rng.choice(len(districts), size=n, p=pull / pull.sum())
    district[: 3 * len(districts)] = np.tile(np.arange(len(districts)), 3)
    core = np.isin(district, [i for i, (_c, name) in enumerate(districts) if name in CORE_DISTRICTS])
    urban = np.where(rng.random(n) < np.where(core, 0.97, 0.72), 1, 2)
    age = rng.choice(5, size=n, p=[0.30, 0.26, 0.20, 0.15, 0.09]) + 1
    sex = np.where(rng.random(n) < 0.47, 1, 2)
    education = np.array([rng.choice(5, p=EDUCATION_SHARE[str(u)]) + 1 for u in urban])
    # The young are better educated: shift a third of those under 40 up one level.
    education = np.where((age <= 2) & (rng.random(n) < 0.35), np.minimum(education + 1, 5), education)
    logit = (
        np.array(LITERACY_LOGIT)[education - 1] + np.array(AGE_SHIFT)[age - 1] + (urban == 2) * RURAL_SHIFT
    )
    literate = rng.random(n) < 1 / (1 + np.exp(-logit))
    return {
        "district": district,
        "urban": urban,
        "age": age,
        "sex": sex,
        "education": education,
        "literate": literate,
    }


def _item_answers(items, literate: bool, rng: np.random.Generator) -> list[tuple[str, object]]:
    """Answers as a respondent gives them: enough right items for a literate tier (the demo paper's
    items are worth 5 points each, so 14 of 20 reach 70), or fewer."""
    need = math.ceil(len(items) * 0.7)
    right = int(rng.integers(need, len(items) + 1)) if literate else int(rng.integers(4, need))
    correct = set(rng.choice(len(items), size=right, replace=False).tolist())
    answers = []
    for n, item in enumerate(items):
        key, options = item.question.answer, len(item.question.options)
        if n in correct:
            chosen = [k + 1 for k in key]
        else:
            chosen = [int(rng.choice([i for i in range(options) if [i] != key])) + 1]
        value = [str(v) for v in chosen] if item.question.kind == QuestionKind.MULTIPLE else str(chosen[0])
        answers.append((survey_services.item_code(item.position), value))
    return answers


def _annual_survey(*, head: User, editor: User, blueprint: dict, mix: dict) -> LiteracySurvey:
    """The 2025 literacy survey: ~3000 synthetic responses (bulk-created: the answer pages are tested
    elsewhere), the margins uploaded, a weighting run and the rate computed."""
    paper = services.create_assessment(
        by=editor,
        title="2025年重庆市公民科学素质调查卷（20题）",
        rule=ScoringRule.objects.get(name=services.GRADED_RULE),
        item_count=20,
        blueprint=blueprint,
        difficulty_mix=mix,
        seed=SURVEY_SEED,
    )
    services.publish_assessment(assessment=paper, by=head)
    literacy_survey = services.create_literacy_survey(year=SURVEY_YEAR, assessment=paper, by=head)
    survey = literacy_survey.survey
    questions = {q.code: q for q in surveys.ordered_questions(survey)}
    districts = survey_services.district_options()
    rng = np.random.default_rng(SURVEY_SEED)
    people = _survey_respondents(districts, rng)
    items = list(paper.items.select_related("question").order_by("position"))
    now = timezone.now()
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            resume_token=secrets.token_urlsafe(18),
            submitted_at=now - timedelta(days=int(rng.integers(1, 60)), minutes=int(rng.integers(0, 600))),
        )
        for _n in range(SURVEY_RESPONSES)
    )
    answers = []
    for index, response in enumerate(responses):
        values = [
            ("district", districts[people["district"][index]][0]),
            ("sex", str(people["sex"][index])),
            ("age", str(people["age"][index])),
            ("urban", str(people["urban"][index])),
        ]
        if rng.random() < 0.9:  # education is optional
            values.append(("education", str(people["education"][index])))
        values += _item_answers(items, bool(people["literate"][index]), rng)
        answers.extend(
            SurveyAnswer(response=response, question=questions[code], value=v) for code, v in values
        )
    SurveyAnswer.objects.bulk_create(answers, batch_size=5000)
    record_event(
        survey, "literacy.survey.demo_responses", actor_name="demo", after={"responses": len(responses)}
    )
    scheme = surveys.upload_margins(
        survey=survey,
        file=margins_workbook(districts),
        name="重庆市18–69岁常住人口（区县×性别×年龄×城乡）",
        by=head,
    )
    surveys.run_weighting(scheme=scheme, by=head)
    services.compute_survey_rate(literacy_survey=literacy_survey, by=head)
    return literacy_survey
