"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kexie.env import ConfigError, env_bool, env_choice, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[1]


def test_env_bool_rejects_unknown_word():
    with pytest.raises(ConfigError, match="KEXIE_DEBUG='maybe' is not a boolean"):
        env_bool("KEXIE_DEBUG", False, environ={"KEXIE_DEBUG": "maybe"})


def test_env_bool_reads_words():
    assert [env_bool("X", False, environ={"X": v}) for v in ("1", "yes", "ON", "0", "off", "")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_env_int_rejects_text_and_range():
    with pytest.raises(ConfigError, match="is not a whole number"):
        env_int("N", 1, environ={"N": "ten"})
    with pytest.raises(ConfigError, match="below the minimum 8"):
        env_int("N", 8, minimum=8, environ={"N": "6"})
    assert env_int("N", 30, environ={}) == 30


def test_env_choice_rejects_unknown():
    with pytest.raises(ConfigError, match="must be one of: required, optional, off"):
        env_choice(
            "KEXIE_STAFF_2FA", "required", ("required", "optional", "off"), environ={"KEXIE_STAFF_2FA": "x"}
        )


def test_env_list_splits_and_trims():
    assert env_list("H", [], environ={"H": " a.example , b.example,,"}) == ["a.example", "b.example"]


def test_env_str_reads_secret_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n", encoding="utf-8")
    assert env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "s3cret"
    with pytest.raises(ConfigError, match="not a readable file"):
        env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(tmp_path / "missing")})


def _run_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("KEXIE_", "DATABASE_URL", "SECRET_KEY"))
    }
    environ.update({"KEXIE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kexie.settings", **env})
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", "import django; django.setup()"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"KEXIE_SESSION_TIMEOUT_MINUTES": "abc"},
            "KEXIE_SESSION_TIMEOUT_MINUTES='abc' is not a whole number",
        ),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50 characters long"),
        ({"DATABASE_URL": "mysql://x@localhost/db"}, "DATABASE_URL must point at SQLite or PostgreSQL"),
        ({"KEXIE_LOCKOUT_FAILURES": "0"}, "KEXIE_LOCKOUT_FAILURES=0 is below the minimum 1"),
        ({"KEXIE_PASSWORD_MIN_LENGTH": "6"}, "KEXIE_PASSWORD_MIN_LENGTH=6 is below the minimum 8"),
    ],
)
def test_settings_fail_at_start_on_bad_values(tmp_path, env, message):
    result = _run_settings(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_clean_with_production_settings(tmp_path):
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KEXIE_", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    environ.update(
        {
            "KEXIE_VAR_DIR": str(tmp_path),
            "KEXIE_HTTPS": "1",
            "KEXIE_DEBUG": "0",
            "SECRET_KEY": "x7!Qm2#pL9$vR4^tW8&zN1*bK6(cJ3)hF5-gD0=sA+eY~uI@oP" + "Zr5Lq",
            "ALLOWED_HOSTS": "kexie.example.gov.cn",
            "KEXIE_FIELD_KEY": "00112233445566778899aabbccddeeff",
            "KEXIE_AUDIT_KEY": "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kexie.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_fails_in_production_without_a_field_key(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("KEXIE_", "SECRET_KEY"))}
    environ.update({"KEXIE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kexie.settings"})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kexie.cli", "check"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "kexie.E001" in result.stderr
    assert "kexie.E002" in result.stderr  # nor without the audit chain's key (issue 10)
    assert not (tmp_path / "field_key").exists()  # no key is made up in production
    assert not (tmp_path / "audit_key").exists()


def test_field_key_auto_is_generated_once_under_var(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.FIELD_ENCRYPTION_KEY)"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("KEXIE_", "SECRET_KEY"))}
    environ.update(
        {
            "KEXIE_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "kexie.settings",
            "KEXIE_FIELD_KEY": "auto",
        }
    )
    keys = [
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            env=environ,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert keys[0] == keys[1] == (tmp_path / "field_key").read_text().strip()
    assert len(keys[0]) == 32
