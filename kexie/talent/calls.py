"""The call kinds the talent app runs on the 申报评审 engine (kexie.calls.kinds, autodiscovered).

- ``award`` (the engine's built-in kind, taken over): awards and campaigns of the catalogue; a round
  of the catalogue is linked to its call (AwardRound.call_id). A decision becomes the nomination's
  outcome; the final result an honour on the expert's profile.
- ``programme`` (built-in, taken over): the 托举 selection; a final selection admits the person to
  the cohort whose ``call_id`` is the call.
- ``talent.midterm``: the mid-term evaluation of a cohort; the final score gives the result.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.calls import kinds
from kexie.talent.services import engine


def award_decided(submission) -> None:
    engine.apply_award_decision(submission=submission)


def award_prior_winners(call, series) -> list[dict]:
    return engine.prior_winners(call=call, series=series)


def programme_decided(submission) -> None:
    engine.admit_from_call(submission=submission)


def midterm_decided(submission) -> None:
    engine.apply_midterm_decision(submission=submission)


def register() -> None:
    """Declare the talent kinds (at import, by the engine's autodiscovery; again when a test has
    put the engine's generic kinds back)."""
    kinds.register(
        "award",
        label=_("Award"),
        app_label="talent",
        measures=(8,),
        on_decision=award_decided,
        applicant_label=_("nominee"),
        selected_label=_("awarded"),
        default_chain=("unit", "channel", "organiser"),
        needs_code=True,
        prior_winners=award_prior_winners,
        replace=True,
    )
    kinds.register(
        "programme",
        label=_("Programme"),
        app_label="talent",
        measures=(7,),
        on_decision=programme_decided,
        applicant_label=_("applicant"),
        selected_label=_("supported"),
        default_chain=("unit", "channel", "organiser"),
        replace=True,
    )
    kinds.register(
        "talent.midterm",
        label=_("Mid-term evaluation of the support programme"),
        app_label="talent",
        measures=(7,),
        on_decision=midterm_decided,
        applicant_label=_("supported person"),
        selected_label=_("passed"),
        default_chain=(),
        replace=True,
    )

    # "在奖项评选、项目支持中予以倾斜": a 托举 person is flagged on the engine's dossier, review and
    # ranking pages of every later call.
    kinds.register_flag("talent.supported", supported_flag)


def supported_flag(submission) -> list[str]:
    from kexie.experts.models import Expert  # noqa: PLC0415
    from kexie.talent.queries import supported_expert_ids  # noqa: PLC0415

    if submission.applicant_id is None:
        return []
    experts = set(Expert.objects.filter(user_id=submission.applicant_id).values_list("pk", flat=True))
    return [str(_("Supported young talent"))] if experts & supported_expert_ids() else []


register()
