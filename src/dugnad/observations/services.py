"""The one door into the observation store: every observation write goes through here.

``observations_import`` imports a tidy table all-or-nothing (bulk path: revisions, provenance, a validation
report); ``observation_write`` stores one cell as a new revision (the fast single-row path the grid uses, with
``observation_locked`` reading and locking the cell's current row first: fixed SQL statements, no ORM).
Both record an ``ImportRun``. Sources (files, SSB sync, demo, the web upload) read and map their data and
call these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection, transaction
from django.utils import timezone

from dugnad.analytics.formats.normalise import (
    BAD_COLUMN,
    ROW_COLUMN,
    add_row_problems,
    find_duplicates,
    locations,
    normalise_table,
    sort_problems,
)
from dugnad.analytics.formats.table import dimension_columns
from dugnad.analytics.report import ValidationReport
from dugnad.observations import bulk
from dugnad.observations.codes import IndicatorCodeBook, UnitCodeBook
from dugnad.observations.models import ImportRun, Observation
from dugnad.observations.vocab import RunStatus

_KEY = ["unit_id", "indicator_id", "period", "dimension_key"]
_YEARS = 10_000


@dataclass
class ImportResult:
    """Outcome of one observation import: status, counts, the report and the recorded run (None for dry runs)."""

    status: RunStatus
    report: ValidationReport
    run: ImportRun | None = None
    rows_total: int = 0
    rows_inserted: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the import was (or, for a dry run, would be) accepted."""
        return self.status is not RunStatus.FAILED

    def summary(self) -> str:
        """One line: what happened (or would happen) to how many rows."""
        if not self.ok:
            return f"Rejected: {len(self.report.errors)} error(s); nothing was written ({self.rows_total} rows read)."
        counts = (f"{self.rows_total} rows: {self.rows_inserted} new, {self.rows_revised} revised, "
                  f"{self.rows_unchanged} unchanged")
        return f"{counts} (dry run: nothing was written)." if self.dry_run else f"{counts} ({self.status.value})."


def _years(period: pa.Array) -> pa.Array:
    """The year of each period (the last year of a range ``2016-2020``; 9999 for a malformed period)."""
    is_range = pc.match_substring(period, "-")
    text = pc.if_else(is_range, pc.utf8_slice_codeunits(period, -4), pc.utf8_slice_codeunits(period, 0, 4))
    text = pc.if_else(pc.and_(pc.utf8_is_digit(text), pc.equal(pc.utf8_length(text), 4)), text, "9999")
    return pc.cast(text, pa.int32())


def _dimension_keys(table: pa.Table, dims: list[str]) -> pa.Array:
    """Canonical dimension key of each row (``age=0-17|sex=F``; empty dimension values left out)."""
    dims = sorted(dims)
    if not dims:
        return pa.repeat(pa.scalar("", pa.string()), table.num_rows)
    parts = []
    for name in dims:
        column = table.column(name).combine_chunks()
        part = pc.binary_join_element_wise(f"{name}=", column, "")
        parts.append(pc.if_else(pc.equal(column, ""), "", part))
    # Empty parts leave stray separators; dimension values never contain "|" (checked by normalise_table).
    # (null_handling="skip" would be simpler but drops all-null rows in pyarrow 26.)
    joined = pc.binary_join_element_wise(*parts, "|")
    return pc.utf8_trim(pc.replace_substring_regex(joined, r"\|{2,}", "|"), "|")


def _report_unresolved(report: ValidationReport, table: pa.Table, column: str, id_column: str,
                       reasons: dict[str, str], file: str | None) -> None:
    """Report each row whose code did not resolve, with the reason for its code."""
    unresolved = pc.and_(pc.is_null(table.column(id_column)), pc.not_equal(table.column(column), ""))
    missing = table.filter(unresolved).sort_by(ROW_COLUMN)
    by_reason: dict[str, tuple[list, list]] = {}
    for row, code in zip(locations(missing), missing.column(column).to_pylist(), strict=True):
        rows, codes = by_reason.setdefault(reasons[code], ([], []))
        rows.append(row)
        codes.append(code)
    for reason, (rows, codes) in by_reason.items():
        add_row_problems(report, reason, rows=rows, column=column, values=codes, file=file)


def _resolve(table: pa.Table, report: ValidationReport, file: str | None, *, harmonised: bool = False) -> pa.Table:
    """The table with ``unit_id``, ``indicator_id`` and ``dimension_key``; rows with unknown codes reported and dropped.

    Rows already flagged bad are resolved too (so all their problems are listed) but stay flagged. Codes are
    resolved once per distinct (unit code, year) and indicator code and mapped back with ``take`` (no joins, so
    the rows keep their order).
    """
    dims = dimension_columns(table)
    units = UnitCodeBook(harmonised=harmonised)
    unit_codes = pc.dictionary_encode(table.column("unit").combine_chunks())
    years = _years(table.column("period").combine_chunks())
    # (unit code, year) as one integer: the code's place in the dictionary × 10,000 + the year (0…9999).
    pair = pc.add(pc.multiply(pc.cast(unit_codes.indices, pa.int64()), _YEARS), pc.cast(years, pa.int64()))
    pairs = pc.unique(pair)
    code_of = unit_codes.dictionary.to_pylist()
    unit_ids, unit_reasons = [], {}
    for key in pairs.to_pylist():
        if key is None:
            unit_ids.append(None)
            continue
        code, year = code_of[key // _YEARS], key % _YEARS
        found = units.resolve(code, year)
        unit_ids.append(found.id)
        if found.id is None:
            unit_reasons[code] = found.reason if code else ""
        elif found.warning and found.warning not in {p.reason for p in report.warnings}:
            report.warn(found.warning, file=file, column="unit", value=code)
    unit_id = pc.take(pa.array(unit_ids, type=pa.int64()), pc.index_in(pair, value_set=pairs))
    indicators = IndicatorCodeBook()
    indicator_codes = pc.dictionary_encode(table.column("indicator").combine_chunks())
    codes = indicator_codes.dictionary.to_pylist()
    found_indicators = {code: indicators.resolve(code) for code in codes}
    indicator_id = pc.take(pa.array([found_indicators[c].id for c in codes], type=pa.int64()), indicator_codes.indices)
    table = table.append_column("unit_id", unit_id).append_column("indicator_id", indicator_id)
    if not _ascending(table.column(ROW_COLUMN)):
        table = table.sort_by(ROW_COLUMN)
    _report_unresolved(report, table, "unit", "unit_id", unit_reasons, file)
    _report_unresolved(report, table, "indicator", "indicator_id",
                       {c: f.reason for c, f in found_indicators.items()}, file)
    table = table.filter(pc.and_(pc.is_valid(table.column("unit_id")), pc.is_valid(table.column("indicator_id"))))
    return table.append_column("dimension_key", _dimension_keys(table, dims))


def _ascending(rows: pa.ChunkedArray) -> bool:
    """Whether the row numbers never go down (the reader's order)."""
    rows = rows.combine_chunks()
    if len(rows) < 2:
        return True
    steps = pc.subtract(rows.slice(1), rows.slice(0, len(rows) - 1))
    return bool(pc.min(steps).as_py() >= 0)


def _row_keys(table: pa.Table) -> tuple[pa.Array, list[pa.Array]] | None:
    """One int64 per row standing for its ``unit_id, indicator_id, period, dimension_key``, and the four
    dictionaries it was built from (to encode stored rows the same way); None when the distinct values are too
    many for 63 bits (then the callers take the general path)."""
    encoded = [pc.dictionary_encode(table.column(name).combine_chunks()) for name in _KEY]
    size = 1
    for column in encoded:
        size *= max(1, len(column.dictionary))
    if size >= 1 << 62 or any(column.null_count for column in encoded):
        return None
    key = None
    for column in encoded:
        part = pc.cast(column.indices, pa.int64())
        key = part if key is None else pc.add(pc.multiply(key, len(column.dictionary)), part)
    return key, [column.dictionary for column in encoded]


def _keys_in(table: pa.Table, dictionaries: list[pa.Array]) -> pa.Array:
    """The ``_row_keys`` of another table's rows under the given dictionaries (null where a value is not in one)."""
    key = None
    for name, dictionary in zip(_KEY, dictionaries, strict=True):
        part = pc.cast(pc.index_in(table.column(name).combine_chunks(), value_set=dictionary), pa.int64())
        key = part if key is None else pc.add(pc.multiply(key, len(dictionary)), part)
    return key


def _check_duplicates(resolved: pa.Table, keys, report: ValidationReport, file: str | None) -> None:
    """Report repeated keys; the located search runs only when the integer keys show a repeat."""
    if keys is not None and pc.count_distinct(keys[0]).as_py() == resolved.num_rows:
        return
    find_duplicates(resolved, _KEY, report, file=file)


def _diff(incoming: pa.Table, keys=None) -> tuple[pa.Table, pa.Table, int]:
    """New rows, changed rows (with ``old_id``/``old_revision``) and the number of unchanged rows.

    With ``keys`` (from ``_row_keys``) the stored rows are matched by one integer per row (``index_in``);
    without, by a hash join on the four key columns.
    """
    indicator_ids = pc.unique(incoming.column("indicator_id")).to_pylist()
    existing = bulk.current_rows(indicator_ids=indicator_ids)
    slim = incoming.select([*_KEY, "value", "status", ROW_COLUMN])
    if existing.num_rows == 0:
        none = slim.slice(0, 0).append_column("revision", pa.array([], pa.int64()))
        return (slim.append_column("revision", pa.repeat(pa.scalar(1, pa.int64()), slim.num_rows)),
                none.append_column("old_id", pa.array([], pa.int64())), 0)
    if keys is not None:
        stored = _keys_in(existing, keys[1])
        position = pc.index_in(keys[0], value_set=stored, skip_nulls=True)
        olds = existing.select(["old_id", "old_value", "old_status", "old_revision"]).take(position)
        joined = pa.Table.from_arrays([*slim.columns, *olds.columns], names=[*slim.column_names, *olds.column_names])
    else:
        joined = slim.join(existing, keys=_KEY, join_type="left outer", use_threads=False)
    new = pc.is_null(joined.column("old_id"))
    value, old = joined.column("value"), joined.column("old_value")
    same_value = pc.or_(pc.and_(pc.is_null(value), pc.is_null(old)), pc.fill_null(pc.equal(value, old), False))
    same = pc.and_(pc.and_(pc.invert(new), same_value), pc.equal(joined.column("old_status"), joined.column("status")))
    same = pc.fill_null(same, False)
    fresh = joined.filter(new).select(slim.column_names)
    fresh = fresh.append_column("revision", pa.repeat(pa.scalar(1, pa.int64()), fresh.num_rows))
    changed = joined.filter(pc.invert(pc.or_(new, same)))
    changed = changed.append_column("revision", pc.add(changed.column("old_revision"), 1))
    return fresh, changed, pc.sum(pc.cast(same, pa.int64())).as_py() or 0


def _record_failure(*, result: ImportResult, run_fields: dict) -> ImportResult:
    """Record a failed run with its report (no observations) and return the result."""
    if not result.dry_run:
        result.run = ImportRun.objects.create(
            **run_fields, status=RunStatus.FAILED, finished_at=timezone.now(), rows_total=result.rows_total,
            report=result.report.as_dict())
    return result


def observations_import(
    *,
    table: pa.Table,
    source: str,
    kind: str,
    checksum: str = "",
    user=None,
    provenance: dict | None = None,
    is_demo: bool = False,
    report: ValidationReport | None = None,
    dry_run: bool = False,
    check: Callable[[pa.Table, ValidationReport, str | None], None] | None = None,
    harmonised: bool = False,
) -> ImportResult:
    """Import a tidy observation table all-or-nothing: new rows inserted, changed values revised, the rest untouched.

    ``table`` has ``unit, indicator, period|year, <dimension columns…>, value[, status][, _row]``. Units
    resolve by code for the period's year, indicators by code or ``framework:code``. ``report`` carries
    problems already found by a reader (any error there rejects the import too). Any error: nothing is
    written and a ``failed`` ImportRun with the report is recorded. No change at all: a ``noop`` run.
    ``dry_run`` validates and counts without writing anything (no run recorded). ``check(table, report, file)``
    adds the caller's bounds: it sees the resolved rows (``unit_id``, ``indicator_id``, ``period``, ``value`` and the
    location columns) and reports rows out of bounds. A year before a unit code's first version is an error, unless
    ``harmonised`` (today's codes used for earlier years on purpose: the demo, SSB's harmonised groupings), when
    such rows go on the code's latest version.
    """
    report = report if report is not None else ValidationReport(source=source)
    file = report.source or source
    result = ImportResult(status=RunStatus.RUNNING, report=report, rows_total=table.num_rows, dry_run=dry_run)
    run_fields = {"kind": kind, "source": source, "checksum": checksum, "user": user,
                  "provenance": provenance or {}, "is_demo": is_demo}
    clean = normalise_table(table, report, file=file)
    resolved = _resolve(clean, report, file, harmonised=harmonised)
    resolved = resolved.filter(pc.invert(resolved.column(BAD_COLUMN))).drop_columns([BAD_COLUMN])
    if check is not None:
        check(resolved, report, file)
    keys = _row_keys(resolved)
    _check_duplicates(resolved, keys, report, file)
    sort_problems(report)
    if not report.ok:
        result.status = RunStatus.FAILED
        return _record_failure(result=result, run_fields=run_fields)
    if resolved.num_rows == 0:
        report.warn("the input has no observations", file=file)
    if dry_run:
        return _finish(result, *_diff(resolved, keys))
    with transaction.atomic():
        fresh, changed, unchanged = _diff(resolved, keys)
        _finish(result, fresh, changed, unchanged)
        now = timezone.now()
        result.run = ImportRun.objects.create(
            **run_fields, status=result.status, finished_at=now, rows_total=result.rows_total,
            rows_inserted=result.rows_inserted, rows_revised=result.rows_revised,
            rows_unchanged=result.rows_unchanged, report=report.as_dict())
        if result.status is RunStatus.OK:
            columns = [*_KEY, "value", "status", "revision"]
            with bulk.bulk_writes(rows=fresh.num_rows + changed.num_rows):
                bulk.retire(ids=changed.column("old_id").to_pylist())
                bulk.insert(rows=fresh.select(columns), import_run_id=result.run.pk, now=now)
                bulk.insert(rows=changed.select(columns), import_run_id=result.run.pk, now=now)
    return result


def _finish(result: ImportResult, fresh: pa.Table, changed: pa.Table, unchanged: int) -> ImportResult:
    """Fill in the counts and the status (``ok`` or ``noop``) of a validated import."""
    result.rows_inserted, result.rows_revised, result.rows_unchanged = fresh.num_rows, changed.num_rows, unchanged
    result.status = RunStatus.OK if fresh.num_rows or changed.num_rows else RunStatus.NOOP
    result.counts = {"total": result.rows_total, "inserted": result.rows_inserted, "revised": result.rows_revised,
                     "unchanged": unchanged}
    return result


#: ``observation_write(current=…)`` not given: the write looks up and locks the current row itself.
LOOK_UP = object()

_OBS = Observation._meta.db_table
_RUN = ImportRun._meta.db_table
_RUN_COLUMNS = ("kind, source, checksum, status, started_at, finished_at, user_id, rows_total, rows_inserted, "
                "rows_revised, rows_unchanged, provenance, report, is_demo")
_RUN_VALUES = "%s, %s, '', %s, %s, %s, %s, 1, %s, %s, 0, %s, %s, %s"
_OBS_COLUMNS = ("unit_id, indicator_id, period, dimension_key, dimensions, value, status, revision, is_current, "
                "import_run_id, recorded_at")
#: PostgreSQL: the run, the retired old revision and the new current one in one statement. The new row is inserted
#: from a join with the count of retired rows, so the old revision is retired first (the current-row unique index
#: sees one current row at a time).
_PG_WRITE = (
    f"WITH run AS (INSERT INTO {_RUN} ({_RUN_COLUMNS}) VALUES ({_RUN_VALUES}) RETURNING id), "
    f"retired AS (UPDATE {_OBS} SET is_current = false WHERE id = %s RETURNING id) "
    f"INSERT INTO {_OBS} ({_OBS_COLUMNS}) SELECT %s, %s, %s, '', %s, %s, %s, %s, true, run.id, %s "
    f"FROM run CROSS JOIN (SELECT COUNT(*) AS n FROM retired) AS r RETURNING id, import_run_id"
)


def observation_locked(*, unit_id: int, indicator_id: int, period: str) -> Observation | None:
    """The current observation (totals, no dimensions) of a cell, its row locked for update (on SQLite the write
    transaction holds the store), or None. ``changed_by``: the user name of its run ('' without one), for a
    conflict message. One fixed SQL statement (the grid's hot path)."""
    user_table = connection.ops.quote_name(ImportRun.user.field.related_model._meta.db_table)
    lock = " FOR UPDATE OF o" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT o.id, o.value, o.status, o.revision, o.import_run_id, COALESCE(u.username, '') FROM {_OBS} o "
            f"LEFT JOIN {_RUN} r ON r.id = o.import_run_id LEFT JOIN {user_table} u ON u.id = r.user_id "
            f"WHERE o.unit_id = %s AND o.indicator_id = %s AND o.period = %s AND o.dimension_key = '' AND o.is_current"
            + lock, [unit_id, indicator_id, period])
        row = cursor.fetchone()
    if row is None:
        return None
    current = _saved(Observation(id=row[0], unit_id=unit_id, indicator_id=indicator_id, period=period,
                                 dimension_key="", value=row[1], status=row[2], revision=row[3], is_current=True,
                                 import_run_id=row[4]))
    current.changed_by = row[5]
    return current


def _saved(instance):
    """A model instance built from values known to be stored (not read back through the ORM)."""
    instance._state.adding, instance._state.db = False, connection.alias
    return instance


@transaction.atomic(savepoint=False)
def observation_write(*, user, unit, indicator, period: str, value: float | None, status: str, source: str,
                      kind: str = "web", provenance: dict | None = None, current=LOOK_UP) -> Observation:
    """Store one value (totals, no dimensions) as a new revision, with an import run naming the user.

    The fast single-row path (the grid): the current row is locked, kept as history (``is_current=False``)
    and the new row becomes current, as decided in ADR 0002. The caller checks permission and bounds. A caller
    that has already locked the cell's current row in this transaction (``observation_locked``) passes it (or
    None: no current row) as ``current``; the current row is always the latest revision. No savepoint of its own:
    it runs inside the caller's transaction (or its own), and an error rolls that back. The writes are fixed SQL
    statements (one on PostgreSQL, three on SQLite): the same rows the ORM would write, without its query
    compilation on every save. Returns the new observation with its run (built, not read back).
    """
    if current is LOOK_UP:
        current = observation_locked(unit_id=unit.pk, indicator_id=indicator.pk, period=period)
    if current is not None:
        latest = current.revision
    else:
        latest = (
            Observation.objects.filter(unit=unit, indicator=indicator, period=period, dimension_key="")
            .order_by("-revision").values_list("revision", flat=True).first()
        ) or 0
    ops = connection.ops
    now = timezone.now()
    stamp = ops.adapt_datetimefield_value(now)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    provenance = provenance or {}
    inserted, revised = (0, 1) if current is not None else (1, 0)
    run_params = [kind, source, RunStatus.OK.value, stamp, stamp, user_id, inserted, revised,
                  ops.adapt_json_value(provenance, None), ops.adapt_json_value({}, None), False]
    obs_params = [unit.pk, indicator.pk, period, ops.adapt_json_value({}, None), value, status, latest + 1]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_WRITE, [*run_params, current.pk if current is not None else None, *obs_params, stamp])
            observation_id, run_id = cursor.fetchone()
        else:
            cursor.execute(f"INSERT INTO {_RUN} ({_RUN_COLUMNS}) VALUES ({_RUN_VALUES})", run_params)
            run_id = cursor.lastrowid
            if current is not None:
                cursor.execute(f"UPDATE {_OBS} SET is_current = 0 WHERE id = %s", [current.pk])
            cursor.execute(f"INSERT INTO {_OBS} ({_OBS_COLUMNS}) VALUES (%s, %s, %s, '', %s, %s, %s, %s, 1, %s, %s)",
                           [*obs_params, run_id, stamp])
            observation_id = cursor.lastrowid
    if current is not None:
        current.is_current = False
    run = _saved(ImportRun(id=run_id, kind=kind, source=source, status=RunStatus.OK, started_at=now, finished_at=now,
                           user=user if user_id else None, rows_total=1, rows_inserted=inserted,
                           rows_revised=revised, provenance=provenance))
    return _saved(Observation(id=observation_id, unit=unit, indicator=indicator, period=period, dimension_key="",
                              value=value, status=status, revision=latest + 1, is_current=True, import_run=run,
                              recorded_at=now))
