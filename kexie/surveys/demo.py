"""Demo data of surveys: the 科技工作者状况调查 (measures 6 and 16), published with a public link and
three batches of invitation codes to district associations, a few hundred synthetic responses
(seeded), Chongqing population margins for ages 18–69 uploaded, and a weighting run."""

from __future__ import annotations

import io
from datetime import timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from kexie.accounts.models import Organization, User
from kexie.core import reference
from kexie.surveys import services
from kexie.surveys.enums import ConditionOperator, QuestionKind
from kexie.surveys.models import Response, Survey

TITLE = "科技工作者状况调查"
RESPONSES = 420
SEED = 2026

# Resident population by district (万人, rounded, 2020 census), for plausible margins; the share
# aged 18–69 is taken as 70% everywhere. Demo figures, not an official release.
POPULATION = {
    "万州区": 156,
    "涪陵区": 115,
    "渝中区": 59,
    "大渡口区": 42,
    "江北区": 93,
    "沙坪坝区": 148,
    "九龙坡区": 153,
    "南岸区": 120,
    "北碚区": 83,
    "綦江区": 102,
    "大足区": 84,
    "渝北区": 219,
    "巴南区": 118,
    "黔江区": 49,
    "长寿区": 69,
    "江津区": 136,
    "合川区": 124,
    "永川区": 115,
    "南川区": 58,
    "璧山区": 76,
    "铜梁区": 69,
    "潼南区": 69,
    "荣昌区": 67,
    "开州区": 120,
    "梁平区": 65,
    "武隆区": 36,
    "城口县": 20,
    "丰都县": 56,
    "垫江县": 65,
    "忠县": 72,
    "云阳县": 93,
    "奉节县": 74,
    "巫山县": 46,
    "巫溪县": 39,
    "石柱土家族自治县": 39,
    "秀山土家族苗族自治县": 48,
    "酉阳土家族苗族自治县": 56,
    "彭水苗族土家族自治县": 50,
}
SEXES = [("1", "男"), ("2", "女")]
SEX_SHARE = [0.507, 0.493]
AGES = [("1", "18–29岁"), ("2", "30–39岁"), ("3", "40–49岁"), ("4", "50–59岁"), ("5", "60–69岁")]
AGE_SHARE = [0.19, 0.21, 0.22, 0.22, 0.16]
URBAN = [("1", "城镇"), ("2", "乡村")]
URBAN_SHARE = [0.71, 0.29]
BATCHES = [("渝中区科学技术协会", 120), ("江北区科学技术协会", 100), ("万州区科学技术协会", 80)]


def _districts() -> list[tuple[str, str]]:
    return reference.district_choices()


def _build(owner: User, organization: Organization) -> Survey:
    survey = services.create_survey(
        title=TITLE,
        organization=organization,
        description="了解全市科技工作者的工作状况、科研环境与诉求，为科协服务科技工作者提供依据。约需5分钟，匿名填写。",
        closes_at=timezone.now() + timedelta(days=30),
        by=owner,
    )
    add = services.add_question
    basic = services.add_section(survey=survey, title="基本情况", by=owner)
    add(
        section=basic,
        text="您所在的区县",
        kind=QuestionKind.SINGLE,
        code="district",
        options=_districts(),
        by=owner,
    )
    add(section=basic, text="您的性别", kind=QuestionKind.SINGLE, code="sex", options=SEXES, by=owner)
    add(section=basic, text="您的年龄段", kind=QuestionKind.SINGLE, code="age", options=AGES, by=owner)
    add(section=basic, text="您的常住地", kind=QuestionKind.SINGLE, code="urban", options=URBAN, by=owner)
    add(
        section=basic,
        text="您的工作单位类型",
        kind=QuestionKind.SINGLE,
        code="unit",
        options=["高等院校", "科研院所", "企业", "医疗卫生机构", "中小学", "农业技术推广机构", "其他"],
        by=owner,
    )
    work = services.add_section(survey=survey, title="工作与科研", by=owner)
    project = add(
        section=work,
        text="过去一年，您是否主持或参与科研项目？",
        kind=QuestionKind.SINGLE,
        code="project",
        options=["是", "否"],
        by=owner,
    )
    add(
        section=work,
        text="项目经费主要来源（可多选）",
        kind=QuestionKind.MULTIPLE,
        code="funding",
        options=["国家级项目", "市级项目", "企业委托", "单位自筹", "其他"],
        condition=(project, ConditionOperator.EQUALS, "1"),
        by=owner,
    )
    add(section=work, text="您平均每周工作多少小时？", kind=QuestionKind.NUMBER, code="hours", by=owner)
    add(
        section=work,
        text="您对目前工作总体的满意程度",
        kind=QuestionKind.RATING,
        code="satisfaction",
        help_text="1 表示很不满意，5 表示很满意",
        by=owner,
    )
    add(
        section=work,
        text="您对以下科研条件的评价",
        kind=QuestionKind.MATRIX,
        code="environment",
        rows=["科研经费", "仪器设备", "人才政策", "评价机制"],
        options=["满意", "一般", "不满意"],
        by=owner,
    )
    needs = services.add_section(survey=survey, title="诉求与建议", by=owner)
    add(
        section=needs,
        text="您最希望科协提供哪些服务？（可多选）",
        kind=QuestionKind.MULTIPLE,
        code="needs",
        options=["学术交流", "成果转化", "人才举荐", "科普志愿服务", "权益维护", "继续教育"],
        by=owner,
    )
    add(
        section=needs,
        text="您还有哪些意见和建议？",
        kind=QuestionKind.TEXT,
        code="advice",
        required=False,
        by=owner,
    )
    return services.publish_survey(survey=survey, by=owner)


def _answers(
    rng: np.random.Generator, districts: list[tuple[str, str]], index: int, station_code: str | None
) -> dict:
    # Cities' workers answer more: the sample over-represents 渝中/江北/沙坪坝 and the young, which the
    # weighting corrects.
    if station_code:
        district = station_code
    elif index < len(districts):
        district = districts[index][0]  # every district has respondents, so every margin can be met
    else:
        weights = np.array(
            [
                POPULATION.get(name, 50) * (3 if name in ("渝中区", "江北区", "沙坪坝区", "渝北区") else 1)
                for _c, name in districts
            ],
            dtype=float,
        )
        district = districts[rng.choice(len(districts), p=weights / weights.sum())][0]
    project = "1" if rng.random() < 0.55 else "2"
    answers = {
        "district": district,
        "sex": "1" if rng.random() < 0.58 else "2",
        "age": str(rng.choice(5, p=[0.3, 0.3, 0.2, 0.13, 0.07]) + 1),
        "urban": "1" if rng.random() < 0.83 else "2",
        "unit": str(rng.choice(7, p=[0.25, 0.15, 0.3, 0.1, 0.08, 0.07, 0.05]) + 1),
        "project": project,
        "hours": int(np.clip(rng.normal(47, 8), 30, 80)),
        "satisfaction": int(np.clip(round(rng.normal(3.6, 0.9)), 1, 5)),
        "environment": {
            row: str(rng.choice(3, p=p) + 1)
            for row, p in zip(
                ["科研经费", "仪器设备", "人才政策", "评价机制"],
                [[0.3, 0.45, 0.25], [0.4, 0.45, 0.15], [0.35, 0.45, 0.2], [0.2, 0.45, 0.35]],
                strict=True,
            )
        },
        "needs": sorted({str(v + 1) for v in rng.choice(6, size=int(rng.integers(1, 4)), replace=False)}),
    }
    if project == "1":
        answers["funding"] = sorted(
            {str(v + 1) for v in rng.choice(5, size=int(rng.integers(1, 3)), replace=False)}
        )
    if rng.random() < 0.15:
        answers["advice"] = str(
            rng.choice(
                [
                    "希望简化项目经费报销流程",
                    "建议多组织青年科技工作者交流活动",
                    "希望加强成果转化服务",
                    "评价体系应减少论文数量导向",
                ]
            )
        )
    return answers


def margins_workbook(districts: list[tuple[str, str]]) -> io.BytesIO:
    """Chongqing's residents aged 18–69 by district, sex, age group and urban/rural: demo figures from
    the census table above, as the margins upload reads them (also the literacy survey's)."""
    totals = {name: round(POPULATION.get(name, 50) * 10_000 * 0.7) for _c, name in districts}
    total = sum(totals.values())

    def split(shares: list[float]) -> list[int]:
        parts = [round(total * s) for s in shares[:-1]]
        return [*parts, total - sum(parts)]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "重庆市18-69岁常住人口"
    sheet.append(["variable", "category", "population"])
    for name, population in totals.items():
        sheet.append(["district", name, population])
    for variable, categories, shares in (
        ("sex", SEXES, SEX_SHARE),
        ("age", AGES, AGE_SHARE),
        ("urban", URBAN, URBAN_SHARE),
    ):
        for (_value, label), population in zip(categories, split(shares), strict=True):
            sheet.append([variable, label, population])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "重庆市18-69岁常住人口边际分布.xlsx"
    return out


@transaction.atomic
def load_demo(users: dict[str, User]) -> Survey | None:
    """Idempotent: does nothing if the demo survey exists."""
    if Survey.objects.filter(title=TITLE).exists():
        return None
    owner = users["zhanlue_staff"]
    organization = Organization.objects.get(name="战略发展部")
    survey = _build(owner, organization)
    batches = []
    for name, quota in BATCHES:
        station = Organization.objects.get(name=name)
        batches.append(
            services.issue_invitations(
                survey=survey, organization=station, quota=quota, by=owner, note="第一批"
            )
        )
    districts = _districts()
    rng = np.random.default_rng(SEED)
    questions = {q.code: q for q in services.ordered_questions(survey)}
    codes = [
        (inv.code, batch.organization.code)
        for batch in batches
        for inv in list(batch.invitations.all())[: int(batch.quota * 0.7)]
    ]
    now = timezone.now()
    for index in range(RESPONSES):
        if index >= len(districts) and codes and rng.random() < 0.45:
            code, station_code = codes.pop()
            response = services.start_response(survey=survey, invitation_code=code)
        else:
            station_code = None
            response = services.start_response(survey=survey)
        values = _answers(rng, districts, index, station_code)
        services.save_answers(
            response=response, answers={questions[c]: v for c, v in values.items()}, check_required=False
        )
        services.submit_response(response=response)
        # Spread the demo's completions over the past fortnight (the progress chart shows days).
        Response.objects.filter(pk=response.pk).update(
            submitted_at=now - timedelta(days=int(rng.integers(0, 14)), minutes=int(rng.integers(0, 600)))
        )
    # A few respondents who started and will come back.
    for _ in range(12):
        response = services.start_response(survey=survey)
        services.save_answers(
            response=response,
            answers={questions["district"]: districts[0][0], questions["sex"]: "2"},
            check_required=False,
        )
    scheme = services.upload_margins(
        survey=survey,
        file=margins_workbook(districts),
        name="重庆市18–69岁常住人口（区县×性别×年龄×城乡）",
        by=owner,
    )
    services.run_weighting(scheme=scheme, by=owner)
    return survey
