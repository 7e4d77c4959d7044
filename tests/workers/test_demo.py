"""The workers demo: every state of a need, a meeting with task decisions, an archive with all levels."""

from __future__ import annotations

from kexie.accounts.models import User
from kexie.site.demo import DEMO_USERS, load_demo_users
from kexie.workers import demo
from kexie.workers.enums import AccessLevel, NeedState
from kexie.workers.models import ArchiveItem, MeetingDecision, Need


def test_demo_loads_every_part_and_is_idempotent(orgs, media):
    load_demo_users()
    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_USERS])}
    logins = demo.load_demo(users)
    assert {name for name, _ in logins} == {"scientist_demo", "rensheju_staff"}
    states = set(Need.objects.values_list("state", flat=True))
    assert {NeedState.SUBMITTED, NeedState.ROUTED, NeedState.CLOSED, NeedState.MERGED} <= states
    assert Need.objects.filter(reopened=True, state=NeedState.CLOSED).count() == 1
    assert MeetingDecision.objects.filter(task__isnull=False).count() == 2
    assert set(ArchiveItem.objects.values_list("access", flat=True)) == set(AccessLevel.values)
    count = Need.objects.count()
    demo.load_demo(users)
    assert Need.objects.count() == count
