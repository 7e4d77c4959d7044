"""Literacy services: the annual literacy survey and the weighted literacy rate it yields.

The survey lives in the surveys app (its answer pages, invitation codes, margins upload and raking);
this module builds it from a paper, keeps the answer key, scores the submitted responses and turns
them, with the survey's raked weights, into the city and district rates of measure 9."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization, User
from kexie.core import reference
from kexie.core.services import record_event
from kexie.literacy import rules, scoring
from kexie.literacy.enums import EstimateSource, PublishState
from kexie.literacy.enums import QuestionKind as ItemKind
from kexie.literacy.models import Assessment, AssessmentItem, LiteracyEstimate, LiteracySurvey
from kexie.literacy.services.estimates import record_estimate
from kexie.surveys import services as surveys
from kexie.surveys.enums import QuestionKind
from kexie.surveys.models import WeightingScheme
from kexie.surveys.stats import WeightingError, domain_estimates, weighted_proportion

# The demographics every annual survey asks: variable name → (question, options). The labels are the
# categories of the population margins staff upload (the census tables use the same words).
SEXES = [("1", "男"), ("2", "女")]
AGES = [("1", "18–29岁"), ("2", "30–39岁"), ("3", "40–49岁"), ("4", "50–59岁"), ("5", "60–69岁")]
URBAN = [("1", "城镇"), ("2", "乡村")]
EDUCATION = [
    ("1", "小学及以下"),
    ("2", "初中"),
    ("3", "高中（中专）"),
    ("4", "大学专科"),
    ("5", "大学本科及以上"),
]
DISTRICT_SUFFIX = "科学技术协会"
# A district estimate resting on fewer respondents than this is flagged as unreliable on the page.
SMALL_N = 30
ITEM_PREFIX = "item"
MAX_QUESTION_TEXT = 500


def item_code(position: int) -> str:
    return f"{ITEM_PREFIX}{position}"


def district_options() -> list[tuple[str, str]]:
    """(organization code, district name) for the district associations, in code order."""
    return reference.district_choices()


def _item_options(item: AssessmentItem) -> list[tuple[str, str]]:
    return [(str(n), str(label)[:200]) for n, label in enumerate(item.question.options, start=1)]


@transaction.atomic
def create_literacy_survey(*, year: int, assessment: Assessment, by: User) -> LiteracySurvey:
    """The annual survey of ``year``: demographics (district, sex, age group, urban/rural, education
    optional) and the paper's items as questions, published so that respondents can answer at once
    (publishing freezes the questions, so the answer key keeps matching). Nothing is saved on error."""
    if not rules.can_manage_surveys(by):
        raise PermissionDenied
    if not 2000 <= year <= 2100:  # noqa: PLR2004 - the range the year field accepts
        raise ValidationError({"year": _("The year must be between 2000 and 2100.")})
    if LiteracySurvey.objects.filter(year=year).exists():
        raise ValidationError({"year": _("The literacy survey of %(year)s already exists.") % {"year": year}})
    items = list(assessment.items.select_related("question").order_by("position"))
    if assessment.state != PublishState.PUBLISHED:
        raise ValidationError({"assessment": _("Choose a published paper.")})
    if not items:
        raise ValidationError({"assessment": _("The paper has no items.")})
    for item in items:
        if len(item.question.text) > MAX_QUESTION_TEXT:
            raise ValidationError(
                {
                    "assessment": _("Item %(position)s is longer than %(max)s characters.")
                    % {"position": item.position, "max": MAX_QUESTION_TEXT}
                }
            )
    department = Organization.objects.get(name=rules.LITERACY_DEPARTMENT)
    survey = surveys.create_survey(
        title=_("%(year)s Chongqing citizen science literacy survey") % {"year": year},
        organization=department,
        description=_(
            "A survey of citizens aged 18–69 on science literacy. It takes about 15 minutes; "
            "answers are anonymous and used for statistics only."
        ),
        by=by,
    )
    basic = surveys.add_section(survey=survey, title=_("About you"), by=by)
    for code, text, options, required in (
        ("district", _("The district or county where you live"), district_options(), True),
        ("sex", _("Sex"), SEXES, True),
        ("age", _("Age group"), AGES, True),
        ("urban", _("Where you usually live"), URBAN, True),
        ("education", _("Education"), EDUCATION, False),
    ):
        surveys.add_question(
            section=basic,
            text=text,
            kind=QuestionKind.SINGLE,
            code=code,
            options=options,
            required=required,
            by=by,
        )
    paper = surveys.add_section(survey=survey, title=_("Science literacy questions"), by=by)
    for item in items:
        multiple = item.question.kind == ItemKind.MULTIPLE
        surveys.add_question(
            section=paper,
            text=item.question.text,
            kind=QuestionKind.MULTIPLE if multiple else QuestionKind.SINGLE,
            code=item_code(item.position),
            options=_item_options(item),
            help_text=_("Choose all that apply.") if multiple else "",
            by=by,
        )
    surveys.publish_survey(survey=survey, by=by)
    literacy_survey = LiteracySurvey.objects.create(
        year=year, survey=survey, assessment=assessment, created_by=by
    )
    record_event(
        literacy_survey,
        "literacy.survey.create",
        actor=by,
        after={"year": year, "survey": survey.pk, "assessment": assessment.pk, "items": len(items)},
        organization_id=department.pk,
    )
    return literacy_survey


def _choice(value: Any) -> list[int] | None:
    """A survey answer (option value "1".. or a list of them) as the item's option indices."""
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    try:
        return [int(v) - 1 for v in values]
    except (TypeError, ValueError):
        return None


def score_responses(
    literacy_survey: LiteracySurvey, rows: Sequence[Mapping[str, Any]]
) -> list[scoring.Result]:
    """Each response scored with the paper's points and its scoring rule; an unanswered item is wrong."""
    assessment = literacy_survey.assessment
    items = list(assessment.items.select_related("question").order_by("position"))
    rule = assessment.rule
    points = [item.points for item in items]
    keys = [(item_code(item.position), item.question.answer) for item in items]
    return [
        scoring.score_paper(
            points=points,
            correct_flags=[scoring.is_correct(_choice(row.get(code)), key) for code, key in keys],
            kind=rule.kind,
            tiers=rule.tiers,
            pass_share=rule.pass_share,
            pass_label=rule.pass_label,
            fail_label=rule.fail_label,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class SurveyRates:
    """What one computation yields: the city estimate and one per district (by organization id)."""

    city: Any
    districts: dict[int, Any]
    respondents: int
    excluded: int
    unweighted: float
    scheme: WeightingScheme
    parameters: dict


def _design_labels(rows: Sequence[Mapping[str, Any]], code: str) -> np.ndarray | None:
    if not code:
        return None
    return np.array([str(r.get(code)) for r in rows], dtype=object)


def weighted_rates(literacy_survey: LiteracySurvey) -> SurveyRates:
    """Rake the survey's submitted responses to its latest margins (with the settings of the latest
    weighting run of those margins, if any), score them, and estimate the literate share for the city
    and, as domains of the same design, for each district, with calibration-aware standard errors and
    logit 95% intervals. Raises ValidationError when there are no margins or too few responses."""
    survey = literacy_survey.survey
    scheme = survey.schemes.order_by("-pk").first()
    if scheme is None:
        raise ValidationError(
            _("Upload the population margins of the survey first (survey → weighting)."), code="no_margins"
        )
    run = scheme.runs.order_by("-pk").first()
    parameters = dict(run.parameters) if run is not None else {}
    usable, result = surveys.rake_scheme(scheme, parameters)
    if len(usable) < 2:  # noqa: PLR2004 - a variance needs two respondents
        raise ValidationError(_("At least two submitted responses are needed."), code="too_few")
    literate = np.array([float(r.literate) for r in score_responses(literacy_survey, usable)])
    try:
        design = result.design(
            strata=_design_labels(usable, parameters.get("strata") or ""),
            clusters=_design_labels(usable, parameters.get("clusters") or ""),
            lonely_psu="adjust",
        )
        city = weighted_proportion(design, literate, interval="logit")
        by_code = domain_estimates(
            design,
            literate,
            np.array([str(r.get("district")) for r in usable], dtype=object),
            statistic="proportion",
            interval="logit",
        )
    except WeightingError as exc:
        raise ValidationError(str(exc), code="invalid") from None
    organizations = dict(
        Organization.objects.filter(
            kind=OrganizationKind.DISTRICT_ASSOCIATION, code__in=[str(c) for c in by_code]
        ).values_list("code", "pk")
    )
    total = survey.responses.filter(submitted_at__isnull=False).count()
    return SurveyRates(
        city=city,
        districts={organizations[str(code)]: e for code, e in by_code.items() if str(code) in organizations},
        respondents=len(usable),
        excluded=total - len(usable),
        unweighted=float(literate.mean()),
        scheme=scheme,
        parameters=parameters,
    )


def _pct(value: float) -> Decimal:
    return Decimal(str(round(min(max(value, 0.0), 1.0) * 100, 2))).quantize(Decimal("0.01"))


def _se(value: float) -> Decimal:
    return Decimal(str(round(value * 100, 3))).quantize(Decimal("0.001"))


@transaction.atomic
def compute_survey_rate(*, literacy_survey: LiteracySurvey, by: User) -> list[LiteracyEstimate]:
    """Compute the year's literacy rate from the survey and store it as the year's survey estimates
    (source=survey): the city row and one row per district with respondents. The year's previous
    survey rows are replaced in the same transaction, so readers see the old set or the new one."""
    if not rules.can_manage_estimates(by):
        raise PermissionDenied
    literacy_survey = LiteracySurvey.objects.select_for_update().get(pk=literacy_survey.pk)
    rates = weighted_rates(literacy_survey)
    year = literacy_survey.year
    stale = LiteracyEstimate.objects.filter(year=year, source=EstimateSource.SURVEY)
    removed = stale.count()
    stale.delete()
    note = (
        _("Annual literacy survey %(year)s, weighted to %(scheme)s.")
        % {"year": year, "scheme": rates.scheme.name}
    )[:300]
    districts = {o.pk: o for o in Organization.objects.filter(pk__in=list(rates.districts)).order_by("code")}
    saved = []
    for district, estimate in [(None, rates.city), *((districts[k], e) for k, e in rates.districts.items())]:
        saved.append(
            record_estimate(
                by=by,
                year=year,
                district=district,
                rate=_pct(estimate.value),
                source=EstimateSource.SURVEY,
                se=_se(estimate.se),
                ci_low=_pct(estimate.ci_low),
                ci_high=_pct(estimate.ci_high),
                n=estimate.n,
                note=note,
            )
        )
    report = {
        "respondents": rates.respondents,
        "excluded": rates.excluded,
        "rate": round(rates.city.value * 100, 2),
        "unweighted": round(rates.unweighted * 100, 2),
        "deff": None if rates.city.deff is None or math.isnan(rates.city.deff) else round(rates.city.deff, 2),
        "scheme": rates.scheme.pk,
        "scheme_name": rates.scheme.name,
        "parameters": rates.parameters,
        "districts": len(rates.districts),
    }
    now = timezone.now()
    LiteracySurvey.objects.filter(pk=literacy_survey.pk).update(report=report, computed_at=now)
    literacy_survey.report, literacy_survey.computed_at = report, now
    record_event(
        literacy_survey,
        "literacy.survey.compute",
        actor=by,
        before={"estimates": removed},
        after={"estimates": len(saved), **{k: v for k, v in report.items() if k != "parameters"}},
    )
    return saved
