"""The audit trail: every write leaves an event; the hash chain detects edits, deletions and cuts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.services import create_organization
from kexie.core.models import AuditChainHead, AuditEvent
from kexie.core.services import purge_audit_events, record_event, verify_audit_chain


@pytest.fixture
def base(db) -> int:
    """The chain's length before the test (the seed organizations are audited too)."""
    return AuditChainHead.objects.get_or_create(pk=1)[0].last_seq


@pytest.fixture
def events(base):
    return [record_event(None, f"test.action.{i}", actor_name="tester", after={"i": i}) for i in range(5)]


def test_chain_intact_after_writes(base, events):
    report = verify_audit_chain()
    assert (report.ok, report.checked, report.problems) == (True, base + 5, [])
    assert [e.seq for e in events] == [base + 1, base + 2, base + 3, base + 4, base + 5]
    assert events[1].prev_hash == events[0].hash


def test_chain_detects_edited_event(base, events):
    AuditEvent.objects.filter(seq=base + 3).update(after={"i": 99})
    report = verify_audit_chain()
    assert report.ok is False
    assert report.problems == [f"event #{base + 3} was altered after it was written"]


def test_chain_detects_edited_actor(base, events):
    AuditEvent.objects.filter(seq=base + 2).update(actor_name="someone else")
    assert verify_audit_chain().problems == [f"event #{base + 2} was altered after it was written"]


def test_chain_detects_deleted_event(base, events):
    AuditEvent.objects.filter(seq=base + 3).delete()
    report = verify_audit_chain()
    assert report.ok is False
    assert report.problems == [
        f"events #{base + 3}–#{base + 3} are missing",
        f"event #{base + 4} does not follow the event before it",
    ]


def test_chain_detects_cut_tail(base, events):
    AuditEvent.objects.filter(seq=base + 5).delete()
    assert verify_audit_chain().problems == [
        f"the chain ends at #{base + 4} but the head records #{base + 5}"
    ]


def test_chain_detects_rehashed_forgery(base, events):
    # A forger who recomputes the edited event's own hash still breaks the link to the next one.
    from kexie.core.services import event_hash

    event = AuditEvent.objects.get(seq=base + 2)
    event.after = {"i": 42}
    event.hash = event_hash(event)
    event.save()
    assert verify_audit_chain().problems == [f"event #{base + 3} does not follow the event before it"]


def test_verify_command_fails_on_broken_chain(events):
    call_command("verify_audit")
    AuditEvent.objects.filter(seq=events[0].seq).update(action="test.changed")
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("verify_audit")


def test_purge_keeps_retention_and_chain(base, events, settings):
    old = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS + 10)
    AuditEvent.objects.filter(seq__lte=base + 2).update(created_at=old)
    # Re-hash the back-dated events as if they had been written then.
    from kexie.core.services import event_hash

    previous = "0" * 64
    for event in AuditEvent.objects.order_by("seq"):
        event.prev_hash = previous
        event.hash = event_hash(event)
        event.save()
        previous = event.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=previous)
    assert verify_audit_chain().ok
    removed = purge_audit_events(before=timezone.now())  # asks for everything; retention keeps 6 months
    assert removed == base + 2
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == [
        base + 3,
        base + 4,
        base + 5,
        base + 6,
    ]
    report = verify_audit_chain()
    assert report.ok, report.problems
    assert AuditEvent.objects.get(seq=base + 6).action == "core.audit.purge"


def test_write_records_before_after_actor_and_ip(db, make_user):
    from kexie.core.context import RequestContext, reset_context, set_context

    admin = make_user("root", role="")
    token = set_context(RequestContext(ip="192.0.2.7"))
    try:
        org = create_organization(name="测试学会", kind=OrganizationKind.SOCIETY, by=admin)
    finally:
        reset_context(token)
    event = AuditEvent.objects.get(action="accounts.organization.create", object_id=str(org.pk))
    assert (event.actor_id, event.actor_name, event.ip) == (admin.pk, "root", "192.0.2.7")
    assert event.after == {"name": "测试学会", "kind": "society", "parent": None, "code": None}
    assert event.object_type == "accounts.organization"


def test_refused_write_leaves_no_event_and_no_row(db, orgs):
    from django.core.exceptions import ValidationError

    from kexie.accounts.models import Organization

    before = (AuditEvent.objects.count(), Organization.objects.count())
    with pytest.raises(ValidationError):
        create_organization(name="科学技术普及部", kind=OrganizationKind.DEPARTMENT)
    assert (AuditEvent.objects.count(), Organization.objects.count()) == before
