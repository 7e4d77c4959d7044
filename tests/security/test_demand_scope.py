"""Enterprise demands (issue 10, finding 6): only the departments that run 科创中国 manage them; other
departments see published demands like the public; unmasked contacts only for the reviewer, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.core.models import AuditEvent
from kexie.transfer import queries, rules
from kexie.transfer.enums import DemandState
from tests.transfer.conftest import (  # noqa: F401 - fixtures
    enterprise,
    industry,
    leader,
    make_demand,
    owner,
    staff,
)

OTHER_DEPARTMENTS = ["国际合作部", "组织人事部", "宣传文化部", "科学技术普及部"]
MOBILE = "13812345678"


@pytest.mark.parametrize("department", OTHER_DEPARTMENTS)
@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD])
def test_other_departments_neither_see_drafts_nor_review(make_user, login, make_demand, department, role):  # noqa: F811
    draft = make_demand(DemandState.DRAFT)
    submitted = make_demand(DemandState.SUBMITTED, title="待审需求")
    published = make_demand(DemandState.PUBLISHED, title="已发布需求")
    user = make_user("dept", role=role, org_name=department)

    assert set(queries.demands_visible_to(user)) == {published}
    assert not rules.can_manage_demand(user, submitted)
    assert not rules.can_review_demand(user, submitted)
    assert not rules.can_see_contact(user, published)
    client = login(user)
    assert client.get(reverse("transfer:demand_detail", args=[draft.pk])).status_code == 404
    page = client.get(reverse("transfer:demand_detail", args=[published.pk])).content.decode()
    assert MOBILE not in page
    response = client.post(reverse("transfer:demand_publish", args=[submitted.pk]))
    assert response.status_code in (403, 404)
    submitted.refresh_from_db()
    assert submitted.state == DemandState.SUBMITTED


def test_the_kechuang_department_reviews_and_its_view_of_the_contact_is_audited(staff, login, make_demand):  # noqa: F811
    submitted = make_demand(DemandState.SUBMITTED)
    assert rules.can_review_demand(staff, submitted)
    page = login(staff).get(reverse("transfer:demand_detail", args=[submitted.pk])).content.decode()
    assert MOBILE in page
    event = AuditEvent.objects.filter(action="core.personal_data.view").latest("seq")
    assert (event.actor_id, event.object_id, event.after["fields"]) == (
        staff.pk,
        str(submitted.pk),
        ["contact_mobile"],
    )


def test_leaders_see_every_demand_but_the_contact_masked(leader, login, make_demand):  # noqa: F811
    draft = make_demand(DemandState.DRAFT)
    assert draft in queries.demands_visible_to(leader)
    page = login(leader).get(reverse("transfer:demand_detail", args=[draft.pk])).content.decode()
    assert MOBILE not in page


def test_the_owner_sees_the_contact_without_an_audit_event(owner, login, make_demand):  # noqa: F811
    draft = make_demand(DemandState.DRAFT)
    before = AuditEvent.objects.filter(action="core.personal_data.view").count()
    assert MOBILE in login(owner).get(reverse("transfer:demand_detail", args=[draft.pk])).content.decode()
    assert AuditEvent.objects.filter(action="core.personal_data.view").count() == before
