"""Shared fixtures: seed organizations, users with roles, verified (2FA) sessions, a browser."""

from __future__ import annotations

import importlib
import os

import pytest
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts.enums import Role
from kexie.accounts.middleware import VERIFIED_SESSION_KEY
from kexie.accounts.models import Organization
from kexie.accounts.services import ROOT_NAME, add_membership, create_user, load_seed_organizations

PASSWORD = "Test-Pass-2026"

# Playwright's sync API runs an event loop in the test thread; Django's async-safety check would
# then refuse ORM calls made by the test itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# In CI (.ci/run sets KEXIE_REQUIRE_SERVICES=1; CI=true counts too) a test whose service is missing
# fails instead of skipping, so that a run without PostgreSQL, Redis, chromium or msgfmt cannot
# pass by skipping what it was meant to check.
REQUIRE_SERVICES = os.environ.get("KEXIE_REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true"


def require_service(available: bool, reason: str) -> None:
    """Skip the calling test when an optional service is missing, or fail it in CI."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}; this run requires every service (KEXIE_REQUIRE_SERVICES=1 or CI=true)")
    pytest.skip(reason)


# The rows the data migrations load, by the migration's own function: NSFC disciplines, GB/T 4754
# industries, the 三审三校 steps, the need categories.
DATA_MIGRATIONS = [
    ("experts.Discipline", "kexie.experts.migrations.0002_load_disciplines", "load"),
    ("transfer.Industry", "kexie.transfer.migrations.0002_load_industries", "load"),
    ("news.WorkflowStep", "kexie.news.migrations.0002_workflow_steps", "forwards"),
    ("workers.NeedCategory", "kexie.workers.migrations.0002_need_categories", "add_categories"),
]


def load_reference_data() -> None:
    """Load what the data migrations load, where it is missing."""
    from django.apps import apps

    for model, module, function in DATA_MIGRATIONS:
        if not apps.get_model(model).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is made from the models (``--no-migrations`` in pyproject.toml: replaying the
    35 migrations cost each worker about 35 s of CPU; ``tests/test_settings.py`` checks that the
    migrations match the models). The data migrations' rows and the seed organizations are loaded once
    here, so each test's transaction rolls back to them."""
    with django_db_blocker.unblock():
        _record_migrations_as_applied()
        load_reference_data()
        load_seed_organizations()


def _record_migrations_as_applied() -> None:
    """A database built from the models records every migration as applied, as a migrated one does
    (a backup taken in a test restores into a new instance that runs ``migrate``)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder
    from django.test.utils import override_settings

    with override_settings(MIGRATION_MODULES={}):
        loader = MigrationLoader(None, ignore_no_migrations=True)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    applied = recorder.applied_migrations()
    for app_label, name in sorted(loader.disk_migrations):
        if (app_label, name) not in applied:
            recorder.record_applied(app_label, name)


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the site's language: a request made in English by an earlier test of the
    same worker leaves English active in the thread, and a service's message would follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _restore_reference_data(request, django_db_blocker):
    """A transactional test (browser journeys, concurrency) ends with a flush of every table, data
    migrations' rows included: load them and the seed organizations again for the tests that follow."""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        with django_db_blocker.unblock():
            load_reference_data()
            load_seed_organizations()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test anchors the audit chain in its own file (a shared one would name other runs' events).
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.log"


@pytest.fixture
def orgs(db) -> dict[str, Organization]:
    """The seeded organizations by name (loaded with the test database, and again after a
    transactional test's flush)."""
    if not Organization.objects.filter(name=ROOT_NAME).exists():
        load_seed_organizations()
    return {o.name: o for o in Organization.objects.all()}


@pytest.fixture
def make_user(db, orgs):
    """make_user(username, role, org_name=ROOT_NAME) -> a user with that membership."""
    counter = {"n": 0}

    def factory(
        username: str | None = None, role: str = Role.DEPARTMENT_STAFF, org_name: str = ROOT_NAME, **extra
    ):
        counter["n"] += 1
        user, _password = create_user(
            username=username or f"user{counter['n']}", password=PASSWORD, must_change_password=False, **extra
        )
        if role:
            add_membership(user=user, organization=orgs[org_name], role=role)
        return user

    return factory


def verify_session(client, user) -> TOTPDevice:
    """Sign `user` in on `client` with a confirmed TOTP device already passed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # As after the first page view following the check: the session remembers the verifying device
    # with the user's second-factor version (kexie/accounts/middleware.py), so that tests counting a
    # page's queries count what every later view costs.
    version = type(user).objects.values_list("second_factor_version", flat=True).get(pk=user.pk)
    session[VERIFIED_SESSION_KEY] = [device.persistent_id, version]
    session.save()
    return device


@pytest.fixture
def login(client):
    def do(user):
        verify_session(client, user)
        return client

    return do


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    require_service(
        os.path.exists("/usr/bin/chromium"), "Debian's chromium is not installed (make sysdeps installs it)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def district_value(key: str, district):
    """A registered indicator's value for one district association (the district view's reading)."""
    from kexie.policy import indicators

    indicator = indicators.get(key)
    assert indicator.has_district_reading, key
    reading, message = indicators.district_reading(indicator, district)
    assert message == "", message
    return reading.value
