"""The call kinds outreach runs on the calls engine (measure 10): 科普示范 creation and the 科普
professional-title evaluation. The engine runs the call, endorsement, review, decision and publicity;
``on_decision`` records the outcome here, idempotently, inside the engine's transaction."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.calls import kinds
from kexie.calls.enums import Decision, SubmissionState
from kexie.core.reference import district_code
from kexie.outreach.enums import SiteKind, TitleLevel
from kexie.outreach.models import DemonstrationSite, ScienceTitle


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
    "outreach.demonstration",
    label=_("Science popularisation demonstration site"),
    app_label="outreach",
    measures=(10,),
    on_decision=demonstration_decided,
    applicant_label=_("applicant"),
    selected_label=_("named"),
    default_chain=("unit", "channel", "organiser"),
    description=_("Demonstration districts, communities and bases: applied for, reviewed, then registered."),
)
kinds.register(
    "outreach.title",
    label=_("Science communication professional title"),
    app_label="outreach",
    measures=(10,),
    on_decision=title_decided,
    applicant_label=_("applicant"),
    selected_label=_("passed"),
    default_chain=("unit", "organiser"),
    description=_("Titles of science communicators: applied for, endorsed, reviewed, then registered."),
)
