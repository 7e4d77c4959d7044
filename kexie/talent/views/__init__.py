from kexie.talent.views.academicians import (
    candidate_detail,
    candidate_list,
    engineer_list,
    pair_detail,
    pair_list,
    top_talent_detail,
    top_talent_list,
)
from kexie.talent.views.awards import (
    campaign,
    campaign_vote,
    index,
    nomination_decide,
    nomination_detail,
    round_advance,
    round_clear_flags,
    round_detail,
)
from kexie.talent.views.programme import (
    cohort_list,
    instalment_pay,
    person_detail,
    report_review,
    report_submit,
)

__all__ = [
    "campaign",
    "campaign_vote",
    "candidate_detail",
    "candidate_list",
    "cohort_list",
    "engineer_list",
    "index",
    "instalment_pay",
    "nomination_decide",
    "nomination_detail",
    "pair_detail",
    "pair_list",
    "person_detail",
    "report_review",
    "report_submit",
    "round_advance",
    "round_clear_flags",
    "round_detail",
    "top_talent_detail",
    "top_talent_list",
]
