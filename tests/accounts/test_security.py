"""Password rules, lockout by user and address, and the second factor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.core.models import AuditEvent
from tests.conftest import PASSWORD, verify_session

LOGIN = "/accounts/login/"


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Ab1!", False),  # too short
        ("abcdefgh", False),  # one class
        ("abcdefg1", False),  # two classes
        ("abcdef1!", True),  # lower, digit, symbol
        ("Kexie2026", True),  # upper, lower, digit
        ("ABCDEFG1!", True),  # upper, digit, symbol
    ],
)
def test_password_rules_length_and_classes(db, password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_rules_follow_settings(db, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "kexie.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 4}},
    ]
    with pytest.raises(ValidationError, match="中的 4 类"):
        validate_password("Kexie2026")
    validate_password("Kexie2026!")


def _post_login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_success_records_event(client, make_user):
    user = make_user("alice", role=Role.EXPERT)
    response = _post_login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    event = AuditEvent.objects.filter(action="accounts.login").latest("seq")
    assert (event.actor_id, event.ip, event.success) == (user.pk, "10.0.0.1", True)


def test_login_failure_shows_chinese_message_and_records_event(client, make_user):
    make_user("alice", role=Role.EXPERT)
    response = _post_login(client, "alice", "wrong-password", ip="10.0.0.2")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    event = AuditEvent.objects.filter(action="accounts.login_failed").latest("seq")
    assert (event.actor_name, event.ip, event.success) == ("alice", "10.0.0.2", False)


def test_lockout_after_five_failures_keyed_by_user(client, make_user, settings):
    make_user("alice", role=Role.EXPERT)
    make_user("bob", role=Role.EXPERT)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "alice", "wrong", ip="10.0.0.9")
    # The right password no longer helps from that address …
    response = _post_login(client, "alice", PASSWORD, ip="10.0.0.9")
    assert response.status_code == 403
    assert "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # … nor from another address (the lockout is per account, issue 10); bob from the same address
    # still signs in.
    assert _post_login(client.__class__(), "alice", PASSWORD, ip="10.0.0.10").status_code == 403
    assert _post_login(client.__class__(), "bob", PASSWORD, ip="10.0.0.9").status_code == 302


def test_lockout_below_limit_does_not_lock(client, make_user, settings):
    make_user("alice", role=Role.EXPERT)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _post_login(client, "alice", "wrong")
    assert _post_login(client, "alice", PASSWORD).status_code == 302


def test_lockout_expires_after_cooloff(client, make_user, settings):
    make_user("alice", role=Role.EXPERT)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "alice", "wrong")
    assert _post_login(client, "alice", PASSWORD).status_code == 403
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert _post_login(client, "alice", PASSWORD).status_code == 302


def test_admin_unlock_lifts_lockout(client, make_user, login, settings):
    make_user("alice", role=Role.EXPERT)
    admin = make_user("root", role=Role.ADMIN)
    anon = client.__class__()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(anon, "alice", "wrong")
    target = AccessAttempt.objects.get(username="alice")
    assert target.failures_since_start == settings.AXES_FAILURE_LIMIT
    login(admin).post(
        reverse("accounts:user_detail", args=[User.objects.get(username="alice").pk]), {"action": "unlock"}
    )
    assert not AccessAttempt.objects.filter(username="alice").exists()
    assert _post_login(anon, "alice", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.user.unlock", actor_id=admin.pk).count() == 1


def _wait_out_throttle(device: TOTPDevice) -> None:
    """django-otp delays the next try after a wrong code; a real user waits, the test moves time on."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
    )


def test_staff_without_device_must_enrol_second_factor(client, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    make_user("staff", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    response = _post_login(client, "staff", PASSWORD)
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    # Every other page sends the user back to the enrolment page.
    response = client.get(reverse("accounts:organization_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_staff_enrolment_with_valid_code_unlocks_pages(client, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    user = make_user("staff", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    _post_login(client, "staff", PASSWORD)
    page = client.get(reverse("accounts:otp_setup"))
    assert "设置第二因素" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(
        reverse("accounts:otp_setup"), {"token": "000000" if totp(device.bin_key) else "111111"}
    )
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    _wait_out_throttle(device)
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:otp_setup"), {"token": code})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("accounts:organization_list")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.2fa.enrol", actor_id=user.pk).count() == 1


def test_staff_with_device_must_verify_each_session(client, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    user = make_user("staff", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = _post_login(client, "staff", PASSWORD)
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    bad = client.post(reverse("accounts:otp_verify"), {"token": "123456"})
    assert "验证码错误或已过期" in bad.content.decode()
    assert client.get(reverse("home")).status_code == 302
    _wait_out_throttle(device)
    device.refresh_from_db()
    ok = client.post(reverse("accounts:otp_verify"), {"token": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_non_staff_role_needs_no_second_factor(client, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    make_user("expert", role=Role.EXPERT)
    response = _post_login(client, "expert", PASSWORD)
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_optional_mode_lets_staff_in_without_device(client, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "optional"
    make_user("staff", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    assert _post_login(client, "staff", PASSWORD)["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_api_refuses_session_without_second_factor(client, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    user = make_user("staff", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    client.force_login(user)
    assert client.get("/api/v1/me").status_code == 401
    verify_session(client, user)
    assert client.get("/api/v1/me").json()["username"] == "staff"


def test_must_change_password_forces_change_page(client, make_user):
    user = make_user("alice", role=Role.EXPERT)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    response = _post_login(client, "alice", PASSWORD)
    assert response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("home"))["Location"] == reverse("accounts:password_change")
    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert weak.status_code == 200
    assert "密码须至少包含" in weak.content.decode()
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "New-Pass-2027", "new_password2": "New-Pass-2027"},
    )
    user.refresh_from_db()
    assert user.check_password("New-Pass-2027")
    assert user.must_change_password is False
    assert client.get(reverse("home")).status_code == 200


def test_session_idle_timeout_extends_on_activity_and_expires(client, make_user, login):
    user = make_user("expert", role=Role.EXPERT)
    login(user)
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() + timedelta(minutes=1)
    session.save(update_fields=["expire_date"])
    assert client.get(reverse("notifications")).status_code == 200
    refreshed = Session.objects.get(session_key=session.session_key).expire_date
    assert refreshed > timezone.now() + timedelta(minutes=29)
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
