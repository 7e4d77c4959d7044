"""Every write of the surveys app: keyword-only verbs, one transaction each, an audit event each.
A refused action raises ``ValidationError`` and changes nothing.

A small, stable API for other apps (``literacy`` builds its annual survey with it):

    survey = create_survey(title=..., organization=org, by=user)
    section = add_section(survey=survey, title="基本情况", by=user)
    add_question(section=section, text="性别", kind=QuestionKind.SINGLE, code="sex",
                 options=[("1", "男"), ("2", "女")], by=user)
    add_question(section=section, text="...", kind=QuestionKind.SINGLE, code="k1",
                 options=["对", "错"], condition=(earlier_question, ConditionOperator.EQUALS, "1"), by=user)
    publish_survey(survey=survey, by=user)
    response = start_response(survey=survey, invitation_code="ABCD2345")   # or user=..., or neither
    save_answers(response=response, answers={question: raw_value, ...})
    submit_response(response=response)
    rows = responses_frame(survey)   # one dict per submitted response: {"response": id, code: value}

``options`` are labels (values become "1", "2", ...) or (value, label) pairs. Answer values are an
option value (single), a list of values (multiple), a number (rating, number), a string (text) or
{row label: value} (matrix).
"""

from kexie.surveys.services.building import (
    QUESTION_FIELDS,
    SURVEY_FIELDS,
    add_question,
    add_section,
    close_survey,
    create_survey,
    delete_question,
    move_question,
    ordered_questions,
    publish_problems,
    publish_survey,
    revise_survey,
    update_question,
    update_survey,
)
from kexie.surveys.services.responses import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_BATCH,
    condition_met,
    export_invitation_codes,
    is_open,
    issue_invitations,
    missing_required,
    normalise_code,
    parse_answer,
    record_export,
    responses_frame,
    save_answers,
    saved_answers,
    shown_questions,
    start_response,
    submit_response,
)
from kexie.surveys.services.weighting import (
    rake_scheme,
    run_weighting,
    scheme_margins,
    upload_margins,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_BATCH",
    "QUESTION_FIELDS",
    "SURVEY_FIELDS",
    "add_question",
    "add_section",
    "close_survey",
    "condition_met",
    "create_survey",
    "delete_question",
    "export_invitation_codes",
    "is_open",
    "issue_invitations",
    "missing_required",
    "move_question",
    "normalise_code",
    "ordered_questions",
    "parse_answer",
    "publish_problems",
    "publish_survey",
    "rake_scheme",
    "record_export",
    "responses_frame",
    "revise_survey",
    "run_weighting",
    "save_answers",
    "saved_answers",
    "scheme_margins",
    "shown_questions",
    "start_response",
    "submit_response",
    "update_question",
    "update_survey",
    "upload_margins",
]
