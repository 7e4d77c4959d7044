"""The kinds of call the societies app runs on the calls engine (kexie.calls), and what a decision
does here:

- ``societies.conference_support``: a society asks for support to host an academic event; the
  answers name the event (``event``, its id) and the amount asked (``amount``, 10,000 yuan). A
  selected dossier grants the event its support (the call's ``extra["grant"]`` caps the amount).
- ``societies.journal_funding``: a journal's support funding; ``journal`` (id) and ``amount``. A
  selected dossier records a JournalFunding.
- ``societies.position_recommendation`` (推送): an expert recommended for a post in an international
  organization; ``intl_organization`` (id), ``expert`` (id) and ``post``. A selected dossier records
  a PositionRecommendation.

The hooks run inside the engine's decision transaction and are idempotent (keyed by the submission);
a decision revised to "not selected" takes back what "selected" gave. A dossier naming an event,
journal, organization or expert that does not exist, or an event of another society, raises
ValidationError, which rolls the decision back.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.calls import kinds
from kexie.calls.enums import Decision
from kexie.experts.models import Expert
from kexie.societies import services
from kexie.societies.models import Event, IntlOrganization, Journal, JournalFunding, PositionRecommendation

CONFERENCE_SUPPORT = "societies.conference_support"
JOURNAL_FUNDING = "societies.journal_funding"
POSITION_RECOMMENDATION = "societies.position_recommendation"


def _ref(submission) -> str:
    return f"calls:{submission.pk}"


def _id(submission, key: str) -> int:
    try:
        return int((submission.data or {}).get(key))
    except (TypeError, ValueError):
        raise ValidationError(
            _("Dossier %(ref)s: the answer “%(key)s” must name a record by its number.")
            % {"ref": submission.reference, "key": key}
        ) from None


def _amount(submission) -> Decimal:
    try:
        asked = Decimal(str((submission.data or {}).get("amount", "0")))
    except InvalidOperation:
        asked = Decimal(0)
    cap = (submission.call.extra or {}).get("grant")
    return min(asked, Decimal(str(cap))) if cap not in (None, "") else asked


def _fetch(model, submission, key):
    row = model.objects.filter(pk=_id(submission, key)).first()
    if row is None:
        raise ValidationError(
            _("Dossier %(ref)s names a record that does not exist (%(key)s).")
            % {"ref": submission.reference, "key": key}
        )
    return row


def conference_support_decided(submission) -> None:
    event = _fetch(Event, submission, "event")
    if (
        submission.organization_id
        and event.society
        and event.society.organization_id != submission.organization_id
    ):
        raise ValidationError(
            _("Dossier %(ref)s asks support for an event of another society.") % {"ref": submission.reference}
        )
    ref = _ref(submission)
    if submission.decision == Decision.SELECTED:
        services.grant_event_support(event=event, amount=_amount(submission), reference=ref)
    elif event.support_reference == ref:
        Event.objects.filter(pk=event.pk).update(support_amount=None, support_reference="")


def journal_funding_decided(submission) -> None:
    journal = _fetch(Journal, submission, "journal")
    ref = _ref(submission)
    if submission.decision == Decision.SELECTED:
        JournalFunding.objects.update_or_create(
            source_ref=ref,
            defaults={"journal": journal, "year": submission.call.year, "amount": _amount(submission)},
        )
    else:
        JournalFunding.objects.filter(source_ref=ref).delete()


def position_recommendation_decided(submission) -> None:
    organization = _fetch(IntlOrganization, submission, "intl_organization")
    expert = _fetch(Expert, submission, "expert")
    ref = _ref(submission)
    if submission.decision == Decision.SELECTED:
        services.record_position_recommendation(
            organization=organization,
            expert=expert,
            post=str((submission.data or {}).get("post") or submission.title),
            recommended_on=timezone.localdate(),
            source_ref=ref,
        )
    else:
        PositionRecommendation.objects.filter(source_ref=ref).delete()


def _number(key: str, label: str, **extra) -> dict:
    return {
        "key": key,
        "label": label,
        "type": "number",
        "required": True,
        "integer": True,
        "min": 1,
        **extra,
    }


# Forms staff start from when they create a call of these kinds (kexie.calls.schema).
CONFERENCE_SUPPORT_FORM = {
    "sections": [
        {
            "key": "event",
            "title": "会议信息",
            "fields": [
                _number("event", "学术活动编号"),
                {
                    "key": "amount",
                    "label": "申请资助金额（万元）",
                    "type": "number",
                    "required": True,
                    "min": 0,
                },
                {"key": "plan", "label": "会议方案与预期成果", "type": "longtext", "required": True},
            ],
        }
    ]
}
JOURNAL_FUNDING_FORM = {
    "sections": [
        {
            "key": "journal",
            "title": "期刊信息",
            "fields": [
                _number("journal", "期刊编号"),
                {
                    "key": "amount",
                    "label": "申请资助金额（万元）",
                    "type": "number",
                    "required": True,
                    "min": 0,
                },
                {"key": "plan", "label": "办刊计划", "type": "longtext", "required": True},
            ],
        }
    ]
}
RECOMMENDATION_FORM = {
    "sections": [
        {
            "key": "post",
            "title": "推荐任职",
            "fields": [
                _number("intl_organization", "国际组织编号"),
                _number("expert", "专家编号"),
                {"key": "post", "label": "拟任职务", "type": "text", "required": True},
                {"key": "reason", "label": "推荐理由", "type": "longtext", "required": True},
            ],
        }
    ]
}

kinds.register(
    CONFERENCE_SUPPORT,
    label=gettext_lazy("Academic conference support"),
    app_label="societies",
    measures=(3,),
    on_decision=conference_support_decided,
    selected_label=gettext_lazy("supported"),
    default_chain=("organiser",),
)
kinds.register(
    JOURNAL_FUNDING,
    label=gettext_lazy("Journal support funding"),
    app_label="societies",
    measures=(3,),
    on_decision=journal_funding_decided,
    selected_label=gettext_lazy("funded"),
    default_chain=("organiser",),
)
kinds.register(
    POSITION_RECOMMENDATION,
    label=gettext_lazy("Recommendation for a post in an international organization"),
    app_label="societies",
    measures=(12,),
    on_decision=position_recommendation_decided,
    applicant_label=gettext_lazy("nominee"),
    selected_label=gettext_lazy("recommended"),
    default_chain=("unit", "organiser"),
)
