"""The calls demo: loads through the services, is idempotent, and shows each step of the story."""

from __future__ import annotations

import pytest

from kexie.accounts.models import User
from kexie.accounts.services import load_seed_organizations
from kexie.calls.demo import TITLE_OPEN, TITLE_REVIEWED
from kexie.calls.demo import load_demo as load_demo_calls
from kexie.calls.enums import CallState, ObjectionState
from kexie.calls.models import Call, Exclusion, FormalCheck, Objection
from kexie.experts.demo import load_demo as load_demo_experts
from kexie.site.demo import load_demo_users

pytestmark = pytest.mark.django_db


def test_demo_story_and_idempotence():
    load_seed_organizations()
    load_demo_users()
    users = {u.username: u for u in User.objects.all()}
    load_demo_experts(users)
    logins = load_demo_calls(users)
    assert [u for u, _d in logins] == ["calls_channel", "calls_nominee", "calls_reviewer1", "calls_reviewer2"]
    reviewed = Call.objects.get(title=TITLE_REVIEWED)
    assert reviewed.state == CallState.PUBLICITY
    assert reviewed.publicity_end > reviewed.publicity_start
    assert FormalCheck.objects.filter(submission__call=reviewed, outcome="return").count() == 1
    assert Exclusion.objects.filter(round__call=reviewed, expert__name="邓国庆").exists()
    assert reviewed.submissions.filter(decision="selected").count() == 4
    assert Objection.objects.get(submission__call=reviewed).state == ObjectionState.DISMISSED
    assert Call.objects.get(title=TITLE_OPEN).state == CallState.OPEN
    load_demo_calls(users)
    assert Call.objects.filter(title=TITLE_REVIEWED).count() == 1
