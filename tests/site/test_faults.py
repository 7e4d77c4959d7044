"""Faults answered clearly: a full disk on upload (507, no partial or orphaned file) and an unreachable
database (503 in Chinese, no stack trace, and the next request after it returns succeeds)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.policy.models import Evidence, ProgressReport, Task
from kexie.site import faults
from tests.conftest import verify_session


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def reporter_client(make_user):
    user = make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    client = Client(raise_request_exception=False)
    verify_session(client, user)
    return client


def _kepu_task(notice) -> Task:
    return Task.objects.filter(measure__notice=notice, lead__name="科学技术普及部").order_by("pk").first()


def test_disk_full_on_the_second_file_keeps_nothing(notice, reporter_client, monkeypatch):
    task = _kepu_task(notice)
    real_write = os.write
    calls = {"n": 0}

    def write(fd, data):
        # The first file is written whole; the disk fills up half-way through the second.
        calls["n"] += 1
        if calls["n"] >= 2:
            real_write(fd, bytes(data[:100]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(faults.os, "write", write)
    response = reporter_client.post(
        reverse("policy:task_report", args=[task.pk]),
        {
            "text": "本月进展",
            "percent": "40",
            "files": [
                SimpleUploadedFile("一.pdf", b"%PDF-1.4 " + b"a" * 3000),
                SimpleUploadedFile("二.pdf", b"%PDF-1.4 " + b"b" * 3000),
            ],
        },
    )
    assert response.status_code == 507
    body = response.content.decode()
    assert "存储空间" in body or "无法保存" in body, body
    assert "Traceback" not in body and "OSError" not in body
    assert ProgressReport.objects.filter(task=task).count() == 0
    assert Evidence.objects.count() == 0
    # Neither the half-written second file nor the complete first one (its row was rolled back).
    assert _files_under(Path(settings.MEDIA_ROOT)) == []


def test_upload_without_fault_is_stored_whole(notice, reporter_client):
    task = _kepu_task(notice)
    content = b"%PDF-1.4 " + bytes(range(256)) * 100
    response = reporter_client.post(
        reverse("policy:task_report", args=[task.pk]),
        {"text": "本月进展", "files": [SimpleUploadedFile("佐证.pdf", content)]},
    )
    assert response.status_code == 302
    (evidence,) = Evidence.objects.all()
    assert evidence.file.read() == content
    assert [p.name for p in _files_under(Path(settings.MEDIA_ROOT))] == [Path(evidence.file.name).name]


@pytest.mark.django_db(transaction=True)
def test_database_unreachable_gives_a_chinese_503_then_recovers(make_user):
    user = make_user("leader", role=Role.LEADER)
    client = Client(raise_request_exception=False)
    verify_session(client, user)
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("policy:dashboard")).status_code == 200

    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        settings_dict["PORT"] = "9"  # nothing listens there: connection refused, as with a server down
        settings_dict["HOST"] = "127.0.0.1"
    else:
        settings_dict["NAME"] = "/nonexistent-directory/kexie.sqlite3"
    try:
        page = client.get(reverse("policy:dashboard"))
        health = client.get("/healthz")
        api = client.get("/api/v1/supervision/tasks")
    finally:
        connection.close()
        settings_dict.update(saved)
    assert page.status_code == 503
    body = page.content.decode()
    assert "服务暂时不可用" in body and "数据库" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert page["Retry-After"] == "30"
    assert health.status_code == 503 and health.json()["status"] == "unavailable"
    assert api.status_code == 503
    # The same process, no restart: the next request connects again.
    assert client.get(reverse("policy:dashboard")).status_code == 200
    assert client.get("/healthz").status_code == 200
