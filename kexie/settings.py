"""kexie settings: one file, every value from the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from kexie.env import ConfigError, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("KEXIE_VAR_DIR", str(PROJECT_DIR / "var"))).resolve()
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if VAR_DIR.stat().st_uid == os.getuid():
    # Keys, the SQLite database and uploads live here: readable by the service account only.
    VAR_DIR.chmod(0o700)

DEBUG = env_bool("KEXIE_DEBUG", False)
# Set by the test configuration (kexie/testing.py, loaded through pytest's addopts), never guessed.
TESTING = env_bool("KEXIE_TESTING", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 50:
            raise ConfigError("SECRET_KEY must be at least 50 characters long.")
        return key
    # One machine by default: keep a random key under var/ so that sessions survive restarts and
    # no secret ever sits in the repository.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "huey.contrib.djhuey",
    "ninja",
    "kexie.core",
    "kexie.accounts",
    "kexie.policy",
    "kexie.search",
    "kexie.experts",
    "kexie.transfer",
    "kexie.surveys",
    "kexie.literacy",
    "kexie.calls",
    "kexie.talent",
    "kexie.thinktank",
    "kexie.outreach",
    "kexie.societies",
    "kexie.workers",
    "kexie.news",
    "kexie.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Deletes files stored by a request whose transaction did not commit (kexie/site/faults.py).
    "kexie.site.faults.FaultMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kexie.accounts.sessions.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kexie.accounts.middleware.OTPMiddleware",
    "kexie.core.middleware.RequestContextMiddleware",
    # The data version behind the page caches, read once per GET (kexie/core/versioned.py).
    "kexie.core.versioned.RequestVersionMiddleware",
    "kexie.core.middleware.NoStoreMiddleware",
    "kexie.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kexie.urls"
WSGI_APPLICATION = "kexie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kexie.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------

_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'kexie.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _SQLITE_DEFAULT)
try:
    # Persistent connections: opening one per request costs more than most requests (PostgreSQL
    # forks a backend); health checks drop a connection the server has closed before it is reused.
    # Tests close them per request, so that threads leave none open when the test database is dropped.
    _db = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if TESTING else 60, minimum=0),
        conn_health_checks=True,
    )
except ValueError as exc:
    raise ConfigError(f"DATABASE_URL is not a usable database address: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so that
    # two writers queue on the busy timeout instead of failing with "database is locked" mid-way.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file, not memory, so that threads and processes share one real database.
    _db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
else:
    raise ConfigError("DATABASE_URL must point at SQLite or PostgreSQL.")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and background jobs ----------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "kexie",
        "url": REDIS_URL,
        "immediate": env_bool("HUEY_IMMEDIATE", TESTING),
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "kexie",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", TESTING),
    }

# --- accounts and security profile (等保 2.0 level 3 application controls) --------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not what the tests check; the production hasher is argon2 above.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

PASSWORD_MIN_LENGTH = env_int("KEXIE_PASSWORD_MIN_LENGTH", 8, minimum=8, maximum=128)
PASSWORD_MIN_CLASSES = env_int("KEXIE_PASSWORD_MIN_CLASSES", 3, minimum=1, maximum=4)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "kexie.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AXES_FAILURE_LIMIT = env_int("KEXIE_LOCKOUT_FAILURES", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KEXIE_LOCKOUT_MINUTES", 30, minimum=1))
# Keyed by user and address together: one attacker cannot lock a user out from everywhere, and a
# shared office address behind NAT does not lock out every colleague.
# Per account, whatever the address (等保 2.0: lock the account after repeated failures); failures
# from several addresses add up. The password change form counts too (accounts.views).
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that a lockout without the address can be dodged by rotating user agents or cookies:
# a lockout by account cannot. Guessing many accounts from one address (password spraying) is limited
# separately: accounts.views.LOGIN_FAILURES_PER_ADDRESS failures per address in 15 minutes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kexie.accounts.views.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

SESSION_COOKIE_AGE = 60 * env_int("KEXIE_SESSION_TIMEOUT_MINUTES", 30, minimum=1, maximum=24 * 60)
# An idle timeout: the expiry moves with each request, but the session row is rewritten only when the
# session changed or its expiry lags by more than SESSION_REFRESH_AFTER seconds (kexie/accounts/sessions.py).
SESSION_ENGINE = "kexie.accounts.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_AFTER = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# required: staff must enrol and use a TOTP device; optional: they may; off: never asked.
STAFF_SECOND_FACTOR = env_choice("KEXIE_STAFF_2FA", "required", ("required", "optional", "off"))
OTP_TOTP_ISSUER = env_str("KEXIE_OTP_ISSUER", "kexie")

AUDIT_RETENTION_DAYS = env_int("KEXIE_AUDIT_RETENTION_DAYS", 180, minimum=180)

HTTPS = env_bool("KEXIE_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("KEXIE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("KEXIE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # ECharts and Bootstrap set element styles from script.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}


# Encryption at rest of personal data (ID and mobile numbers) with SM4. Never derived from
# SECRET_KEY: unset in production, the system check kexie.E001 stops the start. "auto" (the demo,
# debug and test default) keeps a random key under var/, as for SECRET_KEY. Previous keys stay
# readable through KEXIE_FIELD_OLD_KEYS until `kexie rotate-field-key` has rewritten everything.
def _field_key() -> str:
    key = env_str("KEXIE_FIELD_KEY", "auto" if DEBUG or TESTING else "")
    if key != "auto":
        return key
    key_file = VAR_DIR / "field_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(16), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


FIELD_ENCRYPTION_KEY = _field_key()
FIELD_ENCRYPTION_OLD_KEYS = env_list("KEXIE_FIELD_OLD_KEYS", [])


# Key of the audit chain (HMAC-SM3), kept outside the database so that whoever can write the database
# cannot recompute the chain. Unset in production: the system check kexie.E002 stops the start; "auto"
# (demo, debug, tests) keeps a random key under var/. Keys of older events: KEXIE_AUDIT_OLD_KEYS.
def _audit_key() -> str:
    key = env_str("KEXIE_AUDIT_KEY", "auto" if DEBUG or TESTING else "")
    if key != "auto":
        return key
    key_file = VAR_DIR / "audit_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


AUDIT_KEY = _audit_key()
AUDIT_OLD_KEYS = env_list("KEXIE_AUDIT_OLD_KEYS", [])
# Signed chain heads are appended here (hourly job, `kexie anchor_audit`, the auditor's download);
# the auditor keeps a copy or the file lives on storage the application cannot rewrite.
AUDIT_ANCHOR_FILE = Path(env_str("KEXIE_AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.log")))

# --- i18n -----------------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end libraries are installed by npm (package-lock.json) and copied into kexie/static/vendor/
# by `make assets`: served from here, never from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Writes through a temporary file: no partial file on a full disk or a crash (kexie/site/faults.py).
    "default": {"BACKEND": "kexie.site.faults.SafeFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "kexie.site.staticfiles.CompressedManifestStaticFilesStorage"  # whitenoise, faster Brotli
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
SEARCH_INDEX_DIR = Path(env_str("KEXIE_SEARCH_INDEX_DIR", str(VAR_DIR / "search")))
SEARCH_BACKEND = env_choice("KEXIE_SEARCH_BACKEND", "tantivy", ("tantivy", "postgres"))
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
MAX_UPLOAD_MB = env_int("KEXIE_MAX_UPLOAD_MB", 20, minimum=1, maximum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- mail -----------------------------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kexie@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING").upper()},
}
