"""Concurrent writes on the default SQLite database (and PostgreSQL in CI) do not fail."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.accounts.services import create_organization
from kexie.core.models import AuditEvent
from kexie.core.services import verify_audit_chain

THREADS = 8
WRITES = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_all_commit_and_chain_stays_whole():
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(WRITES):
                create_organization(name=f"并发学会{n}-{i}", kind=OrganizationKind.SOCIETY)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Organization.objects.filter(name__startswith="并发学会").count() == THREADS * WRITES
    created = AuditEvent.objects.filter(
        action="accounts.organization.create", object_repr__startswith="并发学会"
    )
    assert created.count() == THREADS * WRITES
    report = verify_audit_chain()
    assert report.ok, report.problems
    assert report.checked == AuditEvent.objects.count() >= THREADS * WRITES


def test_sqlite_runs_in_wal_with_immediate_transactions(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only pragmas; this run uses PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
