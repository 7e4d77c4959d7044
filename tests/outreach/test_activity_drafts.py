"""Draft activities: saved by their organisers, invisible to everyone else until published — no
calendar, search, sign-ups or figures — then public like any registered activity."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kexie.core import todos
from kexie.core.models import AuditEvent
from kexie.outreach import queries, services
from kexie.outreach.enums import ActivityState
from kexie.policy import indicators
from kexie.search import index

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_search")]


def _activities_counted(activity) -> int:
    """The activities indicator as of the activity's own day (it starts in two days; the same year,
    which today + 3 days is not at the end of December)."""
    day = timezone.localtime(activity.starts_at).date()
    return indicators.get("outreach.activities_by_district").compute(day).value


def _drafts_todo(user) -> int:
    return sum(item.count for item in todos.items_for(user) if str(item.label) == "待发布的活动草稿")


def _text(response) -> str:
    return re.sub(r"<[^>]+>", "", response.content.decode())


def test_a_draft_is_hidden_until_published_then_public(
    make_activity, make_volunteer, district_user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_activity(title="星空观测科普夜", draft=True)
    assert draft.state == ActivityState.DRAFT
    assert AuditEvent.objects.filter(action="outreach.activity.draft", object_id=str(draft.pk)).exists()
    # Nobody outside its organisers sees it: public lists, search, detail page, the figures.
    assert draft not in queries.public_activities()
    assert index.query("星空", kinds=["activity"], limit=10).hits == []
    assert client.get(reverse("outreach:activity_detail", args=[draft.pk])).status_code == 404
    assert _activities_counted(draft) == 0
    assert all(row["registered"] == 0 for row in queries.completeness())
    # A volunteer cannot sign up, even by posting to it.
    volunteer = make_volunteer()
    with pytest.raises(ValidationError, match="尚未发布"):
        services.sign_up(activity=draft, volunteer=volunteer, by=volunteer.user)
    # A draft cannot be reported.
    with pytest.raises(ValidationError, match="草稿"):
        services.report_activity(
            activity=draft, by=district_user, attendance=10, summary="x", now=draft.ends_at
        )

    # Its organiser has it on the to-do list until it is published.
    assert _drafts_todo(district_user) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_activity(activity=draft, by=district_user)
    assert _drafts_todo(district_user) == 0
    draft.refresh_from_db()
    assert draft.state == ActivityState.REGISTERED
    assert AuditEvent.objects.filter(action="outreach.activity.publish", object_id=str(draft.pk)).exists()
    assert draft in queries.public_activities()
    assert [h.id for h in index.query("星空", kinds=["activity"], limit=10).hits] == [str(draft.pk)]
    assert client.get(reverse("outreach:activity_detail", args=[draft.pk])).status_code == 200
    assert _activities_counted(draft) == 1
    assert services.sign_up(activity=draft, volunteer=volunteer, by=volunteer.user).pk
    # Publishing twice is refused with a message, not applied twice.
    with pytest.raises(ValidationError, match="草稿"):
        services.publish_activity(activity=draft, by=district_user)


def test_only_its_organisers_publish_or_discard_a_draft(make_activity, other_district_user, district_user):
    draft = make_activity(draft=True)
    with pytest.raises(PermissionDenied):
        services.publish_activity(activity=draft, by=other_district_user)
    draft.refresh_from_db()
    assert draft.state == ActivityState.DRAFT
    # Another district's staff do not even see it.
    assert not queries.activities_visible_to(other_district_user).filter(pk=draft.pk).exists()
    assert queries.activities_visible_to(district_user).filter(pk=draft.pk).exists()
    # Its organiser may discard it (cancel).
    services.cancel_activity(activity=draft, by=district_user)
    draft.refresh_from_db()
    assert draft.state == ActivityState.CANCELLED
    with pytest.raises(ValidationError):
        services.publish_activity(activity=draft, by=district_user)


def test_the_form_saves_a_draft_and_the_page_publishes_it(login, district_user, activity_form_values):
    staff = login(district_user)
    public = Client()
    values = activity_form_values("青少年机器人科普营")
    start = timezone.localtime(timezone.now() + timedelta(days=3))
    form = staff.get(reverse("outreach:activity_create")).content.decode()
    assert 'data-testid="save-draft"' in form and 'data-testid="register"' in form
    response = staff.post(reverse("outreach:activity_create"), {**values, "draft": "1"}, follow=True)
    page = _text(response)
    assert "草稿" in page and "仅组织方可见" in page
    assert 'data-testid="publish"' in response.content.decode()
    assert 'data-testid="codes"' not in response.content.decode()  # no check-in for a draft
    activity = response.context["activity"]
    assert activity.state == ActivityState.DRAFT
    # The list filters drafts; the public calendar does not show it.
    listed = staff.get(reverse("outreach:activity_list"), {"state": "draft"})
    assert "青少年机器人科普营" in _text(listed)
    calendar = public.get(reverse("outreach:calendar"), {"month": start.strftime("%Y-%m")})
    assert "青少年机器人科普营" not in _text(calendar)

    published = staff.post(reverse("outreach:activity_publish", args=[activity.pk]), follow=True)
    assert "已发布" in _text(published)
    activity.refresh_from_db()
    assert activity.state == ActivityState.REGISTERED
    calendar = public.get(reverse("outreach:calendar"), {"month": start.strftime("%Y-%m")})
    assert "青少年机器人科普营" in _text(calendar)
    # Publishing is a POST only.
    assert staff.get(reverse("outreach:activity_publish", args=[activity.pk])).status_code == 405
