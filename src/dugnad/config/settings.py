"""Django settings for Dugnad, built from the declared environment settings in ``env.py``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from dugnad.config.logs import logging_config
from dugnad.config.secret import secret_key
from dugnad.env import data_dir, env, env_flag, env_int

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_flag("DUGNAD_DEBUG")
SECRET_KEY = secret_key()
ALLOWED_HOSTS = [h.strip() for h in env("DUGNAD_ALLOWED_HOSTS").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "dugnad.units",
    "dugnad.catalogue",
    "dugnad.imports",
    "dugnad.observations",
    "dugnad.accounts",
    "dugnad.scores",
    "dugnad.rounds",
    "dugnad.publications",
    "django_tasks",
    "django_tasks_db",
    "dugnad.actions",
    "dugnad.practices",
    "dugnad.networks",
    "dugnad.requests",
    "dugnad.targets",
    "dugnad.readings",
    "dugnad.web",
    "dugnad.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dugnad.web.public_cache.PublicPageCacheMiddleware",  # anonymous visitors' public pages, whole, from the cache
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dugnad.operations.middleware.RejectNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dugnad.config.urls"
WSGI_APPLICATION = "dugnad.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dugnad.web.context.demo_flag",
            ],
        },
    },
]


def _database() -> dict:
    url = env("DUGNAD_DATABASE_URL") or f"sqlite:///{data_dir() / 'dugnad.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)  # reconnect after a server restart
    if config["ENGINE"].endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].update({"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"})
    return config


DATABASES = {"default": _database()}
#: SQLite: how long a web save waits for the write lock (an import holds it to its end) before answering 503
#: «busy»; everything else waits the connection's 30 s (``timeout`` above).
SAVE_BUSY_MS = env_int("DUGNAD_SAVE_BUSY_MS")
#: Background tasks (report generation) go through the database; `dugnad worker` runs them.
def _caches() -> dict:
    """The page cache: shared files in the data directory by default (every server process renders a page once);
    the API's request limits count in each process's memory, as before."""
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20_000}}
    kind = env("DUGNAD_PAGE_CACHE").strip().lower()
    if kind not in {"file", "memory"}:
        raise ImproperlyConfigured(f"DUGNAD_PAGE_CACHE must be «file» or «memory», not {kind!r}")
    if kind == "memory":
        default = {**memory, "LOCATION": "pages"}
    else:
        default = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                   "LOCATION": str(data_dir() / "cache" / "pages"), "OPTIONS": {"MAX_ENTRIES": 20_000}}
    return {"default": default, "throttle": {**memory, "LOCATION": "throttle"}}


CACHES = _caches()
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
#: ``UserBackend``: Django's password backend with the per-request user read by a fixed statement (issue 17: saves);
#: ``ModelBackend`` after it reads sessions signed in before it (it checks no password: ``UserBackend`` ends that).
AUTHENTICATION_BACKENDS = ["dugnad.operations.lockout.LockoutBackend", "dugnad.accounts.backends.UserBackend",
                           "django.contrib.auth.backends.ModelBackend"]

#: Sign-in throttling (django-axes): a user name or an address is locked out after repeated failures.
AXES_FAILURE_LIMIT = env_int("DUGNAD_LOGIN_FAILURES")
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("DUGNAD_LOGIN_COOLOFF_MINUTES"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dugnad.operations.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "dugnad.operations.lockout.client_address"
AXES_USERNAME_CALLABLE = "dugnad.operations.lockout.client_username"
AXES_VERBOSE = False

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = data_dir() / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
CSRF_FAILURE_VIEW = "dugnad.operations.errors.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-work"
LOGOUT_REDIRECT_URL = "home"

EMAIL_BACKEND = env("DUGNAD_EMAIL_BACKEND")
SESSION_COOKIE_HTTPONLY = True
#: Django's database sessions, read with one fixed SQL statement instead of an ORM query (issue 17: saves).
SESSION_ENGINE = "dugnad.accounts.sessions"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_flag("DUGNAD_HTTPS"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
#: HSTS preloading is a commitment for the whole registrable domain: each deployment decides (docs/deployment.md).
SILENCED_SYSTEM_CHECKS = ["security.W021"]

#: Content-Security-Policy (django-csp): scripts only from our own static files, no inline script or eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],  # colour swatches are style attributes; publications carry a <style>
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

#: Sites that may frame the ``/embed/`` pages (CSP ``frame-ancestors``); every other page may not be framed at all.
EMBED_FRAME_ANCESTORS = env("DUGNAD_EMBED_ANCESTORS").split() or ["*"]


def _public_url() -> str:
    from urllib.parse import urlsplit

    value = env("DUGNAD_PUBLIC_URL").strip().rstrip("/")
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query
                  or parts.fragment):
        raise ImproperlyConfigured(f"DUGNAD_PUBLIC_URL must be an address like https://dugnad.example.no, not {value!r}")
    return value


#: The public address embed snippets name (``web.public_address``); empty: the host the page was asked for.
PUBLIC_URL = _public_url()

#: Log lines on stderr, one JSON object each by default; tracebacks go here, never to the browser.
LOGGING = logging_config(loggers={"django": {"handlers": [], "level": "INFO", "propagate": True}})
