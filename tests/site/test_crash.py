"""kill -9 of a process in the middle of a notice import, an expert import and a survey submission
leaves nothing half-written: the counts are those from before, the audit chain verifies, and the
same write succeeds afterwards (SQLite recovers its WAL, PostgreSQL rolls the dead backend back)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps

from kexie.accounts.enums import Role
from kexie.core.models import AuditEvent
from kexie.core.services import verify_audit_chain
from kexie.policy.services import create_notice_draft
from tests.conftest import load_reference_data
from tests.site.conftest import REPO, SEED, database_url, process_env

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = {
    "notice": [
        "policy.Section",
        "policy.Measure",
        "policy.MeasureDepartment",
        "policy.Task",
        "policy.Target",
    ],
    "experts": ["experts.Expert"],
    "survey": ["surveys.Invitation", "surveys.Response"],
}


def counts(scenario: str) -> dict[str, int]:
    result = {label: apps.get_model(label).objects.count() for label in TABLES[scenario]}
    result["audit"] = AuditEvent.objects.count()
    return result


def run_and_kill(tmp_path: Path, scenario: str, arg: str, verb: str, table: str, nth: int) -> None:
    marker = tmp_path / f"{scenario}.paused"
    env = process_env(tmp_path / "var", database_url())
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.site.crash_child", scenario, arg, str(marker), verb, table, str(nth)],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not marker.exists():
        if child.poll() is not None:
            raise AssertionError(f"the child ended before pausing: {child.stderr.read().decode()[-3000:]}")
        assert time.monotonic() < deadline, "the child never reached the statement to pause after"
        time.sleep(0.05)
    assert marker.read_text(encoding="utf-8").startswith(verb), marker.read_text(encoding="utf-8")
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL


def test_kill_during_notice_import_leaves_the_draft_untouched(tmp_path, make_user):
    supervisor = make_user("duban", role=Role.SUPERVISOR)
    notice = create_notice_draft(text=SEED.read_text(encoding="utf-8"), source_name="n.txt", by=supervisor)
    before = counts("notice")

    # Killed after the 5th of the notice's 16 tasks was inserted.
    run_and_kill(tmp_path, "notice", str(notice.pk), "INSERT", "policy_task", 5)

    assert counts("notice") == before
    notice.refresh_from_db()
    assert notice.state == "draft"
    assert verify_audit_chain().ok
    # Nothing is stuck: the same import goes through afterwards (in a new process, as a worker would).
    from kexie.policy.services import confirm_notice, draft_unit_names, match_organizations

    confirm_notice(notice=notice, mapping=match_organizations(draft_unit_names(notice.draft)), by=supervisor)
    assert counts("notice")["policy.Task"] == before["policy.Task"] + 16


def test_kill_during_expert_import_creates_no_expert(tmp_path, make_user):
    from tests.experts.test_spreadsheets import row, workbook

    load_reference_data()  # NSFC disciplines (a transactional test may start after another's flush)
    curator = make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")
    path = tmp_path / "experts.xlsx"
    rows = [row(姓名=f"专家{i:02d}", 手机号码="", 身份证号="") for i in range(12)]
    path.write_bytes(workbook(*rows))
    before = counts("experts")

    # The import writes in bulk: killed once all twelve experts' rows were inserted, before the commit.
    run_and_kill(tmp_path, "experts", f"{path}|{curator.username}", "INSERT", "experts_expert", 1)

    assert counts("experts") == before
    assert verify_audit_chain().ok
    from kexie.experts.spreadsheets import import_experts

    assert len(import_experts(content=path.read_bytes(), by=curator)) == 12


def test_kill_during_survey_submission_leaves_it_unsubmitted(tmp_path, make_user, orgs):
    from kexie.surveys import services
    from kexie.surveys.enums import QuestionKind
    from kexie.surveys.models import Invitation, Response

    owner = make_user("zhanlue", role=Role.DEPARTMENT_STAFF, org_name="战略发展部")
    survey = services.create_survey(title="科技工作者状况调查", organization=orgs["战略发展部"], by=owner)
    section = services.add_section(survey=survey, title="基本情况", by=owner)
    question = services.add_question(
        section=section, text="性别", kind=QuestionKind.SINGLE, code="sex", options=["男", "女"], by=owner
    )
    survey = services.publish_survey(survey=survey, by=owner)
    batch = services.issue_invitations(
        survey=survey, organization=orgs["渝中区科学技术协会"], quota=1, by=owner
    )
    code = batch.invitations.get().code
    response = services.start_response(survey=survey, invitation_code=code)
    services.save_answers(response=response, answers={question: "1"})
    before = counts("survey")

    # Killed after the invitation was marked used and the response marked submitted, before commit.
    run_and_kill(tmp_path, "survey", str(response.pk), "UPDATE", "surveys_response", 1)

    assert counts("survey") == before
    assert Response.objects.get(pk=response.pk).submitted_at is None
    assert Invitation.objects.get(code=code).used_at is None
    assert not AuditEvent.objects.filter(action="surveys.response.submit").exists()
    assert verify_audit_chain().ok
    services.submit_response(response=Response.objects.get(pk=response.pk))
    assert Invitation.objects.get(code=code).used_at is not None
