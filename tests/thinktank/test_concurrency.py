"""Issue numbers under concurrency: two staff issue two signed-off briefs at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from kexie.thinktank import services
from kexie.thinktank.models import Brief
from tests.thinktank.conftest import BODY


@pytest.mark.django_db(transaction=True)
def test_issue_numbers_never_repeat_under_concurrency(staff, editor, leader):
    if connection.vendor != "postgresql":  # not a missing service: this pass runs on SQLite
        pytest.skip("concurrent issuing is tested in the PostgreSQL pass (SQLite serialises writers)")
    briefs = []
    for n in range(6):
        brief = services.create_brief(by=staff, title=f"建议{n}", authors="专家", body=BODY)
        services.submit_brief(brief=brief, by=staff)
        services.review_brief(brief=brief, by=editor, approve=True)
        briefs.append(services.sign_off_brief(brief=brief, by=leader))
    barrier = threading.Barrier(len(briefs))
    errors = []

    def issue(brief):
        try:
            barrier.wait()
            services.issue_brief(brief=brief, by=staff)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=issue, args=(b,)) for b in briefs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Brief.objects.filter(year=timezone.localdate().year).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
