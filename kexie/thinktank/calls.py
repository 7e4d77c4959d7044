"""The think tank's kind of call on the `calls` engine: a topic call (课题招标) per published topic
guide. The engine runs applications, review with 回避 and the decision; when an application is
selected, ``topic_decided`` creates the awarded project here (idempotent: the engine calls it at the
decision and again when results are final)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.calls import kinds
from kexie.calls import services as calls_services
from kexie.calls.enums import Decision
from kexie.thinktank import rules
from kexie.thinktank.enums import GuideState
from kexie.thinktank.models import GuideTopic, Project, TopicGuide
from kexie.thinktank.services import award_topic_project
from kexie.thinktank.services.common import require

KIND = "thinktank.topic"


def topic_form_schema(guide: TopicGuide) -> dict:
    """The application form: which topic of the guide, the research plan, budget and period."""
    topics = [[str(t.pk), t.title] for t in guide.topics.all()]
    return {
        "sections": [
            {
                "key": "topic",
                "title": "申报课题",
                "fields": [
                    {
                        "key": "topic",
                        "label": "指南课题",
                        "type": "choice",
                        "required": True,
                        "choices": topics,
                    },
                    {
                        "key": "principal",
                        "label": "课题负责人",
                        "type": "text",
                        "required": True,
                        "max_length": 60,
                    },
                    {
                        "key": "plan",
                        "label": "研究方案",
                        "type": "longtext",
                        "required": True,
                        "min_length": 20,
                    },
                    {
                        "key": "budget",
                        "label": "申请经费（万元）",
                        "type": "number",
                        "required": True,
                        "min": 0,
                        "max": 100,
                    },
                ],
            }
        ]
    }


@transaction.atomic
def open_topic_call(*, guide: TopicGuide, by, closes_at: datetime, organiser: Organization | None = None):
    """A draft call of the engine for a published guide; staff open it on the calls pages."""
    require(rules.can_manage(by))
    if guide.state != GuideState.PUBLISHED:
        raise ValidationError(_("Publish the topic guide before calling for applications."))
    if call_of_guide(guide) is not None:
        raise ValidationError(_("A topic call already runs for this guide."))
    organiser = organiser or Organization.objects.get(name=rules.THINKTANK_DEPARTMENT)
    return calls_services.create_call(
        kind=KIND,
        title=_("Topic call %(year)s: %(title)s") % {"year": guide.year, "title": guide.title},
        organiser=organiser,
        year=guide.year,
        by=by,
        form_schema=topic_form_schema(guide),
        endorsement_chain=[],
        closes_at=closes_at,
        description=guide.introduction,
        extra={"thinktank_guide": guide.pk},
    )


def call_of_guide(guide: TopicGuide):
    """The engine's call opened for ``guide`` (None before)."""
    from kexie.calls.models import Call

    return Call.objects.filter(kind=KIND, extra__thinktank_guide=guide.pk).order_by("pk").first()


def topic_decided(submission) -> Project | None:
    """on_decision hook: a selected application becomes an awarded project (once)."""
    if submission.decision != Decision.SELECTED:
        return None
    data = submission.data or {}
    topic = None
    if str(data.get("topic", "")).isdigit():
        topic = GuideTopic.objects.filter(pk=int(data["topic"])).first()
    budget = data.get("budget")
    return award_topic_project(
        call_ref=f"{submission.call_id}:{submission.pk}",
        title=submission.title,
        lead_organization=submission.organization_name,
        principal=str(data.get("principal") or submission.person_name or ""),
        owner=submission.applicant,
        by=submission.decided_by,
        topic=topic,
        amount=Decimal(str(budget)) if budget is not None else None,
    )


kinds.register(
    KIND,
    label=gettext_lazy("Think-tank topic"),
    app_label="thinktank",
    measures=(14,),
    on_decision=topic_decided,
    applicant_label=gettext_lazy("applicant"),
    selected_label=gettext_lazy("awarded"),
    default_chain=(),
    description=gettext_lazy("A call for research on the topics of a published topic guide."),
)
