"""Literacy services: scoring thresholds (tiers as data) and the rule each paper uses."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.accounts.models import User
from kexie.core.services import record_event, snapshot
from kexie.literacy import rules, scoring
from kexie.literacy.enums import RuleKind
from kexie.literacy.models import Assessment, AssessmentItem, ScoringRule

RULE_FIELDS = ["tiers", "points_per_item", "pass_share", "pass_label", "fail_label"]
MAX_LABEL = 60


def clean_tiers(tiers: Sequence[dict]) -> list[dict]:
    """Tiers as entered, lowest first: thresholds 0–100 and strictly increasing, labels given, and the
    literate tiers on top (a higher score never loses literacy). Returned highest first, as stored.
    Errors name the tier by its row number."""
    errors: list[str] = []
    if not tiers:
        raise ValidationError({"tiers": _("Give at least one tier.")})
    previous: Decimal | None = None
    seen_literate = False
    for row, tier in enumerate(tiers, start=1):
        minimum, label = tier.get("min"), str(tier.get("label") or "").strip()
        if minimum is None or not Decimal(0) <= Decimal(str(minimum)) <= Decimal(100):
            errors.append(_("Tier %(row)s: the threshold must be between 0 and 100.") % {"row": row})
            continue
        minimum = Decimal(str(minimum))
        if previous is not None and minimum <= previous:
            errors.append(
                _("Tier %(row)s: the threshold %(value)s must be above the previous tier's %(previous)s.")
                % {"row": row, "value": minimum, "previous": previous}
            )
        if not label:
            errors.append(_("Tier %(row)s: give the tier a name.") % {"row": row})
        elif len(label) > MAX_LABEL:
            errors.append(_("Tier %(row)s: the name is too long (60 characters at most).") % {"row": row})
        if seen_literate and not tier.get("literate"):
            errors.append(
                _("Tier %(row)s: a tier above a literate tier must count as literate too.") % {"row": row}
            )
        seen_literate = seen_literate or bool(tier.get("literate"))
        previous = minimum
    if errors:
        raise ValidationError({"tiers": errors})
    cleaned = [
        {"min": _number(t["min"]), "label": str(t["label"]).strip(), "literate": bool(t.get("literate"))}
        for t in tiers
    ]
    return list(reversed(cleaned))


def _number(value) -> int | float:
    """A threshold as JSON keeps it: 70, or 72.5."""
    decimal = Decimal(str(value))
    return int(decimal) if decimal == decimal.to_integral_value() else float(decimal)


@transaction.atomic
def update_scoring_rule(  # noqa: PLR0913 - the rule's fields, keyword-only
    *,
    rule: ScoringRule,
    by: User,
    fail_label: str,
    tiers: Sequence[dict] = (),
    points_per_item: Decimal | None = None,
    pass_share: Decimal | None = None,
    pass_label: str = "",
) -> ScoringRule:
    """Change a rule's thresholds. A graded rule: its tiers (lowest first); a benchmark rule (the
    older 基准 rule, e.g. 50 items × 2 points, passed at 60%): points per item and pass share."""
    if not rules.can_manage_rules(by):
        raise PermissionDenied
    rule = ScoringRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, RULE_FIELDS)
    fail_label = fail_label.strip()
    if not fail_label:
        raise ValidationError({"fail_label": _("Give the label of a score below every tier.")})
    if rule.kind == RuleKind.GRADED:
        rule.tiers = clean_tiers(tiers)
    else:
        errors = {}
        if points_per_item is None or not Decimal(0) < points_per_item <= Decimal(100):
            errors["points_per_item"] = _("The points per item must be above 0 and at most 100.")
        if pass_share is None or not Decimal(0) < pass_share <= Decimal(100):
            errors["pass_share"] = _("The pass share must be above 0 and at most 100 (%).")
        if not pass_label.strip():
            errors["pass_label"] = _("Give the label of a passed paper.")
        if errors:
            raise ValidationError(errors)
        rule.points_per_item, rule.pass_share, rule.pass_label = (
            points_per_item,
            pass_share,
            pass_label.strip(),
        )
    rule.fail_label = fail_label
    rule.save(update_fields=RULE_FIELDS)
    record_event(rule, "literacy.rule.update", actor=by, before=before, after=snapshot(rule, RULE_FIELDS))
    return rule


@transaction.atomic
def set_assessment_rule(*, assessment: Assessment, rule: ScoringRule, by: User) -> Assessment:
    """Score a paper with another rule (graded tiers or the benchmark rule); the items' points follow
    the rule. Refused once people have taken the paper: their stored results used the old rule."""
    if not rules.can_manage_rules(by):
        raise PermissionDenied
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.rule_id == rule.pk:
        return assessment
    taken = assessment.attempts.count()
    if taken:
        raise ValidationError(
            {
                "rule": _(
                    "%(n)s people have taken this paper and were scored with its rule; "
                    "assemble a new paper to use another rule."
                )
                % {"n": taken}
            }
        )
    items = list(assessment.items.select_related("question__dimension").order_by("position"))
    paper = [
        scoring.PoolItem(
            id=i.question_id, dimension=i.question.dimension.code, difficulty=i.question.difficulty
        )
        for i in items
    ]
    points = scoring.item_points(
        paper,
        blueprint=assessment.blueprint,
        points_per_item=rule.points_per_item if rule.kind == RuleKind.BENCHMARK else None,
    )
    for item, value in zip(items, points, strict=True):
        item.points = value.quantize(Decimal("0.01"))
    AssessmentItem.objects.bulk_update(items, ["points"])
    before = {"rule": assessment.rule.name}
    assessment.rule = rule
    assessment.save(update_fields=["rule"])
    record_event(
        assessment, "literacy.assessment.set_rule", actor=by, before=before, after={"rule": rule.name}
    )
    return assessment
