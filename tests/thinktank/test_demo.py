"""The think-tank demo: the whole loop, live indicators of measures 13–16, idempotent."""

from __future__ import annotations

import pytest

from kexie.accounts.models import User
from kexie.accounts.services import load_seed_organizations
from kexie.experts.demo import load_demo as load_demo_experts
from kexie.policy.enums import TaskSource, TaskState
from kexie.policy.indicators import get as indicator
from kexie.policy.models import Task
from kexie.site.demo import load_demo_users
from kexie.surveys.demo import load_demo as load_demo_surveys
from kexie.thinktank.demo import load_demo
from kexie.thinktank.enums import BriefState, QuestionState
from kexie.thinktank.models import Brief, Question, ResearchBase, Result

pytestmark = pytest.mark.django_db


def test_demo_covers_the_loop_and_feeds_the_indicators(django_capture_on_commit_callbacks):
    load_seed_organizations()
    load_demo_users()
    users = {u.username: u for u in User.objects.all()}
    load_demo_experts(users)
    load_demo_surveys(users)
    with django_capture_on_commit_callbacks(execute=False):
        logins = load_demo(users)
        assert load_demo(users) == logins  # idempotent
    assert ResearchBase.objects.count() == 8
    assert Question.objects.filter(state=QuestionState.MERGED).count() == 1
    assert Brief.objects.filter(state=BriefState.ISSUED).count() == 2
    assert Result.objects.filter(access="internal", column_published_at__isnull=False).count() == 0
    tasks = Task.objects.filter(source=TaskSource.BRIEF)
    assert sorted(tasks.values_list("state", flat=True)) == sorted(
        [TaskState.COMPLETED, TaskState.IN_PROGRESS]
    )
    readings = {
        key: indicator(key).compute(None)
        for key in [
            "thinktank.network",
            "thinktank.network_members",
            "thinktank.topics_published",
            "thinktank.projects_completed",
            "thinktank.briefs_issued",
            "thinktank.instructions",
            "thinktank.brief_tasks",
            "thinktank.dissemination",
            "thinktank.questions",
            "thinktank.feedback",
            "thinktank.worker_survey",
        ]
    }
    assert readings["thinktank.network"].value == 8
    assert readings["thinktank.topics_published"].value == 3
    assert readings["thinktank.projects_completed"].value == 1
    assert readings["thinktank.briefs_issued"].value == 2
    assert readings["thinktank.brief_tasks"].value == 1
    assert readings["thinktank.dissemination"].value == 3
    assert readings["thinktank.questions"].value == 6
    assert readings["thinktank.feedback"].value == 3
    assert readings["thinktank.worker_survey"].value is not None
    assert [label for label, _v in readings["thinktank.worker_survey"].breakdown][
        0
    ] == "对科研环境满意的比例（%）"
