"""The question bank: list, edit, review and .xlsx import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kexie.core.forms import add_service_errors
from kexie.literacy import queries, rules, services
from kexie.literacy.forms import (
    ImportForm,
    QuestionFilterForm,
    QuestionForm,
    ReviewForm,
)
from kexie.literacy.models import Question
from kexie.literacy.views.common import _editor, _form_page


@login_required
def question_list_view(request):
    _editor(request)
    form = QuestionFilterForm(request.GET or None)
    questions = Question.objects.select_related("dimension", "created_by")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            questions = questions.filter(
                Q(text__icontains=data["q"]) | Q(topic__icontains=data["q"]) | Q(external_id=data["q"])
            )
        if data["dimension"]:
            questions = questions.filter(dimension=data["dimension"])
        if data["state"]:
            questions = questions.filter(state=data["state"])
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(
            services.export_questions(questions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="question-bank.xlsx"'
        return response
    page = Paginator(questions.order_by("dimension__sort_order", "pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "literacy/question_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@login_required
def question_form_view(request, pk: int | None = None):
    _editor(request)
    question = get_object_or_404(Question, pk=pk) if pk else None
    if question and not rules.can_edit_question(request.user, question):
        raise PermissionDenied
    form = QuestionForm(
        request.POST or None, initial=QuestionForm.initial_from(question) if question else None
    )

    def save(_data):
        if question:
            return services.update_question(question=question, by=request.user, **form.service_data())
        return services.create_question(by=request.user, **form.service_data())

    return _form_page(
        request,
        form,
        save,
        saved=_("The question is saved as a draft for review."),
        detail="literacy:question_detail",
        title=_("Question"),
    )


@login_required
def question_detail_view(request, pk: int):
    question = queries.access_question(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_question(
                question=question,
                by=request.user,
                approve=request.POST.get("decision") == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("literacy:question_detail", pk=question.pk)
    return render(
        request,
        "literacy/question_detail.html",
        {
            "question": question,
            "options": list(enumerate(question.options)),
            "form": form,
            "can_review": rules.can_review_question(request.user, question),
            "can_edit": rules.can_edit_question(request.user, question),
        },
    )


@login_required
def question_import_view(request):
    _editor(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            report = services.import_questions(file=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Imported: %(created)s new, %(updated)s updated (drafts for review).")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("literacy:question_list")
    return render(request, "literacy/question_import.html", {"form": form, "errors": errors})
