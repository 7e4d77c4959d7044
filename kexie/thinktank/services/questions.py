"""The question bank (选题库) and the year's topic guide (课题指南)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.queries import active_memberships
from kexie.core.services import record_event, snapshot
from kexie.core.transitions import transition
from kexie.thinktank import rules
from kexie.thinktank.enums import Field, GuideState, QuestionState, SearchKind
from kexie.thinktank.models import GuideTopic, Question, TopicGuide
from kexie.thinktank.services.common import reindex, require

QUESTION_FIELDS = ["title", "state", "field", "importance", "merged_into_id", "support"]
CURATABLE = (QuestionState.SUBMITTED, QuestionState.ACCEPTED)


@transaction.atomic
def propose_question(*, by, title: str, background: str, field: str = "") -> Question:
    """Anyone signed in proposes a question; it is filed under their first organization."""
    require(rules.can_propose_question(by))
    title, background = title.strip(), background.strip()
    errors = {}
    if len(title) < 6:
        errors["title"] = _("State the question in at least 6 characters.")
    if len(background) < 20:
        errors["background"] = _("Describe the background in at least 20 characters.")
    if field and field not in Field.values:
        errors["field"] = _("Choose a field from the list.")
    if errors:
        raise ValidationError(errors)
    memberships = active_memberships(by)
    question = Question.objects.create(
        title=title[:200],
        background=background,
        field=field,
        proposer_organization=memberships[0].organization if memberships else None,
        created_by=by,
        updated_by=by,
    )
    record_event(question, "thinktank.question.propose", actor=by, after=snapshot(question, QUESTION_FIELDS))
    reindex(SearchKind.QUESTION, question.pk)
    return question


@transaction.atomic
def curate_question(
    *, question: Question, by, field: str, importance: int | None, accept: bool = True
) -> Question:
    """Tag by field, rate importance (1–5), and accept the question or decline it."""
    require(rules.can_curate_questions(by))
    errors = {}
    if field not in Field.values:
        errors["field"] = _("Choose a field from the list.")
    if importance is not None and not 1 <= importance <= 5:
        errors["importance"] = _("Importance is rated from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(question, QUESTION_FIELDS)
    question = transition(
        question,
        expected=CURATABLE,
        values={
            "field": field,
            "importance": importance,
            "state": QuestionState.ACCEPTED if accept else QuestionState.DECLINED,
            "updated_by": by,
        },
        message=_("Only a question that is not merged or in a guide can be curated."),
    )
    record_event(
        question,
        "thinktank.question.curate",
        actor=by,
        before=before,
        after=snapshot(question, QUESTION_FIELDS),
    )
    reindex(SearchKind.QUESTION, question.pk)
    return question


@transaction.atomic
def merge_question(*, duplicate: Question, into: Question, by) -> Question:
    """Fold a near-duplicate into another question: its proposals count for the one kept."""
    require(rules.can_curate_questions(by))
    if duplicate.pk == into.pk:
        raise ValidationError(_("A question cannot be merged into itself."))
    kept = Question.objects.select_for_update().get(pk=into.pk)
    if kept.state not in CURATABLE:
        raise ValidationError(_("Merge into a question that is still open."))
    before = snapshot(duplicate, QUESTION_FIELDS)
    duplicate = transition(
        duplicate,
        expected=CURATABLE,
        values={"state": QuestionState.MERGED, "merged_into": kept, "updated_by": by},
        message=_("This question is already merged or used in a guide."),
    )
    # Questions earlier merged into the duplicate now point at the one kept.
    Question.objects.filter(merged_into=duplicate).update(merged_into=kept)
    Question.objects.filter(pk=kept.pk).update(support=F("support") + duplicate.support)
    kept.refresh_from_db()
    record_event(
        duplicate,
        "thinktank.question.merge",
        actor=by,
        before=before,
        after=snapshot(duplicate, QUESTION_FIELDS),
        detail=f"→ {kept.pk}",
    )
    reindex(SearchKind.QUESTION, duplicate.pk, kept.pk)
    return kept


# --- topic guide ------------------------------------------------------------------------------------


@transaction.atomic
def create_guide(*, by, year: int, title: str, introduction: str = "") -> TopicGuide:
    require(rules.can_manage(by))
    if not title.strip():
        raise ValidationError({"title": _("Give the guide a title.")})
    if TopicGuide.objects.filter(year=year).exists():
        raise ValidationError({"year": _("There is already a topic guide for %(year)s.") % {"year": year}})
    guide = TopicGuide.objects.create(
        year=year, title=title.strip(), introduction=introduction, created_by=by, updated_by=by
    )
    record_event(guide, "thinktank.guide.create", actor=by, after={"year": year, "title": guide.title})
    return guide


@transaction.atomic
def add_topic(
    *, guide: TopicGuide, by, question: Question | None = None, title: str = "", description: str = ""
) -> GuideTopic:
    """Put a question (or a topic written by staff) into a draft guide."""
    require(rules.can_manage(by))
    if guide.state != GuideState.DRAFT:
        raise ValidationError(_("A published guide cannot be changed."))
    if question is not None:
        question = transition(
            question,
            expected=CURATABLE,
            values={"state": QuestionState.IN_GUIDE, "updated_by": by},
            message=_("Only an open question can go into a guide."),
        )
        title = title.strip() or question.title
        description = description.strip() or question.background
    if not title.strip():
        raise ValidationError({"title": _("Give the topic a title.")})
    topic = GuideTopic.objects.create(
        guide=guide,
        question=question,
        title=title.strip()[:200],
        description=description,
        field=question.field if question else "",
        position=guide.topics.count() + 1,
    )
    record_event(guide, "thinktank.guide.add_topic", actor=by, after={"topic": topic.title})
    return topic


@transaction.atomic
def publish_guide(*, guide: TopicGuide, by) -> TopicGuide:
    require(rules.can_manage(by))
    if not guide.topics.exists():
        raise ValidationError(_("A guide needs at least one topic before it is published."))
    guide = transition(
        guide,
        expected=(GuideState.DRAFT,),
        values={"state": GuideState.PUBLISHED, "published_at": timezone.now(), "updated_by": by},
        message=_("This guide is already published."),
    )
    record_event(guide, "thinktank.guide.publish", actor=by, after={"state": guide.state})
    return guide
