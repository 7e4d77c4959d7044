"""The question bank: propose, curate, merge near-duplicates found by the search engine; the topic guide."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.views import run_transition
from kexie.thinktank import forms, queries, rules, services
from kexie.thinktank.calls import call_of_guide, open_topic_call
from kexie.thinktank.enums import GuideState, QuestionState
from kexie.thinktank.search import similar_questions
from kexie.thinktank.views.common import form_page, require

logger = logging.getLogger(__name__)
PAGE_SIZE = 30


@login_required
def question_list(request):
    questions = queries.questions_visible_to(request.user)
    state = request.GET.get("state", "")
    if state in QuestionState.values:
        questions = questions.filter(state=state)
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "thinktank/question_list.html",
        {
            "page": page,
            "state": state,
            "states": QuestionState.choices,
            "can_curate": rules.can_curate_questions(request.user),
        },
    )


@login_required
def question_new(request):
    require(rules.can_propose_question(request.user))
    form = forms.QuestionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.propose_question(by=request.user, **data),
        title=_("Propose a research question"),
        intro=_(
            "Districts, societies, departments and scientists propose questions the think tank should study."
        ),
        success_message=_("Thank you: your question is in the question bank."),
        success_url=lambda question: reverse("thinktank:question_detail", args=[question.pk]),
        back_url=reverse("thinktank:question_list"),
    )


def _similar(question) -> list:
    try:
        return similar_questions(question)
    except Exception:  # the index may be unavailable; curation still works without suggestions
        logger.exception("similar questions: search failed")
        return []


@login_required
def question_detail(request, pk: int):
    question = queries.access_question(request.user, pk)
    can_curate = rules.can_curate_questions(request.user)
    form = None
    if can_curate and question.state in (QuestionState.SUBMITTED, QuestionState.ACCEPTED):
        form = forms.CurateForm(
            request.POST or None, initial={"field": question.field, "importance": question.importance or 3}
        )
        if request.method == "POST":
            return form_page(
                request,
                form,
                lambda data: services.curate_question(
                    question=question,
                    by=request.user,
                    field=data["field"],
                    importance=data["importance"],
                    accept=data["decision"] == "accept",
                ),
                title=_("Curate the question"),
                success_message=_("The question is curated."),
                success_url=reverse("thinktank:question_detail", args=[question.pk]),
                back_url=reverse("thinktank:question_detail", args=[question.pk]),
            )
    similar = _similar(question) if form is not None else []
    return render(
        request,
        "thinktank/question_detail.html",
        {
            "question": question,
            "form": form,
            "similar": similar,
            "merged": question.merged.all(),
            "can_curate": can_curate,
        },
    )


@login_required
@require_POST
def question_merge(request, pk: int, into: int):
    duplicate = queries.access_question(request.user, pk)
    kept = queries.access_question(request.user, into)
    return run_transition(
        request,
        lambda: services.merge_question(duplicate=duplicate, into=kept, by=request.user),
        success_message=_("The duplicate is merged; its proposals now count for this question."),
        redirect_to=reverse("thinktank:question_detail", args=[kept.pk]),
    )


@login_required
def guide_new(request):
    require(rules.can_manage(request.user))
    form = forms.GuideForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.create_guide(by=request.user, **data),
        title=_("New topic guide"),
        success_message=_("The topic guide is created."),
        success_url=lambda guide: reverse("thinktank:guide_detail", args=[guide.pk]),
        back_url=reverse("thinktank:guide_list"),
    )


def guide_detail(request, pk: int):
    guide = queries.access_guide(request.user, pk)
    form = None
    if rules.can_manage(request.user) and guide.state == GuideState.DRAFT:
        form = forms.TopicForm(
            request.POST or None, questions=queries.open_questions().order_by("-importance", "-support", "pk")
        )
        if request.method == "POST":
            return form_page(
                request,
                form,
                lambda data: services.add_topic(guide=guide, by=request.user, **data),
                title=_("Add a topic"),
                success_message=_("The topic is in the guide."),
                success_url=reverse("thinktank:guide_detail", args=[guide.pk]),
                back_url=reverse("thinktank:guide_detail", args=[guide.pk]),
            )
    return render(
        request,
        "thinktank/guide_detail.html",
        {
            "guide": guide,
            "topics": guide.topics.select_related("question"),
            "form": form,
            "can_manage": rules.can_manage(request.user),
            "topic_call": call_of_guide(guide),
            "closes_default": (timezone.localdate() + timedelta(days=30)).strftime("%Y-%m-%dT17:00"),
        },
    )


@login_required
@require_POST
def guide_call(request, pk: int):
    """Open the guide's topic call on the calls engine (a draft: staff open it on the calls pages,
    where applications, review with 回避 and the award run)."""
    guide = queries.access_guide(request.user, pk)
    require(rules.can_manage(request.user))
    back = reverse("thinktank:guide_detail", args=[guide.pk])
    raw = request.POST.get("closes_at", "")
    closes_at = parse_datetime(raw) if raw else None
    if closes_at is None:
        messages.error(request, _("Give the closing time of the call."))
        return redirect(back)
    if timezone.is_naive(closes_at):
        closes_at = timezone.make_aware(closes_at)
    try:
        call = open_topic_call(guide=guide, by=request.user, closes_at=closes_at)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, _("The topic call is created as a draft; open it on the calls page."))
    return redirect("calls:call_manage", call.pk)


@login_required
@require_POST
def guide_publish(request, pk: int):
    guide = queries.access_guide(request.user, pk)
    return run_transition(
        request,
        lambda: services.publish_guide(guide=guide, by=request.user),
        success_message=_("The topic guide is published."),
        redirect_to=reverse("thinktank:guide_detail", args=[guide.pk]),
    )
