"""Every write of the literacy module: verbs with keyword-only arguments, one transaction each, an audit
event on every write with business meaning. A refused action raises and changes nothing.

The package re-exports every verb, so callers write `services.start_round(...)`."""

from kexie.literacy.services.assessments import (
    create_assessment,
    publish_assessment,
    submit_assessment,
)
from kexie.literacy.services.bank import (
    AUDIENCE_LABELS,
    AUDIENCE_WORDS,
    KIND_LABELS,
    KIND_WORDS,
    LETTERS,
    QUESTION_FIELDS,
    XLSX_COLUMNS,
    ImportReport,
    clean_question,
    create_question,
    export_questions,
    import_questions,
    review_question,
    update_question,
)
from kexie.literacy.services.constants import (
    BENCHMARK_RULE,
    DIMENSIONS,
    GRACE,
    GRADED_RULE,
    SEED_DIR,
    TRUE_FALSE_OPTIONS,
)
from kexie.literacy.services.contest import (
    answer_question,
    contest_pool,
    points_per_question,
    publish_contest,
    save_contest,
    serve_question,
    start_round,
    todays_attempt,
)
from kexie.literacy.services.contestants import (
    district_of,
    register_citizen,
    set_contestant_profile,
)
from kexie.literacy.services.estimates import (
    delete_estimate,
    enter_published_estimate,
    estimate_from_assessments,
    record_estimate,
    update_estimate,
)
from kexie.literacy.services.reader import (
    publish_chapter,
    record_reader_visit,
    save_chapter,
)
from kexie.literacy.services.reference import (
    CORE_CHOICES,
    CORE_EXPLANATIONS,
    district_by_name,
    load_reference_data,
)
from kexie.literacy.services.survey import (
    SMALL_N,
    compute_survey_rate,
    create_literacy_survey,
    item_code,
    score_responses,
    weighted_rates,
)
from kexie.literacy.services.thresholds import (
    clean_tiers,
    set_assessment_rule,
    update_scoring_rule,
)

__all__ = [
    "AUDIENCE_LABELS",
    "AUDIENCE_WORDS",
    "BENCHMARK_RULE",
    "CORE_CHOICES",
    "CORE_EXPLANATIONS",
    "DIMENSIONS",
    "GRACE",
    "GRADED_RULE",
    "ImportReport",
    "KIND_LABELS",
    "KIND_WORDS",
    "LETTERS",
    "QUESTION_FIELDS",
    "SEED_DIR",
    "SMALL_N",
    "TRUE_FALSE_OPTIONS",
    "XLSX_COLUMNS",
    "answer_question",
    "clean_question",
    "clean_tiers",
    "compute_survey_rate",
    "contest_pool",
    "create_assessment",
    "create_literacy_survey",
    "create_question",
    "delete_estimate",
    "district_by_name",
    "district_of",
    "enter_published_estimate",
    "estimate_from_assessments",
    "export_questions",
    "import_questions",
    "item_code",
    "load_reference_data",
    "points_per_question",
    "publish_assessment",
    "publish_chapter",
    "publish_contest",
    "record_estimate",
    "record_reader_visit",
    "register_citizen",
    "review_question",
    "save_chapter",
    "save_contest",
    "score_responses",
    "serve_question",
    "set_assessment_rule",
    "set_contestant_profile",
    "start_round",
    "submit_assessment",
    "todays_attempt",
    "update_estimate",
    "update_question",
    "update_scoring_rule",
    "weighted_rates",
]
