"""Literacy services: assessments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import User
from kexie.core.services import record_event
from kexie.literacy import rules, scoring
from kexie.literacy.enums import PublishState, ReviewState, RuleKind
from kexie.literacy.models import (
    Assessment,
    AssessmentAttempt,
    AssessmentItem,
    Question,
    ScoringRule,
)
from kexie.literacy.services.contestants import district_of


def _pool(queryset) -> list[scoring.PoolItem]:
    return [
        scoring.PoolItem(id=pk, dimension=code, difficulty=d)
        for pk, code, d in queryset.values_list("pk", "dimension__code", "difficulty")
    ]


@transaction.atomic
def create_assessment(
    *,
    by: User,
    title: str,
    rule: ScoringRule,
    item_count: int,
    blueprint: dict,
    difficulty_mix: dict,
    seed: int,
) -> Assessment:
    """Assemble a paper from reviewed items. A benchmark rule fixes the points per item; a graded rule
    shares each dimension's weight among its items."""
    if not rules.can_manage_assessments(by):
        raise PermissionDenied
    if (
        not blueprint
        or any(float(w) < 0 for w in blueprint.values())
        or not sum(float(w) for w in blueprint.values())
    ):
        raise ValidationError(
            {"blueprint": _("Give each dimension a weight; at least one must be positive.")}
        )
    paper = scoring.assemble(
        _pool(Question.objects.filter(state=ReviewState.REVIEWED)),
        blueprint=blueprint,
        difficulty_mix=difficulty_mix,
        item_count=item_count,
        seed=seed,
    )
    points = scoring.item_points(
        paper,
        blueprint=blueprint,
        points_per_item=rule.points_per_item if rule.kind == RuleKind.BENCHMARK else None,
    )
    assessment = Assessment.objects.create(
        title=title.strip(),
        rule=rule,
        item_count=item_count,
        blueprint=blueprint,
        difficulty_mix=difficulty_mix,
        seed=seed,
        created_by=by,
    )
    AssessmentItem.objects.bulk_create(
        AssessmentItem(
            assessment=assessment, question_id=item.id, position=n, points=p.quantize(Decimal("0.01"))
        )
        for n, (item, p) in enumerate(zip(paper, points, strict=True), start=1)
    )
    record_event(
        assessment,
        "literacy.assessment.create",
        actor=by,
        after={"title": assessment.title, "items": [i.id for i in paper], "rule": rule.name},
    )
    return assessment


@transaction.atomic
def publish_assessment(*, assessment: Assessment, by: User) -> Assessment:
    if not rules.can_manage_assessments(by):
        raise PermissionDenied
    if not Assessment.objects.filter(pk=assessment.pk, state=PublishState.DRAFT).update(
        state=PublishState.PUBLISHED
    ):
        raise ValidationError(_("The assessment is already published."))
    assessment.refresh_from_db()
    record_event(assessment, "literacy.assessment.publish", actor=by)
    return assessment


def submit_assessment(
    *, assessment: Assessment, user: User, answers: dict[int, list[int]], now: datetime | None = None
) -> AssessmentAttempt:
    """Score a submitted paper. One attempt per person and assessment (the unique constraint decides)."""
    if not rules.can_take_assessment(user, assessment):
        raise PermissionDenied
    items = list(assessment.items.select_related("question").order_by("position"))
    flags = [scoring.is_correct(answers.get(item.question_id), item.question.answer) for item in items]
    rule = assessment.rule
    result = scoring.score_paper(
        points=[item.points for item in items],
        correct_flags=flags,
        kind=rule.kind,
        tiers=rule.tiers,
        pass_share=rule.pass_share,
        pass_label=rule.pass_label,
        fail_label=rule.fail_label,
    )
    try:
        with transaction.atomic():
            attempt = AssessmentAttempt.objects.create(
                assessment=assessment,
                user=user,
                district=district_of(user),
                answers={str(k): sorted(v) for k, v in answers.items()},
                correct=result.correct,
                score=result.score,
                tier=result.tier,
                literate=result.literate,
                submitted_at=now or timezone.now(),
            )
            record_event(
                attempt,
                "literacy.assessment.submit",
                actor=user,
                after={"score": str(result.score), "tier": result.tier},
            )
    except IntegrityError:
        raise ValidationError(_("You have already taken this assessment.")) from None
    return attempt
