"""Transfer fixtures: a private search index, enterprises and the people who handle demands."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.services import add_membership, create_organization
from kexie.experts.enums import SearchKind as ExpertKind
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.search.documents import SearchDocument
from kexie.transfer import documents
from kexie.transfer.enums import DemandState, SearchKind
from kexie.transfer.models import Demand, Industry
from kexie.transfer.services import load_industries

YUZHONG = "500103"
JIANGBEI = "500105"


@pytest.fixture(autouse=True)
def backend(tmp_path) -> Iterator[TantivyBackend]:
    """Every transfer test gets its own index, and transfer's sources (another app's test may have
    unregistered a kind of the same name)."""
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    search.register_source(SearchKind.DEMAND, documents.demand_documents)
    search.register_source(SearchKind.ACHIEVEMENT, documents.achievement_documents)
    search.register_source(SearchKind.TEAM, documents.team_documents)
    yield backend
    search.set_backend(None)


@pytest.fixture
def enterprise(orgs):
    return create_organization(name="重庆智造科技有限公司", kind=OrganizationKind.ENTERPRISE)


@pytest.fixture
def other_enterprise(orgs):
    return create_organization(name="重庆两江新材料有限公司", kind=OrganizationKind.ENTERPRISE)


def _member(make_user, username, organization, role=Role.ENTERPRISE):
    user = make_user(username, role=None)
    add_membership(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def owner(make_user, enterprise):
    return _member(make_user, "qiye", enterprise)


@pytest.fixture
def stranger(make_user, other_enterprise):
    return _member(make_user, "qiye2", other_enterprise)


@pytest.fixture
def staff(make_user):
    return make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")


@pytest.fixture
def district_staff(make_user):
    return make_user("yuzhong", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会")


@pytest.fixture
def other_district_staff(make_user):
    return make_user("jiangbei", role=Role.DISTRICT_STAFF, org_name="江北区科学技术协会")


@pytest.fixture
def leader(make_user):
    return make_user("leader", role=Role.LEADER)


@pytest.fixture
def industry(db) -> Industry:
    # A transactional test (browser journeys) flushes the tables, data migrations' rows included.
    load_industries()
    return Industry.objects.get(code="34")  # 通用设备制造业


@pytest.fixture
def make_demand(enterprise, owner, industry):
    def factory(
        state: str = DemandState.DRAFT, *, title="工业机器人减速器精度提升", district=YUZHONG, **extra
    ):
        values = {
            "title": title,
            "description": "我公司生产的工业机器人RV减速器回差偏大，需提升齿轮加工精度与装配工艺。",
            "industry": industry,
            "district": district,
            "budget": "50-100",
            "contact_name": "张建国",
            "contact_mobile": "13812345678",
            "enterprise": enterprise,
            "created_by": owner,
            "state": state,
        }
        values.update(extra)
        if state != DemandState.DRAFT and "published_at" not in values and state not in ("submitted",):
            values["published_at"] = timezone.now()
        return Demand.objects.create(**values)

    return factory


def expert_document(ident, name, body, *, disciplines=(), district="", flags=("available",), verified=True):
    # The expert library flags profiles staff have verified; matching offers only those.
    return SearchDocument(
        kind=ExpertKind.EXPERT,
        id=ident,
        title=name,
        body=body,
        keywords=[],
        disciplines=list(disciplines),
        district=district,
        flags=[*flags, "verified"] if verified else list(flags),
        activity=3,
        year=2024,
    )
