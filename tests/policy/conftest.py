"""Fixtures for the supervision ledger: the seed notice imported and confirmed, and its actors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kexie.accounts.enums import Role
from kexie.policy.models import Notice
from kexie.policy.notices.parser import ParsedNotice, parse_notice
from kexie.policy.services import confirm_notice, create_notice_draft, draft_unit_names, match_organizations

SEED = Path(__file__).resolve().parents[2] / "kexie" / "seed" / "notice-yukexiefa-2022-84.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_parsed(seed_text) -> ParsedNotice:
    """The seed notice parsed once per session: the parse is pure, the draft's dict is built anew
    from it for every notice, so tests stay isolated."""
    return parse_notice(seed_text)


@pytest.fixture
def supervisor(make_user):
    return make_user("duban", role=Role.SUPERVISOR)


@pytest.fixture
def leader(make_user):
    return make_user("leader", role=Role.LEADER)


@pytest.fixture
def notice(orgs, supervisor, seed_text, seed_parsed) -> Notice:
    """渝科协发〔2022〕84号, confirmed: 16 measures, one task per measure."""
    draft = create_notice_draft(text=seed_text, source_name="notice.txt", by=supervisor, parsed=seed_parsed)
    mapping = match_organizations(draft_unit_names(draft.draft))
    return confirm_notice(notice=draft, mapping=mapping, by=supervisor)


@pytest.fixture
def kepu_staff(make_user):
    return make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")


@pytest.fixture
def zhanlue_staff(make_user):
    return make_user("zhanlue", role=Role.DEPARTMENT_STAFF, org_name="战略发展部")
