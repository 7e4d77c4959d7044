"""Talent fixtures: the award catalogue, the people who run awards and the programme, experts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from kexie.accounts.enums import Role
from kexie.experts import services as expert_services
from kexie.experts.enums import Honour, ProfessionalTitle, VerificationState
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.talent import calls as talent_calls
from kexie.talent.models import Award
from kexie.talent.services import awards

YUZHONG = "500103"
JIANGBEI = "500105"


@pytest.fixture(autouse=True)
def search_backend(settings, tmp_path) -> Iterator[TantivyBackend]:
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    yield backend
    search.set_backend(None)


@pytest.fixture(autouse=True)
def talent_call_kinds():
    """The talent hooks on the engine's award and programme kinds (another app's test may have put
    the generic kinds back in this process)."""
    talent_calls.register()


@pytest.fixture
def catalogue(db) -> dict[str, Award]:
    awards.sync_catalogue()
    return {a.code: a for a in Award.objects.all()}


@pytest.fixture
def zuzhi(make_user):
    """组织人事部 staff: runs awards and the 托举 programme."""
    return make_user("zuzhi", role=Role.DEPARTMENT_STAFF, org_name="组织人事部")


@pytest.fixture
def xuanchuan(make_user):
    return make_user("xuanchuan", role=Role.DEPARTMENT_STAFF, org_name="宣传文化部")


@pytest.fixture
def centre(make_user):
    """院士工作服务中心 staff: the only ones who see the 增选 ledger."""
    return make_user("yuanshi", role=Role.DEPARTMENT_STAFF, org_name="院士工作服务中心")


@pytest.fixture
def kepu(make_user):
    return make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")


@pytest.fixture
def leader(make_user):
    return make_user("leader", role=Role.LEADER)


@pytest.fixture
def citizen(make_user):
    return make_user("citizen", role=None)


@pytest.fixture
def make_expert(db, zuzhi):
    counter = {"n": 0}

    def factory(name: str | None = None, **data):
        counter["n"] += 1
        data.setdefault("organization_name", "重庆大学")
        data.setdefault("title", ProfessionalTitle.PROFESSOR)
        data.setdefault("state", VerificationState.VERIFIED)
        return expert_services.create_expert(
            by=zuzhi, name=name or f"专家{counter['n']}", disciplines=["F0201"], **data
        )

    return factory


@pytest.fixture
def academician(make_expert):
    return make_expert("周院士", honours=[Honour.CAE_ACADEMICIAN], birth_year=1958)


PERSON = {
    "name": "林晓",
    "sex": "female",
    "birth_date": date(1992, 5, 1),
    "organization_name": "重庆大学",
    "district": YUZHONG,
}
