"""Staff pages: the survey list, settings, the questionnaire builder, preview, publish, close, revise."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.models import Organization
from kexie.accounts.queries import roles_of
from kexie.core.forms import add_service_errors
from kexie.surveys import rules, services
from kexie.surveys.forms import QuestionForm, SectionForm, SurveyForm, options_text
from kexie.surveys.models import Question
from kexie.surveys.queries import surveys_visible_to, with_counts
from kexie.surveys.views.common import decorate_questions, managed_survey, visible_survey


def _owner_organizations(user):
    if roles_of(user) & rules.ALL_SURVEYS_ROLES:
        return Organization.objects.filter(is_active=True).order_by("sort_order", "name")
    return Organization.objects.filter(pk__in=rules.owner_organization_ids(user))


@login_required
def survey_list_view(request):
    surveys = with_counts(surveys_visible_to(request.user)).order_by("-created_at", "-pk")
    page = Paginator(surveys, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/survey_list.html",
        {"page": page, "can_create": rules.can_create_survey(request.user)},
    )


@login_required
def survey_create_view(request):
    if not rules.can_create_survey(request.user):
        raise PermissionDenied
    organizations = _owner_organizations(request.user)
    form = SurveyForm(
        request.POST or None, organizations=organizations, initial={"organization": organizations.first()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Survey created. Add sections and questions."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@login_required
def survey_edit_view(request, pk: int):
    survey = managed_survey(request, pk)
    form = SurveyForm(
        request.POST or None,
        organizations=Organization.objects.filter(pk=survey.organization_id),
        initial={
            "title": survey.title,
            "description": survey.description,
            "organization": survey.organization,
            "requires_sign_in": survey.requires_sign_in,
            "closes_at": survey.closes_at,
        },
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in ("title", "description", "closes_at")}
        if survey.state == "draft":
            changes["requires_sign_in"] = form.cleaned_data["requires_sign_in"]
        try:
            services.update_survey(survey=survey, by=request.user, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Survey settings saved."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@login_required
def survey_detail_view(request, pk: int):
    survey = visible_survey(request, pk)
    questions = services.ordered_questions(survey)
    sections = list(survey.sections.all())
    for section in sections:
        section.question_list = [q for q in questions if q.section_id == section.pk]
    can_edit = rules.can_edit_questions(request.user, survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "sections": sections,
            "can_edit": can_edit,
            "can_manage": rules.can_manage_survey(request.user, survey),
            "can_publish": rules.can_publish_survey(request.user, survey),
            "can_close": rules.can_close_survey(request.user, survey),
            "can_revise": rules.can_revise_survey(request.user, survey),
            "can_view_results": rules.can_view_results(request.user, survey),
            "problems": services.publish_problems(survey) if can_edit else [],
            "section_form": SectionForm() if can_edit else None,
            "next_versions": list(survey.next_versions.all()),
        },
    )


@login_required
@require_POST
def section_create_view(request, pk: int):
    survey = managed_survey(request, pk)
    if not rules.can_edit_questions(request.user, survey):
        raise PermissionDenied
    form = SectionForm(request.POST)
    if form.is_valid():
        services.add_section(survey=survey, title=form.cleaned_data["title"], by=request.user)
        messages.success(request, _("Section added."))
    else:
        messages.error(request, _("Please give the section a title."))
    return redirect("surveys:detail", pk=survey.pk)


def _question_arguments(form: QuestionForm) -> dict:
    data = form.cleaned_data
    return {
        "text": data["text"],
        "kind": data["kind"],
        "code": data["code"],
        "required": data["required"],
        "help_text": data["help_text"],
        "scale_min": data["scale_min"],
        "scale_max": data["scale_max"],
    }


@login_required
def question_create_view(request, pk: int):
    survey = managed_survey(request, pk)
    if not rules.can_edit_questions(request.user, survey):
        raise PermissionDenied
    initial = {"section": request.GET.get("section") or survey.sections.last(), "required": True}
    form = QuestionForm(request.POST or None, survey=survey, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        condition = (
            (data["condition_question"], data["condition_operator"], data["condition_value"].strip())
            if data["condition_question"]
            else None
        )
        try:
            services.add_question(
                section=data["section"],
                by=request.user,
                options=form.option_pairs(),
                rows=form.row_list(),
                condition=condition,
                **_question_arguments(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question added."))
            if "another" in request.POST:
                return redirect(f"{request.path}?section={data['section'].pk}")
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/question_form.html", {"form": form, "survey": survey})


def _editable_question(request, pk: int) -> Question:
    question = get_object_or_404(Question.objects.select_related("survey", "section"), pk=pk)
    managed_survey(request, question.survey_id)
    if not rules.can_edit_questions(request.user, question.survey):
        raise PermissionDenied
    return question


@login_required
def question_edit_view(request, pk: int):
    question = _editable_question(request, pk)
    survey = question.survey
    initial = {
        "section": question.section,
        "text": question.text,
        "code": question.code,
        "kind": question.kind,
        "required": question.required,
        "help_text": question.help_text,
        "options": options_text(question),
        "rows": "\n".join(question.rows),
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "condition_question": question.condition_question,
        "condition_operator": question.condition_operator,
        "condition_value": question.condition_value,
    }
    form = QuestionForm(request.POST or None, survey=survey, question=question, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = _question_arguments(form)
        changes["code"] = changes["code"] or question.code
        changes.update(
            rows=form.row_list(),
            condition_question=data["condition_question"],
            condition_operator=data["condition_operator"],
            condition_value=data["condition_value"].strip() if data["condition_question"] else "",
        )
        if data["section"].pk != question.section_id:
            changes["section"] = data["section"]
        try:
            services.update_question(
                question=question, by=request.user, options=form.option_pairs(), **changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(
        request, "surveys/question_form.html", {"form": form, "survey": survey, "question": question}
    )


@login_required
@require_POST
def question_delete_view(request, pk: int):
    question = _editable_question(request, pk)
    try:
        services.delete_question(question=question, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Question deleted."))
    return redirect("surveys:detail", pk=question.survey_id)


@login_required
@require_POST
def question_move_view(request, pk: int):
    question = _editable_question(request, pk)
    try:
        services.move_question(question=question, up=request.POST.get("direction") == "up", by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:detail", pk=question.survey_id)


@login_required
def survey_preview_view(request, pk: int):
    survey = visible_survey(request, pk)
    questions = services.ordered_questions(survey)
    sections = list(survey.sections.all())
    for section in sections:
        section.question_list = [q for q in questions if q.section_id == section.pk]
    decorate_questions(questions)
    return render(request, "surveys/preview.html", {"survey": survey, "sections": sections})


@login_required
@require_POST
def survey_publish_view(request, pk: int):
    survey = managed_survey(request, pk)
    if not rules.can_publish_survey(request.user, survey):
        raise PermissionDenied
    try:
        services.publish_survey(survey=survey, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Survey published: its questions are now frozen."))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def survey_close_view(request, pk: int):
    survey = managed_survey(request, pk)
    if not rules.can_close_survey(request.user, survey):
        raise PermissionDenied
    services.close_survey(survey=survey, by=request.user)
    messages.success(request, _("Survey closed: no more answers are accepted."))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def survey_revise_view(request, pk: int):
    survey = managed_survey(request, pk)
    if not rules.can_revise_survey(request.user, survey):
        raise PermissionDenied
    copy = services.revise_survey(survey=survey, by=request.user)
    messages.success(
        request,
        _("Version %(version)s created as a draft; version %(old)s keeps its questions and answers.")
        % {"version": copy.version, "old": survey.version},
    )
    return redirect("surveys:detail", pk=copy.pk)
