"""Blueprint assessments: taking one, set-up and publishing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.literacy import queries, rules, services
from kexie.literacy.forms import (
    AssessmentForm,
)
from kexie.literacy.models import Assessment
from kexie.literacy.views.common import _editor, _form_page, _publish


@login_required
def assessment_view(request, pk: int):
    assessment = queries.access_assessment(request.user, pk)
    editor = rules.can_manage_assessments(request.user)
    attempt = assessment.attempts.filter(user=request.user).first()
    items = list(assessment.items.select_related("question", "question__dimension"))
    if request.method == "POST" and attempt is None:
        answers = {
            item.question_id: [int(c) for c in request.POST.getlist(f"q{item.question_id}") if c.isdigit()]
            for item in items
        }
        try:
            attempt = services.submit_assessment(assessment=assessment, user=request.user, answers=answers)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your paper is scored: %(score)s points.") % {"score": attempt.score})
            return redirect("literacy:assessment", pk=assessment.pk)
    rows = []
    for item in items:
        chosen = set(attempt.answers.get(str(item.question_id), [])) if attempt else set()
        rows.append(
            {
                "item": item,
                "options": list(enumerate(item.question.options)),
                "chosen": chosen,
                "correct": attempt is not None and chosen == set(item.question.answer),
            }
        )
    return render(
        request,
        "literacy/assessment.html",
        {"assessment": assessment, "attempt": attempt, "rows": rows, "can_manage": editor},
    )


@login_required
def assessment_form_view(request):
    _editor(request)
    form = AssessmentForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.create_assessment(
            by=request.user,
            title=data["title"],
            rule=data["rule"],
            item_count=data["item_count"],
            blueprint=form.blueprint(),
            difficulty_mix=form.difficulty_mix(),
            seed=data["seed"],
        ),
        saved=_("The paper is assembled."),
        detail="literacy:assessment",
        title=_("New assessment"),
    )


@login_required
@require_POST
def assessment_publish_view(request, pk: int):
    assessment = get_object_or_404(Assessment, pk=pk)
    return _publish(
        request,
        assessment,
        lambda: services.publish_assessment(assessment=assessment, by=request.user),
        published=_("The assessment is published."),
        detail="literacy:assessment",
    )
