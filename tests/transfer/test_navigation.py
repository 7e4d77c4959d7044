"""The transfer tabs: each role sees exactly the tabs whose pages admit it, and each opens."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.transfer import services
from kexie.transfer.enums import DemandState

pytestmark = pytest.mark.django_db

PUBLIC = {"transfer:public_demands", "transfer:public_achievements"}
SIGNED_IN = PUBLIC | {"transfer:my_demands", "transfer:docking_list"}
REGISTRY = {"transfer:achievement_manage", "transfer:team_list", "transfer:workstation_list"}
NAMES = {reverse(name): name for name in [*PUBLIC, *SIGNED_IN, *REGISTRY, "transfer:register"]}


def nav_links(body: str) -> set[str]:
    nav = re.search(r'<ul [^>]*data-testid="transfer-nav">(.*?)</ul>', body, re.S)
    return {NAMES[href] for href in re.findall(r'href="([^"]+)"', nav.group(1))}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", PUBLIC | {"transfer:register"}),
        ("owner", SIGNED_IN),
        ("expert", SIGNED_IN),
        ("district_staff", SIGNED_IN | REGISTRY),
        ("staff", SIGNED_IN | REGISTRY),
        ("leader", SIGNED_IN | REGISTRY),
    ],
)
def test_transfer_tabs_are_exactly_the_pages_the_role_may_open(
    request, client, login, make_user, who, expected
):
    if who == "expert":
        client = login(make_user("zhuanjia", role=Role.EXPERT))
    elif who != "anonymous":
        client = login(request.getfixturevalue(who))

    links = nav_links(client.get(reverse("transfer:public_demands")).content.decode())

    assert links == expected
    assert {name: client.get(reverse(name)).status_code for name in links} == dict.fromkeys(links, 200)


def test_registry_pages_refuse_the_roles_without_the_tabs(login, owner, make_user):
    expert_client = login(make_user("zhuanjia", role=Role.EXPERT))
    refused = {name: expert_client.get(reverse(name)).status_code for name in REGISTRY}
    owner_client = login(owner)
    refused |= {f"owner:{name}": owner_client.get(reverse(name)).status_code for name in REGISTRY}

    assert set(refused.values()) == {403}


def test_docking_record_of_kind_contact_reads_as_contact_made(login, staff, make_demand):
    demand = make_demand(DemandState.PUBLISHED)
    docking = services.create_docking(
        demand=demand, target_kind="expert", target_id="e1", target_name="王立新", by=staff
    )
    services.add_docking_record(
        docking=docking, kind="contact", on=date(2026, 11, 2), note="电话沟通", by=staff
    )

    body = login(staff).get(reverse("transfer:docking_detail", args=[docking.pk])).content.decode()

    records = re.search(r'data-testid="records">(.*?)</ul>', body, re.S).group(1)
    assert re.findall(r'<span class="badge[^"]*">([^<]+)</span>', records) == ["联络"]
    assert '<option value="contact">联络</option>' in body
