"""The audit chain against someone who can write the database (issue 10, finding 2): a keyed chain
(HMAC-SM3, key outside the database), signed heads anchored outside it, an insert-only grant on
PostgreSQL, and batches that take the head lock once and still verify event by event."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.core.crypto import sm3_hex
from kexie.core.models import AuditChainHead, AuditEvent
from kexie.core.services import (
    _canonical,
    anchor_audit_head,
    audit_batch,
    event_hash,
    read_anchors,
    record_event,
    verify_audit_chain,
)


@pytest.fixture
def chain(db):
    return [record_event(None, f"test.action.{i}", actor_name="tester", after={"i": i}) for i in range(6)]


def _rewrite(hasher) -> None:
    """What the probe did: delete an event, recompute every hash in order, and fix the head."""
    victim = AuditEvent.objects.order_by("-seq")[2]
    victim.delete()
    previous = AuditChainHead.objects.get(pk=1).anchor_hash
    for seq, event in enumerate(AuditEvent.objects.order_by("seq"), start=1):
        event.seq = seq
        event.prev_hash = previous
        event.hash = previous = hasher(event)
        event.save()
    AuditChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=previous)


def test_the_probes_rewrite_with_plain_sm3_no_longer_verifies(chain):
    _rewrite(lambda e: sm3_hex(_canonical(e)))
    report = verify_audit_chain()
    assert not report.ok
    assert all("was altered" in p for p in report.problems)
    assert len(report.problems) == report.checked


def test_a_rewrite_with_another_key_does_not_verify(chain):
    from kexie.core.crypto import hmac_sm3_hex

    _rewrite(lambda e: hmac_sm3_hex(b"guessed key", _canonical(e)))
    assert not verify_audit_chain().ok


def test_the_key_is_outside_the_database(chain, settings):
    key_hex = settings.AUDIT_KEY
    dumped = json.dumps(list(AuditEvent.objects.values()), default=str) + json.dumps(
        list(AuditChainHead.objects.values())
    )
    assert key_hex not in dumped
    # Another key makes the whole chain unverifiable; the old key kept readable verifies it again.
    settings.AUDIT_KEY = "0" * 64
    assert not verify_audit_chain().ok
    settings.AUDIT_OLD_KEYS = [key_hex]
    record_event(None, "test.after_rotation", actor_name="tester")
    assert verify_audit_chain().ok


def test_anchored_head_catches_a_rewrite_even_with_the_key(chain):
    anchor_audit_head()
    # Someone with the key itself (a compromised application server) rewrites the history.
    _rewrite(event_hash)
    report = verify_audit_chain()
    assert not report.ok
    assert any("anchored" in p for p in report.problems), report.problems


def test_anchor_file_is_append_only_signed_and_private(chain, settings):
    first = anchor_audit_head()
    record_event(None, "test.more", actor_name="tester")
    call_command("anchor_audit")
    path = settings.AUDIT_ANCHOR_FILE
    lines = path.read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[0]) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert verify_audit_chain().ok and verify_audit_chain().anchors == 2
    # A forged anchor line (edited seq) is reported.
    forged = json.loads(lines[1]) | {"seq": 1}
    path.write_text(lines[0] + "\n" + json.dumps(forged) + "\n")
    assert "anchor line 2 is not signed with the audit key" in verify_audit_chain().problems


def test_verify_command_reads_the_auditors_copy(chain, tmp_path, settings):
    copy = tmp_path / "auditor-copy.log"
    anchor_audit_head(path=copy)
    settings.AUDIT_ANCHOR_FILE = tmp_path / "gone.log"  # the server's file was deleted
    _rewrite(event_hash)
    with pytest.raises(Exception, match="audit chain broken"):
        call_command("verify_audit", anchors=copy)
    assert read_anchors(copy)[0]["seq"] == chain[-1].seq


def test_hourly_job_anchors(chain, settings):
    from kexie.core.tasks import anchor_audit_job

    assert anchor_audit_job.call_local() == chain[-1].seq
    assert read_anchors()[0]["hash"] == chain[-1].hash


def test_auditor_downloads_the_signed_head(make_user, login, client, settings):
    auditor = make_user("shenji", role=Role.AUDITOR)
    response = login(auditor).post(reverse("accounts:audit_anchor"))
    assert response.status_code == 200
    head = json.loads(response.content)
    assert head == {k: v for k, v in read_anchors()[-1].items() if k != "line"}
    assert AuditEvent.objects.filter(action="core.audit.anchor", actor_id=auditor.pk).exists()
    client.logout()
    admin = make_user("root", role=Role.ADMIN)
    assert login(admin).post(reverse("accounts:audit_anchor")).status_code == 403


def test_production_refuses_to_start_without_an_audit_key(settings):
    settings.DEBUG, settings.TESTING, settings.AUDIT_KEY = False, False, ""
    assert "kexie.E002" in {message.id for message in run_checks()}


# --- batches -------------------------------------------------------------------------------------------


def test_a_batch_takes_the_head_once_and_verifies_event_by_event(db):
    before = AuditChainHead.objects.get_or_create(pk=1)[0].last_seq
    with CaptureQueriesContext(connection) as queries, audit_batch():
        events = [record_event(None, "test.batch", actor_name="tester", after={"i": i}) for i in range(50)]
    head_updates = [
        q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "auditchainhead" in q["sql"]
    ]
    assert len(head_updates) == 1
    assert [e.seq for e in events] == list(range(before + 1, before + 51))
    assert all(events[i].prev_hash == events[i - 1].hash for i in range(1, 50))
    assert verify_audit_chain().ok
    # Each event still verifies on its own: editing one in the middle names exactly that one.
    AuditEvent.objects.filter(seq=before + 25).update(detail="edited")
    assert verify_audit_chain().problems == [f"event #{before + 25} was altered after it was written"]


def test_a_batch_drops_the_events_of_a_rolled_back_savepoint_and_of_a_failed_batch(db):
    before = AuditEvent.objects.count()
    with audit_batch():
        record_event(None, "test.kept", actor_name="tester")
        try:
            with transaction.atomic():
                record_event(None, "test.rolled_back", actor_name="tester")
                raise ValueError
        except ValueError:
            pass
    assert list(AuditEvent.objects.filter(action__startswith="test.").values_list("action", flat=True)) == [
        "test.kept"
    ]
    with pytest.raises(RuntimeError), audit_batch():
        record_event(None, "test.failed", actor_name="tester")
        raise RuntimeError
    assert AuditEvent.objects.count() == before + 1
    assert verify_audit_chain().ok


# --- PostgreSQL: the application's role may only insert and read audit events ----------------------------


def test_insert_only_grant_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL grant: runs in the PostgreSQL pass of CI (make test-postgres)")
    record_event(None, "test.before_grant", actor_name="tester")
    assert AuditEvent._meta.db_table == "core_auditevent"
    role = "kexie_app_grant_test"
    with connection.cursor() as cursor:
        # The statements of docs/deployment.md, for a role that is not the tables' owner.
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT ON core_auditevent TO {role}")
        cursor.execute(f"GRANT USAGE, SELECT ON SEQUENCE core_auditevent_id_seq TO {role}")
        cursor.execute(f"SET ROLE {role}")
        try:
            cursor.execute(
                "INSERT INTO core_auditevent (seq, created_at, actor_name, action, object_type, object_id, "
                "object_repr, success, detail, prev_hash, hash, key_id) VALUES "
                "(999999, now(), 'grant', 'test.insert', '', '', '', true, '', '', '', '')"
            )
            cursor.execute("SELECT count(*) FROM core_auditevent")
            assert cursor.fetchone()[0] >= 2
            for statement in (
                "UPDATE core_auditevent SET detail = 'x'",
                "DELETE FROM core_auditevent",
                "TRUNCATE core_auditevent",
            ):
                sid = transaction.savepoint()
                with pytest.raises(Exception, match="permission denied"):
                    cursor.execute(statement)
                transaction.savepoint_rollback(sid)
        finally:
            cursor.execute("RESET ROLE")
