"""No double use under concurrency: one code spent once, a quota never exceeded, a formal check
recorded once — threads against the real database (run it on PostgreSQL for row locks)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from kexie.calls import services
from kexie.calls.enums import FormalOutcome, SubmissionState
from kexie.calls.models import FormalCheck, Submission

from .conftest import ANSWERS, endorse_all

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 6
PDF = b"%PDF-1.4\n%%EOF\n"


def _race(target, n=THREADS):
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            result = target(i)
        except (ValidationError, PermissionDenied) as exc:
            result = f"refused:{exc}"
        except Exception as exc:  # noqa: BLE001 - any other failure must show in the assertion
            result = f"error:{type(exc).__name__}:{exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture(autouse=True)
def _needs_row_locks():
    if connection.vendor == "sqlite":
        pytest.skip("row locks: run with DATABASE_URL on PostgreSQL")


def test_a_code_is_spent_once(call, channel, channel_admin, make_user):
    code = services.issue_codes(channel, 1, by=channel_admin)[0].code
    users = [make_user(f"race{i}", role=None) for i in range(THREADS)]
    outcomes = _race(lambda i: services.create_submission(call=call, applicant=users[i], code=code) and "ok")
    assert outcomes.count("ok") == 1
    assert not [o for o in outcomes if o.startswith("error")]
    assert Submission.objects.filter(code__code=code).count() == 1


def test_quota_holds_under_concurrent_submits(call, channel, channel_admin, make_user, university):
    codes = services.issue_codes(channel, THREADS, by=channel_admin)
    pairs = []
    for i, code in enumerate(codes):
        user = make_user(f"q{i}", role=None)
        s = services.create_submission(
            call=call, applicant=user, code=code.code, organization=university, title="t"
        )
        services.save_draft(s, by=user, data={**ANSWERS, "name": f"候选{i}"})
        services.attach_file(s, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=user)
        pairs.append((s, user))
    outcomes = _race(lambda i: services.submit(pairs[i][0], by=pairs[i][1]) and "ok")
    assert outcomes.count("ok") == channel.quota == 2
    assert not [o for o in outcomes if o.startswith("error")]
    assert Submission.objects.filter(channel=channel, state=SubmissionState.SUBMITTED).count() == 2


def test_formal_check_recorded_once(call, dossier, nominee, unit_staff, channel_admin, staff):
    services.attach_file(dossier, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=nominee)
    submission = endorse_all(
        services.submit(dossier, by=nominee), unit_staff=unit_staff, channel_admin=channel_admin, staff=staff
    )
    outcomes = _race(
        lambda i: services.formal_check(submission, by=staff, outcome=FormalOutcome.PASS) and "ok"
    )
    assert outcomes.count("ok") == 1
    assert FormalCheck.objects.filter(submission=submission).count() == 1
