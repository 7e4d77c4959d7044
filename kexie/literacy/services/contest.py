"""Literacy services: contest."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import User
from kexie.core.services import record_event, snapshot
from kexie.literacy import rules, scoring
from kexie.literacy.enums import PublishState, ReviewState
from kexie.literacy.models import (
    Contest,
    ContestAnswer,
    Contestant,
    ContestAttempt,
    ContestBest,
    Question,
)
from kexie.literacy.services.constants import (
    GRACE,
)


@transaction.atomic
def save_contest(*, by: User, contest: Contest | None = None, **fields) -> Contest:
    if not rules.can_manage_contests(by):
        raise PermissionDenied
    if fields["ends_on"] < fields["starts_on"]:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    created = contest is None
    contest = contest or Contest(created_by=by)
    for key, value in fields.items():
        setattr(contest, key, value)
    contest.save()
    record_event(
        contest,
        "literacy.contest.create" if created else "literacy.contest.update",
        actor=by,
        after=snapshot(contest, ["title", "topic", "starts_on", "ends_on", "state"]),
    )
    return contest


@transaction.atomic
def publish_contest(*, contest: Contest, by: User) -> Contest:
    if not rules.can_manage_contests(by):
        raise PermissionDenied
    if not Contest.objects.filter(pk=contest.pk, state=PublishState.DRAFT).update(
        state=PublishState.PUBLISHED
    ):
        raise ValidationError(_("The contest is already published."))
    contest.refresh_from_db()
    record_event(contest, "literacy.contest.publish", actor=by)
    return contest


def contest_pool(contest: Contest):
    questions = Question.objects.filter(state=ReviewState.REVIEWED)
    if contest.topic:
        questions = questions.filter(topic=contest.topic)
    if contest.dimension_id:
        questions = questions.filter(dimension_id=contest.dimension_id)
    return questions


def points_per_question(contest: Contest) -> int:
    return 100 // max(contest.questions_per_round, 1)


def start_round(*, contest: Contest, user: User, now: datetime | None = None) -> ContestAttempt:
    """Open today's round: the server draws the questions and their order and serves the first one.
    One round a day per person: the unique constraint on (contest, user, day) refuses the second,
    however close the two requests."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    if not rules.can_take_contest(user, contest):
        raise PermissionDenied
    if not contest.starts_on <= day <= contest.ends_on:
        raise ValidationError(_("The contest is not running today."))
    contestant = Contestant.objects.filter(user=user).first()
    if contestant is None:
        raise ValidationError(_("Choose your district before taking part."))
    ids = list(contest_pool(contest).values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("The contest has no reviewed questions yet."))
    drawn = secrets.SystemRandom().sample(ids, min(contest.questions_per_round, len(ids)))
    try:
        with transaction.atomic():
            attempt = ContestAttempt.objects.create(
                contest=contest,
                user=user,
                day=day,
                district_id=contestant.district_id,
                organization_id=contestant.organization_id,
                question_ids=drawn,
                started_at=now,
            )
            ContestAnswer.objects.create(attempt=attempt, position=0, question_id=drawn[0], served_at=now)
            record_event(
                attempt,
                "literacy.contest.start",
                actor=user,
                organization_id=contestant.district_id,
                after={"contest": contest.pk, "day": day.isoformat()},
            )
    except IntegrityError:
        raise ValidationError(_("You have already taken today's round. Come back tomorrow.")) from None
    attempt.contest = contest
    return attempt


def todays_attempt(
    *, contest: Contest | int, user: User, now: datetime | None = None, published_only: bool = False
) -> ContestAttempt | None:
    """The person's round of today, with its contest loaded (one query)."""
    day = timezone.localdate(now or timezone.now())
    contest_id = contest if isinstance(contest, int) else contest.pk
    attempts = ContestAttempt.objects.select_related("contest").filter(
        contest_id=contest_id, user=user, day=day
    )
    if published_only:
        attempts = attempts.filter(contest__state=PublishState.PUBLISHED)
    return attempts.first()


def serve_question(*, attempt: ContestAttempt, now: datetime | None = None) -> ContestAnswer | None:
    """The question at the attempt's position. A round runs without pauses: the first question is
    served when the round starts and each next one when the previous answer is recorded, so this is a
    read, and reloading the page does not restart the clock. None when the round is over."""
    if attempt.finished_at or attempt.position >= len(attempt.question_ids):
        return None
    answer = (
        ContestAnswer.objects.select_related("question")
        .filter(attempt=attempt, position=attempt.position)
        .first()
    )
    if answer is None:  # a round opened before questions were served eagerly
        answer, _created = ContestAnswer.objects.select_related("question").get_or_create(
            attempt=attempt,
            position=attempt.position,
            defaults={
                "question_id": attempt.question_ids[attempt.position],
                "served_at": now or timezone.now(),
            },
        )
    return answer


def answer_question(
    *, attempt: ContestAttempt, position: int, choice: list[int], by: User, now: datetime | None = None
) -> ContestAnswer:
    """Record the answer to the question served at `position` and serve the next one. Late answers
    (past the limit and the grace) score nothing. Conditional updates make a double submission count
    once. `attempt` is brought up to date (position, score, correct, finished_at)."""
    now = now or timezone.now()
    if attempt.user_id != by.pk:
        raise PermissionDenied
    contest = attempt.contest
    # Read before the write transaction: on SQLite a write transaction holds the database's one write
    # lock, so it should only do the conditional writes.
    answer = (
        ContestAnswer.objects.select_related("question").filter(attempt=attempt, position=position).first()
    )
    if answer is None:
        raise ValidationError(_("This question has not been served."))
    if answer.answered_at is not None:
        raise ValidationError(_("This question has already been answered."))
    late = now - answer.served_at > timedelta(seconds=contest.seconds_per_question) + GRACE
    correct = not late and scoring.is_correct(choice, answer.question.answer)
    points = points_per_question(contest) if correct else 0
    clean_choice = sorted({int(c) for c in choice if 0 <= int(c) < len(answer.question.options)})
    total = len(attempt.question_ids)
    with transaction.atomic():
        if not ContestAnswer.objects.filter(pk=answer.pk, answered_at=None).update(
            answered_at=now, choice=clean_choice, is_correct=correct, timed_out=late, points=points
        ):
            raise ValidationError(_("This question has already been answered."))
        if not ContestAttempt.objects.filter(pk=attempt.pk, position=position, finished_at=None).update(
            position=position + 1, score=F("score") + points, correct=F("correct") + int(correct)
        ):
            raise ValidationError(_("This question has already been answered."))
        # Inside the write transaction, so these are the values this answer produced.
        attempt.position, attempt.score, attempt.correct = (
            ContestAttempt.objects.filter(pk=attempt.pk).values_list("position", "score", "correct").get()
        )
        if position + 1 < total:
            ContestAnswer.objects.create(
                attempt_id=attempt.pk,
                position=position + 1,
                question_id=attempt.question_ids[position + 1],
                served_at=now,
            )
        else:
            _finish(attempt=attempt, now=now, by=by)
    answer.answered_at, answer.choice, answer.is_correct, answer.timed_out, answer.points = (
        now,
        clean_choice,
        correct,
        late,
        points,
    )
    return answer


def _finish(*, attempt: ContestAttempt, now: datetime, by: User) -> None:
    if not ContestAttempt.objects.filter(pk=attempt.pk, finished_at=None).update(finished_at=now):
        return
    attempt.finished_at = now
    best, created = ContestBest.objects.get_or_create(
        contest_id=attempt.contest_id,
        user_id=attempt.user_id,
        defaults={
            "district_id": attempt.district_id,
            "organization_id": attempt.organization_id,
            "best_score": attempt.score,
            "rounds": 1,
            "best_at": now,
        },
    )
    if not created:
        ContestBest.objects.filter(pk=best.pk).update(rounds=F("rounds") + 1)
        ContestBest.objects.filter(pk=best.pk, best_score__lt=attempt.score).update(
            best_score=attempt.score, best_at=now
        )
    record_event(
        attempt,
        "literacy.contest.finish",
        actor=by,
        organization_id=attempt.district_id,
        after={"score": attempt.score, "correct": attempt.correct},
    )
