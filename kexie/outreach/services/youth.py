"""Youth science-literacy evaluations on the literacy app's assessment engine: the paper is assembled,
published and scored by ``kexie.literacy.services``; outreach adds the youth blueprint, its own tiers,
and the pupils' school and grade."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.core.reference import districts
from kexie.core.services import record_event
from kexie.literacy import scoring
from kexie.literacy import services as literacy
from kexie.literacy.models import ScoringRule
from kexie.outreach import rules
from kexie.outreach.enums import EvaluationState
from kexie.outreach.models import YouthEvaluation, YouthResult

# The youth blueprint: more weight on method and on using science than the adult survey has.
YOUTH_BLUEPRINT = {"knowledge": 30, "method": 30, "spirit": 20, "application": 20}
YOUTH_TIERS = [
    {"min": 85, "label": "优秀", "literate": True},
    {"min": 70, "label": "良好", "literate": True},
    {"min": 60, "label": "合格", "literate": False},
]
YOUTH_FAIL = "待提高"


def _check_tiers(tiers: list) -> None:
    try:
        mins = [float(t["min"]) for t in tiers]
        labels = [str(t["label"]).strip() for t in tiers]
    except (KeyError, TypeError, ValueError):
        raise ValidationError({"tiers": _("Each tier needs a minimum score and a label.")}) from None
    if not tiers or any(not 0 <= m <= 100 for m in mins) or len(set(mins)) != len(mins) or not all(labels):
        raise ValidationError({"tiers": _("Tiers need distinct minimum scores from 0 to 100 and labels.")})


@transaction.atomic
def create_evaluation(
    *,
    by,
    title: str,
    school_year: str,
    grade_band: str,
    item_count: int = 20,
    blueprint: dict | None = None,
    tiers: list | None = None,
    seed: int = 1,
) -> YouthEvaluation:
    if not rules.can_manage_evaluations(by):
        raise PermissionDenied
    tiers = YOUTH_TIERS if tiers is None else tiers
    _check_tiers(tiers)
    rule = ScoringRule.objects.get(name=literacy.GRADED_RULE)
    assessment = literacy.create_assessment(
        by=by,
        title=f"{title}（青少年）"[:120],
        rule=rule,
        item_count=item_count,
        blueprint=blueprint or YOUTH_BLUEPRINT,
        difficulty_mix={},
        seed=seed,
    )
    literacy.publish_assessment(assessment=assessment, by=by)
    evaluation = YouthEvaluation.objects.create(
        title=title.strip(),
        school_year=school_year.strip(),
        grade_band=grade_band.strip(),
        assessment=assessment,
        tiers=tiers,
        created_by=by,
        updated_by=by,
    )
    record_event(evaluation, "outreach.youth.create", actor=by, after={"assessment": assessment.pk})
    return evaluation


def youth_tier(evaluation: YouthEvaluation, score) -> str:
    label, _literate = scoring.grade(score=score, tiers=evaluation.tiers, fail_label=YOUTH_FAIL)
    return label


@transaction.atomic
def submit_evaluation(
    *,
    evaluation: YouthEvaluation,
    user,
    answers: dict[int, list[int]],
    school: str,
    grade: str,
    district: str,
) -> YouthResult:
    if evaluation.state != EvaluationState.OPEN:
        raise ValidationError(_("This evaluation is closed."))
    if not (school or "").strip():
        raise ValidationError({"school": _("Give your school.")})
    if district not in districts():
        raise ValidationError({"district": _("Choose one of Chongqing's 38 districts and counties.")})
    attempt = literacy.submit_assessment(assessment=evaluation.assessment, user=user, answers=answers)
    result = YouthResult.objects.create(
        evaluation=evaluation,
        attempt=attempt,
        school=school.strip()[:120],
        grade=(grade or "").strip()[:20],
        district=district,
        tier=youth_tier(evaluation, attempt.score),
    )
    record_event(result, "outreach.youth.submit", actor=user, after={"tier": result.tier})
    return result
