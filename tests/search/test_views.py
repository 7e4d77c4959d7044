"""The global search page: who finds what, highlighted and escaped snippets, facets, pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.services import add_membership, create_organization
from kexie.experts import documents as expert_documents
from kexie.experts.enums import ProfessionalTitle
from kexie.experts.enums import SearchKind as ExpertKind
from kexie.experts.models import Expert
from kexie.search import index as search
from kexie.search.documents import SearchDocument
from kexie.search.views import marked
from kexie.transfer import documents as transfer_documents
from kexie.transfer.enums import DemandState, SearchKind
from kexie.transfer.models import Achievement, Demand, Industry, ServiceTeam
from kexie.transfer.services import load_industries

YUZHONG = "500103"
JIANGBEI = "500105"
URL = reverse("search:results")


@pytest.fixture(autouse=True)
def sources(backend):
    """The backend fixture gives a private index; the sources may have been unregistered by
    another test, so register them again."""
    search.register_source(ExpertKind.EXPERT, expert_documents.expert_documents)
    search.register_source(SearchKind.DEMAND, transfer_documents.demand_documents)
    search.register_source(SearchKind.ACHIEVEMENT, transfer_documents.achievement_documents)
    search.register_source(SearchKind.TEAM, transfer_documents.team_documents)
    return backend


@pytest.fixture
def industry(db) -> Industry:
    load_industries()
    return Industry.objects.get(code="34")


@pytest.fixture
def enterprise(orgs):
    return create_organization(name="重庆智造科技有限公司", kind=OrganizationKind.ENTERPRISE)


def _reindex(kind, *objects):
    search.refresh(kind=kind, ids=[obj.pk for obj in objects])


@pytest.fixture
def make_demand(enterprise, industry):
    def factory(title="工业机器人减速器精度提升", *, state=DemandState.PUBLISHED, district=YUZHONG):
        demand = Demand.objects.create(
            title=title,
            description="我公司生产的工业机器人减速器回差偏大，需提升齿轮加工精度。",
            industry=industry,
            district=district,
            budget="50-100",
            contact_name="张建国",
            contact_mobile="13812345678",
            enterprise=enterprise,
            state=state,
            published_at=timezone.now() if state != DemandState.DRAFT else None,
        )
        _reindex(SearchKind.DEMAND, demand)
        return demand

    return factory


@pytest.fixture
def make_achievement(industry):
    def factory(title="工业机器人视觉检测系统", *, published=True, district=JIANGBEI):
        achievement = Achievement.objects.create(
            title=title,
            abstract="基于深度学习的工业机器人视觉检测，适用于汽车零部件产线。",
            kind="technology",
            maturity="pilot",
            owner_name="重庆大学",
            industry=industry,
            district=district,
            year=2024,
            is_published=published,
        )
        _reindex(SearchKind.ACHIEVEMENT, achievement)
        return achievement

    return factory


@pytest.fixture
def world(make_demand, make_achievement, orgs):
    """One object of every kind about 工业机器人, and one of each that the public must not see."""
    expert = Expert.objects.create(
        name="李明",
        organization_name="重庆大学",
        title=ProfessionalTitle.PROFESSOR,
        research_areas="工业机器人",
        biography="长期从事工业机器人视觉研究。",
        district=YUZHONG,
        mobile="13800138000",
    )
    _reindex(ExpertKind.EXPERT, expert)
    team = ServiceTeam.objects.create(
        name="工业机器人科技服务团",
        lead_organization=orgs["重庆市科学技术协会"],
        description="为工业机器人企业提供技术诊断。",
        members=[{"name": "王芳", "expertise": "工业机器人"}],
        districts=[YUZHONG],
    )
    _reindex(SearchKind.TEAM, team)
    return {
        "demand": make_demand(),
        "draft": make_demand("工业机器人草稿需求", state=DemandState.DRAFT),
        "achievement": make_achievement(),
        "unpublished": make_achievement("工业机器人未发布成果", published=False),
        "expert": expert,
        "team": team,
    }


def _keys(response) -> set[str]:
    return {f"{r.hit.kind}:{r.row.pk}" for r in response.context["outcome"].results}


def _tabs(response) -> dict[str, int]:
    """The tabs with hits (other apps' kinds the reader may search show 0 here)."""
    return {
        tab["value"]: tab["count"] for tab in response.context["tabs"] if tab["count"] or tab["value"] == ""
    }


def _user(make_user, username, role, org_name=None):
    if org_name:
        return make_user(username, role=role, org_name=org_name)
    return make_user(username, role=role)


# --- scope by role ---------------------------------------------------------------------------------


def test_search_anonymous_sees_public_demands_and_achievements_only(client, world):
    response = client.get(URL, {"q": "工业机器人"})

    assert _keys(response) == {f"demand:{world['demand'].pk}", f"achievement:{world['achievement'].pk}"}
    assert _tabs(response) == {"": 2, "achievement": 1, "demand": 1}
    body = response.content.decode()
    assert "李明" not in body
    assert "未发布成果" not in body
    assert "工业机器人科技服务团" not in body


def test_search_enterprise_sees_what_the_public_sees(client, login, make_user, enterprise, world):
    user = make_user("qiye", role=None)
    add_membership(user=user, organization=enterprise, role=Role.ENTERPRISE)

    response = login(user).get(URL, {"q": "工业机器人"})

    assert _keys(response) == {f"demand:{world['demand'].pk}", f"achievement:{world['achievement'].pk}"}


def test_search_expert_role_does_not_open_the_library(client, login, make_user, world):
    user = make_user("zhangwei", role=Role.EXPERT)

    response = login(user).get(URL, {"q": "工业机器人", "kind": "expert"})

    assert _keys(response) == {f"demand:{world['demand'].pk}", f"achievement:{world['achievement'].pk}"}
    assert "expert" not in _tabs(response)


@pytest.mark.parametrize(
    ("role", "org_name"),
    [
        (Role.DEPARTMENT_STAFF, "科学技术创新部"),
        (Role.DISTRICT_STAFF, "渝中区科学技术协会"),
        (Role.LEADER, None),
    ],
)
def test_search_staff_sees_library_registry_and_unpublished(client, login, make_user, world, role, org_name):
    user = _user(make_user, "staff", role, org_name)

    response = login(user).get(URL, {"q": "工业机器人"})

    assert _keys(response) == {
        f"demand:{world['demand'].pk}",
        f"achievement:{world['achievement'].pk}",
        f"achievement:{world['unpublished'].pk}",
        f"expert:{world['expert'].pk}",
        f"team:{world['team'].pk}",
    }
    assert _tabs(response) == {"": 5, "expert": 1, "achievement": 2, "demand": 1, "team": 1}


def test_search_society_staff_sees_experts_but_not_the_registry(client, login, make_user, world):
    user = make_user("society", role=Role.SOCIETY_STAFF)

    response = login(user).get(URL, {"q": "工业机器人"})

    assert _keys(response) == {
        f"demand:{world['demand'].pk}",
        f"achievement:{world['achievement'].pk}",
        f"expert:{world['expert'].pk}",
    }


def test_search_rechecks_index_entries_against_the_database(client, world):
    # A stale index entry claims the unpublished achievement is published: the page still hides it.
    unpublished = world["unpublished"]
    search.index_documents(
        [
            SearchDocument(
                kind=SearchKind.ACHIEVEMENT,
                id=unpublished.pk,
                title=unpublished.title,
                body=unpublished.abstract,
                district=unpublished.district,
                flags=["published"],
            )
        ]
    )

    response = client.get(URL, {"q": "工业机器人", "kind": "achievement"})

    assert _keys(response) == {f"achievement:{world['achievement'].pk}"}
    assert "未发布成果" not in response.content.decode()


def test_search_page_shows_no_personal_data(client, login, make_user, world):
    user = make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")

    body = login(user).get(URL, {"q": "工业机器人"}).content.decode()

    assert "李明" in body
    assert "13800138000" not in body
    assert "13812345678" not in body
    assert "张建国" not in body


# --- snippets -------------------------------------------------------------------------------------


def test_search_highlights_and_escapes_snippets(client, make_achievement):
    make_achievement('<script>alert("x")</script>工业机器人')

    body = client.get(URL, {"q": "工业机器人"}).content.decode()

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<mark>工业机器人</mark>" in body
    assert "基于深度学习的<mark>工业机器人</mark>视觉检测" in body


def test_marked_keeps_only_mark_tags():
    assert marked("a &amp; <mark>b</mark> <img src=x onerror=1>") == (
        "a &amp; <mark>b</mark> &lt;img src=x onerror=1&gt;"
    )
    assert marked("<mark>a</mark></mark><b>") == "a&lt;b&gt;"
    assert marked("") == ""


# --- tabs, facets, pages, states -----------------------------------------------------------------------


def test_search_kind_tab_limits_results(client, world):
    response = client.get(URL, {"q": "工业机器人", "kind": "demand"})

    assert _keys(response) == {f"demand:{world['demand'].pk}"}
    assert _tabs(response) == {"": 2, "achievement": 1, "demand": 1}
    assert [tab["value"] for tab in response.context["tabs"] if tab["active"]] == ["demand"]


def test_search_facets_count_and_filter(client, make_demand, make_achievement):
    make_demand("工业机器人需求甲", district=YUZHONG)
    make_demand("工业机器人需求乙", district=YUZHONG)
    make_demand("工业机器人需求丙", district=JIANGBEI)
    make_achievement(district=JIANGBEI)

    response = client.get(URL, {"q": "工业机器人"})
    facets = {facet["name"]: facet["rows"] for facet in response.context["facets"]}

    assert {(row["label"], row["count"]) for row in facets["district"]} == {("渝中区", 2), ("江北区", 2)}
    assert {(row["value"], row["count"]) for row in facets["industry"]} == {("C", 4)}

    filtered = client.get(URL, {"q": "工业机器人", "district": JIANGBEI})

    assert {r.row.title for r in filtered.context["outcome"].results} == {
        "工业机器人需求丙",
        "工业机器人视觉检测系统",
    }
    assert filtered.context["outcome"].total == 2


def test_search_paginates(client, make_demand):
    for number in range(23):
        make_demand(f"工业机器人需求{number:02d}")

    first = client.get(URL, {"q": "工业机器人"})
    second = client.get(URL, {"q": "工业机器人", "page": 2})

    assert len(first.context["outcome"].results) == 20
    assert len(second.context["outcome"].results) == 3
    assert (second.context["page"].number, second.context["page"].num_pages) == (2, 2)
    assert _keys(first).isdisjoint(_keys(second))
    assert "page=2" in first.content.decode()


def test_search_without_text_asks_for_words(client, world):
    response = client.get(URL)

    assert response.context["outcome"] is None
    assert 'data-testid="search-empty"' in response.content.decode()


def test_search_without_results_says_so(client, world):
    response = client.get(URL, {"q": "量子隧穿"})

    assert response.context["outcome"].results == []
    body = response.content.decode()
    assert 'data-testid="search-none"' in body
    assert "量子隧穿" in body


def test_navbar_has_a_search_box(client, orgs):
    body = client.get(reverse("transfer:public_demands")).content.decode()

    assert body.count(f'action="{URL}"') == 2  # desktop and phone


def test_search_query_count_does_not_grow_with_rows(client, login, make_user, make_demand, make_achievement):
    user = make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")
    staff = login(user)
    make_demand("工业机器人需求甲")
    make_achievement("工业机器人成果甲")
    staff.get(URL, {"q": "工业机器人"})
    with CaptureQueriesContext(connection) as one:
        staff.get(URL, {"q": "工业机器人"})
    for suffix in "乙丙":
        make_demand(f"工业机器人需求{suffix}")
        make_achievement(f"工业机器人成果{suffix}")
    with CaptureQueriesContext(connection) as three:
        response = staff.get(URL, {"q": "工业机器人"})

    assert len(response.context["outcome"].results) == 6
    assert len(three.captured_queries) == len(one.captured_queries)


# --- in a browser ---------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_from_the_phone_navbar_with_a_district_filter(
    phone_page, live_server, make_demand, make_achievement
):
    make_demand("工业机器人减速器精度提升", district=YUZHONG)
    make_achievement("工业机器人视觉检测系统", district=JIANGBEI)
    page = phone_page

    page.goto(f"{live_server.url}{reverse('transfer:public_demands')}")
    box = page.locator("[data-testid=nav-search-phone] input[name=q]")
    box.fill("工业机器人")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")

    assert page.locator("[data-testid=search-hit]").count() == 2
    assert page.locator("[data-testid=search-hit] mark").first.inner_text() == "工业机器人"
    assert not page.locator("[data-testid=facet-district]").is_visible()
    page.locator("[data-testid=search-facets] button").click()
    page.locator(f"[data-testid=facet-district] a[data-value='{JIANGBEI}']").click()
    page.wait_for_url(f"**district={JIANGBEI}*")
    assert page.locator("[data-testid=search-hit]").all_inner_texts()[0].count("工业机器人视觉检测系统") == 1
    assert page.locator("[data-testid=search-hit]").count() == 1


# --- kept outcomes (kexie/search/views.py, kexie/core/versioned.py) ----------------------------------


def test_kept_searches_are_per_reader_and_end_with_a_write(client, login, make_user, world, monkeypatch):
    from django.test import Client

    from kexie.core import versioned
    from kexie.core.services import record_event
    from kexie.core.templatetags import kexie_tags
    from kexie.search import views

    versioned.clear_all()
    monkeypatch.setattr(views, "OUTCOME_SECONDS", 30)
    monkeypatch.setattr(kexie_tags, "KEEP_SECONDS", 30)
    staff = make_user("staff", role=Role.LEADER)
    staff_keys = _keys(login(staff).get(URL, {"q": "工业机器人"}))
    assert f"expert:{world['expert'].pk}" in staff_keys
    # An anonymous visitor asking the same never gets the leader's kept outcome (nor its markup).
    anonymous = Client().get(URL, {"q": "工业机器人"})
    assert _keys(anonymous) == {f"demand:{world['demand'].pk}", f"achievement:{world['achievement'].pk}"}
    assert "李明" not in anonymous.content.decode()

    # Kept: an index change alone is not seen until the next audited write (or OUTCOME_SECONDS).
    new = Achievement.objects.create(
        title="工业机器人新成果",
        abstract="工业机器人",
        kind="technology",
        maturity="pilot",
        owner_name="重庆大学",
        industry=world["achievement"].industry,
        district=JIANGBEI,
        year=2025,
        is_published=True,
    )
    _reindex(SearchKind.ACHIEVEMENT, new)
    assert f"achievement:{new.pk}" not in _keys(Client().get(URL, {"q": "工业机器人"}))
    record_event(staff, "tests.write", actor=staff)
    assert f"achievement:{new.pk}" in _keys(Client().get(URL, {"q": "工业机器人"}))
    versioned.clear_all()
