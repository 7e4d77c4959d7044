"""The daily contest: detail with the leaderboard, start, play (timed on the server), set-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.masking import mask_name
from kexie.literacy import queries, rules, services
from kexie.literacy.enums import PublishState
from kexie.literacy.forms import (
    ContestForm,
)
from kexie.literacy.models import Contest, Contestant
from kexie.literacy.views.common import _editor, _form_page, _publish


def contest_detail_view(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    if contest.state != PublishState.PUBLISHED and not rules.can_manage_contests(request.user):
        raise PermissionDenied
    attempt = (
        services.todays_attempt(contest=contest, user=request.user) if request.user.is_authenticated else None
    )
    today = timezone.localdate()
    # The board is public: others see a contestant's surname only, staff see full names.
    show_names = rules.can_view_statistics(request.user)
    return render(
        request,
        "literacy/contest_detail.html",
        {
            "contest": contest,
            "attempt": attempt,
            "running": contest.starts_on <= today <= contest.ends_on
            and contest.state == PublishState.PUBLISHED,
            "has_profile": request.user.is_authenticated
            and Contestant.objects.filter(user=request.user).exists(),
            "leaders": [
                {
                    "name": best.user.display_name
                    if show_names or best.user_id == request.user.pk
                    else mask_name(best.user.display_name),
                    "district": best.district.display_name,
                    "best_score": best.best_score,
                    "mine": best.user_id == request.user.pk,
                }
                for best in queries.leaderboard(contest)
            ],
            "districts": queries.district_leaderboard(contest)[:15],
            "organizations": queries.organization_leaderboard(contest)[:15],
            "min_ranked": queries.MIN_RANKED_PEOPLE,
            "own_rank": queries.own_rank(contest, request.user),
            "can_manage": rules.can_manage_contests(request.user),
        },
    )


@login_required
@require_POST
def contest_start_view(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    try:
        services.start_round(contest=contest, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("literacy:contest_detail", pk=contest.pk)
    return redirect("literacy:contest_play", pk=contest.pk)


@login_required
def contest_play_view(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    attempt = services.todays_attempt(contest=contest, user=request.user)
    if attempt is None:
        return redirect("literacy:contest_detail", pk=contest.pk)
    if request.method == "POST":
        try:
            position = int(request.POST.get("position", "-1"))
            choice = [int(c) for c in request.POST.getlist("choice")]
            services.answer_question(attempt=attempt, position=position, choice=choice, by=request.user)
        except (ValueError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [_("The answer could not be read.")])))
        return redirect("literacy:contest_play", pk=contest.pk)
    served = services.serve_question(attempt=attempt)
    if served is None:
        answers = list(attempt.answers.select_related("question").order_by("position"))
        for answer in answers:
            options = answer.question.options or []
            chosen = (
                answer.choice
                if isinstance(answer.choice, list)
                else ([answer.choice] if answer.choice is not None else [])
            )
            answer.mine = [(i, options[i]) for i in chosen if isinstance(i, int) and 0 <= i < len(options)]
            answer.right = [(i, options[i]) for i in answer.question.answer if 0 <= i < len(options)]
        placed = queries.own_rank(contest, request.user)
        return render(
            request,
            "literacy/contest_result.html",
            {
                "contest": contest,
                "attempt": attempt,
                "answers": answers,
                "rank": placed[0] if placed else None,
                "best": placed[1] if placed else None,
            },
        )
    question = served.question
    deadline = served.served_at.timestamp() + contest.seconds_per_question
    return render(
        request,
        "literacy/contest_play.html",
        {
            "contest": contest,
            "attempt": attempt,
            "served": served,
            "question": question,
            "options": list(enumerate(question.options)),
            "number": served.position + 1,
            "total": len(attempt.question_ids),
            "timing": {
                "deadline": deadline,
                "now": timezone.now().timestamp(),
                "seconds": contest.seconds_per_question,
            },
        },
    )


@login_required
def contest_form_view(request, pk: int | None = None):
    _editor(request)
    contest = get_object_or_404(Contest, pk=pk) if pk else None
    initial = {f: getattr(contest, f) for f in ContestForm.base_fields} if contest else None
    return _form_page(
        request,
        ContestForm(request.POST or None, initial=initial),
        lambda data: services.save_contest(by=request.user, contest=contest, **data),
        saved=_("The contest is saved."),
        detail="literacy:contest_detail",
        title=_("Contest"),
    )


@login_required
@require_POST
def contest_publish_view(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    return _publish(
        request,
        contest,
        lambda: services.publish_contest(contest=contest, by=request.user),
        published=_("The contest is published."),
        detail="literacy:contest_detail",
    )
