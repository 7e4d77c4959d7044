"""Pages of the literacy module, by domain noun: public pages, reader, contests, assessments, question
bank, rate and planner, and the annual literacy survey. Thin — auth, a rules predicate, a form, a service,
a message. Every view is re-exported here for `kexie.literacy.urls`."""

from kexie.literacy.views.assessments import assessment_form_view, assessment_publish_view, assessment_view
from kexie.literacy.views.common import TARGET_RATE
from kexie.literacy.views.contests import (
    contest_detail_view,
    contest_form_view,
    contest_play_view,
    contest_publish_view,
    contest_start_view,
)
from kexie.literacy.views.public import home_view, profile_view, register_view
from kexie.literacy.views.questions import (
    question_detail_view,
    question_form_view,
    question_import_view,
    question_list_view,
)
from kexie.literacy.views.rate import participation_view, planner_view, rate_view
from kexie.literacy.views.reader import (
    chapter_detail_view,
    chapter_form_view,
    chapter_list_view,
    chapter_publish_view,
)
from kexie.literacy.views.survey import (
    ESTIMATES_PER_PAGE,
    assessment_rule_view,
    estimate_create_view,
    estimate_delete_view,
    estimate_edit_view,
    estimate_list_view,
    rule_edit_view,
    rule_list_view,
    survey_compute_view,
    survey_detail_view,
    survey_list_view,
)

__all__ = [
    "ESTIMATES_PER_PAGE",
    "TARGET_RATE",
    "assessment_form_view",
    "assessment_publish_view",
    "assessment_rule_view",
    "assessment_view",
    "chapter_detail_view",
    "chapter_form_view",
    "chapter_list_view",
    "chapter_publish_view",
    "contest_detail_view",
    "contest_form_view",
    "contest_play_view",
    "contest_publish_view",
    "contest_start_view",
    "estimate_create_view",
    "estimate_delete_view",
    "estimate_edit_view",
    "estimate_list_view",
    "home_view",
    "participation_view",
    "planner_view",
    "profile_view",
    "question_detail_view",
    "question_form_view",
    "question_import_view",
    "question_list_view",
    "rate_view",
    "register_view",
    "rule_edit_view",
    "rule_list_view",
    "survey_compute_view",
    "survey_detail_view",
    "survey_list_view",
]
