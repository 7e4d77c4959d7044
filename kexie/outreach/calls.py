"""The call kinds outreach runs on the calls engine (measure 10): 科普示范 creation and the 科普
professional-title evaluation. The engine runs the call, endorsement, review, decision and publicity;
``on_decision`` records the outcome here, idempotently, inside the engine's transaction."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.calls import kinds
from kexie.calls.enums import Decision, SubmissionState
from kexie.core.reference import district_choices, district_code
from kexie.outreach.enums import SiteKind, TitleLevel
from kexie.outreach.models import DemonstrationSite, ScienceTitle

DEMONSTRATION = "outreach.demonstration"
TITLE = "outreach.title"


def _evidence(label: str) -> dict:
    return {"key": "evidence", "label": label, "type": "file", "extensions": ["pdf"], "max_size_mb": 10}


def demonstration_form() -> dict:
    """The application form of a 科普示范 call (data; staff may edit it per call)."""
    return {
        "sections": [
            {
                "key": "basic",
                "title": "基本信息",
                "fields": [
                    {
                        "key": "site_name",
                        "label": "示范名称",
                        "type": "text",
                        "required": True,
                        "max_length": 80,
                    },
                    {
                        "key": "site_kind",
                        "label": "示范类别",
                        "type": "choice",
                        "required": True,
                        "choices": [[k, str(label)] for k, label in SiteKind.choices],
                    },
                    {
                        "key": "district",
                        "label": "所在区县",
                        "type": "choice",
                        "required": True,
                        "choices": [[code, name] for code, name in district_choices()],
                    },
                    {"key": "contact", "label": "联系人及电话", "type": "text", "max_length": 60},
                ],
            },
            {
                "key": "work",
                "title": "创建情况",
                "fields": [
                    {
                        "key": "summary",
                        "label": "科普工作开展情况",
                        "type": "longtext",
                        "required": True,
                        "min_length": 20,
                        "max_length": 3000,
                    },
                    {
                        "key": "facilities",
                        "label": "科普阵地与设施",
                        "type": "longtext",
                        "max_length": 2000,
                    },
                    _evidence("创建材料"),
                ],
            },
        ]
    }


def title_form() -> dict:
    """The application form of the 科普专业技术职称 evaluation."""
    return {
        "sections": [
            {
                "key": "basic",
                "title": "基本信息",
                "fields": [
                    {"key": "name", "label": "姓名", "type": "text", "required": True, "max_length": 30},
                    {
                        "key": "level",
                        "label": "申报职称",
                        "type": "choice",
                        "required": True,
                        "choices": [[k, str(label)] for k, label in TitleLevel.choices],
                    },
                    {"key": "unit", "label": "工作单位", "type": "text", "required": True, "max_length": 80},
                    {
                        "key": "years",
                        "label": "从事科普工作年限",
                        "type": "number",
                        "min": 0,
                        "max": 60,
                        "integer": True,
                    },
                ],
            },
            {
                "key": "merits",
                "title": "科普业绩",
                "fields": [
                    {
                        "key": "summary",
                        "label": "主要科普业绩",
                        "type": "longtext",
                        "required": True,
                        "min_length": 20,
                        "max_length": 3000,
                    },
                    _evidence("业绩证明材料"),
                ],
            },
        ]
    }


# Rubrics proposed for the review round of each kind (points out of 100).
RUBRICS = {
    DEMONSTRATION: [
        {"key": "organisation", "label": "组织管理", "weight": 1, "min": 0, "max": 30},
        {"key": "facilities", "label": "阵地设施", "weight": 1, "min": 0, "max": 30},
        {"key": "effect", "label": "工作成效", "weight": 1, "min": 0, "max": 40},
    ],
    TITLE: [
        {"key": "ability", "label": "专业能力", "weight": 1, "min": 0, "max": 50},
        {"key": "results", "label": "科普业绩与影响", "weight": 1, "min": 0, "max": 50},
    ],
}
FORMS = {DEMONSTRATION: demonstration_form, TITLE: title_form}
TITLES = {DEMONSTRATION: "%(year)s年度科普示范创建申报", TITLE: "%(year)s年度科普专业技术职称评审"}
DESCRIPTIONS = {
    DEMONSTRATION: "面向各区县、社区和单位，申报创建科普示范区县、科普示范社区和科普示范基地；"
    "经单位、区县科协推荐和市科协形式审查、专家评审，结果公示后命名。",
    TITLE: "面向从事科普工作的专业人员，申报助理科普师、科普师、副高级和正高级科普专业技术职称；"
    "经单位推荐、形式审查和评审委员会评审，结果公示后认定。",
}


def _choice(value: str, choices, default: str) -> str:
    value = (value or "").strip()
    for key, label in choices:
        if value in (key, str(label)):
            return key
    return default


def _district(submission) -> str:
    data = submission.data or {}
    organization = submission.organization
    return (
        district_code(str(data.get("district", "")))
        or (organization.code if organization is not None and organization.code else "")
        or ""
    )


def demonstration_decided(submission) -> None:
    """A selected application names a demonstration district, community or base; a decision changed
    to not selected removes it again."""
    if submission.decision != Decision.SELECTED:
        DemonstrationSite.objects.filter(submission_id=submission.pk).delete()
        return
    data = submission.data or {}
    DemonstrationSite.objects.update_or_create(
        submission_id=submission.pk,
        defaults={
            "name": (data.get("site_name") or submission.organization_name or submission.title)[:160],
            "kind": _choice(
                data.get("site_kind") or submission.decision_level, SiteKind.choices, SiteKind.BASE
            ),
            "district": _district(submission),
            "year": submission.call.year,
            "is_final": submission.state == SubmissionState.FINAL,
        },
    )


def title_decided(submission) -> None:
    """A passed evaluation grants the title at the level decided (or applied for)."""
    if submission.decision != Decision.SELECTED:
        ScienceTitle.objects.filter(submission_id=submission.pk).delete()
        return
    data = submission.data or {}
    ScienceTitle.objects.update_or_create(
        submission_id=submission.pk,
        defaults={
            "holder": (submission.person_name or submission.title)[:80],
            "level": _choice(
                submission.decision_level or data.get("level"), TitleLevel.choices, TitleLevel.INTERMEDIATE
            ),
            "year": submission.call.year,
            "is_final": submission.state == SubmissionState.FINAL,
        },
    )


kinds.register(
    DEMONSTRATION,
    label=_("Science popularisation demonstration site"),
    app_label="outreach",
    measures=(10,),
    on_decision=demonstration_decided,
    applicant_label=_("applicant"),
    selected_label=_("named"),
    default_chain=("unit", "channel", "organiser"),
    needs_code=True,
    description=_("Demonstration districts, communities and bases: applied for, reviewed, then registered."),
)
kinds.register(
    TITLE,
    label=_("Science communication professional title"),
    app_label="outreach",
    measures=(10,),
    on_decision=title_decided,
    applicant_label=_("applicant"),
    selected_label=_("passed"),
    default_chain=("unit", "channel", "organiser"),
    needs_code=True,
    description=_("Titles of science communicators: applied for, endorsed, reviewed, then registered."),
)
