"""Tidy observation tables: reading a tidy CSV fast and checking/normalising any tidy table row by row.

A tidy table has the columns ``unit, indicator, period, <dimension columns…>, value, status``
(``status`` optional). Tables may carry an extra ``_row`` column (int) with the source row of each
record (header = row 1); problems are then located by it. Bad rows are reported in a
:class:`~dugnad.analytics.report.ValidationReport` and dropped from the returned table, so later
stages only see clean rows and never report the same problem twice.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dugnad.analytics.lines import check_line_lengths
from dugnad.analytics.report import ValidationReport
from dugnad.analytics.types import ObservationStatus

#: Column carrying the source row number of each record (header = row 1).
ROW_COLUMN = "_row"
#: Column flagging rows with a problem (``normalise_table`` reports them and sets this instead of dropping them).
BAD_COLUMN = "_bad"
#: Columns that are never dimensions (nor is any name starting with ``_``). ``note`` and ``carried_from`` are written by the CSV
#: export and ignored on import.
RESERVED_COLUMNS = frozenset({"unit", "indicator", "period", "year", "value", "status", "note", "carried_from"})
#: At most this many rows are listed for one kind of problem; a summary line counts the rest.
MAX_LISTED = 200

_PERIOD = r"^\d{4}([QK][1-4]|M(0[1-9]|1[0-2]))?$|^\d{4}-\d{4}$"
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_BAD_DIMENSION_VALUE = r"[|]"

#: Spellings accepted in a ``status`` column (case-insensitive): enum values, labels and JSON-stat symbols.
STATUS_ALIASES: dict[str, str] = {
    **{s.value: s.value for s in ObservationStatus},
    **{s.label_nb.lower(): s.value for s in ObservationStatus},
    **{s.label_en.lower(): s.value for s in ObservationStatus},
    "": ObservationStatus.OK.value,
    "..": ObservationStatus.MISSING.value,
    "...": ObservationStatus.MISSING.value,
    ".": ObservationStatus.NOT_APPLICABLE.value,
    ":": ObservationStatus.CONFIDENTIAL.value,
    "p": ObservationStatus.PROVISIONAL.value,
}
_NO_VALUE_STATUSES = [s.value for s in ObservationStatus if not s.has_value]


@dataclass(frozen=True)
class TidyRead:
    """A tidy table read from a file, with the report of everything wrong with it."""

    table: pa.Table
    report: ValidationReport


def dimension_columns(table: pa.Table) -> list[str]:
    """Names of the dimension columns of a tidy table, in table order."""
    return [c for c in table.column_names if c not in RESERVED_COLUMNS and not c.startswith("_")]


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


def add_row_problems(report: ValidationReport, reason: str, *, rows: list, column: str | None,
                     values: list | None = None, file: str | None = None) -> None:
    """Record one problem per row (at most ``MAX_LISTED``, then one line counting the rest)."""
    values = values if values is not None else [None] * len(rows)
    for row, value in list(zip(rows, values, strict=True))[:MAX_LISTED]:
        report.add(reason, file=file, row=row, column=column, value=None if value is None else str(value))
    if len(rows) > MAX_LISTED:
        report.add(f"{reason}: {len(rows) - MAX_LISTED} more row(s) not listed", file=file, column=column)


def _flag(report: ValidationReport, table: pa.Table, bad: pa.Array, reason: str, column: str | None,
          file: str | None) -> pa.Array:
    """Report the rows where ``bad`` is true; returns ``bad`` with nulls as false."""
    bad = pc.fill_null(bad, False)
    if pc.any(bad).as_py():
        hits = table.filter(bad)
        values = hits.column(column).to_pylist() if column in table.column_names else None
        add_row_problems(report, reason, rows=hits.column(ROW_COLUMN).to_pylist(), column=column, values=values,
                         file=file)
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
        _flag(report, table, bad, "value is not a finite number", "value", file)
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
    bad = pc.and_(pc.invert(empty), pc.invert(pc.match_substring_regex(text, _NUMBER)))
    _flag(report, table, bad, "value is not a number", "value", file)
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


def normalise_table(table: pa.Table, report: ValidationReport, *, file: str | None = None) -> pa.Table:
    """A tidy table in canonical form; every bad row is reported and flagged in the ``_bad`` column.

    Checks: required columns, empty unit/indicator/period, period format (``2024``, ``2024Q1``/``2024K1``,
    ``2024M01``, ``2016-2020``), numeric value, known status, a value given with a no-value status, and
    ``|`` inside dimension values. Output columns: ``unit, indicator, period, <dims…>, value, status, _row,
    _bad`` (strings, float64 value, int64 row, bool); an empty value with status ``ok`` becomes ``missing``.
    Bad rows are kept (with null value) so later stages can still report their other problems.
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
                             ROW_COLUMN: flagged.column(ROW_COLUMN), BAD_COLUMN: pa.repeat(True, flagged.num_rows)})
            return pa.concat_tables([_normalise(table.filter(pc.invert(prior)), dims, report, file), kept])
    return _normalise(table, dims, report, file)


def _normalise(table: pa.Table, dims: list[str], report: ValidationReport, file: str | None) -> pa.Table:
    """``normalise_table`` for a table with ``period`` and ``_row`` columns and no earlier flags."""
    bad = pa.repeat(False, table.num_rows)
    columns: dict[str, pa.Array] = {}
    for name in ("unit", "indicator", "period", *dims):
        columns[name] = _text(table.column(name))
    for name in ("unit", "indicator", "period"):
        bad = pc.or_(bad, _flag(report, table, pc.equal(columns[name], ""), f"{name} is empty", name, file))
    period = pc.replace_substring(columns["period"], "K", "Q")
    columns["period"] = period
    plain_year = pc.and_(pc.equal(pc.utf8_length(period), 4), pc.utf8_is_digit(period))  # fast path: most periods
    bad_period = pc.and_(pc.not_equal(period, ""), pc.invert(plain_year))
    if pc.any(bad_period).as_py():
        bad_period = pc.and_(bad_period, pc.invert(pc.match_substring_regex(period, _PERIOD)))
    bad = pc.or_(bad, _flag(report, table, bad_period,
                            "period is not a year (2024), quarter (2024Q1), month (2024M01) or range (2016-2020)",
                            "period", file))
    for name in dims:
        hit = pc.match_substring_regex(columns[name], _BAD_DIMENSION_VALUE)
        bad = pc.or_(bad, _flag(report, table, hit, "a dimension value may not contain '|'", name, file))
    value, bad_value = _values(table.column("value"), report, table, file)
    bad = pc.or_(bad, bad_value)
    if "status" in table.column_names:
        raw = pc.utf8_lower(_text(table.column("status")))
        keys = pa.array(list(STATUS_ALIASES))
        status = pc.take(pa.array(list(STATUS_ALIASES.values())), pc.index_in(raw, keys))
        unknown = pc.is_null(status)
        bad = pc.or_(bad, _flag(report, table, unknown,
                                f"unknown status (use one of {', '.join(s.value for s in ObservationStatus)})",
                                "status", file))
        status = pc.fill_null(status, ObservationStatus.OK.value)
    else:
        status = pa.repeat(pa.scalar(ObservationStatus.OK.value), table.num_rows)
    no_value = pc.is_in(status, pa.array(_NO_VALUE_STATUSES))
    clash = pc.and_(no_value, pc.is_valid(value))
    bad = pc.or_(bad, _flag(report, table.set_column(table.column_names.index("status"), "status", status)
                            if "status" in table.column_names else table,
                            clash, "a value is given but the status says there is none", "status", file))
    status = pc.if_else(pc.and_(pc.is_null(value), pc.equal(status, ObservationStatus.OK.value)),
                        ObservationStatus.MISSING.value, status)
    out = pa.table({**{n: columns[n] for n in ("unit", "indicator", "period", *dims)},
                    "value": value, "status": status, ROW_COLUMN: table.column(ROW_COLUMN), BAD_COLUMN: bad})
    return out


def _empty(dims: list[str]) -> pa.Table:
    """An empty normalised tidy table."""
    fields = [(n, pa.string()) for n in ("unit", "indicator", "period", *dims)]
    fields += [("value", pa.float64()), ("status", pa.string()), (ROW_COLUMN, pa.int64()), (BAD_COLUMN, pa.bool_())]
    return pa.schema(fields).empty_table()


def _header(path: Path, report: ValidationReport, file: str) -> tuple[list[str], str] | None:
    """The header names and delimiter of a CSV file, or None after reporting why it cannot be read."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except UnicodeDecodeError:
        report.add("the file is not UTF-8 text; save it as UTF-8", file=file)
        return None
    if not first.strip():
        report.add("the file is empty (expected a header row and data rows)", file=file)
        return None
    delimiter = max((",", ";", "\t"), key=first.count)
    names = [n.strip().strip('"').strip() for n in first.rstrip("\r\n").split(delimiter)]
    lowered = [n.lower() if n.lower() in RESERVED_COLUMNS else n for n in names]
    seen: set[str] = set()
    for name in lowered:
        if not name:
            report.add("empty column name in the header", file=file, row=1)
        elif name in seen:
            report.add("column appears twice in the header", file=file, row=1, column=name)
        elif name.startswith("_") or "=" in name or "|" in name:
            report.add("column names may not start with '_' or contain '=' or '|'", file=file, row=1, column=name)
        seen.add(name)
    if "year" in seen and "period" in seen:
        report.add("the header has both 'year' and 'period'; use one of them", file=file, row=1)
    required = [c for c in ("unit", "indicator", "value") if c not in seen]
    if "year" not in seen and "period" not in seen:
        required.append("year (or period)")
    if required:
        report.add(f"missing required column(s): {', '.join(required)}", file=file, row=1,
                   value=", ".join(names))
    return (lowered, delimiter) if report.ok else None


def _parse(path: Path, names: list[str], delimiter: str, *, threads: bool) -> tuple[pa.Table, list]:
    """The CSV body as string columns, and the malformed rows that were skipped."""
    invalid: list[pacsv.InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row)
        return "skip"

    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=threads, column_names=names, skip_rows=1, encoding="utf8",
                                       block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False,
                                          invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    return table, invalid


def read_tidy_csv(path: str | Path, *, source: str | None = None) -> TidyRead:
    """Read a tidy CSV (``unit,indicator,year|period,value[,status][,<dims…>]``) into a normalised table.

    UTF-8 (BOM allowed), delimiter ``,``, ``;`` or tab detected from the header. Rows are numbered as
    records with the header as row 1 (equal to line numbers unless quoted values hold line breaks);
    blank lines count but are skipped. Every problem is reported; bad rows are flagged (see ``normalise_table``).
    """
    path = Path(path)
    file = source or path.name
    report = ValidationReport(source=file)
    if not check_line_lengths(path, report, file=file):
        return TidyRead(_empty([]), report)
    header = _header(path, report, file)
    if header is None:
        return TidyRead(_empty([]), report)
    names, delimiter = header
    try:
        raw, invalid = _parse(path, names, delimiter, threads=True)
        if invalid:  # row numbers of malformed rows are only known when parsing on one thread
            raw, invalid = _parse(path, names, delimiter, threads=False)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        report.add(f"the file cannot be read as CSV: {exc}", file=file)
        return TidyRead(_empty([]), report)
    for row in invalid:
        report.add(f"expected {row.expected_columns} field(s), found {row.actual_columns}", file=file,
                   row=row.number, value=row.text[:80])
    invalid = [row.number for row in invalid if row.number is not None]
    numbers = pa.array(np.arange(2, raw.num_rows + len(invalid) + 2, dtype=np.int64))
    if invalid:
        numbers = numbers.filter(pc.invert(pc.is_in(numbers, pa.array(invalid, type=pa.int64()))))
    raw = raw.append_column(ROW_COLUMN, numbers)
    blank = None
    for name in names:
        empty = pc.equal(raw.column(name), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is not None and pc.any(blank).as_py():
        raw = raw.filter(pc.invert(blank))
    if raw.num_rows == 0 and not invalid:
        report.add("the file has a header but no data rows", file=file, row=1)
        return TidyRead(_empty(dimension_columns(raw)), report)
    return TidyRead(normalise_table(raw, report, file=file), report)


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
        rows = row_numbers(table)
        dup = indexed.filter(repeat)
        lookup = first.select(keys).append_column("_first", pc.take(rows, first_index))
        joined = dup.join(lookup, keys=keys, use_threads=False).sort_by("_i")
        add_row_problems(
            report,
            "duplicate observation: same unit, indicator, period and dimensions as an earlier row",
            rows=pc.take(rows, joined.column("_i")).to_pylist(),
            column=column,
            values=[f"same as row {r}" for r in joined.column("_first").to_pylist()],
            file=file,
        )
    return repeat


def write_tidy_csv(table: pa.Table, path: str | Path) -> None:
    """Write a tidy table as UTF-8 CSV with a header row (quotes only where needed; empty cell = null).

    Values are written in the shortest form that reads back exactly (``3`` not ``3.0``). The file is
    written next to the target and moved into place, so a failed export leaves no partial file.
    """
    path = Path(path)
    columns = []
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_floating(column.type) or pa.types.is_integer(column.type):
            column = column.cast(pa.string())
        columns.append(pc.fill_null(column, "").to_pylist())
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.column_names)
        writer.writerows(zip(*columns, strict=True))
    partial.replace(path)
