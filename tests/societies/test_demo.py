"""The societies demo: through the services, idempotent, with the secretary's login."""

from __future__ import annotations

import pytest

from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.calls.models import Submission
from kexie.experts.demo import load_demo as load_demo_experts
from kexie.site.demo import load_demo_users
from kexie.societies.calls import CONFERENCE_SUPPORT
from kexie.societies.demo import EDITORS, SECRETARY
from kexie.societies.demo import load_demo as load_demo_societies
from kexie.societies.enums import DirectoryState, EventState, InspectionState
from kexie.societies.models import Directory, Event, Inspection, Journal, Society
from kexie.societies.queries import societies_visible_to
from kexie.transfer.demo import load_demo as load_demo_transfer

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_a_secretary_scoped_to_the_editors_society(orgs):
    load_demo_users()
    users = {u.username: u for u in User.objects.all()}
    load_demo_experts(users)
    load_demo_transfer(users)
    logins = load_demo_societies(users)
    counts = (
        Society.objects.count(),
        Journal.objects.count(),
        Event.objects.count(),
        Inspection.objects.count(),
    )
    assert load_demo_societies(users) == logins
    assert (
        Society.objects.count(),
        Journal.objects.count(),
        Event.objects.count(),
        Inspection.objects.count(),
    ) == counts

    assert [name for name, _d in logins] == [SECRETARY]
    secretary = User.objects.get(username=SECRETARY)
    assert secretary.check_password("Kexie@2026")
    assert set(secretary.memberships.values_list("organization__name", "role")) == {
        (EDITORS, Role.SOCIETY_STAFF)
    }
    assert [s.name for s in societies_visible_to(secretary)] == [EDITORS]
    assert Society.objects.filter(organization__name=EDITORS).exists()
    assert Directory.objects.get().state == DirectoryState.PUBLISHED
    assert Directory.objects.get().entries.count() == Journal.objects.count() == 14
    assert Event.objects.filter(title__contains="科技期刊发展论坛", state=EventState.APPROVED).exists()
    assert Event.objects.filter(state=EventState.REPORTED).count() == 1
    assert set(Inspection.objects.values_list("state", flat=True)) == set(InspectionState.values)
    dossier = Submission.objects.get(call__kind=CONFERENCE_SUPPORT)
    assert (dossier.applicant, dossier.data["event"]) == (
        secretary,
        Event.objects.get(title__contains="科技期刊发展论坛").pk,
    )
