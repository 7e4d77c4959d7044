"""Literacy services: seed data."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.services import record_event
from kexie.literacy.enums import Audience, EstimateSource, QuestionKind, ReviewState, RuleKind
from kexie.literacy.models import (
    Dimension,
    LiteracyEstimate,
    Question,
    ScoringRule,
)
from kexie.literacy.services.constants import (
    BENCHMARK_RULE,
    DIMENSIONS,
    GRADED_RULE,
    SEED_DIR,
    TRUE_FALSE_OPTIONS,
)


@transaction.atomic
def load_reference_data(*, by=None) -> dict[str, int]:
    """Dimensions, the two scoring rules, the international core items (reviewed) and the published
    Chongqing rates. Idempotent."""
    created = {"dimensions": 0, "rules": 0, "questions": 0, "estimates": 0}
    for order, (code, name, weight) in enumerate(DIMENSIONS):
        _dim, made = Dimension.objects.get_or_create(
            code=code, defaults={"name": name, "weight": weight, "sort_order": order}
        )
        created["dimensions"] += made
    _rule, made = ScoringRule.objects.get_or_create(
        name=GRADED_RULE,
        defaults={
            "kind": RuleKind.GRADED,
            "tiers": [
                {"min": 85, "label": "具备高阶科学素质", "literate": True},
                {"min": 70, "label": "具备科学素质", "literate": True},
                {"min": 55, "label": "基本具备科学素质", "literate": False},
            ],
            "fail_label": "科学素质水平较低",
        },
    )
    created["rules"] += made
    _rule, made = ScoringRule.objects.get_or_create(
        name=BENCHMARK_RULE,
        defaults={
            "kind": RuleKind.BENCHMARK,
            "points_per_item": Decimal(2),
            "pass_share": Decimal(60),
            "pass_label": "具备基本科学素质",
            "fail_label": "尚不具备基本科学素质",
        },
    )
    created["rules"] += made
    knowledge = Dimension.objects.get(code="knowledge")
    with (SEED_DIR / "literacy_core_items.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if Question.objects.filter(external_id=row["item_id"]).exists():
                continue
            if row["format"] == "true/false":
                kind, options = QuestionKind.TRUE_FALSE, TRUE_FALSE_OPTIONS
                answer = [0 if row["correct_answer"].strip().upper() == "TRUE" else 1]
            else:
                kind, options, answer = QuestionKind.SINGLE, *CORE_CHOICES[row["item_id"]]
            Question.objects.create(
                external_id=row["item_id"],
                dimension=knowledge,
                kind=kind,
                text=row["statement_zh"],
                options=options,
                answer=answer,
                difficulty=2,
                explanation=CORE_EXPLANATIONS.get(row["item_id"], ""),
                source=_("International core knowledge item (%(evidence)s)")
                % {"evidence": row["answer_key_evidence"]},
                topic="国际通用核心题",
                audiences=list(Audience.values),
                state=ReviewState.REVIEWED,
                reviewed_at=timezone.now(),
            )
            created["questions"] += 1
    created["estimates"] = _load_published_estimates()
    if any(created.values()):
        record_event(None, "literacy.reference.load", actor=by, actor_name="system", after=created)
    return created


# The two choice items of the core set, written out as options (answer index).
CORE_CHOICES = {
    "K12": (["地球绕太阳转", "太阳绕地球转"], [0]),
    "K13": (["一天", "一个月", "一年"], [2]),
}
CORE_EXPLANATIONS = {
    "K01": "地核温度估计在5000℃以上。",
    "K02": "土壤、岩石、宇宙射线中都有天然放射性，人体自身也含有放射性钾-40。",
    "K03": "大气中的氧气主要来自植物（包括海洋藻类）的光合作用。",
    "K04": "精子携带X或Y染色体，决定了受精卵的性别。",
    "K05": "激光是受激辐射产生的光，与声波无关。",
    "K06": "电子是构成原子的基本粒子之一，比原子小得多。",
    "K07": "抗生素只对细菌等起作用，对病毒无效。",
    "K08": "板块运动使大陆在地质年代中持续缓慢漂移。",
    "K09": "现代人类是由早期古猿经过漫长进化而来的。",
    "K10": "恐龙约6600万年前灭绝，最早的人类出现在约几百万年前。",
    "K11": "煮沸不能消除放射性。",
    "K12": "地球每年绕太阳公转一周。",
    "K13": "地球绕太阳公转一周约365.25天，即一年。",
    "K14": "大爆炸理论是目前关于宇宙起源被广泛接受的科学理论。",
}


def district_by_name(name: str) -> Organization | None:
    return Organization.objects.filter(
        kind=OrganizationKind.DISTRICT_ASSOCIATION, name=f"{name}科学技术协会"
    ).first()


def _load_published_estimates() -> int:
    made = 0
    with (SEED_DIR / "literacy_published_results.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            scope = row["scope"].strip()
            if row["indicator"] != "具备科学素质比例":
                continue
            if scope == "Chongqing" and row["group"] == "total":
                district = None
            elif row["group"] == "district":
                district = district_by_name(scope.removeprefix("Chongqing").strip())
                if district is None:
                    continue
            else:
                continue
            _estimate, created = LiteracyEstimate.objects.get_or_create(
                year=int(row["year"]),
                district=district,
                source=EstimateSource.PUBLISHED,
                defaults={
                    "rate": Decimal(row["value_pct"]),
                    "note": row["note"][:300],
                    "source_url": row["source_url"],
                },
            )
            made += created
    return made
