"""Declared environment settings: every setting Dugnad reads from the environment, with default and help.

The documentation test checks that each one is described in ``docs/configuration.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EnvSetting:
    """One environment variable Dugnad reads, with its default and what it does."""

    name: str
    default: str
    help: str

    def get(self) -> str:
        """The value from the environment, or the default."""
        return os.environ.get(self.name, self.default)


SETTINGS: tuple[EnvSetting, ...] = (
    EnvSetting("DUGNAD_DATA_DIR", "var", "Directory for the SQLite file, caches and generated files."),
    EnvSetting(
        "DUGNAD_DATABASE_URL",
        "",
        "Database URL (sqlite:///path or postgresql://user@host:port/db). Empty: SQLite file in the data directory.",
    ),
    EnvSetting("DUGNAD_SECRET_KEY", "",
               "Django secret key. Empty: a key generated once and kept in <data dir>/secret_key (mode 0600)."),
    EnvSetting("DUGNAD_DEBUG", "0", "Debug mode (1/0): tracebacks in the browser. Development only, never in production."),
    EnvSetting("DUGNAD_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the web server answers to."),
    EnvSetting("DUGNAD_HTTPS", "0", "1 behind HTTPS: secure cookies, HSTS, redirect to https (trusts X-Forwarded-Proto)."),
    EnvSetting("DUGNAD_PROXY_COUNT", "0", "Reverse proxies in front of the server (client address from X-Forwarded-For)."),
    EnvSetting("DUGNAD_LOG_FORMAT", "json", "Log lines on stderr: json (one JSON object a line) or text."),
    EnvSetting("DUGNAD_LOG_LEVEL", "INFO", "Lowest level logged (DEBUG, INFO, WARNING, ERROR)."),
    EnvSetting("DUGNAD_LOGIN_FAILURES", "5", "Failed sign-ins (per user name and per address) before a lockout."),
    EnvSetting("DUGNAD_LOGIN_COOLOFF_MINUTES", "15", "Minutes a locked-out user name or address waits."),
    EnvSetting("DUGNAD_API_RATE", "1200/m", "API requests allowed per signed-in user or anonymous address (N/s, N/m, N/h)."),
    EnvSetting("DUGNAD_EMBED_ANCESTORS", "*",
               "Sites that may frame the /embed/ charts and maps (CSP frame-ancestors, space-separated; * for any)."),
    EnvSetting("DUGNAD_PUBLIC_URL", "",
               "The site's public address (https://dugnad.example.no) that embed snippets and their links back name; "
               "empty: the host the page was asked for."),
    EnvSetting("DUGNAD_PUBLICATION_KEEP", "10",
               "Versions kept per document, language and format; older ones are deleted with their files."),
    EnvSetting("DUGNAD_SAVE_BUSY_MS", "800",
               "SQLite: milliseconds a web save waits for the store's write lock (held by an import) before it "
               "answers 503 «busy»."),
    EnvSetting("DUGNAD_CHART_CACHE", "1",
               "1 keeps rendered publication charts by spec hash in <data dir>/cache/charts/ (0: render every chart)."),
    EnvSetting("DUGNAD_WORKER_STALE_SECONDS", "60", "Seconds without a worker heartbeat before /health/ reports it down."),
    EnvSetting("DUGNAD_DUCKDB_MEMORY", "4GB", "Memory cap for the DuckDB analytics engine."),
    EnvSetting("DUGNAD_DUCKDB_THREADS", "", "Threads for DuckDB (empty: one per core)."),
    EnvSetting("DUGNAD_SCORE_GROUPS_PER_PASS", "1000000",
               "Unit × indicator pairs the scoring pass aggregates at once; more are scored per range of unit codes."),
    EnvSetting("DUGNAD_PAGE_CACHE", "file",
               "Where rendered public pages are cached: file (<data dir>/cache/pages/, shared by every server process) "
               "or memory (per process)."),
    EnvSetting("DUGNAD_SSB_BASE_URL", "https://data.ssb.no/api/pxwebapi/v2", "Base URL of SSB PxWebApi v2."),
    EnvSetting("DUGNAD_SSB_V0_BASE_URL", "https://data.ssb.no/api/v0", "Base URL of SSB PxWebApi v0."),
    EnvSetting("DUGNAD_SSB_MAPPING", "", "Indicator mapping YAML used by the in-app 'refresh from SSB' action."),
    EnvSetting("DUGNAD_KLASS_BASE_URL", "https://data.ssb.no/api/klass/v1", "Base URL of the SSB Klass API."),
    EnvSetting("DUGNAD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend", "Django e-mail backend."),
    EnvSetting("DUGNAD_TEST_POSTGRES_URL", "", "Test runs only: when set, the suite runs again on this PostgreSQL server."),
    EnvSetting("DUGNAD_REQUIRE_SHARED", "0", "Test runs only: 1 makes tests fail (not skip) when ../shared data is absent."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def env(name: str) -> str:
    """The value of a declared setting (raises KeyError for undeclared names)."""
    return _BY_NAME[name].get()


def env_flag(name: str) -> bool:
    """A declared setting read as a boolean flag."""
    return env(name).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str) -> int:
    """A declared setting read as a whole number (ValueError naming the variable when it is not one)."""
    value = env(name).strip()
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: expected a whole number") from None


def data_dir() -> Path:
    """The data directory, created when missing."""
    path = Path(env("DUGNAD_DATA_DIR")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
