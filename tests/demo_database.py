"""The demo as ``dugnad demo`` loads it, built once per test run and copied into every later test that asks.

Loading the demo (unit registry, population, SDG catalogue, generated values, users, rounds, actions …) takes
tens of seconds; copying the finished tables takes about a second. ``demo_database()`` loads it for real the
first time a test process (one xdist worker) asks, keeps a copy of every table right after the load, and gives
later tests that copy. It also leaves the copy (and what the load returned) in a file beside the workers' data
directories, which the other worker of the run copies in the first time it asks instead of loading the demo again
(it waits while the first loads: a file lock). The copy holds exactly what the load wrote: every row (with its id),
the search side tables, and (SQLite) the sequence counters; PostgreSQL's sequences are set past the copied ids.

Only for transactional tests (``django_db(transaction=True)``, or any test using ``live_server``): their database
is emptied after each test, so the next one starts as empty as the first did, and SQLite's copy replaces the
whole in-memory database, which an open transaction would forbid. ``tests/demo/test_demo_load.py`` tests the
load this run made: what ``demo_load`` returned then, against the database (the load's or its copy), and that
loading once more adds nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

#: Tables post_migrate fills again after every flush (content types and permissions): not a sign of a used database.
REFILLED = {"django_content_type", "auth_permission"}
#: Kept copies, per database vendor and name (one test process may run SQLite, or PostgreSQL, not both).
_KEPT: dict[tuple[str, str], object] = {}
#: What the real load in this process returned (``demo_load``'s ``DemoResult``), per database as ``_KEPT``.
_LOADED: dict[tuple[str, str], object] = {}
#: SQLite: the database as the running test had it before ``demo_database()`` filled it (``demo_database_emptied``).
_BEFORE: list[sqlite3.Connection] = []


def demo_database():
    """Fill the (empty) test database with the demo: the real load the first time in this process, a copy after.

    Returns what ``demo_load`` returned in that real load (``tests/demo/test_demo_load.py`` checks it against the
    database it fills).
    """
    from django.db import connection

    if connection.in_atomic_block:
        raise RuntimeError("demo_database() needs a transactional test: mark it django_db(transaction=True)")
    used = _tables_with_rows(connection)
    if used:
        raise RuntimeError(f"demo_database() fills an empty database; these tables hold rows already: {sorted(used)}")
    key = (connection.vendor, str(connection.settings_dict["NAME"]))
    copier = COPIERS[connection.vendor]
    if connection.vendor == "sqlite":
        _BEFORE.append(copier.keep(connection))
    if key in _KEPT:
        copier.restore(connection, _KEPT[key])
    else:
        _LOADED[key], _KEPT[key] = _loaded_or_shared(connection, copier)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # the copy's content type ids, not those post_migrate made after the flush
    return _LOADED[key]


def demo_database_emptied() -> None:
    """After a test that called ``demo_database()`` (``tests/conftest.py``, before the flush): SQLite gets back the
    database as it was before the demo filled it (its backup API, milliseconds), so that the flush that follows
    deletes nothing. Deleting the demo's rows row by row took the flush 1.5 s at load 9, 2–10 s at load 12–15;
    PostgreSQL's flush truncates the tables (one statement), which is left as it was."""
    from django.db import connection

    while _BEFORE:
        SqliteCopier.restore(connection, _BEFORE.pop())


def _loaded_or_shared(connection, copier) -> tuple[object, object]:
    """The first time in this process: the copy another xdist worker of this run left in the shared directory
    (copied in), or the real load (then left there for the others). The other worker waits while one loads."""
    import os
    import pickle

    from tests.database_template import locked, shared_dir

    shared = shared_dir()
    if shared is None:
        return _load(), copier.keep(connection)
    base = shared / f"demo-{os.environ.get('PYTEST_XDIST_TESTRUNUID', 'run')}-{connection.vendor}"
    result_file = base.with_suffix(".result")
    with locked(base.with_suffix(".lock")):
        if result_file.exists():
            kept = copier.read(base)
            copier.restore(connection, kept)
            return pickle.loads(result_file.read_bytes()), kept
        result = _load()
        kept = copier.keep(connection)
        copier.write(base, kept)
        result_file.write_bytes(pickle.dumps(result))  # last: says the copy is whole
        return result, kept


def _load():
    """What ``dugnad demo`` loads; the demo's ``DemoResult``."""
    from dugnad.catalogue.services import catalogue_load_snapshot
    from dugnad.demo.services import demo_load
    from dugnad.units.services import population_load_snapshot, registry_load_snapshot

    registry_load_snapshot()
    population_load_snapshot()
    catalogue_load_snapshot()
    return demo_load()


def _tables_with_rows(connection) -> set[str]:
    """Model tables (besides the refilled ones) that hold rows."""
    tables = set(connection.introspection.django_table_names(only_existing=True, include_views=False)) - REFILLED
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT '{t}' FROM (SELECT 1 FROM {quote(t)} LIMIT 1) AS x{i}"
                                          for i, t in enumerate(sorted(tables))))
        return {row[0] for row in cursor.fetchall()}


class SqliteCopier:
    """The whole in-memory database, copied page by page with SQLite's backup API (schema, rows, FTS5, sequences)."""

    @staticmethod
    def keep(connection) -> sqlite3.Connection:
        connection.ensure_connection()
        kept = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(kept)
        return kept

    @staticmethod
    def restore(connection, kept: sqlite3.Connection) -> None:
        connection.ensure_connection()
        kept.backup(connection.connection)

    @staticmethod
    def write(base, kept: sqlite3.Connection) -> None:
        target = sqlite3.connect(base.with_suffix(".sqlite3"))
        try:
            kept.backup(target)
        finally:
            target.close()

    @staticmethod
    def read(base) -> sqlite3.Connection:
        kept = sqlite3.connect(":memory:", check_same_thread=False)
        source = sqlite3.connect(f"file:{base.with_suffix('.sqlite3')}?mode=ro", uri=True)
        try:
            source.backup(kept)
        finally:
            source.close()
        return kept


@dataclass
class PostgresCopy:
    """Every table of the schema (but the migration record) in COPY's binary format."""

    tables: dict[str, bytes] = field(default_factory=dict)


class PostgresCopier:
    """Each table copied out and in with COPY (binary), in one transaction; sequences set past the copied ids."""

    @staticmethod
    def _tables(connection) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                           "AND tablename <> 'django_migrations' ORDER BY tablename")
            return [row[0] for row in cursor.fetchall()]

    @classmethod
    def keep(cls, connection) -> PostgresCopy:
        kept = PostgresCopy()
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in cls._tables(connection):
                with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                    kept.tables[table] = b"".join(bytes(chunk) for chunk in copy)
        return kept

    @classmethod
    def restore(cls, connection, kept: PostgresCopy) -> None:
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import transaction

        quote = connection.ops.quote_name
        tables = cls._tables(connection)
        assert set(tables) == set(kept.tables), "the schema changed since the demo was kept"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in tables))
            for table in tables:
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(kept.tables[table])
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
                cursor.execute(sql)


    @staticmethod
    def write(base, kept: PostgresCopy) -> None:
        import pickle

        base.with_suffix(".copy").write_bytes(pickle.dumps(kept.tables))

    @staticmethod
    def read(base) -> PostgresCopy:
        import pickle

        return PostgresCopy(pickle.loads(base.with_suffix(".copy").read_bytes()))


COPIERS = {"sqlite": SqliteCopier, "postgresql": PostgresCopier}
