"""`kexie demo` data: the seed notice confirmed, tasks in every state, reports, a typical case."""

from __future__ import annotations

import pytest

from kexie.accounts.models import User
from kexie.policy.enums import CaseState, Light, TaskState
from kexie.policy.models import Evidence, IndicatorValue, Notice, ProgressReport, Task, TypicalCase
from kexie.site.demo import DEMO_USERS, load_demo


@pytest.mark.django_db
def test_demo_loads_ledger_in_every_state_and_is_idempotent():
    load_demo()
    assert set(User.objects.values_list("username", flat=True)) >= {row[0] for row in DEMO_USERS}
    notice = Notice.objects.get(doc_number="渝科协发〔2022〕84号", state="confirmed")
    assert notice.measures.count() == 16
    states = set(Task.objects.values_list("state", flat=True))
    assert states == set(TaskState.values)
    lights = set(Task.objects.values_list("light", flat=True))
    assert {Light.GREEN, Light.AMBER, Light.RED, Light.DONE, Light.GREY} <= lights
    assert Task.objects.exclude(return_reason="").filter(state=TaskState.IN_PROGRESS).exists()
    assert ProgressReport.objects.count() >= 10
    assert Evidence.objects.exists()
    assert TypicalCase.objects.filter(state=CaseState.PUBLISHED).exists()
    assert sorted(str(v) for v in IndicatorValue.objects.values_list("value", flat=True)) == [
        "10.2000",
        "12.3000",
        "4.7400",
        "8.0100",
    ]
    counts = (Task.objects.count(), ProgressReport.objects.count())
    load_demo()
    assert (Task.objects.count(), ProgressReport.objects.count()) == counts
