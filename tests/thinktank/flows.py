"""A topic call run through the calls engine's services, used by the service tests (the browser
journey drives the same steps on the engine's pages)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kexie.accounts.services import create_user
from kexie.calls import services as calls
from kexie.experts.enums import ProfessionalTitle, VerificationState
from kexie.experts.models import Expert
from kexie.thinktank.calls import open_topic_call
from tests.conftest import PASSWORD


def reviewers(n: int = 2) -> list[Expert]:
    """Verified experts with accounts (tt_reviewer1 …, the tests' password)."""
    experts = []
    for i in range(1, n + 1):
        user, _password = create_user(
            username=f"tt_reviewer{i}", password=PASSWORD, must_change_password=False
        )
        experts.append(
            Expert.objects.create(
                name=f"评审专家{i}",
                title=ProfessionalTitle.PROFESSOR,
                organization_name=f"评审大学{i}",
                state=VerificationState.VERIFIED,
                user=user,
            )
        )
    return experts


def run_topic_call(*, guide, staff, applicant, organization_name: str, title: str, principal: str = "王教授"):
    """Open a call for ``guide``, take one application, review it (two experts), award it.
    Returns (call, submission) after the decision."""
    call = open_topic_call(guide=guide, by=staff, closes_at=timezone.now() + timedelta(days=20))
    call = calls.open_call(call, by=staff)
    topic = guide.topics.first()
    submission = calls.create_submission(
        call=call, applicant=applicant, title=title, organization_name=organization_name
    )
    # The answers go in through save_draft: create_submission(data=...) does not store them (the
    # engine at 4d827fb cleans them in memory and never saves).
    submission = calls.save_draft(
        submission,
        by=applicant,
        data={
            "topic": str(topic.pk),
            "principal": principal,
            "plan": "采用文献研究、实地调研与比较分析相结合的方法开展研究。",
            "budget": 8,
        },
    )
    submission = calls.submit(submission, by=applicant)
    submission = calls.formal_check(submission, by=staff, outcome="pass")
    review_round = calls.add_round(
        call,
        by=staff,
        rubric=[{"key": "value", "label": "决策参考价值", "max": 100}],
        reviewers_per_submission=2,
    )
    calls.invite_reviewers(review_round, reviewers(2), by=staff)
    calls.assign(review_round, by=staff)
    for assignment in review_round.assignments.filter(active=True).select_related("reviewer__expert__user"):
        calls.score(assignment, by=assignment.reviewer.expert.user, scores={"value": 88})
    calls.close_round(review_round, by=staff)
    calls.decide(call, by=staff, selections={submission.pk: ("selected", "")}, note="专家评审通过")
    submission.refresh_from_db()
    return call, submission
