"""Demo data for `kexie demo`: idempotent, deterministic (seeded), plausible.

Each module adds its own loader here in dependency order.
"""

from __future__ import annotations

from importlib import import_module

from django.db import transaction

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import ROOT_NAME, add_membership, create_user, load_seed_organizations
from kexie.experts.demo import load_demo as load_demo_experts
from kexie.literacy.demo import load_demo as load_demo_literacy
from kexie.policy.demo import load_demo_policy
from kexie.search import index as search
from kexie.surveys.demo import load_demo as load_demo_surveys
from kexie.transfer.demo import load_demo as load_demo_transfer

# The service apps of the later measures, in dependency order (calls first: the others run calls).
# Each has ``demo.load_demo(users) -> [(username, description)]`` returning the logins it created.
SERVICE_APPS = ("calls", "talent", "thinktank", "outreach", "societies", "workers", "news")

DEMO_PASSWORD = "Kexie@2026"  # noqa: S105 - printed on purpose: it is the demo's published password

# (username, full name, organization, role, description printed by `make demo`)
DEMO_USERS: list[tuple[str, str, str, str, str]] = [
    ("leader", "王志坚", ROOT_NAME, Role.LEADER, "领导 leader (sees everything)"),
    ("kepu_head", "李晓梅", "科学技术普及部", Role.DEPARTMENT_HEAD, "科学技术普及部 部长 department head"),
    ("zhanlue_staff", "陈立", "战略发展部", Role.DEPARTMENT_STAFF, "战略发展部 工作人员 department staff"),
    ("yuzhong", "赵敏", "渝中区科学技术协会", Role.DISTRICT_STAFF, "渝中区科协 district association"),
    (
        "duban",
        "孙督办",
        ROOT_NAME,
        Role.SUPERVISOR,
        "督办员 supervision officer (imports, breakdown, reminders)",
    ),
    ("kechuang_staff", "刘创新", "科学技术创新部", Role.DEPARTMENT_STAFF, "科学技术创新部 工作人员"),
    ("xuanchuan_staff", "吴宣", "宣传文化部", Role.DEPARTMENT_STAFF, "宣传文化部 工作人员"),
    ("zuzhi_staff", "郑组", "组织人事部", Role.DEPARTMENT_STAFF, "组织人事部 工作人员"),
    ("guoji_staff", "冯国际", "国际合作部", Role.DEPARTMENT_STAFF, "国际合作部 工作人员"),
    ("auditor", "周审", ROOT_NAME, Role.AUDITOR, "审计员 auditor (audit trail)"),
    ("admin", "系统管理员", ROOT_NAME, Role.ADMIN, "系统管理员 administrator (accounts)"),
    (
        "secadmin",
        "钱安全",
        ROOT_NAME,
        Role.SECURITY_ADMIN,
        "安全管理员 security administrator (grants admin/auditor roles)",
    ),
]


# Logins the module loaders create, printed by `kexie demo` after the ones above.
EXTRA_LOGINS: list[tuple[str, str]] = [
    ("expert_demo", "专家 expert (own profile)"),
    ("kechuang_head", "科学技术创新部 部长 (sees full expert contacts)"),
    ("enterprise_demo", "企业用户 enterprise (posts technical demands)"),
    ("kepu_editor", "科学技术普及部 题库编辑 question editor"),
    ("citizen_demo", "公民 citizen (takes the contest)"),
]


@transaction.atomic
def load_demo_users() -> list[tuple[str, str]]:
    printed = []
    for index, (username, full_name, org_name, role, description) in enumerate(DEMO_USERS):
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _password = create_user(
                username=username,
                full_name=full_name,
                email=f"{username}@kexie.example",
                mobile=f"139{index:04d}{8000 + index:04d}",
                password=DEMO_PASSWORD,
                must_change_password=False,
            )
        organization = Organization.objects.get(name=org_name)
        if not user.memberships.filter(organization=organization, role=role).exists():
            add_membership(user=user, organization=organization, role=role)
        printed.append((username, description))
    return printed


def load_demo(*, stdout=None) -> list[tuple[str, str]]:
    # Index updates of the objects created are not queued one by one: the kinds touched are rebuilt
    # once at the end (the loaders' own rebuilds cover what was written before them).
    with search.deferred_updates():
        return _load_demo()


def _load_demo() -> list[tuple[str, str]]:
    load_seed_organizations()
    printed = load_demo_users()
    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_USERS])}
    load_demo_policy(users)
    load_demo_experts(users)
    load_demo_transfer(users)
    load_demo_surveys(users)
    load_demo_literacy(users)
    for label in SERVICE_APPS:
        printed += import_module(f"kexie.{label}.demo").load_demo(users)
    return printed
