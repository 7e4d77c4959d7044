from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kexie.accounts.models import User
from kexie.search import index as search
from kexie.transfer import services
from kexie.transfer.enums import DemandState, Outcome
from kexie.transfer.models import Achievement, Demand, Docking, Industry, ServiceTeam, Workstation
from tests.transfer.conftest import YUZHONG, expert_document

pytestmark = pytest.mark.django_db


def make_achievement(title="高精度减速器齿轮加工技术", published=True):
    return Achievement.objects.create(
        title=title,
        abstract="提高机器人减速器齿轮精度",
        keywords=["减速器"],
        kind="patent",
        maturity="pilot",
        owner_name="重庆大学",
        industry=Industry.objects.get(code="34"),
        district=YUZHONG,
        is_published=published,
    )


# --- public pages --------------------------------------------------------------------------------------


def test_public_demand_list_shows_only_public_states(client, make_demand):
    for state in ["draft", "submitted", "published", "docking", "signed", "closed"]:
        make_demand(state, title=f"需求-{state}")

    body = client.get(reverse("transfer:public_demands")).content.decode()

    assert [
        s for s in ["draft", "submitted", "published", "docking", "signed", "closed"] if f"需求-{s}" in body
    ] == [
        "published",
        "docking",
        "signed",
    ]


def test_public_demand_search_uses_index_and_highlights(client, make_demand):
    make_demand(DemandState.PUBLISHED, title="工业机器人减速器精度提升")
    make_demand(
        DemandState.PUBLISHED, title="柑橘采后保鲜技术", description="柑橘采后腐烂率高，需要保鲜技术。"
    )
    make_demand(DemandState.SUBMITTED, title="未发布的减速器需求")
    search.rebuild(kinds=["demand"])

    response = client.get(reverse("transfer:public_demands"), {"q": "减速器"})

    titles = [d.title for d in response.context["page"]]
    assert titles == ["工业机器人减速器精度提升"]
    assert "<mark>" in response.content.decode()


def test_public_demand_detail_masks_contact_for_anonymous(client, make_demand):
    demand = make_demand(DemandState.PUBLISHED)
    body = client.get(reverse("transfer:demand_detail", args=[demand.pk])).content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body


def test_demand_detail_shows_full_contact_to_owner_masked_to_stranger(
    login, owner, stranger, make_demand, client
):
    demand = make_demand(DemandState.PUBLISHED)
    assert (
        "13812345678"
        in login(owner).get(reverse("transfer:demand_detail", args=[demand.pk])).content.decode()
    )
    body = login(stranger).get(reverse("transfer:demand_detail", args=[demand.pk])).content.decode()
    assert "138****5678" in body and "13812345678" not in body


def test_draft_demand_detail_hidden_from_public_and_strangers(client, login, stranger, make_demand):
    demand = make_demand()
    assert client.get(reverse("transfer:demand_detail", args=[demand.pk])).status_code == 404
    # Hidden is answered like missing (kexie.core.access): 404, as the API answers.
    assert login(stranger).get(reverse("transfer:demand_detail", args=[demand.pk])).status_code == 404


def test_public_achievements_only_published(client):
    make_achievement("公开成果")
    make_achievement("内部成果", published=False)
    body = client.get(reverse("transfer:public_achievements")).content.decode()
    assert "公开成果" in body and "内部成果" not in body


def test_unpublished_achievement_detail_hidden_from_public(client):
    hidden = make_achievement("内部成果", published=False)
    assert client.get(reverse("transfer:achievement_detail", args=[hidden.pk])).status_code == 404


def test_enterprise_registration_creates_account_and_signs_in(client, orgs):
    response = client.post(
        reverse("transfer:register"),
        {
            "enterprise_name": "重庆新创机电有限公司",
            "district": YUZHONG,
            "full_name": "陈晨",
            "mobile": "13700001111",
            "username": "xinchuang",
            "password": "Kexie@2026-long",
            "password2": "Kexie@2026-long",
        },
    )
    assert response.status_code == 302 and response.url == reverse("transfer:demand_create")
    user = User.objects.get(username="xinchuang")
    assert [(m.organization.kind, m.role) for m in user.memberships.all()] == [("enterprise", "enterprise")]
    assert client.get(reverse("transfer:demand_create")).status_code == 200


def test_enterprise_registration_bad_mobile_shows_error_creates_nothing(client, orgs):
    response = client.post(
        reverse("transfer:register"),
        {
            "enterprise_name": "重庆新创机电有限公司",
            "district": YUZHONG,
            "full_name": "陈晨",
            "mobile": "123",
            "username": "xinchuang",
            "password": "Kexie@2026-long",
            "password2": "Kexie@2026-long",
        },
    )
    assert response.status_code == 200
    assert "mobile" in response.context["form"].errors
    assert not User.objects.filter(username="xinchuang").exists()


# --- demand lifecycle through the pages ------------------------------------------------------------------


def test_enterprise_posts_and_submits_demand(login, owner, enterprise):
    client = login(owner)
    response = client.post(
        reverse("transfer:demand_create"),
        {
            "title": "注塑模具冷却优化",
            "description": "模具冷却不均导致翘曲。",
            "industry": Industry.objects.get(code="292").pk,
            "district": YUZHONG,
            "budget": "10-50",
            "contact_name": "周",
            "contact_mobile": "13900001111",
        },
    )
    demand = Demand.objects.get()
    assert response.url == reverse("transfer:demand_detail", args=[demand.pk])
    assert (demand.enterprise, demand.state) == (enterprise, DemandState.DRAFT)

    client.post(reverse("transfer:demand_submit", args=[demand.pk]))
    demand.refresh_from_db()
    assert demand.state == DemandState.SUBMITTED


def test_staff_publish_and_return_through_pages(login, staff, make_demand):
    client = login(staff)
    published = make_demand(DemandState.SUBMITTED)
    returned = make_demand(DemandState.SUBMITTED, title="需退回")

    client.post(reverse("transfer:demand_publish", args=[published.pk]))
    client.post(reverse("transfer:demand_return", args=[returned.pk]), {"reason": "请补充技术指标"})

    published.refresh_from_db()
    returned.refresh_from_db()
    assert (published.state, returned.state, returned.return_reason) == (
        "published",
        "draft",
        "请补充技术指标",
    )


def test_owner_cannot_publish_through_page(login, owner, make_demand):
    demand = make_demand(DemandState.SUBMITTED)
    login(owner).post(reverse("transfer:demand_publish", args=[demand.pk]))
    demand.refresh_from_db()
    assert demand.state == DemandState.SUBMITTED


def test_matches_page_staff_sees_experts_owner_does_not(login, staff, owner, make_demand):
    search.index_documents([expert_document("e1", "王立新", "减速器 齿轮 精度", disciplines=["E0501"])])
    make_achievement()
    search.rebuild(kinds=["achievement"])
    demand = make_demand(DemandState.PUBLISHED)
    url = reverse("transfer:demand_matches", args=[demand.pk])

    staff_page = login(staff).get(url)
    assert [m.hit.title for m in staff_page.context["experts"]] == ["王立新"]
    assert 'data-testid="experts"' in staff_page.content.decode()

    owner_page = login(owner).get(url)
    assert owner_page.context["experts"] is None
    assert 'data-testid="experts"' not in owner_page.content.decode()
    assert [m.hit.title for m in owner_page.context["achievements"]] == ["高精度减速器齿轮加工技术"]


def test_matches_page_bands_whole_terms_and_links_for_the_roles_that_may_open_them(
    login, staff, owner, stranger, make_demand, orgs
):
    search.index_documents(
        [
            expert_document("901", "王立新", "减速器 齿轮 精度 机器人 传动 研究", disciplines=["E0501"]),
            expert_document("902", "刘海燕", "齿轮 材料 热处理 机器学习", disciplines=["E0101"]),
        ]
    )
    gear = make_achievement()
    team = ServiceTeam.objects.create(
        name="智能制造科技服务团",
        lead_organization=orgs["重庆市科学技术协会"],
        description="服务机器人与减速器企业",
        members=[{"name": "周工", "expertise": "齿轮传动"}],
        districts=[YUZHONG],
        industries=["34"],
    )
    search.rebuild(kinds=["achievement", "team"])
    demand = make_demand(DemandState.PUBLISHED)
    url = reverse("transfer:demand_matches", args=[demand.pk])

    page = login(staff).get(url)
    first, second = page.context["experts"]
    html = page.content.decode()

    assert (first.id, first.band, first.percent) == ("901", "high", 100)
    assert 0 < second.relative < 1 and second.band in {"medium", "low"}
    # Whole words of the demand only: 机器 (of 机器学习) is a fragment of the demand's 机器人.
    assert {"减速器", "齿轮", "精度", "机器人"} <= set(first.matched_terms)
    assert "机器" not in second.matched_terms and all(len(t) > 1 for t in first.matched_terms)
    # Why the first is above the second: positive margins, and terms the second lacks.
    assert first.ahead and all(margin > 0 for _label, margin in first.ahead)
    assert "减速器" in first.ahead_terms and "齿轮" not in first.ahead_terms
    assert 'data-testid="match-band"' in html and 'data-testid="why-ahead"' in html
    assert 'data-testid="band-legend"' in html
    assert f'href="{reverse("experts:detail", args=[901])}"' in html
    assert f'href="{reverse("transfer:achievement_detail", args=[gear.pk])}"' in html
    assert f'href="{reverse("transfer:team_detail", args=[team.pk])}"' in html

    # The enterprise sees achievements (public pages) and teams, but no expert and no registry link.
    owner_html = login(owner).get(url).content.decode()
    assert reverse("experts:detail", args=[901]) not in owner_html and "王立新" not in owner_html
    assert reverse("transfer:team_detail", args=[team.pk]) not in owner_html and team.name in owner_html
    assert f'href="{reverse("transfer:achievement_detail", args=[gear.pk])}"' in owner_html
    # Another enterprise may read the published demand but not its matches.
    refused = login(stranger).get(url)
    assert refused.status_code == 403 and team.name not in refused.content.decode()


def test_create_docking_and_record_signed_outcome_through_pages(login, staff, make_demand):
    client = login(staff)
    demand = make_demand(DemandState.PUBLISHED)

    response = client.post(
        reverse("transfer:docking_create", args=[demand.pk]),
        {"target_kind": "expert", "target_id": "e1", "target_name": "王立新"},
    )
    docking = Docking.objects.get()
    assert response.url == reverse("transfer:docking_detail", args=[docking.pk])

    client.post(
        reverse("transfer:docking_detail", args=[docking.pk]),
        {"record-kind": "meeting", "record-date": "2026-11-02", "record-note": "座谈"},
    )
    client.post(
        reverse("transfer:docking_detail", args=[docking.pk]),
        {"outcome-outcome": "signed", "outcome-amount": "120", "outcome-signed_on": "2026-11-20"},
    )
    docking.refresh_from_db()
    demand.refresh_from_db()
    assert (docking.outcome, docking.contract_amount, docking.records.count(), demand.state) == (
        Outcome.SIGNED,
        Decimal("120.00"),
        1,
        DemandState.SIGNED,
    )


def test_workstation_evaluation_recorded_through_page(login, staff, orgs):
    station = services.create_workstation(
        by=staff,
        kind="academician",
        name="院士工作站甲",
        host_organization=orgs["重庆市科学技术协会"],
        district=YUZHONG,
        established_year=2018,
    )
    login(staff).post(
        reverse("transfer:workstation_detail", args=[station.pk]),
        {"year": 2025, "score": "88.5", "grade": "good", "comment": "运行良好"},
    )
    assert list(station.evaluations.values_list("year", "score", "grade")) == [
        (2025, Decimal("88.5"), "good")
    ]


def test_enterprise_cannot_open_registry(login, owner):
    assert login(owner).get(reverse("transfer:workstation_list")).status_code == 403


# --- query counts --------------------------------------------------------------------------------------


def _count(client, url) -> int:
    client.get(url)  # warm caches (memberships, sessions)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_views_query_count_same_for_1_and_3_rows(login, staff, make_demand, orgs):
    counts = []
    for n in (1, 3):
        while Demand.objects.count() < n:
            demand = make_demand(DemandState.PUBLISHED, title=f"需求{Demand.objects.count()}")
            services.create_docking(
                demand=demand, target_kind="expert", target_id=str(demand.pk), target_name="专家", by=staff
            )
            make_achievement(f"成果{demand.pk}")
            ServiceTeam.objects.create(
                name=f"服务团{demand.pk}", lead_organization=orgs["重庆市科学技术协会"]
            )
            Workstation.objects.create(
                kind="expert",
                name=f"工作站{demand.pk}",
                host_organization=orgs["重庆市科学技术协会"],
                district=YUZHONG,
                established_year=2020,
            )
        client = login(staff)
        counts.append(
            [
                _count(client, reverse(name))
                for name in (
                    "transfer:public_demands",
                    "transfer:my_demands",
                    "transfer:docking_list",
                    "transfer:public_achievements",
                    "transfer:achievement_manage",
                    "transfer:team_list",
                    "transfer:workstation_list",
                )
            ]
        )
    assert counts[0] == counts[-1]
