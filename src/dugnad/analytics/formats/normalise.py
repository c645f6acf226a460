"""The one normalisation of tidy tables: checks, canonical values and located problems for every format.

A tidy table has the columns ``unit, indicator, period, <dimension columns…>, value, status``
(``status`` optional). Readers keep where each record came from in location columns (see
``LOCATION_COLUMNS``): ``_row`` (file row, header = row 1), ``_sheet`` (worksheet) and ``_path`` (a key
such as ``$.value[12]`` for tree formats). Problems are located by them; tables without them are
located by position (as if read from a file with a header row). Bad rows are reported in a
:class:`~dugnad.analytics.report.ValidationReport` and flagged in ``_bad``, so later stages can still
report their other problems without reporting the same one twice.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.formats.problems import DEFAULT_LIMIT
from dugnad.analytics.formats.status import TIDY_STATUS_ALIASES
from dugnad.analytics.formats.table import dimension_columns
from dugnad.analytics.report import ValidationReport
from dugnad.analytics.types import ObservationStatus

#: Column carrying the source row number of each record (header = row 1).
ROW_COLUMN = "_row"
#: Column carrying the worksheet of each record (spreadsheet formats).
SHEET_COLUMN = "_sheet"
#: Column carrying the key (JSON path, cell position) of each record (tree and cube formats).
PATH_COLUMN = "_path"
#: The location columns a reader may attach to a tidy table.
LOCATION_COLUMNS = (ROW_COLUMN, SHEET_COLUMN, PATH_COLUMN)
#: Column flagging rows with a problem (``normalise_table`` reports them and sets this instead of dropping them).
BAD_COLUMN = "_bad"
#: At most this many rows are listed for one kind of problem; a summary line counts the rest.
MAX_LISTED = DEFAULT_LIMIT

#: A period: year, quarter (Q or K), month or a range of years.
PERIOD_PATTERN = r"^\d{4}([QK][1-4]|M(0[1-9]|1[0-2]))?$|^\d{4}-\d{4}$"
#: A plain decimal number (point as decimal separator, optional exponent).
NUMBER_PATTERN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_BAD_DIMENSION_VALUE = r"[|]"

#: Spellings accepted in a ``status`` column (case-insensitive): enum values, labels and JSON-stat symbols.
STATUS_ALIASES: dict[str, str] = {"": ObservationStatus.OK.value,
                                  **{k: s.value for k, s in TIDY_STATUS_ALIASES.items()}}
_NO_VALUE_STATUSES = [s.value for s in ObservationStatus if not s.has_value]
#: Statuses that need a value (``ok`` without a value becomes ``missing`` instead).
_VALUE_STATUSES = [s.value for s in ObservationStatus if s.has_value and s is not ObservationStatus.OK]


def dimension_key(dimensions: dict[str, str]) -> str:
    """Canonical key of a disaggregation: ``name=value`` pairs sorted by name, ``|``-joined, empty values left out."""
    return "|".join(f"{k}={v}" for k, v in sorted(dimensions.items()) if v not in (None, ""))


def parse_dimension_key(key: str) -> dict[str, str]:
    """The dimensions encoded in a canonical dimension key (``""`` → ``{}``)."""
    if not key:
        return {}
    return dict(part.split("=", 1) for part in key.split("|"))


def dimensions_json(key: str) -> str:
    """The JSON text of the dimensions of a canonical key (as stored in ``Observation.dimensions``)."""
    return json.dumps(parse_dimension_key(key), ensure_ascii=False, sort_keys=True)


def period_year(period: str) -> int:
    """The calendar year a period belongs to (the last year of a range such as ``2016-2020``)."""
    return int(period[-4:]) if "-" in period else int(period[:4])


def row_numbers(table: pa.Table) -> pa.Array:
    """The source row of each record: the ``_row`` column, else position + 2 (as in a file with a header row)."""
    if ROW_COLUMN in table.column_names:
        return table.column(ROW_COLUMN).combine_chunks().cast(pa.int64())
    return pa.array(range(2, table.num_rows + 2), type=pa.int64())


def locations(hits: pa.Table) -> list[dict]:
    """The location keywords (``row``, ``sheet``, ``path``) of each record of ``hits`` (a few problem rows)."""
    names = hits.column_names
    n = hits.num_rows
    paths = hits.column(PATH_COLUMN).to_pylist() if PATH_COLUMN in names else None
    rows = hits.column(ROW_COLUMN).to_pylist() if ROW_COLUMN in names and paths is None else [None] * n
    sheets = hits.column(SHEET_COLUMN).to_pylist() if SHEET_COLUMN in names else [None] * n
    out = []
    for i in range(n):
        where: dict = {"row": rows[i]}
        if sheets[i] is not None:
            where["sheet"] = sheets[i]
        if paths is not None:
            where["path"] = paths[i]
        out.append(where)
    return out


def add_row_problems(report: ValidationReport, reason: str, *, rows: list, column: str | None,
                     values: list | None = None, file: str | None = None) -> None:
    """Record one problem per row (at most ``MAX_LISTED``, then one line counting the rest).

    ``rows`` holds row numbers or location dicts (see ``locations``).
    """
    values = values if values is not None else [None] * len(rows)
    for row, value in list(zip(rows, values, strict=True))[:MAX_LISTED]:
        where = row if isinstance(row, dict) else {"row": row}
        report.add(reason, file=file, column=column, value=None if value is None else str(value), **where)
    if len(rows) > MAX_LISTED:
        report.add(f"{reason}: {len(rows) - MAX_LISTED} more row(s) not listed", file=file, column=column)


def flag_rows(report: ValidationReport, table: pa.Table, bad: pa.Array, reason: str, column: str | None,
          file: str | None) -> pa.Array:
    """Report the rows of ``table`` where ``bad`` is true (located by the table's location columns); returns ``bad``
    with nulls as false."""
    bad = pc.fill_null(bad, False)
    if pc.any(bad).as_py():
        hits = table.filter(bad)
        values = hits.column(column).to_pylist() if column in table.column_names else None
        add_row_problems(report, reason, rows=locations(hits.slice(0, MAX_LISTED)) + [None] * max(
            0, hits.num_rows - MAX_LISTED), column=column, values=values, file=file)
    return bad


def _text(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A column as stripped strings with nulls as empty strings."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    return pc.fill_null(pc.utf8_trim_whitespace(column), "")


def _values(column: pa.ChunkedArray | pa.Array, report: ValidationReport, table: pa.Table,
            file: str | None) -> tuple[pa.Array, pa.Array]:
    """Numeric values (float64) and the mask of rows whose value is not a number."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        values = column.cast(pa.float64())
        bad = pc.fill_null(pc.or_(pc.is_nan(values), pc.is_inf(values)), False)
        flag_rows(report, table, bad, "value is not a finite number", "value", file)
        return pc.if_else(bad, pa.scalar(None, pa.float64()), values), bad
    text = _text(column)
    empty = pc.equal(text, "")
    fast = _plain_numbers(pc.if_else(empty, pa.scalar(None, pa.string()), text))
    if fast is not None:
        return fast, pa.repeat(False, len(text))
    text = pc.replace_substring_regex(text, "[ \u00a0\u202f]", "")
    comma = pc.and_(pc.match_substring(text, ","), pc.invert(pc.match_substring(text, ".")))
    text = pc.if_else(comma, pc.replace_substring(text, ",", "."), text)
    empty = pc.equal(text, "")
    bad = pc.and_(pc.invert(empty), pc.invert(pc.match_substring_regex(text, NUMBER_PATTERN)))
    flag_rows(report, table, bad, "value is not a number", "value", file)
    clean = pc.if_else(pc.or_(empty, bad), pa.scalar(None, pa.string()), text)
    return pc.cast(clean, pa.float64()), bad


def _plain_numbers(text: pa.Array) -> pa.Array | None:
    """Fast path: the values as float64 when every non-null text is a plain finite number, else None."""
    try:
        values = pc.cast(text, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if pc.any(pc.or_(pc.is_nan(values), pc.is_inf(values))).as_py():
        return None
    return values


def normalise_table(table: pa.Table, report: ValidationReport, *, file: str | None = None,
                    store: bool = True) -> pa.Table:
    """A tidy table in canonical form; every bad row is reported and flagged in the ``_bad`` column.

    Checks: required columns, empty unit/indicator/period, period format (``2024``, ``2024Q1``/``2024K1``,
    ``2024M01``, ``2016-2020``), numeric value, known status, a value given with a no-value status, and
    ``|`` inside dimension values. Output columns: ``unit, indicator, period, <dims…>, value, status, _row,
    _bad`` (strings, float64 value, int64 row, bool); an empty value with status ``ok`` becomes ``missing``.
    Bad rows are kept (with null value) so later stages can still report their other problems.
    ``store=False`` (readers of files to convert): a value beside a no-value status (a confidential figure
    some formats carry) is kept; the store refuses it.
    """
    if "year" in table.column_names and "period" not in table.column_names:
        table = table.rename_columns(["period" if c == "year" else c for c in table.column_names])
    missing = [c for c in ("unit", "indicator", "period", "value") if c not in table.column_names]
    if missing:
        report.add(f"missing required column(s): {', '.join(missing)}", file=file, row=1)
        return _empty(dimension_columns(table))
    table = table.set_column(table.column_names.index(ROW_COLUMN), ROW_COLUMN, row_numbers(table)) \
        if ROW_COLUMN in table.column_names else table.append_column(ROW_COLUMN, row_numbers(table))
    dims = dimension_columns(table)
    if BAD_COLUMN in table.column_names:  # rows flagged by an earlier pass: keep, but do not report again
        prior = pc.fill_null(table.column(BAD_COLUMN).combine_chunks(), False)
        table = table.drop_columns([BAD_COLUMN])
        if pc.any(prior).as_py():
            flagged = table.filter(prior)
            kept = pa.table({**{n: _text(flagged.column(n)) for n in ("unit", "indicator", "period", *dims)},
                             "value": pa.nulls(flagged.num_rows, pa.float64()),
                             "status": pa.repeat(pa.scalar(ObservationStatus.MISSING.value), flagged.num_rows),
                             **_locations_of(flagged), BAD_COLUMN: pa.repeat(True, flagged.num_rows)})
            return pa.concat_tables([_normalise(table.filter(pc.invert(prior)), dims, report, file, store), kept])
    return _normalise(table, dims, report, file, store)


def _normalise(table: pa.Table, dims: list[str], report: ValidationReport, file: str | None,
               store: bool) -> pa.Table:
    """``normalise_table`` for a table with ``period`` and ``_row`` columns and no earlier flags."""
    bad = pa.repeat(False, table.num_rows)
    columns: dict[str, pa.Array] = {}
    for name in ("unit", "indicator", "period", *dims):
        columns[name] = _text(table.column(name))
    for name in ("unit", "indicator", "period"):
        bad = pc.or_(bad, flag_rows(report, table, pc.equal(columns[name], ""), f"{name} is empty", name, file))
    period = pc.replace_substring(columns["period"], "K", "Q")
    columns["period"] = period
    plain_year = pc.and_(pc.equal(pc.utf8_length(period), 4), pc.utf8_is_digit(period))  # fast path: most periods
    bad_period = pc.and_(pc.not_equal(period, ""), pc.invert(plain_year))
    if pc.any(bad_period).as_py():
        bad_period = pc.and_(bad_period, pc.invert(pc.match_substring_regex(period, PERIOD_PATTERN)))
    bad = pc.or_(bad, flag_rows(report, table, bad_period,
                            "period is not a year (2024), quarter (2024Q1), month (2024M01) or range (2016-2020)",
                            "period", file))
    for name in dims:
        hit = pc.match_substring_regex(columns[name], _BAD_DIMENSION_VALUE)
        bad = pc.or_(bad, flag_rows(report, table, hit, "a dimension value may not contain '|'", name, file))
    value, bad_value = _values(table.column("value"), report, table, file)
    bad = pc.or_(bad, bad_value)
    if "status" in table.column_names:
        raw = pc.utf8_lower(_text(table.column("status")))
        keys = pa.array(list(STATUS_ALIASES))
        status = pc.take(pa.array(list(STATUS_ALIASES.values())), pc.index_in(raw, keys))
        unknown = pc.is_null(status)
        bad = pc.or_(bad, flag_rows(report, table, unknown,
                                f"unknown status (use one of {', '.join(s.value for s in ObservationStatus)})",
                                "status", file))
        status = pc.fill_null(status, ObservationStatus.OK.value)
    else:
        status = pa.repeat(pa.scalar(ObservationStatus.OK.value), table.num_rows)
    no_value = pc.is_in(status, pa.array(_NO_VALUE_STATUSES))
    clash = pc.and_(no_value, pc.is_valid(value)) if store else pa.repeat(False, table.num_rows)
    bad = pc.or_(bad, flag_rows(report, table.set_column(table.column_names.index("status"), "status", status)
                            if "status" in table.column_names else table,
                            clash, "a value is given but the status says there is none", "status", file))
    needs = pc.and_(pc.and_(pc.is_in(status, pa.array(_VALUE_STATUSES)), pc.is_null(value)), pc.invert(bad_value))
    bad = pc.or_(bad, flag_rows(report, table, needs, "the status needs a value", "value", file))
    status = pc.if_else(pc.and_(pc.is_null(value), pc.equal(status, ObservationStatus.OK.value)),
                        ObservationStatus.MISSING.value, status)
    out = pa.table({**{n: columns[n] for n in ("unit", "indicator", "period", *dims)},
                    "value": value, "status": status, **_locations_of(table), BAD_COLUMN: bad})
    return out


def _locations_of(table: pa.Table) -> dict[str, pa.ChunkedArray]:
    """The location columns present in ``table``."""
    return {name: table.column(name) for name in LOCATION_COLUMNS if name in table.column_names}


def _empty(dims: list[str]) -> pa.Table:
    """An empty normalised tidy table."""
    fields = [(n, pa.string()) for n in ("unit", "indicator", "period", *dims)]
    fields += [("value", pa.float64()), ("status", pa.string()), (ROW_COLUMN, pa.int64()), (BAD_COLUMN, pa.bool_())]
    return pa.schema(fields).empty_table()


def find_duplicates(table: pa.Table, keys: list[str], report: ValidationReport, *, file: str | None = None,
                    column: str | None = None) -> pa.Array:
    """Report rows whose key repeats an earlier row; returns the mask of the repeated (later) rows."""
    n = table.num_rows
    if n == 0:
        return pa.array([], type=pa.bool_())
    indexed = table.select(keys).append_column("_i", pa.array(range(n), type=pa.int64()))
    first = indexed.group_by(keys, use_threads=False).aggregate([("_i", "min")])
    first_index = first.column("_i_min")
    is_first = pc.is_in(indexed.column("_i"), first_index)
    repeat = pc.invert(is_first)
    if pc.any(repeat).as_py():
        if ROW_COLUMN not in table.column_names:
            table = table.append_column(ROW_COLUMN, row_numbers(table))
        where = table.select([c for c in LOCATION_COLUMNS if c in table.column_names])
        dup = indexed.filter(repeat)
        lookup = first.select(keys).append_column("_first", first_index)
        joined = dup.join(lookup, keys=keys, use_threads=False).sort_by("_i")
        shown = joined.slice(0, MAX_LISTED)
        firsts = locations(where.take(shown.column("_first")))
        add_row_problems(
            report,
            "duplicate observation: same unit, indicator, period and dimensions as an earlier row",
            rows=locations(where.take(shown.column("_i"))) + [None] * (joined.num_rows - shown.num_rows),
            column=column,
            values=[f"same as {_place(w)}" for w in firsts] + [None] * (joined.num_rows - shown.num_rows),
            file=file,
        )
    return repeat


def _place(where: dict) -> str:
    """A short name for a location: ``row 12`` or the path."""
    return where["path"] if where.get("path") else f"row {where['row']}"


def blank_dimensions_to_null(table: pa.Table) -> pa.Table:
    """The table with empty dimension values as nulls (as the format writers expect a missing dimension)."""
    for name in dimension_columns(table):
        column = table.column(name)
        table = table.set_column(table.column_names.index(name), name,
                                 pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column))
    return table


def sort_problems(report: ValidationReport) -> None:
    """Order problems by row so a report reads top to bottom like the file.

    Problems without a row come first, unless they follow a located problem (a summary such as "50 more
    row(s) not listed"): those stay after it.
    """
    keys, last = [], None
    for index, problem in enumerate(report.problems):
        last = problem.row if problem.row is not None else last
        keys.append((last is not None, last or 0, index))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    report.problems[:] = [report.problems[i] for i in order]
