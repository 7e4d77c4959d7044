"""The respondent's pages (public): start from the link or an invitation code, one section per
page, save and resume, submit. Skip logic and required answers are enforced by the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kexie.core.ratelimit import client_address, count_attempt, is_limited
from kexie.surveys import services
from kexie.surveys.enums import QuestionKind
from kexie.surveys.forms import CodeForm
from kexie.surveys.models import Invitation, Response, Survey
from kexie.surveys.views.common import decorate_questions

SESSION_KEY = "surveys_resume"


def _remember(request, response: Response) -> None:
    tokens = request.session.get(SESSION_KEY, {})
    tokens[str(response.survey_id)] = response.resume_token
    request.session[SESSION_KEY] = tokens


@require_http_methods(["GET", "POST"])
def public_start_view(request, token: str):
    survey = get_object_or_404(Survey, public_token=token)
    if not services.is_open(survey):
        return render(
            request,
            "surveys/closed.html",
            {"survey": survey},
            status=410 if survey.state == "closed" else 404,
        )
    if survey.requires_sign_in and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    resume = request.session.get(SESSION_KEY, {}).get(str(survey.pk))
    if request.method == "POST":
        if resume and Response.objects.filter(resume_token=resume, submitted_at__isnull=True).exists():
            return redirect("surveys:answer", token=resume)
        try:
            response = services.start_response(survey=survey, user=request.user)
        except ValidationError as exc:
            return render(
                request, "surveys/closed.html", {"survey": survey, "errors": exc.messages}, status=409
            )
        _remember(request, response)
        return redirect("surveys:answer", token=response.resume_token)
    return render(request, "surveys/start.html", {"survey": survey, "resume": resume})


# Wrong invitation codes an address may try per window before it must wait.
CODE_ATTEMPTS = 10
CODE_WINDOW_SECONDS = 15 * 60


@require_http_methods(["GET", "POST"])
def code_view(request):
    """A GET (the link printed beside each code) only fills the form in: nothing is created until the
    respondent presses the button. An unknown, used or closed code gets one and the same answer, and
    an address that tries too many codes waits."""
    if request.method != "POST":
        form = CodeForm(initial={"code": request.GET.get("code", "")[:16]})
        return render(request, "surveys/code.html", {"form": form})
    form = CodeForm(request.POST)
    address = client_address(request)
    if is_limited("invitation-code", address, limit=CODE_ATTEMPTS):
        form.add_error(None, _("Too many codes were tried from your network. Please wait 15 minutes."))
        return render(request, "surveys/code.html", {"form": form}, status=429)
    if form.is_valid():
        code = services.normalise_code(form.cleaned_data["code"])
        invitation = Invitation.objects.select_related("batch__survey").filter(code=code).first()
        response = None
        if invitation is not None and services.is_open(invitation.batch.survey):
            try:
                response = services.start_response(
                    survey=invitation.batch.survey, user=request.user, invitation_code=code
                )
            except ValidationError:
                response = None
        if response is not None:
            _remember(request, response)
            return redirect("surveys:answer", token=response.resume_token)
        count_attempt("invitation-code", address, window_seconds=CODE_WINDOW_SECONDS)
        form.add_error(
            "code",
            _("This invitation code cannot be used: it is wrong, already used, or its survey is closed."),
        )
    return render(request, "surveys/code.html", {"form": form})


def _raw_answer(post, question):
    name = f"q{question.pk}"
    if question.kind == QuestionKind.MULTIPLE:
        return post.getlist(name)
    if question.kind == QuestionKind.MATRIX:
        return {row: post.get(f"{name}_{n}", "") for n, row in enumerate(question.rows)}
    return post.get(name, "")


def _pages(response: Response, answers: dict) -> tuple[list, list]:
    """Sections that have a shown question (given the answers so far), each with its questions."""
    questions = services.ordered_questions(response.survey)
    shown = {q.pk for q in services.shown_questions(questions, answers)}
    pages = []
    for section in response.survey.sections.all():
        section_questions = [q for q in questions if q.section_id == section.pk]
        # A question that depends on one in the same section is shown or hidden in the browser as the
        # respondent answers; the server decides again on saving.
        visible = [
            q
            for q in section_questions
            if q.pk in shown
            or (q.condition_question_id and any(p.pk == q.condition_question_id for p in section_questions))
        ]
        if visible:
            pages.append((section, visible))
    return pages, questions


@require_http_methods(["GET", "POST"])
def answer_view(request, token: str):  # noqa: PLR0911, PLR0912 - one page, its three buttons and their outcomes
    response = get_object_or_404(Response.objects.select_related("survey", "invitation"), resume_token=token)
    survey = response.survey
    if response.submitted_at is not None:
        return redirect("surveys:done", token=token)
    if not services.is_open(survey):
        return render(request, "surveys/closed.html", {"survey": survey}, status=410)
    answers = services.saved_answers(response)
    pages, _questions = _pages(response, answers)
    if not pages:
        raise Http404
    try:
        index = min(max(int(request.GET.get("page", 0)), 0), len(pages) - 1)
    except ValueError:
        index = 0
    section, questions = pages[index]
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "next")
        raw = {q: _raw_answer(request.POST, q) for q in questions}
        try:
            services.save_answers(response=response, answers=raw, check_required=action != "save")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {
                    code: [m for e in errs for m in e.messages] for code, errs in exc.error_dict.items()
                }
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("surveys:answer", token=token)
            answers.update({q.pk: v for q, v in raw.items()})
        else:
            if action == "save":
                messages.success(request, _("Your answers are saved. Open this page again to continue."))
                return redirect(f"{request.path}?page={index}")
            if action == "back":
                return redirect(f"{request.path}?page={max(index - 1, 0)}")
            answers = services.saved_answers(response)
            pages, _questions = _pages(response, answers)
            next_index = next((i for i, (s, _q) in enumerate(pages) if s.position > section.position), None)
            if next_index is not None:
                return redirect(f"{request.path}?page={next_index}")
            try:
                services.submit_response(response=response)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(f"{request.path}?page=0")
            return redirect("surveys:done", token=token)
    decorate_questions(questions, answers, errors)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "response": response,
            "section": section,
            "questions": questions,
            "index": index,
            "count": len(pages),
            "last": index == len(pages) - 1,
            "has_errors": bool(errors),
            "resume_url": request.build_absolute_uri(request.path),
        },
    )


def done_view(request, token: str):
    response = get_object_or_404(Response.objects.select_related("survey"), resume_token=token)
    if response.submitted_at is None:
        return redirect("surveys:answer", token=token)
    return render(request, "surveys/done.html", {"survey": response.survey})
