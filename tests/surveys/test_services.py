"""Services of surveys: building, skip logic, publishing, versions, invitations, answering."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kexie.core.models import AuditEvent
from kexie.surveys import services
from kexie.surveys.enums import ConditionOperator, QuestionKind, SurveyState
from kexie.surveys.models import Answer, Invitation, Question, Response, Survey
from tests.surveys.conftest import answer, questions

pytestmark = pytest.mark.django_db


def test_create_survey_records_event(orgs, owner):
    survey = services.create_survey(title=" 调查 ", organization=orgs["战略发展部"], by=owner)
    assert (survey.title, survey.state, survey.version) == ("调查", SurveyState.DRAFT, 1)
    assert AuditEvent.objects.filter(action="surveys.survey.create", object_id=str(survey.pk)).count() == 1


def test_create_survey_without_title_refused(orgs, owner):
    with pytest.raises(ValidationError):
        services.create_survey(title="  ", organization=orgs["战略发展部"], by=owner)
    assert Survey.objects.count() == 0


def test_add_question_numbers_codes_and_options(draft, owner):
    section = draft.sections.first()
    q = services.add_question(
        section=section, text="年龄段", kind=QuestionKind.SINGLE, options=["18-29", "30-39"], by=owner
    )
    assert q.code == "Q7"
    assert [(o.value, o.label) for o in q.options.all()] == [("1", "18-29"), ("2", "30-39")]


def test_add_question_duplicate_code_refused(draft, owner):
    before = Question.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.add_question(
            section=draft.sections.first(), text="x", kind=QuestionKind.TEXT, code="sex", by=owner
        )
    assert "code" in exc.value.error_dict
    assert Question.objects.count() == before


def test_condition_on_later_question_refused(draft, owner):
    q = questions(draft)
    with pytest.raises(ValidationError) as exc:
        services.update_question(
            question=q["sex"], condition_question=q["satisfaction"], condition_value="1", by=owner
        )
    assert "condition_question" in exc.value.error_dict
    assert Question.objects.get(pk=q["sex"].pk).condition_question_id is None


def test_move_question_swaps_positions(draft, owner):
    q = questions(draft)
    services.move_question(question=q["employed"], up=True, by=owner)
    assert [x.code for x in services.ordered_questions(draft)][:2] == ["employed", "sex"]


def test_move_question_past_its_condition_refused(draft, owner):
    q = questions(draft)
    services.update_question(
        question=q["channels"],
        condition_question=q["hours"],
        condition_operator="equals",
        condition_value="1",
        by=owner,
    )
    with pytest.raises(ValidationError):
        services.move_question(question=q["channels"], up=True, by=owner)
    assert [x.code for x in services.ordered_questions(draft)][2:4] == ["hours", "channels"]


def test_delete_question_with_dependents_refused(draft, owner):
    q = questions(draft)
    with pytest.raises(ValidationError):
        services.delete_question(question=q["employed"], by=owner)
    assert Question.objects.filter(pk=q["employed"].pk).exists()


def test_delete_question_removes_it(draft, owner):
    q = questions(draft)
    services.delete_question(question=q["comment"], by=owner)
    assert "comment" not in questions(draft)


def test_publish_problems_name_each_question(orgs, owner):
    survey = services.create_survey(title="t", organization=orgs["战略发展部"], by=owner)
    section = services.add_section(survey=survey, title="一", by=owner)
    services.add_section(survey=survey, title="空", by=owner)
    services.add_question(
        section=section, text="单选", kind=QuestionKind.SINGLE, code="a", options=["只有一个"], by=owner
    )
    services.add_question(
        section=section, text="矩阵", kind=QuestionKind.MATRIX, code="m", options=["好", "差"], by=owner
    )
    assert services.publish_problems(survey) == [
        "Question a “单选” needs at least two options.",
        "Question m “矩阵” needs at least one row.",
        "Section “空” has no questions.",
    ]
    with pytest.raises(ValidationError):
        services.publish_survey(survey=survey, by=owner)
    assert Survey.objects.get(pk=survey.pk).state == SurveyState.DRAFT


def test_publish_condition_on_unknown_value_refused(draft, owner):
    q = questions(draft)
    Question.objects.filter(pk=q["hours"].pk).update(condition_value="9")
    assert services.publish_problems(draft) == [
        "Question hours “每周工作小时” depends on an answer that question employed does not have."
    ]


def test_publish_empty_survey_refused(orgs, owner):
    survey = services.create_survey(title="t", organization=orgs["战略发展部"], by=owner)
    with pytest.raises(ValidationError) as exc:
        services.publish_survey(survey=survey, by=owner)
    assert exc.value.messages == ["The survey has no questions."]


def test_publish_freezes_questions(published, owner):
    assert published.state == SurveyState.PUBLISHED
    q = questions(published)
    with pytest.raises(ValidationError):
        services.update_question(question=q["sex"], text="改", by=owner)
    with pytest.raises(ValidationError):
        services.add_section(survey=published, title="新", by=owner)
    assert Question.objects.get(pk=q["sex"].pk).text == "性别"


def test_publish_twice_refused(published, owner):
    with pytest.raises(ValidationError):
        services.publish_survey(survey=published, by=owner)


def test_revise_copies_questions_and_conditions(published, owner):
    copy = services.revise_survey(survey=published, by=owner)
    assert (copy.state, copy.version, copy.previous_id) == (SurveyState.DRAFT, 2, published.pk)
    old, new = questions(published), questions(copy)
    assert list(new) == list(old)
    assert new["hours"].condition_question_id == new["employed"].pk
    assert [o.label for o in new["channels"].options.all()] == ["网络", "期刊", "会议"]
    services.update_question(question=new["sex"], text="您的性别", by=owner)
    assert Question.objects.get(pk=old["sex"].pk).text == "性别"


def test_revise_draft_refused(draft, owner):
    with pytest.raises(ValidationError):
        services.revise_survey(survey=draft, by=owner)
    assert Survey.objects.count() == 1


def test_close_survey_stops_answers(published, owner):
    services.close_survey(survey=published, by=owner)
    published.refresh_from_db()
    assert published.state == SurveyState.CLOSED
    with pytest.raises(ValidationError):
        services.start_response(survey=published)


def test_close_draft_refused(draft, owner):
    with pytest.raises(ValidationError):
        services.close_survey(survey=draft, by=owner)
    assert Survey.objects.get(pk=draft.pk).state == SurveyState.DRAFT


def test_issue_invitations_makes_unique_unambiguous_codes(published, owner, orgs):
    batch = services.issue_invitations(
        survey=published, organization=orgs["渝中区科学技术协会"], quota=200, by=owner
    )
    codes = list(batch.invitations.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 200
    assert all(len(c) == 8 and set(c) <= set(services.CODE_ALPHABET) for c in codes)
    assert not set("01IOL") & set("".join(codes))


def test_issue_invitations_for_draft_refused(draft, owner, orgs):
    with pytest.raises(ValidationError):
        services.issue_invitations(survey=draft, organization=orgs["渝中区科学技术协会"], quota=5, by=owner)
    assert Invitation.objects.count() == 0


def test_issue_invitations_bad_quota_refused(published, owner, orgs):
    with pytest.raises(ValidationError):
        services.issue_invitations(
            survey=published, organization=orgs["渝中区科学技术协会"], quota=0, by=owner
        )
    assert Invitation.objects.count() == 0


def test_skip_logic_hides_question_and_drops_answer(published):
    q = questions(published)
    response = services.start_response(survey=published)
    services.save_answers(response=response, answers={q["sex"]: "1", q["employed"]: "1"})
    services.save_answers(
        response=response,
        answers={q["hours"]: "40", q["channels"]: ["1"], q["satisfaction"]: "4", q["comment"]: ""},
    )
    assert services.saved_answers(response)[q["hours"].pk] == 40
    services.save_answers(response=response, answers={q["sex"]: "1", q["employed"]: "2"})
    assert q["hours"].pk not in services.saved_answers(response)
    assert [
        x.code
        for x in services.shown_questions(
            services.ordered_questions(published), services.saved_answers(response)
        )
    ] == [
        "sex",
        "employed",
        "channels",
        "satisfaction",
        "comment",
    ]


def test_condition_contains_for_multiple_choice(published):
    q = questions(published)
    q["comment"].condition_question = q["channels"]
    q["comment"].condition_operator = ConditionOperator.CONTAINS
    q["comment"].condition_value = "3"
    assert services.condition_met(q["comment"], {q["channels"].pk: ["1", "3"]}) is True
    assert services.condition_met(q["comment"], {q["channels"].pk: ["1"]}) is False


def test_required_answers_named_and_nothing_saved(published):
    q = questions(published)
    response = services.start_response(survey=published)
    with pytest.raises(ValidationError) as exc:
        services.save_answers(response=response, answers={q["sex"]: "", q["employed"]: "1"})
    assert exc.value.message_dict == {"sex": ["Please answer “性别”."]}
    assert Answer.objects.filter(response=response).count() == 0


def test_invalid_answers_named(published):
    q = questions(published)
    response = services.start_response(survey=published)
    with pytest.raises(ValidationError) as exc:
        services.save_answers(
            response=response,
            answers={q["sex"]: "7", q["employed"]: "1"},
        )
    assert exc.value.message_dict == {"sex": ["“性别”: please choose one of the options."]}
    with pytest.raises(ValidationError) as exc:
        services.save_answers(
            response=response, answers={q["satisfaction"]: "6", q["hours"]: "abc"}, check_required=False
        )
    assert exc.value.message_dict == {
        "satisfaction": ["“满意度”: please choose a whole number from 1 to 5."],
        "hours": ["“每周工作小时”: please enter a number."],
    }


def test_save_partial_then_resume_with_token(published):
    q = questions(published)
    response = services.start_response(survey=published)
    services.save_answers(response=response, answers={q["sex"]: "2", q["employed"]: ""}, check_required=False)
    resumed = Response.objects.get(resume_token=response.resume_token)
    assert services.saved_answers(resumed) == {q["sex"].pk: "2"}
    assert [x.code for x in services.missing_required(resumed)] == ["employed", "channels", "satisfaction"]


def test_submit_with_missing_required_refused(published):
    q = questions(published)
    response = services.start_response(survey=published)
    services.save_answers(response=response, answers={q["sex"]: "2"}, check_required=False)
    with pytest.raises(ValidationError) as exc:
        services.submit_response(response=response)
    assert exc.value.messages == [
        "Please answer “是否在职”.",
        "Please answer “信息渠道”.",
        "Please answer “满意度”.",
    ]
    assert Response.objects.get(pk=response.pk).submitted_at is None


def test_invitation_code_resumes_then_single_use(published, owner, orgs):
    batch = services.issue_invitations(
        survey=published, organization=orgs["渝中区科学技术协会"], quota=1, by=owner
    )
    code = batch.invitations.get().code
    first = services.start_response(survey=published, invitation_code=code.lower())
    again = services.start_response(survey=published, invitation_code=f" {code} ")
    assert first.pk == again.pk and first.station_id == orgs["渝中区科学技术协会"].pk
    q = questions(published)
    services.save_answers(
        response=first,
        answers={q["sex"]: "1", q["employed"]: "2", q["channels"]: ["2"], q["satisfaction"]: "3"},
        check_required=False,
    )
    services.submit_response(response=first)
    assert Invitation.objects.get(code=code).used_at is not None
    with pytest.raises(ValidationError) as exc:
        services.start_response(survey=published, invitation_code=code)
    assert exc.value.message_dict == {"code": [f"The invitation code {code} has already been used."]}
    with pytest.raises(ValidationError):
        services.submit_response(response=first)
    assert Response.objects.filter(survey=published).count() == 1


def test_unknown_invitation_code_refused(published):
    with pytest.raises(ValidationError) as exc:
        services.start_response(survey=published, invitation_code="ZZZZZZZZ")
    assert exc.value.message_dict == {"code": ["The invitation code ZZZZZZZZ is not valid for this survey."]}
    assert Response.objects.count() == 0


def test_signed_in_user_has_one_response(published, owner):
    published.requires_sign_in = True
    published.save(update_fields=["requires_sign_in"])
    with pytest.raises(ValidationError):
        services.start_response(survey=published)
    first = services.start_response(survey=published, user=owner)
    assert services.start_response(survey=published, user=owner).pk == first.pk


def test_responses_frame_rows(published):
    answer(
        published,
        {
            "sex": "1",
            "employed": "1",
            "hours": "38.5",
            "channels": ["3", "1"],
            "satisfaction": "5",
            "comment": "好",
        },
    )
    rows = services.responses_frame(published)
    assert [{k: v for k, v in r.items() if k not in ("response", "submitted_at")} for r in rows] == [
        {
            "station": "",
            "station_name": "",
            "sex": "1",
            "employed": "1",
            "hours": 38.5,
            "channels": ["1", "3"],
            "satisfaction": 5,
            "comment": "好",
        }
    ]


def test_indicator_counts_submitted_responses(published):
    from kexie.policy import indicators

    answer(published, {"sex": "1", "employed": "2", "channels": ["1"], "satisfaction": "3"})
    services.start_response(survey=published)
    reading = indicators.get("surveys.responses_submitted").compute(None)
    assert reading.value == 1
