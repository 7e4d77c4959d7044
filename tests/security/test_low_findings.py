"""The low findings of issue 10 (finding 7), each with the check that failed before the fix."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import ROOT_NAME, create_organization
from kexie.core.models import AuditEvent
from kexie.surveys import services as survey_services
from kexie.surveys.models import Invitation, Response
from tests.conftest import PASSWORD
from tests.experts.conftest import curator, expert, make_expert  # noqa: F401 - fixtures
from tests.surveys.conftest import draft, owner, published  # noqa: F401 - fixtures

EVIL = "https://evil.example/phish"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _district():
    return Organization.objects.filter(kind=OrganizationKind.DISTRICT_ASSOCIATION).order_by("code").first()


# --- open redirects ------------------------------------------------------------------------------------


def test_citizen_registration_does_not_redirect_off_site(client, orgs):
    response = client.post(
        f"{reverse('literacy:register')}?next={EVIL}",
        {
            "username": "citizen1",
            "full_name": "张三",
            "district": _district().pk,
            "password": "Harbor-Light-77",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("literacy:home")


def test_literacy_profile_does_not_redirect_off_site(make_user, login):
    client = login(make_user("citizen2", role=""))
    response = client.post(f"{reverse('literacy:profile')}?next={EVIL}", {"district": _district().pk})
    assert response.status_code == 302 and "evil.example" not in response["Location"]
    local = client.post(
        f"{reverse('literacy:profile')}?next=/literacy/contest/", {"district": _district().pk}
    )
    assert local["Location"] == "/literacy/contest/"


# --- invitation codes ---------------------------------------------------------------------------------


@pytest.fixture
def codes(published, owner):  # noqa: F811
    batch = survey_services.issue_invitations(survey=published, organization=_district(), quota=2, by=owner)
    return list(Invitation.objects.filter(batch=batch).values_list("code", flat=True))


def test_a_get_with_a_code_creates_no_response(client, codes):
    page = client.get(reverse("surveys:code"), {"code": codes[0]})
    assert page.status_code == 200 and codes[0] in page.content.decode()
    assert not Response.objects.exists()
    started = client.post(reverse("surveys:code"), {"code": codes[0]})
    assert started.status_code == 302 and Response.objects.count() == 1


def test_unknown_and_used_codes_get_the_same_answer(client, codes, published):  # noqa: F811
    from django.utils import timezone

    survey_services.start_response(survey=published, invitation_code=codes[1])
    Response.objects.update(submitted_at=timezone.now())
    unknown = client.post(reverse("surveys:code"), {"code": "ZZZZ9999"}).context["form"].errors
    used = client.post(reverse("surveys:code"), {"code": codes[1]}).context["form"].errors
    assert unknown == used


def test_invitation_codes_are_rate_limited_per_address(client, codes):
    from kexie.surveys.views.answer import CODE_ATTEMPTS

    for n in range(CODE_ATTEMPTS):
        assert client.post(reverse("surveys:code"), {"code": f"WRONG{n:03d}"}).status_code == 200
    # Even the right code waits now: guessing is throttled, not only failing guesses.
    assert client.post(reverse("surveys:code"), {"code": codes[0]}).status_code == 429
    assert not Response.objects.exists()


# --- organizations seen by external roles --------------------------------------------------------------


def test_external_roles_see_their_own_organization_without_its_members(make_user, login):
    make_user("sysadmin", role=Role.ADMIN)
    expert_user = make_user("outside_expert", role=Role.EXPERT)
    client = login(expert_user)
    listed = client.get(reverse("accounts:organization_list")).context["organizations"]
    assert [o.name for o in listed] == [ROOT_NAME]
    detail = client.get(reverse("accounts:organization_detail", args=[listed[0].pk])).content.decode()
    assert "sysadmin" not in detail
    assert len(client.get("/api/v1/organizations").json()) == 1


# --- notice import ------------------------------------------------------------------------------------


def test_notice_units_never_map_to_a_self_registered_enterprise(orgs):
    from kexie.policy.services.notices import match_organizations

    create_organization(name="重庆市科学技术普及部", kind=OrganizationKind.ENTERPRISE, sort_order=0)
    create_organization(name="渝州智造科技有限公司", kind=OrganizationKind.ENTERPRISE)
    matched = match_organizations(["科学技术普及部", "重庆市科学技术普及部", "渝州智造科技有限公司"])
    assert matched["科学技术普及部"].kind == OrganizationKind.DEPARTMENT
    assert matched["重庆市科学技术普及部"].kind == OrganizationKind.DEPARTMENT
    assert matched["渝州智造科技有限公司"] is None


# --- decompression bombs through every import ------------------------------------------------------------


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(60):
                member.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def test_every_import_refuses_a_decompression_bomb(orgs, curator, make_user):  # noqa: F811
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kexie.core.spreadsheets import ImportRefused
    from kexie.experts.spreadsheets import import_experts
    from kexie.literacy.services import import_questions
    from kexie.policy.notices.extract import NoticeFileError, extract_text
    from kexie.surveys.margins import read_margins

    data = _bomb()
    editor = make_user("kepu_ed", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    with pytest.raises(ImportRefused):
        import_experts(content=data, by=curator, file_name="bomb.xlsx")
    with pytest.raises((ImportRefused, ValidationError), match="压缩炸弹"):
        import_questions(file=SimpleUploadedFile("bomb.xlsx", data), by=editor)
    with pytest.raises((ImportRefused, ValidationError), match="压缩炸弹"):
        read_margins(SimpleUploadedFile("bomb.xlsx", data))
    with pytest.raises(NoticeFileError):
        extract_text(data, "bomb.docx", max_bytes=10 * 1024 * 1024)


# --- API paging ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["offset=-1", "limit=-5", "limit=0", "limit=100000", "offset=x"])
def test_bad_paging_on_public_api_is_422(client, db, query):
    for route in ("/api/v1/transfer/public/demands", "/api/v1/transfer/public/achievements"):
        assert client.get(f"{route}?{query}").status_code == 422, (route, query)


# --- lockout ------------------------------------------------------------------------------------------


def _post_login(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_lockout_is_per_account_across_addresses(client, make_user, settings):
    make_user("alice", role=Role.EXPERT)
    make_user("bob", role=Role.EXPERT)
    for n in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client.__class__(), "alice", "wrong", ip=f"10.0.1.{n}")
    assert _post_login(client.__class__(), "alice", PASSWORD, ip="10.0.2.1").status_code == 403
    assert _post_login(client.__class__(), "bob", PASSWORD, ip="10.0.1.1").status_code == 302


def test_lockout_is_recorded_once_with_the_user_name(client, make_user, settings):
    make_user("alice", role=Role.EXPERT)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "alice", "wrong", ip="10.0.3.1")
    before = AuditEvent.objects.filter(detail="locked out").count()
    _post_login(client, "alice", PASSWORD, ip="10.0.3.1")
    locked = AuditEvent.objects.filter(detail="locked out").order_by("seq")[before:]
    assert [e.actor_name for e in locked] == ["alice"]


def test_the_password_change_form_locks_too(make_user, login, settings):
    user = make_user("carol", role=Role.EXPERT)
    client = login(user)
    url = reverse("accounts:password_change")
    data = {"new_password1": "Brand-New-2026", "new_password2": "Brand-New-2026"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"old_password": "guess", **data}).status_code == 200
    assert client.post(url, {"old_password": "guess", **data}).status_code == 403
    assert "_auth_user_id" not in client.session  # signed out
    assert AccessAttempt.objects.filter(username="carol").exists()
    # … and the account is locked on the login page as well.
    assert _post_login(client.__class__(), "carol", PASSWORD, ip="10.0.4.1").status_code == 403


# --- public registration --------------------------------------------------------------------------------


def _register(client, username, ip="10.0.5.1"):
    return client.post(
        reverse("literacy:register"),
        {
            "username": username,
            "full_name": "李四",
            "district": _district().pk,
            "password": "Harbor-Light-77",
        },
        REMOTE_ADDR=ip,
    )


def test_registration_does_not_say_which_names_exist(client, make_user):
    make_user("existing_person", role=Role.EXPERT)
    taken = _register(client, "existing_person").context["form"].errors["username"]
    reserved = _register(client, "admin").context["form"].errors["username"]
    assert taken == reserved
    assert "existing_person" not in str(taken)


def test_registration_is_rate_limited_per_address(client, orgs):
    from kexie.core.ratelimit import REGISTRATION_ATTEMPTS

    for n in range(REGISTRATION_ATTEMPTS):
        _register(client.__class__(), f"taken{n}" if n else "admin")
    assert _register(client.__class__(), "fresh_name").status_code == 429
    assert not User.objects.filter(username="fresh_name").exists()
    assert _register(client.__class__(), "fresh_name", ip="10.0.5.2").status_code == 302


# --- audited unmasked views -----------------------------------------------------------------------------


def test_unmasked_personal_data_views_are_audited(make_user, login, expert):  # noqa: F811
    head = make_user("kechuang_head2", role=Role.DEPARTMENT_HEAD, org_name="科学技术创新部")
    client = login(head)
    client.get(reverse("experts:detail", args=[expert.pk]))
    event = AuditEvent.objects.filter(action="core.personal_data.view").latest("seq")
    assert (event.actor_id, event.object_id) == (head.pk, str(expert.pk))
    before = AuditEvent.objects.filter(action="core.personal_data.view").count()
    client.get(reverse("experts:list"))
    assert AuditEvent.objects.filter(action="core.personal_data.view").count() == before + 1


# --- caching and file modes -----------------------------------------------------------------------------


def test_authenticated_responses_are_not_stored(client, make_user, login):
    anonymous = client.get(reverse("literacy:home"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    signed_in = login(make_user("dora", role=Role.EXPERT)).get(reverse("literacy:home"))
    assert "no-store" in signed_in["Cache-Control"] and "private" in signed_in["Cache-Control"]
    api = client.get("/api/v1/me")
    assert "no-store" in api["Cache-Control"]


def test_var_directory_and_sqlite_database_are_private(db, settings):
    assert stat.S_IMODE(Path(settings.VAR_DIR).stat().st_mode) == 0o700
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file mode; PostgreSQL keeps its own files")
    connection.ensure_connection()
    name = Path(connection.settings_dict["NAME"])
    if not name.exists():
        pytest.skip("in-memory test database")
    from django.db.backends.signals import connection_created

    from kexie.core.files import private_sqlite_files

    assert any(key[0] == "kexie-private-sqlite" for key, _receiver, *_ in connection_created.receivers)
    os.chmod(name, 0o644)
    private_sqlite_files(sender=None, connection=connection)  # what every new connection runs
    assert stat.S_IMODE(name.stat().st_mode) == 0o600


def test_password_spraying_from_one_address_is_throttled(client, make_user, settings):
    from kexie.accounts.views import LOGIN_FAILURES_PER_ADDRESS

    make_user("erin", role=Role.EXPERT)
    for n in range(LOGIN_FAILURES_PER_ADDRESS):
        _post_login(client.__class__(), f"nobody{n}", "Spring-2026", ip="10.0.6.1")
    assert _post_login(client.__class__(), "erin", PASSWORD, ip="10.0.6.1").status_code == 429
    assert _post_login(client.__class__(), "erin", PASSWORD, ip="10.0.6.2").status_code == 302
