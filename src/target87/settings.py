"""Settings, read from the environment.

``DATABASE_URL``  the database (default: SQLite under ``var/``; ``postgres://…`` for PostgreSQL)
``SECRET_KEY``    required when DEBUG is off; in development a key is generated and kept under ``var/``
``DEBUG``         ``1``/``true`` for development (default on unless ``TARGET87_ENV=production``)
``ALLOWED_HOSTS`` comma-separated host names
``REDIS_URL``     run the job queue and the cache on Redis instead of SQLite (needs the ``redis`` extra)
``EMAIL_HOST``    send e-mail through this SMTP server (see the e-mail block below; default: the console)
``TARGET87_VAR``  where the SQLite files, the job queue and uploaded files live (default: ``./var``)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("TARGET87_VAR", Path.cwd() / "var")).resolve()
PRODUCTION = os.environ.get("TARGET87_ENV", "").lower() == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY in the environment: it is required when DEBUG is off.")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "huey.contrib.djhuey",
    "ninja",
    "django_htmx",
    "target87.core",
    "target87.jobs",
    "target87.consultations",
    "target87.people",
    "target87.breakouts",
    "target87.deliberation",
    "target87.priorities",
    "target87.indicators",
    "target87.synthesis",
    "target87.reports",
    "target87.commitments",
    "target87.live",
    "target87.api",
    "target87.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "target87.people.access.ParticipantMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "target87.urls"
WSGI_APPLICATION = "target87.wsgi.application"
ASGI_APPLICATION = "target87.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "target87.core.context_processors.site",
            ],
        },
    },
]

# --- database --------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'target87.sqlite3'}",
        # production keeps each thread's connection open between requests and checks it before reusing it (a
        # request that opens one, and prepares its statements again, costs a plenary's votes dearly); the
        # development server starts a thread per request, which would leave connections behind. (Django's psycopg
        # pool instead, 8 to 16 connections a process, gave a vote 48.4 % of the trivial endpoint's throughput
        # against 55.4 % for these, bench/live_voting.py --sizes 500 --no-search --db postgres, 5 December 2026.)
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
# PostgreSQL: the vote's statement is prepared once per connection (target87.priorities.machinery); turn it off behind a
# pooler that shares server connections between clients (PgBouncer in transaction mode)
PREPARED_STATEMENTS = env_bool("PREPARED_STATEMENTS", True)
# PostgreSQL: the statement votes that arrive together in a process are written as one statement
# (target87.priorities.services.writes); 0 writes each on its own
COMBINED_WRITES = env_bool("COMBINED_WRITES", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN, so two
    # writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication ------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-ins while an account is locked out
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "consultations:dashboard"
LOGOUT_REDIRECT_URL = "home"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
# Lock the pair (account, address): five bad passwords for one account from one address lock that account
# there, never every account on the address, and never the account everywhere (so nobody can lock a
# convener out by name from afar).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind a TLS proxy every visitor arrives from the proxy's address. The client's address is read from
# X-Forwarded-For only when the proxies are declared: TRUSTED_PROXY_COUNT proxies in front of the server
# (1 for the README's nginx), optionally TRUSTED_PROXY_IPS. Without them the header is ignored (it could be
# forged).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_TRUSTED_IPS = env_list("TRUSTED_PROXY_IPS") or None
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_RESET_ON_SUCCESS = True

# --- languages and time ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024


# --- cache, shared by every web process (live results of a ballot) ------------------------------------
def _require_redis() -> None:
    """With REDIS_URL set, the cache and the job queue need the ``redis`` package, an optional extra: say so
    at start-up, rather than let huey fail on its import."""
    import importlib.util

    if importlib.util.find_spec("redis") is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            'REDIS_URL is set, but the redis package is not installed: install it with pip install -e ".[redis]" '
            "(or unset REDIS_URL to keep the job queue and the cache on this machine)."
        )


if os.environ.get("REDIS_URL"):
    _require_redis()
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- background jobs --------------------------------------------------------------------------------
# huey keeps its queue in SQLite (or Redis): a queued job survives a restart of the web process and
# of the worker. Tests run jobs at once, in-process.
if os.environ.get("REDIS_URL"):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "target87", "url": os.environ["REDIS_URL"]}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "target87", "filename": str(VAR_DIR / "jobs.sqlite3")}
HUEY["immediate"] = env_bool("HUEY_IMMEDIATE", default=False)
HUEY["consumer"] = {"workers": int(os.environ.get("JOB_WORKERS", "2")), "worker_type": "thread"}
# a running job whose worker gave no sign of life for this long is taken back by another worker (jobs.services)
JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "300"))

# the API's lists come a page at a time, at most 200 items (target87.api.inputs.Page)
NINJA_PAGINATION_MAX_LIMIT = 200
# how often one sender may write where anyone can (target87.core.ratelimit)
REGISTRATIONS_PER_HOUR = int(os.environ.get("REGISTRATIONS_PER_HOUR", "30"))  # per address: a venue's wifi is one
API_REQUESTS_PER_MINUTE = int(os.environ.get("API_REQUESTS_PER_MINUTE", "300"))  # per token
# the join code: per network address (a venue's wifi is one address for a whole room), and per e-mail address
WALKIN_REQUESTS_PER_HOUR = int(os.environ.get("WALKIN_REQUESTS_PER_HOUR", "120"))
WALKIN_REQUESTS_PER_EMAIL_PER_HOUR = int(os.environ.get("WALKIN_REQUESTS_PER_EMAIL_PER_HOUR", "3"))

# --- security ------------------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- e-mail ------------------------------------------------------------------------------------------
# SMTP when EMAIL_HOST is set (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or
# EMAIL_USE_SSL); otherwise each message is printed on the console (development). Mail goes out as a background job.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Target 8.7 <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- the product -------------------------------------------------------------------------------------
SITE_NAME = "Target 8.7"
ACCESS_LINK_DAYS = int(os.environ.get("ACCESS_LINK_DAYS", "60"))
#: survey files: the largest upload accepted, and the size from which an estimate runs in the background
INDICATORS_MAX_UPLOAD_BYTES = int(os.environ.get("INDICATORS_MAX_UPLOAD_BYTES", str(500 * 1024 * 1024)))
INDICATORS_BACKGROUND_BYTES = int(os.environ.get("INDICATORS_BACKGROUND_BYTES", str(20 * 1024 * 1024)))
