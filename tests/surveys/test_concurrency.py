"""One response per invitation code under concurrent submissions: threads against the real database."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kexie.surveys import services
from kexie.surveys.models import Answer, Invitation, Response
from tests.surveys.conftest import questions

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ANSWERS = {"sex": "1", "employed": "2", "channels": ["1"], "satisfaction": "4"}


def _race(target, n=THREADS):
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            result = target(i)
        except ValidationError as exc:
            result = f"refused:{exc.messages[0]}"
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


def test_invitation_code_single_use_under_concurrent_submissions(published, owner, orgs):
    batch = services.issue_invitations(
        survey=published, organization=orgs["渝中区科学技术协会"], quota=1, by=owner
    )
    code = batch.invitations.get().code
    by_code = questions(published)

    def respond(_i):
        response = services.start_response(survey=published, invitation_code=code)
        services.save_answers(
            response=response, answers={by_code[c]: v for c, v in ANSWERS.items()}, check_required=False
        )
        services.submit_response(response=response)
        return "submitted"

    outcomes = _race(respond)
    assert outcomes.count("submitted") == 1
    assert not [o for o in outcomes if o.startswith("error")]
    assert Response.objects.filter(survey=published).count() == 1
    assert Response.objects.filter(survey=published, submitted_at__isnull=False).count() == 1
    assert Invitation.objects.filter(code=code, used_at__isnull=False).count() == 1
    assert Answer.objects.filter(response__survey=published).count() == len(ANSWERS)


def test_same_response_submitted_concurrently_once(published):
    by_code = questions(published)
    response = services.start_response(survey=published)
    services.save_answers(
        response=response, answers={by_code[c]: v for c, v in ANSWERS.items()}, check_required=False
    )

    def submit(_i):
        services.submit_response(response=Response.objects.get(pk=response.pk))
        return "submitted"

    outcomes = _race(submit)
    assert sorted(outcomes) == ["refused:This response has already been submitted."] * (THREADS - 1) + [
        "submitted"
    ]
    assert Response.objects.filter(pk=response.pk, submitted_at__isnull=False).count() == 1
