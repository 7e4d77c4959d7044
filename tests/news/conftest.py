"""News fixtures: the people of 三审三校 and a completed task with its typical case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kexie.accounts.enums import Role
from kexie.news import search as news_search
from kexie.policy.enums import CaseState, TaskState
from kexie.policy.models import Task, TypicalCase
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend


@pytest.fixture(autouse=True)
def backend(tmp_path) -> Iterator[TantivyBackend]:
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    search.register_source(news_search.KIND, news_search.item_documents)
    yield backend
    search.set_backend(None)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def writer(make_user):
    return make_user("kepu_writer", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部", full_name="何写")


@pytest.fixture
def editor(make_user):
    return make_user("xuanchuan", role=Role.DEPARTMENT_STAFF, org_name="宣传文化部", full_name="吴宣")


@pytest.fixture
def head(make_user):
    return make_user("kepu_boss", role=Role.DEPARTMENT_HEAD, org_name="科学技术普及部", full_name="李晓梅")


@pytest.fixture
def leader(make_user):
    return make_user("boss", role=Role.LEADER, full_name="王志坚")


@pytest.fixture
def completed_task(orgs, writer):
    return Task.objects.create(
        title="全国科普日重庆主场活动",
        description="2026年全国科普日重庆主场活动在科技馆举办，38个区县同步开展，参与群众逾20万人次。",
        lead=orgs["科学技术普及部"],
        state=TaskState.COMPLETED,
        created_by=writer,
    )


@pytest.fixture
def ledger_case(completed_task, writer):
    return TypicalCase.objects.create(
        task=completed_task,
        organization=completed_task.lead,
        title="“科普大篷车”进山村：巡展覆盖18个乡镇",
        body="科普大篷车巡展覆盖18个乡镇，组织科技志愿者讲解，群众满意度98%。",
        state=CaseState.PUBLISHED,
        author=writer,
    )
