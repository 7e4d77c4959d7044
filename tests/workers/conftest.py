"""Workers fixtures: a private search index with the app's kinds, the people of a need's journey."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.services import add_membership, create_organization
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.workers import search as worker_search
from kexie.workers.models import NeedCategory


@pytest.fixture(autouse=True)
def backend(tmp_path) -> Iterator[TantivyBackend]:
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    search.register_source(worker_search.NEED_KIND, worker_search.need_documents)
    search.register_source(worker_search.ARCHIVE_KIND, worker_search.item_documents)
    yield backend
    search.set_backend(None)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def categories(db) -> dict[str, NeedCategory]:
    from kexie.workers.services import ensure_need_categories

    ensure_need_categories()  # a transactional test elsewhere may have flushed the migration's rows
    return {c.code: c for c in NeedCategory.objects.all()}


@pytest.fixture
def scientist(make_user):
    return make_user("kexuejia", role=None, full_name="林青")


@pytest.fixture
def other_scientist(make_user):
    return make_user("kexuejia2", role=None, full_name="周远")


@pytest.fixture
def triage(make_user):
    return make_user("zuzhi", role=Role.DEPARTMENT_STAFF, org_name="组织人事部", full_name="郑组")


@pytest.fixture
def bureau(orgs):
    return create_organization(name="重庆市人力资源和社会保障局", kind=OrganizationKind.DECISION_DEPARTMENT)


@pytest.fixture
def bureau_staff(make_user, bureau):
    user = make_user("rsj", role=None, full_name="钱社保")
    add_membership(user=user, organization=bureau, role=Role.DEPARTMENT_STAFF)
    return user


@pytest.fixture
def kepu_staff(make_user):
    return make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")


@pytest.fixture
def curator(make_user):
    return make_user("yuanshi", role=Role.DEPARTMENT_STAFF, org_name="院士工作服务中心")
