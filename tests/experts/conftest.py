"""Fixtures of the expert library: its actors, experts, and a search index in a temporary directory."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.apps import apps

from kexie.accounts.enums import Role
from kexie.experts import services
from kexie.experts.enums import ProfessionalTitle, VerificationState
from kexie.experts.models import Discipline, Expert
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend

# Valid GB 11643 numbers (check digits computed) and mobiles used across the tests.
ID_A = "500103198001010016"
ID_B = "50010319850505002X"
MOBILE_A = "13800138000"
MOBILE_B = "13912345678"
YUZHONG = "500103"


@pytest.fixture(autouse=True)
def search_backend(settings, tmp_path) -> Iterator[TantivyBackend]:
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    yield backend
    search.set_backend(None)


@pytest.fixture
def curator(make_user):
    """科学技术创新部 staff: curates the library, sees contact details masked."""
    return make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")


@pytest.fixture
def curator_head(make_user):
    """科学技术创新部 head: curates and sees contact details in full."""
    return make_user("kechuang_head", role=Role.DEPARTMENT_HEAD, org_name="科学技术创新部")


@pytest.fixture
def kepu_staff(make_user):
    """科学技术普及部 staff: reads the library, cannot curate."""
    return make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", role=Role.ADMIN)


@pytest.fixture
def expert_user(make_user):
    return make_user("zhangwei", role=Role.EXPERT, full_name="张伟")


@pytest.fixture
def enterprise_user(make_user):
    return make_user("qiye", role=Role.ENTERPRISE)


@pytest.fixture
def make_expert(db, curator):
    counter = {"n": 0}

    def factory(name: str | None = None, *, by=None, disciplines=("F0201",), **data):
        counter["n"] += 1
        data.setdefault("organization_name", "重庆大学")
        data.setdefault("title", ProfessionalTitle.PROFESSOR)
        data.setdefault("state", VerificationState.VERIFIED)
        return services.create_expert(
            by=by or curator, name=name or f"专家{counter['n']}", disciplines=list(disciplines), **data
        )

    return factory


@pytest.fixture
def expert(make_expert) -> Expert:
    return make_expert(
        "李明",
        organization_name="重庆大学",
        keywords=["人工智能", "机器视觉"],
        research_areas="智能制造；工业机器人",
        biography="长期从事工业机器人视觉检测研究。",
        district=YUZHONG,
        mobile=MOBILE_A,
        id_number=ID_A,
        email="liming@example.cn",
    )


@pytest.fixture
def disciplines(db) -> None:
    """The NSFC codes come from a data migration; a transactional test's flush removes them."""
    if not Discipline.objects.exists():
        importlib.import_module("kexie.experts.migrations.0002_load_disciplines").load(apps, None)
