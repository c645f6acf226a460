"""Mapping import: a YAML mapping says which columns of a real-world CSV give unit, indicator, period and value.

``load_mapping`` reads and checks the mapping (problems located by mapping file and key); ``read_mapped`` reads a
CSV with it into the tidy table every reader produces (``unit, indicator, period, <dimensions…>, value, status``
plus ``_row`` and ``_bad``), every problem located by file, row (file line, first line = 1), column and value.
Units named by name are resolved by a ``NameLookup`` the caller passes in (the unit registry lives on the Django
side); units given by code are resolved by the store like any other import. The format is documented in
``docs/mapping.md``.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dugnad.analytics.formats.lines import check_line_lengths
from dugnad.analytics.formats.normalise import BAD_COLUMN, NUMBER_PATTERN, ROW_COLUMN, flag_rows, sort_problems
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.table import RESERVED_COLUMNS, ReadResult
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.types import ObservationStatus

#: The mapping format version this module reads.
VERSION = 1
#: Encodings a mapping may name (spellings accepted → Python codec).
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "latin-1": "latin-1",
             "latin1": "latin-1", "iso-8859-1": "latin-1", "cp1252": "cp1252", "windows-1252": "cp1252"}
#: Period rules: how a period cell becomes the stored period.
PERIOD_RULES = ("year", "interval-end", "interval-start", "period")
#: Statuses a missing marker may give (those without a value).
MARKER_STATUSES = tuple(s.value for s in ObservationStatus if not s.has_value)
#: Separators sniffed from the header line when the mapping gives none.
SEPARATORS = (",", ";", "\t", "|")
#: Decimals kept after scaling (0.936 × 100 is 93.60000000000001 in binary floating point).
SCALE_DECIMALS = 10

_YEAR = r"(?P<a>\d{4})(?:-\d{2}-\d{2})?"
_INTERVAL = r"(?P<a>\d{4})\s*[-–]\s*(?P<b>\d{4})"


@dataclass(frozen=True)
class NameMatch:
    """What a unit name resolves to in a year: a unit code, or why not (``code`` None)."""

    code: str | None
    reason: str = ""


#: Resolves a unit name in a year (the mapping's scope already applied) to a unit code or a reason.
NameLookup = Callable[[str, int], NameMatch]


@dataclass(frozen=True)
class Mapping:
    """A checked mapping (see ``docs/mapping.md``)."""

    name: str
    source: dict[str, str]
    encoding: str = "utf-8"
    separator: str | None = None
    skip_rows: int = 0
    unit_column: str = ""
    unit_by: str = "code"
    unit_scope: str | None = None
    unit_level: str | None = None
    unit_aliases: dict[str, str] = field(default_factory=dict)
    indicator_code: str | None = None
    indicator_column: str | None = None
    indicator_values: dict[str, str] = field(default_factory=dict)
    period_column: str | None = None
    period_value: str | None = None
    period_rule: str = "year"
    period_from: int | None = None
    period_to: int | None = None
    value_column: str = ""
    scale: float = 1.0
    decimal: str = "."
    dimensions: dict[str, str] = field(default_factory=dict)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    #: A wide file (``file.wide``): lines of header after ``skip_rows`` (each cell ``Name: value``) and the
    #: leading columns that identify a row; 0 for an ordinary file.
    wide_header_rows: int = 0
    wide_id_columns: int = 0

    def columns(self) -> dict[str, str]:
        """Every file column the mapping uses, with the mapping key that names it."""
        used = {self.unit_column: "unit.column", self.value_column: "value.column"}
        if self.indicator_column:
            used.setdefault(self.indicator_column, "indicator.column")
        if self.period_column:
            used.setdefault(self.period_column, "period.column")
        for column in self.dimensions:
            used.setdefault(column, f"dimensions.{column}")
        for column in self.filters:
            used.setdefault(column, f"filter.{column}")
        return used


class _Checker:
    """Reads keys of the mapping's YAML, recording every problem (file, key, why) instead of stopping."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.report = ValidationReport(source=name)

    def error(self, key: str, reason: str, value: object = None) -> None:
        self.report.add(reason, file=self.name, column=key, value=None if value is None else str(value))

    def section(self, data: dict, key: str, *, required: bool = False) -> dict:
        value = data.get(key)
        if value is None:
            if required:
                self.error(key, "this section is required")
            return {}
        if not isinstance(value, dict):
            self.error(key, "must be a mapping of keys to values", value)
            return {}
        return value

    def unknown(self, data: dict, prefix: str, known: set[str]) -> None:
        for key in data:
            if key not in known:
                close = difflib.get_close_matches(str(key), sorted(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(known))})"
                self.error(f"{prefix}{key}", f"unknown key{hint}")

    def text(self, data: dict, key: str, where: str, *, required: bool = False, empty: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.error(where, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(where, "must be text", value)
            return None
        text = str(value)
        if not text.strip() and not empty:
            self.error(where, "may not be empty")
            return None
        return text

    def number(self, data: dict, key: str, where: str, *, integer: bool = False) -> float | int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
            self.error(where, f"must be {'a whole number' if integer else 'a number'}", value)
            return None
        return value

    def text_map(self, data: dict, key: str, where: str) -> dict[str, str]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(where, "must be a mapping of text to text", value)
            return {}
        out = {}
        for k, v in value.items():
            if isinstance(v, bool) or not isinstance(v, str | int | float) or isinstance(k, bool):
                self.error(f"{where}.{k}", "must be text", v)
            else:
                out["" if k is None else str(k)] = str(v)
        return out


def load_mapping(source: Path | str | bytes, *, name: str | None = None) -> Mapping:
    """The checked mapping of a YAML file (path or bytes); ``InputError`` listing every problem by key."""
    import yaml

    if isinstance(source, bytes):
        data, name = source, name or "mapping"
    else:
        path = Path(source)
        data, name = path.read_bytes(), name or path.name
    check = _Checker(name)
    try:
        raw = yaml.safe_load(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        check.report.add("the mapping is not UTF-8 text", file=name, row=data.count(b"\n", 0, exc.start) + 1)
        raise InputError(check.report) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        check.report.add(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", file=name,
                         row=mark.line + 1 if mark is not None else None)
        raise InputError(check.report) from exc
    if not isinstance(raw, dict):
        check.error("", "the mapping must be a YAML mapping (key: value lines)")
        raise InputError(check.report)
    mapping = _check(raw, check)
    if not check.report.ok or mapping is None:
        raise InputError(check.report)
    return mapping


def _check(raw: dict, check: _Checker) -> Mapping | None:
    """The mapping from its parsed YAML; problems recorded in ``check``."""
    check.unknown(raw, "", {"version", "source", "file", "unit", "indicator", "period", "value", "dimensions",
                            "filter", "missing"})
    version = raw.get("version")
    if version != VERSION:
        check.error("version", f"must be {VERSION}", version)
    source = check.text_map(raw, "source", "source")
    check.unknown(source, "source.", {"name", "url", "licence", "license", "attribution", "table", "retrieved",
                                       "note"})
    file = check.section(raw, "file")
    check.unknown(file, "file.", {"encoding", "separator", "skip_rows", "wide"})
    wide = check.section(file, "wide")
    check.unknown(wide, "file.wide.", {"header_rows", "id_columns"})
    wide_rows = check.number(wide, "header_rows", "file.wide.header_rows", integer=True) or 0
    wide_ids = check.number(wide, "id_columns", "file.wide.id_columns", integer=True) or 0
    if wide and wide_rows < 1:
        check.error("file.wide.header_rows", "must be a whole number of at least 1", wide.get("header_rows"))
    if wide and wide_ids < 1:
        check.error("file.wide.id_columns", "must be a whole number of at least 1", wide.get("id_columns"))
    encoding = (check.text(file, "encoding", "file.encoding") or "utf-8").lower()
    if encoding not in ENCODINGS:
        check.error("file.encoding", f"unknown encoding (use one of {', '.join(sorted(set(ENCODINGS)))})", encoding)
    separator = check.text(file, "separator", "file.separator", empty=True)
    if separator is not None:
        separator = {"\\t": "\t", "tab": "\t"}.get(separator, separator)
        if len(separator) != 1 or separator in "\"\r\n":
            check.error("file.separator", "must be one character (e.g. ',', ';' or '\\t')", separator)
    skip_rows = check.number(file, "skip_rows", "file.skip_rows", integer=True) or 0
    if skip_rows < 0:
        check.error("file.skip_rows", "may not be negative", skip_rows)

    unit = check.section(raw, "unit", required=True)
    check.unknown(unit, "unit.", {"column", "by", "scope", "level", "aliases"})
    unit_by = check.text(unit, "by", "unit.by") or "code"
    if unit_by not in ("code", "name"):
        check.error("unit.by", "must be code or name", unit_by)
    scope = check.text(unit, "scope", "unit.scope")
    if scope is not None and unit_by != "name":
        check.error("unit.scope", "only applies with by: name")
    level = check.text(unit, "level", "unit.level")
    if level is not None and unit_by != "name":
        check.error("unit.level", "only applies with by: name")
    if scope is not None and not re.fullmatch(r"\d{2}", scope):
        check.error("unit.scope", "must be a two-digit county code (e.g. \"40\"; quote it in YAML)", scope)

    indicator = check.section(raw, "indicator", required=True)
    check.unknown(indicator, "indicator.", {"code", "column", "values"})
    code = check.text(indicator, "code", "indicator.code")
    indicator_column = check.text(indicator, "column", "indicator.column")
    values = check.text_map(indicator, "values", "indicator.values")
    if indicator and (code is None) == (indicator_column is None):
        check.error("indicator", "give either code (one indicator for the file) or column with values")
    if indicator_column is not None and not values:
        check.error("indicator.values", "with indicator.column, list each label in the file and its indicator code")
    if code is not None and values:
        check.error("indicator.values", "only applies with indicator.column")

    period = check.section(raw, "period", required=True)
    check.unknown(period, "period.", {"column", "rule", "value", "from", "to"})
    period_column = check.text(period, "column", "period.column")
    period_value = check.text(period, "value", "period.value")
    if period and (period_column is None) == (period_value is None):
        check.error("period", "give either column (the period of each row) or value (one period for the file)")
    rule = check.text(period, "rule", "period.rule") or "year"
    if rule not in PERIOD_RULES:
        check.error("period.rule", f"unknown rule (use one of {', '.join(PERIOD_RULES)})", rule)
    period_from = check.number(period, "from", "period.from", integer=True)
    period_to = check.number(period, "to", "period.to", integer=True)

    value = check.section(raw, "value", required=True)
    check.unknown(value, "value.", {"column", "scale", "decimal"})
    scale = check.number(value, "scale", "value.scale")
    if scale is not None and scale <= 0:
        check.error("value.scale", "must be a positive number", scale)
    decimal = check.text(value, "decimal", "value.decimal") or "."
    if decimal not in (".", ","):
        check.error("value.decimal", "must be \".\" or \",\"", decimal)

    dimensions = check.text_map(raw, "dimensions", "dimensions")
    for column, dim in dimensions.items():
        if dim.lower() in RESERVED_COLUMNS or dim.startswith("_") or "=" in dim or "|" in dim or not dim.strip():
            check.error(f"dimensions.{column}", "not a usable dimension name (reserved, empty, starts with '_' or "
                        "holds '=' or '|')", dim)
    if len(set(dimensions.values())) < len(dimensions):
        check.error("dimensions", "two columns give the same dimension name")

    filters: dict[str, tuple[str, ...]] = {}
    raw_filter = raw.get("filter") or {}
    if not isinstance(raw_filter, dict):
        check.error("filter", "must be a mapping of column to value(s)", raw_filter)
        raw_filter = {}
    for column, wanted in raw_filter.items():
        items = wanted if isinstance(wanted, list) else [wanted]
        if not items or any(isinstance(i, bool | dict | list) or i is None for i in items):
            check.error(f"filter.{column}", "must be a value or a list of values", wanted)
            continue
        filters[str(column)] = tuple(str(i) for i in items)

    missing: dict[str, str] = {}
    raw_missing = raw.get("missing") or {}
    if not isinstance(raw_missing, dict):
        check.error("missing", "must be a mapping of marker to status", raw_missing)
        raw_missing = {}
    for marker, status in raw_missing.items():
        if status not in MARKER_STATUSES:
            check.error(f"missing.{marker}", f"unknown status (use one of {', '.join(MARKER_STATUSES)})", status)
        else:
            missing["" if marker is None else str(marker).strip()] = status

    unit_column = check.text(unit, "column", "unit.column", required=bool(unit))
    value_column = check.text(value, "column", "value.column", required=bool(value))
    if not check.report.ok:
        return None
    return Mapping(
        name=check.name, source=source, encoding=ENCODINGS[encoding], separator=separator, skip_rows=int(skip_rows),
        unit_column=unit_column or "", unit_by=unit_by, unit_scope=scope, unit_level=level,
        unit_aliases=check.text_map(unit, "aliases", "unit.aliases"),
        indicator_code=code, indicator_column=indicator_column, indicator_values=values,
        period_column=period_column, period_value=period_value, period_rule=rule,
        period_from=period_from, period_to=period_to,  # type: ignore[arg-type]
        value_column=value_column or "", scale=float(scale or 1), decimal=decimal,
        dimensions=dimensions, filters=filters, missing=missing,
        wide_header_rows=int(wide_rows) if wide else 0, wide_id_columns=int(wide_ids) if wide else 0,
    )


# --- reading a file with a mapping -----------------------------------------------------------------------------


def read_mapped(data: bytes, mapping: Mapping, *, file: str, names: NameLookup | None = None) -> ReadResult:
    """The tidy table of CSV bytes read with ``mapping`` (with ``_row`` and ``_bad``) and its report; never raises.

    ``names`` resolves unit names (``unit.by: name``); without it such a mapping is an error.
    """
    report = ValidationReport(source=file)
    log = ProblemLog(report, file=file)
    try:
        table = _read(data, mapping, log, names)
    except InputError:
        table = _empty(list(mapping.dimensions.values()))
    log.close()
    sort_problems(report)
    return ReadResult(table=table, report=report, format="mapping")


def _empty(dims: list[str]) -> pa.Table:
    fields = [(n, pa.string()) for n in ("unit", "indicator", "period", *dims)]
    fields += [("value", pa.float64()), ("status", pa.string()), (ROW_COLUMN, pa.int64()), (BAD_COLUMN, pa.bool_())]
    return pa.schema(fields).empty_table()


def _decode(data: bytes, mapping: Mapping, log: ProblemLog) -> bytes:
    """The file as UTF-8 bytes (without a byte-order mark); an error naming the line of a bad byte."""
    if mapping.encoding in ("utf-8", "utf-8-sig"):
        return data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode(mapping.encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise log.fail(f"the file is not {mapping.encoding} text", row=data.count(b"\n", 0, exc.start) + 1) from exc


def _locate_bad_utf8(data: bytes, log: ProblemLog) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise log.fail("the file is not UTF-8 text; set file.encoding in the mapping (e.g. latin-1 or cp1252)",
                       row=data.count(b"\n", 0, exc.start) + 1) from exc


def _melt(data: bytes, mapping: Mapping, log: ProblemLog) -> tuple[bytes, list[int]]:
    """A wide file (``file.wide``) turned long: one row per identifying cells × value column, with one column per
    header line (its cells read ``Name: value``, e.g. ``År: 2019``) and the value under ``value.column``.

    Returns the long file as UTF-8 CSV bytes (comma-separated, header first) and, per long row, the file line it
    came from (so problems still name the file's line). Problems in the header name its line and column."""
    text = data.decode("utf-8")
    lines = text.split("\n")
    start = mapping.skip_rows
    if len(lines) < start + mapping.wide_header_rows + 1:
        raise log.fail(f"the file has fewer than {start + mapping.wide_header_rows + 1} lines (file.wide.header_rows)")
    separator = mapping.separator or max(SEPARATORS, key=lines[start].count)
    heads = [next(csv.reader([lines[start + i].rstrip("\r").lstrip("\ufeff")], delimiter=separator))
             for i in range(mapping.wide_header_rows)]
    ids = [c.strip() for c in heads[0][:mapping.wide_id_columns]]
    width = len(heads[0])
    labels: list[list[str]] = []
    names: list[str] = []
    for column in range(mapping.wide_id_columns, width):
        values = []
        for i, head in enumerate(heads):
            name, colon, value = (head[column] if column < len(head) else "").partition(":")
            where = {"row": start + i + 1, "column": f"#{column + 1}"}
            if not colon or not name.strip():
                log.error("a header cell of a wide file must read 'Name: value' (file.wide)", value=head[column]
                          if column < len(head) else "", **where)
                continue
            if column == mapping.wide_id_columns:
                names.append(name.strip())
            elif i < len(names) and name.strip() != names[i]:
                log.error(f"header line {start + i + 1} names {names[i]!r} in the first value column", value=name.strip(),
                          **where)
            values.append(value.strip())
        labels.append(values)
    if log.has_errors:
        raise log.finish_error()
    clash = [n for n in names if n in ids or n == mapping.value_column]
    if clash:
        raise log.fail(f"a header name is also an identifying column or value.column: {clash[0]}", row=start + 1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*ids, *names, mapping.value_column])
    origin: list[int] = []
    for number, line in enumerate(lines[start + mapping.wide_header_rows:], start=start + mapping.wide_header_rows + 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cells = next(csv.reader([line], delimiter=separator))
        for column, values in enumerate(labels, start=mapping.wide_id_columns):
            writer.writerow([*cells[:mapping.wide_id_columns], *values, cells[column] if column < len(cells) else ""])
            origin.append(number)
    return out.getvalue().encode("utf-8"), origin


def _header(data: bytes, mapping: Mapping, log: ProblemLog) -> tuple[int, list[str], str]:
    """Offset of the header line, its column names and the separator."""
    offset = 0
    for _ in range(mapping.skip_rows):
        end = data.find(b"\n", offset)
        if end == -1:
            raise log.fail(f"the file has fewer than {mapping.skip_rows + 1} lines (file.skip_rows)")
        offset = end + 1
    end = data.find(b"\n", offset)
    line_bytes = data[offset:] if end == -1 else data[offset:end]
    try:
        line = line_bytes.decode("utf-8").rstrip("\r").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise log.fail("the header is not UTF-8 text; set file.encoding in the mapping",
                       row=mapping.skip_rows + 1) from exc
    if not line.strip():
        raise log.fail("the header line is empty (check file.skip_rows)", row=mapping.skip_rows + 1)
    separator = mapping.separator or max(SEPARATORS, key=line.count)
    names = [n.strip() for n in next(csv.reader([line], delimiter=separator))]
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            log.error("column appears twice in the header", row=mapping.skip_rows + 1, column=name)
        seen.add(name)
        if not name:
            names[index] = f"#{index + 1}"
    if log.has_errors:
        raise log.finish_error()
    return offset, names, separator


def _parse(body: bytes, names: list[str], separator: str, *, threads: bool) -> tuple[pa.Table, list]:
    invalid: list = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row)
        return "skip"

    table = pacsv.read_csv(
        io.BytesIO(body),
        read_options=pacsv.ReadOptions(use_threads=threads, column_names=names, skip_rows=1, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter=separator, newlines_in_values=True, ignore_empty_lines=False,
                                         invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, include_columns=None,
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    return table, invalid


def _read(data: bytes, mapping: Mapping, log: ProblemLog, names: NameLookup | None) -> pa.Table:
    """The mapped tidy table (see ``read_mapped``); raises ``InputError`` when the file cannot be read at all."""
    report, file = log.report, log.file
    if not check_line_lengths(data, report, file=file or ""):
        raise log.finish_error()
    data = _decode(data, mapping, log)
    origin = None
    if mapping.wide_header_rows:
        data, origin = _melt(data, mapping, log)
        mapping = replace(mapping, skip_rows=0, separator=",")
    offset, header, separator = _header(data, mapping, log)
    used = mapping.columns()
    absent = [(column, key) for column, key in used.items() if column not in header]
    for column, key in absent:
        close = difflib.get_close_matches(column, header, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        log.error(f"the mapping's {key} names a column that is not in the file{hint} (columns: {', '.join(header)})",
                  row=mapping.skip_rows + 1, column=column)
    if absent:
        raise log.finish_error()
    body = data[offset:]
    try:
        raw, invalid = _parse(body, header, separator, threads=True)
        if invalid:
            raw, invalid = _parse(body, header, separator, threads=False)
    except pa.ArrowInvalid as exc:
        _locate_bad_utf8(body, log)
        raise log.fail(f"the file cannot be read as CSV: {exc}") from exc
    first = mapping.skip_rows + 2
    for row in invalid:
        log.error(f"expected {row.expected_columns} field(s), found {row.actual_columns}",
                  row=None if row.number is None else row.number + mapping.skip_rows, value=row.text[:80])
    skipped = [row.number + mapping.skip_rows for row in invalid if row.number is not None]
    numbers = pa.array(np.arange(first, first + raw.num_rows + len(skipped), dtype=np.int64))
    if skipped:
        numbers = numbers.filter(pc.invert(pc.is_in(numbers, pa.array(skipped, type=pa.int64()))))
    if origin is not None:  # a wide file: the long rows' numbers back to the file's lines
        numbers = pa.array([origin[n - first] for n in numbers.to_pylist()], pa.int64())
    columns = {c: pc.utf8_trim_whitespace(raw.column(c).combine_chunks()) for c in used}
    table = pa.table({**columns, ROW_COLUMN: numbers})
    blank = None
    for name in header:
        empty = pc.equal(raw.column(name), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    keep = pc.invert(blank) if blank is not None else None
    for column, wanted in mapping.filters.items():
        hit = pc.is_in(table.column(column), pa.array(list(wanted), pa.string()))
        keep = hit if keep is None else pc.and_(keep, hit)
    if keep is not None:
        table = table.filter(keep)
    return _map(table, mapping, log, names)


def _period(table: pa.Table, mapping: Mapping, log: ProblemLog) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Stored period, year (int32, null when bad) and the bad-period mask of each row."""
    n = table.num_rows
    column = mapping.period_column
    if column is None:
        text = pa.repeat(pa.scalar(mapping.period_value, pa.string()), n)
        where = table.append_column("period.value", text)
        column = "period.value"
    else:
        text = table.column(column).combine_chunks()
        where = table
    rule = mapping.period_rule
    if rule == "period":
        pattern = r"^(?P<a>\d{4})(?:[QK][1-4]|M(?:0[1-9]|1[0-2]))?$|^\d{4}-(?P<b>\d{4})$"
        got = pc.extract_regex(text, pattern)
        ok = pc.is_valid(got)
        end = pc.struct_field(got, "b")
        year_text = pc.if_else(pc.and_(ok, pc.not_equal(pc.fill_null(end, ""), "")), end, pc.struct_field(got, "a"))
        period = text
        why = "the period is not a year (2024), quarter (2024Q1), month (2024M01) or range (2016-2020)"
    else:
        single = pc.struct_field(pc.extract_regex(text, f"^{_YEAR}$"), "a")
        if rule == "year":
            year_text = single
            why = ("the period is not a year (2021) or a date (2021-01-01)"
                   "; for an interval such as 2021-2023 set period.rule to interval-end or interval-start")
        else:
            interval = pc.extract_regex(text, f"^{_INTERVAL}$")
            part = pc.struct_field(interval, "b" if rule == "interval-end" else "a")
            year_text = pc.coalesce(part, single)
            why = "the period is not an interval (2021-2023), a year (2021) or a date (2021-01-01)"
        period = year_text
    bad = pc.is_null(year_text)
    flag_rows(log.report, where, bad, why, column, log.file)
    year = pc.cast(year_text, pa.int32())
    return pc.fill_null(period, ""), year, bad


def _values(table: pa.Table, mapping: Mapping, log: ProblemLog) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Value (float64, scaled), status and the bad-value mask of each row."""
    column = mapping.value_column
    text = table.column(column).combine_chunks()
    n = table.num_rows
    markers = pa.array(list(mapping.missing), pa.string())
    status = pc.take(pa.array(list(mapping.missing.values()), pa.string()), pc.index_in(text, markers))
    is_marker = pc.is_valid(status)
    number = pc.replace_substring_regex(text, "[\\s\u00a0\u202f]", "")
    if mapping.decimal == ",":
        number = pc.replace_substring(number, ",", ".")
    numeric = pc.match_substring_regex(number, NUMBER_PATTERN)
    empty = pc.and_(pc.equal(text, ""), pc.invert(is_marker))
    flag_rows(log.report, table, empty,
              'the value is empty; to store it as missing, add "" under missing: in the mapping', column, log.file)
    not_number = pc.and_(pc.and_(pc.invert(numeric), pc.invert(is_marker)), pc.invert(empty))
    known = ", ".join(repr(m) for m in mapping.missing) or "none"
    flag_rows(log.report, table, not_number,
              f"the value is not a number (decimal {mapping.decimal!r}; missing markers: {known})", column, log.file)
    good = pc.and_(numeric, pc.invert(is_marker))
    value = pc.cast(pc.if_else(good, number, pa.scalar(None, pa.string())), pa.float64())
    if mapping.scale != 1:
        value = pc.round(pc.multiply(value, mapping.scale), SCALE_DECIMALS)
    status = pc.fill_null(status, ObservationStatus.OK.value)
    return value, status, pc.or_(empty, not_number) if n else pa.array([], pa.bool_())


def _indicators(table: pa.Table, mapping: Mapping, log: ProblemLog) -> tuple[pa.Array, pa.Array]:
    """Indicator code and the bad mask of each row."""
    n = table.num_rows
    if mapping.indicator_code is not None:
        return pa.repeat(pa.scalar(mapping.indicator_code, pa.string()), n), pa.repeat(False, n)
    column = mapping.indicator_column
    assert column is not None
    labels = table.column(column).combine_chunks()
    keys = pa.array(list(mapping.indicator_values), pa.string())
    codes = pc.take(pa.array(list(mapping.indicator_values.values()), pa.string()), pc.index_in(labels, keys))
    bad = pc.is_null(codes)
    if pc.any(bad).as_py():
        for label in pc.unique(labels.filter(bad)).to_pylist():
            close = difflib.get_close_matches(label, list(mapping.indicator_values), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            mask = pc.and_(bad, pc.equal(labels, label))
            flag_rows(log.report, table, mask, f"no indicator for this label: add it under indicator.values{hint}",
                      column, log.file)
    return pc.fill_null(codes, ""), bad


def _units(table: pa.Table, year: pa.Array, bad_year: pa.Array, mapping: Mapping, log: ProblemLog,
           names: NameLookup | None) -> tuple[pa.Array, pa.Array]:
    """Unit code and the bad mask of each row."""
    column = mapping.unit_column
    raw = table.column(column).combine_chunks()
    n = table.num_rows
    aliased = raw
    is_alias = pa.repeat(False, n)
    if mapping.unit_aliases:
        keys = pa.array(list(mapping.unit_aliases), pa.string())
        found = pc.take(pa.array(list(mapping.unit_aliases.values()), pa.string()), pc.index_in(raw, keys))
        is_alias = pc.is_valid(found)
        aliased = pc.coalesce(found, raw)
    empty = flag_rows(log.report, table, pc.equal(raw, ""), "the unit is empty", column, log.file)
    if mapping.unit_by == "code":
        return aliased, empty
    if names is None:
        raise log.fail("unit.by: name needs the unit registry (import through dugnad import --map)")
    lookup = pc.and_(pc.and_(pc.invert(is_alias), pc.invert(empty)), pc.invert(bad_year))
    # One lookup per distinct (name, year): the pair as one dictionary-encoded text key, no join or sort.
    key = pc.binary_join_element_wise(raw, pc.cast(year, pa.string()), "\x1f")
    encoded = pc.dictionary_encode(pc.if_else(lookup, key, pa.scalar(None, pa.string())))
    matches = []
    for pair in encoded.dictionary.to_pylist():
        name, _, year_text = pair.rpartition("\x1f")
        matches.append(names(name, int(year_text)))
    codes = pc.take(pa.array([m.code for m in matches], pa.string()), encoded.indices)
    reason = pc.take(pa.array([m.reason for m in matches], pa.string()), encoded.indices)
    code = pc.if_else(is_alias, aliased, codes)
    unresolved = pc.and_(lookup, pc.is_null(code))
    bad = pc.or_(empty, unresolved)
    if pc.any(unresolved).as_py():
        for why in pc.unique(reason.filter(unresolved)).to_pylist():
            flag_rows(log.report, table, pc.and_(unresolved, pc.equal(reason, why)), why, column, log.file)
    return pc.fill_null(code, ""), bad


def _map(table: pa.Table, mapping: Mapping, log: ProblemLog, names: NameLookup | None) -> pa.Table:
    """The tidy table of the filtered file columns."""
    period, year, bad_period = _period(table, mapping, log)
    if mapping.period_from is not None or mapping.period_to is not None:
        keep = pc.invert(bad_period)
        if mapping.period_from is not None:
            keep = pc.and_(keep, pc.greater_equal(year, mapping.period_from))
        if mapping.period_to is not None:
            keep = pc.and_(keep, pc.less_equal(year, mapping.period_to))
        keep = pc.or_(pc.fill_null(keep, False), bad_period)
        table, period, year, bad_period = (table.filter(keep), period.filter(keep), year.filter(keep),
                                           bad_period.filter(keep))
    unit, bad_unit = _units(table, year, bad_period, mapping, log, names)
    indicator, bad_indicator = _indicators(table, mapping, log)
    value, status, bad_value = _values(table, mapping, log)
    bad = pc.or_(pc.or_(bad_period, bad_unit), pc.or_(bad_indicator, bad_value))
    dims = {dim: table.column(column) for column, dim in mapping.dimensions.items()}
    return pa.table({"unit": unit, "indicator": indicator, "period": period, **dims, "value": value,
                     "status": status, ROW_COLUMN: table.column(ROW_COLUMN), BAD_COLUMN: bad})


def mapping_provenance(mapping: Mapping) -> dict[str, Any]:
    """What the import run records about the mapping: its name and the source it declares."""
    return {"mapping": mapping.name, "source": dict(mapping.source)}
