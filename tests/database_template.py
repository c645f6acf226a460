"""The test database migrated once per test run and copied for every other xdist worker.

Migrating an empty database takes tens of seconds (Django renders the model states of every migration), and each
worker used to do it for its own test database. Now the first worker that needs a database migrates its own as
before and keeps it as the template of this run; the other workers wait for it (a file lock), then copy it:

- SQLite: the worker's in-memory test database is written to a file beside the workers' data directories with
  SQLite's backup API, and copied into each other worker's in-memory database the same way (well under a second);
- PostgreSQL: ``CREATE DATABASE <test name>_template TEMPLATE <the worker's test database>``, and each other worker
  creates its own with ``TEMPLATE <test name>_template`` (a file copy on the server). The templates are removed when
  the run ends (``drop_templates``, from ``pytest_sessionfinish`` in the xdist controller).

The copy is the migrated database as the migrations left it (tables, indexes, search side tables, content types,
permissions): no second way of building the schema. Without xdist (``-n 0``) nothing changes: Django's own
``setup_databases`` migrates as always. The test database names stay Django's and pytest-django's
(``test_<name>_gw0`` …, from the database name in ``DUGNAD_DATABASE_URL``), so runs that use different databases
never meet.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

#: The suffix of the PostgreSQL template's name (after the test database name without the worker's suffix).
TEMPLATE_SUFFIX = "_template"


def setup_databases(**options):
    """``django.test.utils.setup_databases``, with the test database migrated once per run and copied for every
    other xdist worker. Returns what Django's returns (``teardown_databases`` takes it)."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.test import utils

    shared, worker = shared_dir(), os.environ.get("PYTEST_XDIST_WORKER", "")
    aliases = set(options.get("aliases") or ())
    if shared is None or aliases != {DEFAULT_DB_ALIAS} or options.get("serialized_aliases") or options.get("keepdb"):
        return utils.setup_databases(**options)
    connection = connections[DEFAULT_DB_ALIAS]
    template = TEMPLATES[connection.vendor](connection, shared, worker)
    with locked(shared / f"template-{connection.vendor}.lock"):
        if template.ready():
            return _clone(connection, template)
        config = utils.setup_databases(**options)
        template.keep()
        return config


def shared_dir() -> Path | None:
    """The directory above the workers' data directories (``dugnad.config.test_settings``), or None without xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    data = Path(os.environ.get("DUGNAD_DATA_DIR", ""))
    if not worker or data.name != worker:
        return None
    return data.parent


@contextmanager
def locked(path: Path):
    """Hold an exclusive lock on the file (the other workers wait here while the first migrates)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _clone(connection, template) -> list:
    """Django's ``create_test_db`` with the template copied in where it migrates; ``setup_databases``'s result."""
    from django.conf import settings
    from django.core.management import call_command

    old_name = connection.settings_dict["NAME"]
    with template.creating():
        test_name = connection.creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    template.restore()
    call_command("createcachetable", database=connection.alias)
    connection.ensure_connection()
    return [(connection, old_name, True)]


class SqliteTemplate:
    """A file in the shared directory, written and read with SQLite's backup API (one per xdist run)."""

    def __init__(self, connection, shared: Path, worker: str):
        self.connection = connection
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "run")
        self.path = shared / f"template-{run}.sqlite3"

    def ready(self) -> bool:
        return self.path.exists()

    def keep(self) -> None:
        self.connection.ensure_connection()
        partial = self.path.with_suffix(".partial")
        target = sqlite3.connect(partial)
        try:
            self.connection.connection.backup(target)
        finally:
            target.close()
        partial.replace(self.path)

    @contextmanager
    def creating(self):
        yield

    def restore(self) -> None:
        self.connection.ensure_connection()
        source = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()


class PostgresTemplate:
    """A database beside the test databases, ``<test name>_template``, made from the first worker's; a file in the
    shared directory names it for ``drop_templates``."""

    def __init__(self, connection, shared: Path, worker: str):
        self.connection = connection
        self.name = connection.creation._get_test_db_name().removesuffix(f"_{worker}") + TEMPLATE_SUFFIX
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "run")
        self.made = shared / f"template-{run}.postgresql"

    def ready(self) -> bool:
        return self.made.exists()

    def keep(self) -> None:
        quote = self.connection.ops.quote_name
        source = self.connection.settings_dict["NAME"]
        self.connection.close()  # CREATE DATABASE … TEMPLATE needs the source without sessions
        with self.connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(self.name)}")  # left by a run that was killed
            cursor.execute(f"CREATE DATABASE {quote(self.name)} TEMPLATE {quote(source)}")
        self.made.write_text(self.name, encoding="utf-8")

    @contextmanager
    def creating(self):
        test = self.connection.settings_dict["TEST"]
        before = test.get("TEMPLATE")
        test["TEMPLATE"] = self.name
        try:
            yield
        finally:
            test["TEMPLATE"] = before

    def restore(self) -> None:
        pass  # CREATE DATABASE … TEMPLATE copied it


TEMPLATES = {"sqlite": SqliteTemplate, "postgresql": PostgresTemplate}


def drop_templates(directory: Path) -> None:
    """Remove the templates this run made in ``directory`` (the xdist controller's data directory, when the run
    ends and the workers have ended): drop the PostgreSQL ones, delete the SQLite files and the demo's copies
    (``tests/demo_database.py``)."""
    from django.db import connection

    for made in directory.glob("template-*.postgresql"):
        name = made.read_text(encoding="utf-8").strip()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
        made.unlink()
    for pattern in ("template-*.sqlite3", "demo-*"):
        for path in directory.glob(pattern):
            path.unlink()
