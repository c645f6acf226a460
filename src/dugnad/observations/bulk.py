"""Bulk store access for observations: current rows as Arrow, fast inserts (COPY / executemany) and retirement.

Used by the import service inside its transaction; it bypasses the ORM for speed, so it writes every
column itself (``recorded_at``, ``dimensions`` JSON) exactly as the ORM would.
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import connection

from dugnad.analytics.formats.normalise import dimensions_json
from dugnad.observations.models import Observation

#: A "bulk load" inserts at least this many rows, and more than the table holds: then secondary indexes (and on
#: PostgreSQL foreign keys) are dropped first and rebuilt once afterwards, in the same transaction.
DEFER_INDEXES_FROM = 50_000
#: Page cache used on SQLite while bulk-inserting and rebuilding indexes (KiB; negative = KiB in SQLite terms).
SQLITE_BULK_CACHE_KIB = 256 * 1024
#: Rows fetched per round trip when reading, and ids per statement when retiring (SQLite's limit is 32766).
FETCH_SIZE = 100_000
ID_CHUNK = 5_000

#: Columns of the current-row table (also the key columns of the diff).
CURRENT_SCHEMA = pa.schema([
    ("old_id", pa.int64()), ("unit_id", pa.int64()), ("indicator_id", pa.int64()), ("period", pa.string()),
    ("dimension_key", pa.string()), ("old_value", pa.float64()), ("old_status", pa.string()),
    ("old_revision", pa.int64()),
])
_ROW_COLUMNS = ("unit_id", "indicator_id", "period", "dimension_key", "dimensions", "value", "status", "revision")
_INSERT_COLUMNS = (*_ROW_COLUMNS, "is_current", "import_run_id", "recorded_at")


def _table() -> str:
    """The quoted table name of Observation."""
    return connection.ops.quote_name(Observation._meta.db_table)


def _fetch_cursor(sql: str, params: list, schema: pa.Schema) -> pa.Table:
    """Query result as Arrow via the DB-API cursor, converting one batch of tuples at a time."""
    batches: list[pa.RecordBatch] = []
    rows_type = pa.struct(list(schema))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_SIZE):
            # the tuples as one struct array, split into columns by Arrow (no transposing in Python)
            batches.append(pa.RecordBatch.from_struct_array(pa.array(rows, type=rows_type)))
    return pa.Table.from_batches(batches, schema=schema)


def _fetch_copy(sql: str, params: list, schema: pa.Schema) -> pa.Table:
    """Query result as Arrow on PostgreSQL: ``COPY (query) TO STDOUT`` as CSV, parsed by pyarrow (no Python rows).

    In PostgreSQL CSV an unquoted empty field is NULL and ``""`` an empty string, which is how pyarrow
    reads it with ``quoted_strings_can_be_null=False``; booleans come as ``t``/``f``.
    """
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        statement = cursor.cursor.mogrify(sql, params) if params else sql
        with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
    if not buffer.tell():
        return schema.empty_table()
    buffer.seek(0)
    return pacsv.read_csv(
        buffer,
        read_options=pacsv.ReadOptions(column_names=schema.names, block_size=1 << 24),
        convert_options=pacsv.ConvertOptions(column_types=schema, strings_can_be_null=True,
                                             quoted_strings_can_be_null=False, true_values=["t"],
                                             false_values=["f"]),
    )


#: Query-to-Arrow strategy per database vendor; other vendors use the DB-API cursor.
FETCHERS: dict[str, Callable[[str, list, pa.Schema], pa.Table]] = {"postgresql": _fetch_copy}


def fetch_table(sql: str, params: list, schema: pa.Schema) -> pa.Table:
    """The result of a query (``%s`` placeholders) as an Arrow table with the given schema."""
    return FETCHERS.get(connection.vendor, _fetch_cursor)(sql, params, schema)


def current_rows(*, indicator_ids: list[int]) -> pa.Table:
    """Current observation rows of the given indicators as an Arrow table (see ``CURRENT_SCHEMA``)."""
    ids = sorted(indicator_ids)
    parts = []
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start:start + ID_CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        parts.append(fetch_table(
            "SELECT id, unit_id, indicator_id, period, dimension_key, value, status, revision "
            f"FROM {_table()} WHERE is_current = %s AND indicator_id IN ({marks})",
            [True, *chunk], CURRENT_SCHEMA))
    return pa.concat_tables(parts) if parts else CURRENT_SCHEMA.empty_table()


def retire(*, ids: list[int]) -> None:
    """Mark the given observation rows as no longer current."""
    with connection.cursor() as cursor:
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start:start + ID_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"UPDATE {_table()} SET is_current = %s WHERE id IN ({marks})", [False, *chunk])


def _sql_literal(value) -> str:
    """A constant column value as an SQL literal (text quoted, ``'`` doubled; integers as they are)."""
    if isinstance(value, int):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


def _constant(column: pa.ChunkedArray):
    """The one value of a column that holds the same non-null value in every row, else None."""
    if len(column) == 0 or column.null_count or pc.count_distinct(column).as_py() != 1:
        return None
    return column[0].as_py()


def _bound_and_literal(rows: pa.Table) -> tuple[list[str], dict[str, str]]:
    """Which ``_ROW_COLUMNS`` each record binds, and the SQL literals of those that are the same in every row.

    An import of totals has one dimension key (``""``, dimensions ``{}``) and mostly one status and revision:
    written as literals, each record binds only unit, indicator, period and value (fewer parameters per row).
    """
    literals: dict[str, str] = {}
    key = _constant(rows.column("dimension_key"))
    if key is not None:
        literals["dimension_key"] = _sql_literal(key)
        literals["dimensions"] = _sql_literal(dimensions_json(key))
    for name in ("status", "revision"):
        value = _constant(rows.column(name))
        if value is not None:
            literals[name] = _sql_literal(value)
    return [name for name in _ROW_COLUMNS if name not in literals], literals


def _records(rows: pa.Table, bound: list[str]) -> Iterator[tuple]:
    """Insert tuples of the ``bound`` columns from a table of unit_id, indicator_id, period, dimension_key, value,
    status, revision (``dimensions`` is made from ``dimension_key``)."""
    columns = []
    for name in bound:
        if name == "dimensions":
            keys = rows.column("dimension_key").to_pylist()
            json_of = {key: dimensions_json(key) for key in set(keys)}
            columns.append(map(json_of.__getitem__, keys))
        else:
            columns.append(rows.column(name).to_pylist())
    return zip(*columns, strict=True)


def _insert_executemany(records: Iterator[tuple], constants: tuple, bound: list[str] | None = None,
                        literals: dict[str, str] | None = None) -> None:
    """Insert with one prepared statement executed for every record (SQLite and other backends).

    The per-run constants (``is_current``, ``import_run_id``, ``recorded_at``) and the ``literals`` (columns equal
    in every row) are written into the SQL so each record binds only the ``bound`` columns (default: all of
    ``_ROW_COLUMNS``); they are a boolean, an integer, our own timestamp text and quoted literals.
    """
    is_current, run_id, recorded_at = constants
    bound = list(_ROW_COLUMNS) if bound is None else bound
    literals = literals or {}
    sqlite = connection.vendor == "sqlite"
    mark = "?" if sqlite else "%s"
    # Django's cursor formats %s parameters, so a literal's own % is doubled there
    values = [mark if name in bound else literals[name] if sqlite else literals[name].replace("%", "%%")
              for name in _ROW_COLUMNS]
    values += [str(1 if is_current else 0), str(int(run_id)), f"'{str(recorded_at).replace(chr(39), '')}'"]
    sql = f"INSERT INTO {_table()} ({', '.join(_INSERT_COLUMNS)}) VALUES ({', '.join(values)})"
    with connection.cursor() as cursor:
        if sqlite:  # the DB-API cursor itself: Django's wrapper tees every record to sniff its parameter style
            sqlite3.Cursor.executemany(cursor.cursor, sql, records)
        else:
            cursor.executemany(sql, records)


def _insert_copy(rows: pa.Table, constants: tuple) -> None:
    """Insert with PostgreSQL ``COPY … FROM STDIN`` fed with CSV that pyarrow writes (no Python rows).

    pyarrow quotes every string (so ``""`` stays an empty string) and leaves nulls unquoted-empty (NULL). During a
    bulk load (the table is locked anyway) the columns equal in every row (``is_current``, ``import_run_id``,
    ``recorded_at``; ``dimension_key`` and ``dimensions`` when all rows have one dimension key; ``status`` and
    ``revision`` when they are the same in every row) are given as column defaults for the COPY instead of being
    written and parsed a million times, and the defaults are dropped again right after.
    """
    is_current, run_id, recorded_at = constants
    keys = rows.column("dimension_key").combine_chunks()
    unique = pc.unique(keys)
    json_texts = pa.array([dimensions_json(k) for k in unique.to_pylist()], type=pa.string())
    n = rows.num_rows
    bulk_load = _bulk_load_active()
    defaults = _copy_defaults(rows, constants, unique, json_texts) if bulk_load else {}
    columns = {
        **{name: rows.column(name) for name in ("unit_id", "indicator_id", "period", "dimension_key")},
        "dimensions": pc.take(json_texts, pc.index_in(keys, unique)),
        **{name: rows.column(name) for name in ("value", "status", "revision")},
        "is_current": pa.repeat(bool(is_current), n),
        "import_run_id": pa.repeat(pa.scalar(int(run_id), pa.int64()), n),
        "recorded_at": pa.repeat(pa.scalar(recorded_at.isoformat(), pa.string()), n),
    }
    table = pa.table({name: column for name, column in columns.items() if name not in defaults})
    if bulk_load:
        table = table.add_column(0, "id", _reserved_ids(n))
    sql = f"COPY {_table()} ({', '.join(table.column_names)}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        if defaults:
            cursor.execute(f"ALTER TABLE {_table()} " + ", ".join(
                f"ALTER COLUMN {name} SET DEFAULT {value}" for name, value in defaults.items()))
        with cursor.cursor.copy(sql) as copy:
            for start in range(0, n, FETCH_SIZE):
                buffer = io.BytesIO()
                pacsv.write_csv(table.slice(start, FETCH_SIZE), buffer, pacsv.WriteOptions(include_header=False))
                copy.write(buffer.getvalue())
        if defaults:
            cursor.execute(f"ALTER TABLE {_table()} " + ", ".join(f"ALTER COLUMN {name} DROP DEFAULT" for name in defaults))


def _copy_defaults(rows: pa.Table, constants: tuple, unique_keys: pa.Array, json_texts: pa.Array) -> dict[str, str]:
    """SQL default expressions of the columns equal in every row, for a bulk-load COPY that leaves them out.

    ``unique_keys`` are the distinct dimension keys of ``rows`` and ``json_texts`` their ``dimensions`` JSON texts.
    """
    is_current, run_id, recorded_at = constants
    defaults = {"is_current": "true" if is_current else "false", "import_run_id": str(int(run_id)),
                "recorded_at": "'" + recorded_at.isoformat().replace("'", "") + "'"}
    if len(unique_keys) == 1:
        defaults["dimensions"] = "'" + json_texts[0].as_py().replace("'", "''") + "'::jsonb"
        defaults["dimension_key"] = _sql_literal(unique_keys[0].as_py())
    for name in ("status", "revision"):
        value = _constant(rows.column(name))
        if value is not None:
            defaults[name] = _sql_literal(value)
    return defaults


def _reserved_ids(n: int) -> pa.Array:
    """``n`` consecutive primary keys taken from the table's id sequence in two statements (PostgreSQL, bulk load).

    Only during a bulk load, when the table is locked (ACCESS EXCLUSIVE): no other insert into it can call the
    sequence between the two statements. A million ``nextval`` calls cost the server more than parsing the COPY.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [_table()])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
    return pa.array(np.arange(first, first + n, dtype=np.int64))  # zero-copy; no million Python ints


def _insert_rows(rows: pa.Table, constants: tuple) -> None:
    """Insert with ``executemany``, making Python objects one slice at a time so memory stays flat."""
    bound, literals = _bound_and_literal(rows)
    records = chain.from_iterable(_records(rows.slice(start, FETCH_SIZE), bound)
                                  for start in range(0, rows.num_rows, FETCH_SIZE))
    _insert_executemany(records, constants, bound, literals)


#: Insert strategy per database vendor; other vendors use executemany.
INSERTERS: dict[str, Callable[[pa.Table, tuple], None]] = {"postgresql": _insert_copy}


def _is_bulk_load(cursor, rows: int) -> bool:
    """Whether ``rows`` new rows are a bulk load: at least ``DEFER_INDEXES_FROM`` and more than the table holds."""
    if rows < DEFER_INDEXES_FROM:
        return False
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {_table()} LIMIT %s) AS head", [rows])
    return cursor.fetchone()[0] < rows


@contextmanager
def _sqlite_bulk(rows: int) -> Iterator[None]:
    """On SQLite: a bigger page cache, and for a bulk load the secondary indexes rebuilt once at the end.

    SQLite DDL is transactional: if rebuilding a unique index fails (a duplicate), the whole import rolls back.
    """
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        old_cache = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
        indexes: list[tuple[str, str]] = []
        if _is_bulk_load(cursor, rows):
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL", [Observation._meta.db_table])
            indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        try:
            yield
            for _name, sql in indexes:
                cursor.execute(sql)
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(old_cache)}")


#: Whether this thread is inside a PostgreSQL bulk load (the table locked, its indexes and constraints dropped).
_bulk = threading.local()


def _bulk_load_active() -> bool:
    return getattr(_bulk, "active", False)


@contextmanager
def _postgres_bulk(rows: int) -> Iterator[None]:
    """On PostgreSQL, for a bulk load: foreign keys, the primary key, unique constraints and plain indexes dropped,
    then re-created in one pass each (the rows get their ids from ``_reserved_ids``, so no index is fed row by row).

    Re-adding a foreign key checks all rows with one join instead of a trigger per row (the per-row
    checks cost more than the COPY itself); building a unique index once sorts the rows once instead of inserting
    each into the B-tree. DDL is transactional, so a failing re-check (a duplicate, a missing unit) rolls the whole
    import back. The table is locked (ACCESS EXCLUSIVE) until commit; this only happens when the import
    is larger than the table, i.e. on first loads.
    """
    with connection.cursor() as cursor:
        if not _is_bulk_load(cursor, rows):
            yield
            return
        table = Observation._meta.db_table
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype IN ('f', 'p', 'u') ORDER BY contype, conname",
                       [_table()])
        constraints = cursor.fetchall()
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                       "AND tablename = %s AND indexname NOT IN "
                       "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) ORDER BY indexname",
                       [table, _table()])
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        # ALTER TABLE refuses tables with pending deferred checks (the ImportRun just created): run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {_table()} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        _bulk.active = True
        try:
            yield
        finally:
            _bulk.active = False
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in reversed(constraints):  # unique constraints, the primary key, then foreign keys
            cursor.execute(f"ALTER TABLE {_table()} ADD CONSTRAINT {quote(name)} {definition}")


#: Bulk-write tuning per database vendor; other vendors get none.
BULK_CONTEXTS: dict[str, Callable[[int], AbstractContextManager[None]]] = {
    "sqlite": _sqlite_bulk, "postgresql": _postgres_bulk}


@contextmanager
def bulk_writes(*, rows: int) -> Iterator[None]:
    """Context for writing ``rows`` observation rows inside the caller's transaction (vendor-specific tuning)."""
    context = BULK_CONTEXTS.get(connection.vendor)
    if context is None:
        yield
        return
    with context(rows):
        yield


def insert(*, rows: pa.Table, import_run_id: int, now: dt.datetime) -> None:
    """Insert current observation rows (revision given per row) for one import run."""
    if rows.num_rows == 0:
        return
    recorded_at = connection.ops.adapt_datetimefield_value(now)
    INSERTERS.get(connection.vendor, _insert_rows)(rows, (True, import_run_id, recorded_at))
