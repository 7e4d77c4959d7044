"""Activities in the global search: public ones are found by everyone; a cancelled (withdrawn)
activity leaves the index and is found by no one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from kexie.outreach import services
from kexie.search import index
from kexie.search.documents import Filters
from kexie.search.sources import scopes_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_search")]


def test_public_activities_are_found_and_a_cancelled_one_is_not(
    make_activity, district_user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        shown = make_activity(title="星空观测科普夜")
        withdrawn = make_activity(title="星空主题亲子科普课", starts_in=timedelta(days=3))
    hits = index.query("星空", kinds=["activity"], limit=10).hits
    assert {h.id for h in hits} == {str(shown.pk), str(withdrawn.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_activity(activity=withdrawn, by=district_user)
    _source, scope = scopes_for(None)["activity"]
    assert scope.flags == ("public",)
    hits = index.query("星空", kinds=["activity"], limit=10, filters=Filters(flags=scope.flags)).hits
    assert {h.id for h in hits} == {str(shown.pk)}
    body = client.get(reverse("search:results"), {"q": "星空"}).content.decode()
    assert "星空观测科普夜" in re.sub(r"<[^>]+>", "", body) and 'data-kind="activity"' in body
    assert "亲子科普课" not in re.sub(r"<[^>]+>", "", body)  # titles come highlighted
    # the organiser still opens the cancelled activity's page; the public gets a 404
    assert client.get(reverse("outreach:activity_detail", args=[withdrawn.pk])).status_code == 404
