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
from dataclasses import dataclass, field
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

#: The newest mapping format version this module reads (it reads every version in ``VERSIONS``).
VERSION = 2
VERSIONS = (1, 2)
#: Encodings a mapping may name (spellings accepted → Python codec).
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "latin-1": "latin-1",
             "latin1": "latin-1", "iso-8859-1": "latin-1", "cp1252": "cp1252", "windows-1252": "cp1252"}
#: Period rules: how a period cell becomes the stored period.
PERIOD_RULES = ("year", "interval-end", "interval-start", "period", "yearly-mean")
#: How ``aggregate`` combines the values of rows that share unit, indicator, period (and dimensions).
AGGREGATE_FUNCTIONS = ("sum", "mean")
#: What ``aggregate`` does with a row without a value: the group has none (propagate) or the row is left out (skip).
AGGREGATE_MISSING = ("propagate", "skip")
#: Column of a wide file's long table holding the header of the cell's source column (for error locations).
WIDE_COLUMN = "_column"
#: Statuses a missing marker may give (those without a value).
MARKER_STATUSES = tuple(s.value for s in ObservationStatus if not s.has_value)
#: Separators sniffed from the header line when the mapping gives none.
SEPARATORS = (",", ";", "\t", "|")
#: Decimals kept after scaling (0.936 × 100 is 93.60000000000001 in binary floating point).
SCALE_DECIMALS = 10
#: Significant digits kept of a sum or mean (``aggregate``, ``yearly-mean``): 2.38 + 3352.02 + … is 2420164.07, not
#: 2420164.0700000008. More digits than any statistics office publishes.
AGGREGATE_DIGITS = 12

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
class Wide:
    """A wide file (``wide:``, version 2): header lines ``first``..``last``; the first ``keys`` columns identify the
    row, every other column is one value whose header lines give the columns named in ``parts`` (line → name)."""

    first: int
    last: int
    keys: int
    parts: dict[int, str]
    strip_labels: bool = True


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
    version: int = 1
    aggregate: str | None = None
    aggregate_missing: str = "propagate"
    months_required: int = 12
    incomplete_status: str = "missing"
    wide: Wide | None = None

    def wide_columns(self) -> set[str]:
        """Columns a wide file's long table makes from its wide columns (their header parts and the value)."""
        return set(self.wide.parts.values()) | {self.value_column} if self.wide else set()

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
                            "filter", "missing", "aggregate", "wide"})
    version = raw.get("version")
    if version not in VERSIONS or isinstance(version, bool):
        check.error("version", f"must be one of {', '.join(map(str, VERSIONS))}", version)
        version = VERSION
    for key, where in (("aggregate", raw), ("wide", raw), ("months", raw.get("period")),
                       ("incomplete", raw.get("period"))):
        if version < 2 and isinstance(where, dict) and key in where:
            check.error(key if where is raw else f"period.{key}", "needs version: 2 (docs/mapping.md)")
    source = check.text_map(raw, "source", "source")
    check.unknown(source, "source.", {"name", "url", "licence", "license", "attribution", "table", "retrieved",
                                       "note"})
    file = check.section(raw, "file")
    check.unknown(file, "file.", {"encoding", "separator", "skip_rows"})
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
    check.unknown(period, "period.", {"column", "rule", "value", "from", "to", "months", "incomplete"})
    period_column = check.text(period, "column", "period.column")
    period_value = check.text(period, "value", "period.value")
    if period and (period_column is None) == (period_value is None):
        check.error("period", "give either column (the period of each row) or value (one period for the file)")
    rule = check.text(period, "rule", "period.rule") or "year"
    if rule not in PERIOD_RULES:
        check.error("period.rule", f"unknown rule (use one of {', '.join(PERIOD_RULES)})", rule)
    if version < 2 and rule == "yearly-mean":
        check.error("period.rule", "yearly-mean needs version: 2", rule)
    months = check.number(period, "months", "period.months", integer=True)
    if months is not None and not 1 <= months <= 12:
        check.error("period.months", "must be a whole number from 1 to 12", months)
    incomplete = check.text(period, "incomplete", "period.incomplete") or "missing"
    if incomplete not in MARKER_STATUSES:
        check.error("period.incomplete", f"unknown status (use one of {', '.join(MARKER_STATUSES)})", incomplete)
    if rule != "yearly-mean":
        for key in ("months", "incomplete"):
            if key in period:
                check.error(f"period.{key}", "only applies with rule: yearly-mean")
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

    aggregate, aggregate_missing = _check_aggregate(raw, check)
    wide = _check_wide(raw, check, skip_rows=int(skip_rows))

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
        dimensions=dimensions, filters=filters, missing=missing, version=int(version),
        aggregate=aggregate, aggregate_missing=aggregate_missing, months_required=int(months or 12),
        incomplete_status=incomplete, wide=wide,
    )


def _check_aggregate(raw: dict, check: _Checker) -> tuple[str | None, str]:
    """``aggregate: {function: sum|mean, missing: propagate|skip}`` (or ``aggregate: sum``)."""
    value = raw.get("aggregate")
    if value is None:
        return None, "propagate"
    if isinstance(value, str):
        value = {"function": value}
    if not isinstance(value, dict):
        check.error("aggregate", "must be sum, mean or a mapping with function and missing", value)
        return None, "propagate"
    check.unknown(value, "aggregate.", {"function", "missing"})
    function = check.text(value, "function", "aggregate.function", required=True)
    if function is not None and function not in AGGREGATE_FUNCTIONS:
        check.error("aggregate.function", f"unknown function (use one of {', '.join(AGGREGATE_FUNCTIONS)})",
                    function)
    missing = check.text(value, "missing", "aggregate.missing") or "propagate"
    if missing not in AGGREGATE_MISSING:
        check.error("aggregate.missing", f"must be one of {', '.join(AGGREGATE_MISSING)}", missing)
    return function, missing


def _check_wide(raw: dict, check: _Checker, *, skip_rows: int) -> Wide | None:
    """``wide: {header_rows: [first, last], keys: N, parts: {line: name, …}, strip_labels: true}``."""
    if raw.get("wide") is None:
        return None
    wide = check.section(raw, "wide")
    if not wide:
        return None
    check.unknown(wide, "wide.", {"header_rows", "keys", "parts", "strip_labels"})
    rows = wide.get("header_rows")
    if isinstance(rows, int) and not isinstance(rows, bool):
        rows = [rows, rows]
    first = last = 0
    if (not isinstance(rows, list) or len(rows) != 2 or any(isinstance(r, bool) or not isinstance(r, int) for r in rows)
            or not 1 <= rows[0] <= rows[1]):
        check.error("wide.header_rows", "must be [first, last]: the file lines (first line = 1) of the header", rows)
    else:
        first, last = rows
    keys = check.number(wide, "keys", "wide.keys", integer=True)
    if keys is None or keys < 1:
        check.error("wide.keys", "is required: how many leading columns identify the row (at least 1)", keys)
    parts_raw = wide.get("parts")
    parts: dict[int, str] = {}
    if not isinstance(parts_raw, dict) or not parts_raw:
        check.error("wide.parts", "must map each header line (a number) to the column name it gives", parts_raw)
    else:
        for line, name in parts_raw.items():
            if isinstance(line, bool) or not isinstance(line, int) or (first and not first <= line <= last):
                check.error(f"wide.parts.{line}", f"must be a header line number from {first} to {last}", line)
            elif not isinstance(name, str) or not name.strip() or name.startswith("_"):
                check.error(f"wide.parts.{line}", "must be a column name (text, not starting with '_')", name)
            else:
                parts[line] = name.strip()
        if first and parts and len(parts) == len(parts_raw):
            unnamed = [n for n in range(first, last + 1) if n not in parts]
            if unnamed:
                check.error("wide.parts", f"name every header line; line(s) {', '.join(map(str, unnamed))} "
                            "have no name", unnamed)
        if len(set(parts.values())) < len(parts):
            check.error("wide.parts", "two header lines give the same column name")
    strip = wide.get("strip_labels", True)
    if not isinstance(strip, bool):
        check.error("wide.strip_labels", "must be true or false", strip)
    if skip_rows:
        check.error("file.skip_rows", "does not apply with wide: (wide.header_rows says where the header is)")
    if not check.report.ok:
        return None
    return Wide(first=first, last=last, keys=int(keys or 1), parts=parts, strip_labels=bool(strip))


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
    if mapping.wide is not None:
        table = _read_wide(data, mapping, log)
        return _map(_filter(table, mapping, None), mapping, log, names)
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
    columns = {c: pc.utf8_trim_whitespace(raw.column(c).combine_chunks()) for c in used}
    table = pa.table({**columns, ROW_COLUMN: numbers})
    blank = None
    for name in header:
        empty = pc.equal(raw.column(name), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    keep = pc.invert(blank) if blank is not None else None
    return _map(_filter(table, mapping, keep), mapping, log, names)


def _filter(table: pa.Table, mapping: Mapping, keep: pa.Array | None) -> pa.Table:
    """The rows the mapping's ``filter`` keeps (and ``keep``, the non-blank lines)."""
    for column, wanted in mapping.filters.items():
        hit = pc.is_in(table.column(column), pa.array(list(wanted), pa.string()))
        keep = hit if keep is None else pc.and_(keep, hit)
    return table.filter(keep) if keep is not None else table


def _header_lines(data: bytes, wide: Wide, log: ProblemLog) -> tuple[int, list[str]]:
    """Offset of the last header line of a wide file and the text of its header lines."""
    offset, start, lines = 0, 0, []
    for number in range(1, wide.last + 1):
        if offset >= len(data):
            raise log.fail(f"the file has fewer than {wide.last} lines (wide.header_rows)")
        end = data.find(b"\n", offset)
        chunk = data[offset:] if end == -1 else data[offset:end]
        if number >= wide.first:
            try:
                lines.append(chunk.decode("utf-8").rstrip("\r").lstrip("\ufeff"))
            except UnicodeDecodeError as exc:
                raise log.fail("the header is not UTF-8 text; set file.encoding in the mapping", row=number) from exc
        start, offset = offset, (len(data) if end == -1 else end + 1)
    return start, lines


def _label(text: str, strip: bool) -> str:
    """A header cell of a wide column: trimmed, and without its «Name: » prefix when ``strip``."""
    text = text.strip()
    if strip and ": " in text:
        text = text.split(": ", 1)[1].strip()
    return text


def _read_wide(data: bytes, mapping: Mapping, log: ProblemLog) -> pa.Table:
    """The long table of a wide file: one row per data line and wide column, with the key columns, one column per
    header line (``wide.parts``), the value column (``value.column``), ``_row`` and the source column's header."""
    wide = mapping.wide
    assert wide is not None
    offset, lines = _header_lines(data, wide, log)
    separator = mapping.separator or max(SEPARATORS, key=lines[0].count)
    cells = [[c.strip() for c in next(csv.reader([line], delimiter=separator), [])] for line in lines]
    width = max(len(c) for c in cells)
    cells = [c + [""] * (width - len(c)) for c in cells]
    if width <= wide.keys:
        raise log.fail(f"the header has {width} column(s); wide.keys leaves no value columns", row=wide.first)
    keys = [" ".join(c[i] for c in cells if c[i]) or f"#{i + 1}" for i in range(wide.keys)]
    parts: list[list[str]] = []
    spanned: list[list[str]] = []   # the header cells as written, an empty one taking the cell to its left
    for line in cells:
        row, last = [], ""
        for i in range(wide.keys, width):
            last = line[i] or last
            row.append(last)
        spanned.append(row)
    for line_index, line in enumerate(cells):
        number = wide.first + line_index
        row, last = [], ""
        for i in range(wide.keys, width):
            text = _label(line[i], wide.strip_labels) or last   # a spanned header names only its first column
            if not text:
                log.error("the header cell is empty (and no column to its left names it)", row=number,
                          column=f"#{i + 1}")
            row.append(text)
            last = text
        parts.append(row)
    labels = [" | ".join(line[j] for line in spanned if line[j]) or f"#{j + wide.keys + 1}"
              for j in range(width - wide.keys)]
    seen: dict[tuple, int] = {}
    for j in range(width - wide.keys):
        combo = tuple(p[j] for p in parts)
        if combo in seen:
            log.error(f"two columns have the same header (#{seen[combo] + 1} and #{j + wide.keys + 1})",
                      row=wide.first, column=labels[j], value=" | ".join(combo))
        seen.setdefault(combo, j + wide.keys)
    available = [*keys, *wide.parts.values(), mapping.value_column]
    if len(set(available)) < len(available):
        log.error("a key column, a wide.parts name and value.column must all differ", row=wide.first,
                  value=", ".join(available))
    for column, key in mapping.columns().items():
        if column not in available:
            close = difflib.get_close_matches(column, available, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            log.error(f"the mapping's {key} names a column that is neither a key column nor a wide.parts name"
                      f"{hint} (columns: {', '.join(available)})", row=wide.first, column=column)
    if log.has_errors:
        raise log.finish_error()
    names = [*keys, *(f"\x00{i}" for i in range(wide.keys, width))]
    body = data[offset:]
    try:
        raw, invalid = _parse(body, names, separator, threads=False)
    except pa.ArrowInvalid as exc:
        _locate_bad_utf8(body, log)
        raise log.fail(f"the file cannot be read as CSV: {exc}") from exc
    for row in invalid:
        log.error(f"expected {row.expected_columns} field(s), found {row.actual_columns}",
                  row=None if row.number is None else row.number + wide.last - 1, value=row.text[:80])
    if invalid:
        raise log.finish_error()
    n = raw.num_rows
    numbers = np.arange(wide.last + 1, wide.last + 1 + n, dtype=np.int64)
    blank = np.ones(n, dtype=bool)
    for name in names:
        blank &= pc.equal(raw.column(name), "").to_numpy(zero_copy_only=False)
    rows = np.nonzero(~blank)[0]
    count = width - wide.keys
    take = pa.array(np.tile(rows, count))
    columns: dict[str, Any] = {k: pc.take(pc.utf8_trim_whitespace(raw.column(k).combine_chunks()), take)
                               for k in keys if k in mapping.columns()}
    for (_line, name), values in zip(sorted(wide.parts.items()), parts, strict=True):
        columns[name] = pa.array(np.repeat(np.array(values, dtype=object), len(rows)), pa.string())
    columns[mapping.value_column] = pa.concat_arrays(
        [pc.utf8_trim_whitespace(raw.column(n).combine_chunks()).take(pa.array(rows)) for n in names[wide.keys:]])
    columns[ROW_COLUMN] = pa.array(np.tile(numbers[rows], count))
    columns[WIDE_COLUMN] = pa.array(np.repeat(np.array(labels, dtype=object), len(rows)), pa.string())
    return pa.table(columns)


def _flag(log: ProblemLog, table: pa.Table, bad: pa.Array, why: str, column: str | None,
          mapping: Mapping) -> pa.Array:
    """``flag_rows``; in a wide file a problem in a value or header part is located by its source column's header."""
    if column not in mapping.wide_columns() or WIDE_COLUMN not in table.column_names:
        return flag_rows(log.report, table, bad, why, column, log.file)
    bad = pc.fill_null(bad, False)
    if pc.any(bad).as_py():
        labels = table.column(WIDE_COLUMN).combine_chunks()
        for label in pc.unique(labels.filter(bad)).to_pylist():
            hits = table.filter(pc.and_(bad, pc.equal(labels, label)))
            hits = pa.table({ROW_COLUMN: hits.column(ROW_COLUMN), label: hits.column(column)})
            flag_rows(log.report, hits, pa.repeat(True, hits.num_rows), why, label, log.file)
    return bad


def _period(table: pa.Table, mapping: Mapping, log: ProblemLog) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array | None]:
    """Stored period, year (int32, null when bad), the bad-period mask and (rule yearly-mean) the month of each row."""
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
    month = None
    if rule == "yearly-mean":
        got = pc.extract_regex(text, r"^(?P<a>\d{4})(?:-(?P<m>\d{2})(?:-\d{2})?|M(?P<n>\d{2}))$")
        m, n_ = pc.struct_field(got, "m"), pc.struct_field(got, "n")   # a group that took no part is ""
        month_text = pc.if_else(pc.equal(m, ""), n_, m)
        month = pc.cast(pc.fill_null(month_text, "0"), pa.int32())
        valid = pc.and_(pc.greater_equal(month, 1), pc.less_equal(month, 12))
        year_text = pc.if_else(valid, pc.struct_field(got, "a"), pa.scalar(None, pa.string()))
        period = year_text
        why = ("the period is not a month (2024-03-01, 2024-03 or 2024M03); rule yearly-mean averages the months "
               "of each year")
    elif rule == "period":
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
    _flag(log, where, bad, why, column, mapping)
    year = pc.cast(year_text, pa.int32())
    return pc.fill_null(period, ""), year, bad, month


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
    _flag(log, table, empty,
              'the value is empty; to store it as missing, add "" under missing: in the mapping', column, mapping)
    not_number = pc.and_(pc.and_(pc.invert(numeric), pc.invert(is_marker)), pc.invert(empty))
    known = ", ".join(repr(m) for m in mapping.missing) or "none"
    _flag(log, table, not_number,
          f"the value is not a number (decimal {mapping.decimal!r}; missing markers: {known})", column, mapping)
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
            _flag(log, table, mask, f"no indicator for this label: add it under indicator.values{hint}",
                  column, mapping)
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
    empty = _flag(log, table, pc.equal(raw, ""), "the unit is empty", column, mapping)
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
            _flag(log, table, pc.and_(unresolved, pc.equal(reason, why)), why, column, mapping)
    return pc.fill_null(code, ""), bad


def _map(table: pa.Table, mapping: Mapping, log: ProblemLog, names: NameLookup | None) -> pa.Table:
    """The tidy table of the filtered file columns."""
    period, year, bad_period, month = _period(table, mapping, log)
    if mapping.period_from is not None or mapping.period_to is not None:
        keep = pc.invert(bad_period)
        if mapping.period_from is not None:
            keep = pc.and_(keep, pc.greater_equal(year, mapping.period_from))
        if mapping.period_to is not None:
            keep = pc.and_(keep, pc.less_equal(year, mapping.period_to))
        keep = pc.or_(pc.fill_null(keep, False), bad_period)
        table, period, year, bad_period = (table.filter(keep), period.filter(keep), year.filter(keep),
                                           bad_period.filter(keep))
        month = month.filter(keep) if month is not None else None
    unit, bad_unit = _units(table, year, bad_period, mapping, log, names)
    indicator, bad_indicator = _indicators(table, mapping, log)
    value, status, bad_value = _values(table, mapping, log)
    bad = pc.or_(pc.or_(bad_period, bad_unit), pc.or_(bad_indicator, bad_value))
    dims = {dim: table.column(column) for column, dim in mapping.dimensions.items()}
    tidy = pa.table({"unit": unit, "indicator": indicator, "period": period, **dims, "value": value,
                     "status": status, ROW_COLUMN: table.column(ROW_COLUMN), BAD_COLUMN: bad})
    if mapping.aggregate is None and month is None:
        return tidy
    return _aggregate(tidy, month, mapping, log)


# --- version 2: aggregate rows, yearly mean of months -------------------------------------------------------------


def _groups(table: pa.Table, columns: list[str], extra: pa.Array | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Group number of each row (groups numbered in order of first appearance) and the first row of each group."""
    arrays = [pc.fill_null(pc.cast(table.column(c).combine_chunks(), pa.string()), "") for c in columns]
    if extra is not None:
        arrays.append(pc.cast(extra, pa.string()))
    key = pc.binary_join_element_wise(*arrays, "\x1f") if len(arrays) > 1 else arrays[0]
    encoded = pc.dictionary_encode(key)
    index = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    _, first = np.unique(index, return_index=True)
    return index, first


def _significant(values: np.ndarray) -> np.ndarray:
    """``values`` rounded to ``AGGREGATE_DIGITS`` significant digits (at most ``SCALE_DECIMALS`` decimals)."""
    with np.errstate(divide="ignore"):
        magnitude = np.floor(np.log10(np.abs(values)))
    decimals = np.clip(AGGREGATE_DIGITS - 1 - np.nan_to_num(magnitude, neginf=0.0), 0, SCALE_DECIMALS).astype(int)
    return np.array([round(float(v), int(d)) for v, d in zip(values, decimals, strict=True)])


def _reduce(table: pa.Table, index: np.ndarray, first: np.ndarray, *, function: str, skip: bool,
            status_ok: str = ObservationStatus.OK.value) -> tuple[pa.Table, np.ndarray]:
    """One row per group (its first row) with the groups' sum or mean; the count of rows with a value per group.

    A group with a row without a value has no value itself (status: that row's) unless ``skip``; with ``skip`` only a
    group without any value has none. Sums are taken in file order (deterministic) and rounded like scaled values.
    """
    groups = len(first)
    values = table.column("value").combine_chunks().to_numpy(zero_copy_only=False).astype(np.float64)
    has = ~np.isnan(values)
    total = np.bincount(index, weights=np.where(has, values, 0.0), minlength=groups)
    counted = np.bincount(index, weights=has, minlength=groups).astype(np.int64)
    rows = np.bincount(index, minlength=groups)
    result = total if function == "sum" else total / np.maximum(counted, 1)
    complete = counted > 0 if skip else counted == rows
    status = np.array(table.column("status").to_pylist(), dtype=object)
    group_status = np.full(groups, status_ok, dtype=object)
    lacking = np.nonzero(~has)[0]
    if len(lacking):
        seen, at = np.unique(index[lacking], return_index=True)
        group_status[seen] = status[lacking[at]]
    group_status[complete] = status_ok
    out = table.take(pa.array(first))
    value = pa.array(np.where(complete, _significant(result), np.nan), pa.float64(), from_pandas=True)
    out = out.set_column(out.column_names.index("value"), "value", value)
    out = out.set_column(out.column_names.index("status"), "status", pa.array(group_status.tolist(), pa.string()))
    return out, counted


def _aggregate(table: pa.Table, month: pa.Array | None, mapping: Mapping, log: ProblemLog) -> pa.Table:
    """Rows sharing unit, indicator, period and dimensions (and month, for yearly-mean) combined by ``aggregate``;
    then, for ``yearly-mean``, the months of each year averaged. Rows with a problem are kept as they are."""
    bad = table.column(BAD_COLUMN).combine_chunks().to_numpy(zero_copy_only=False)
    good = pa.array(~bad)
    broken = table.filter(pa.array(bad))
    table = table.filter(good)
    keys = [c for c in table.column_names if c not in ("value", "status", ROW_COLUMN, BAD_COLUMN)]
    if month is not None:
        month = month.filter(good)
        table = table.append_column("_month", month)
    if table.num_rows == 0:
        return broken
    if mapping.aggregate is not None:
        index, first = _groups(table, keys, month)
        table, _ = _reduce(table, index, first, function=mapping.aggregate, skip=mapping.aggregate_missing == "skip")
    elif month is not None:
        index, first = _groups(table, keys, month)
        rows = np.bincount(index)
        twice = np.isin(index, np.nonzero(rows > 1)[0])
        if twice.any():
            column = mapping.period_column or "period.value"
            flag = table.filter(pa.array(twice))
            shown = [f"{p}-{m:02d}" for p, m in zip(flag.column("period").to_pylist(),
                                                    flag.column("_month").to_pylist(), strict=True)]
            flag_rows(log.report, flag.append_column(column, pa.array(shown, pa.string())),
                      pa.repeat(True, flag.num_rows),
                      "the month appears on more than one row for the same unit, indicator and dimensions; filter "
                      "the rows or sum them (aggregate: in the mapping)", column, log.file)
            flagged = table.filter(pa.array(twice)).drop_columns(["_month"])
            flagged = flagged.set_column(flagged.column_names.index(BAD_COLUMN), BAD_COLUMN,
                                         pa.repeat(True, flagged.num_rows))
            broken = pa.concat_tables([broken, flagged])
            table = table.filter(pa.array(~twice))
    if month is not None and table.num_rows:
        index, first = _groups(table, keys)
        table, months = _reduce(table, index, first, function="mean", skip=True)
        short = months < mapping.months_required
        if short.any():
            value = table.column("value").combine_chunks().to_numpy(zero_copy_only=False)
            status = np.array(table.column("status").to_pylist(), dtype=object)
            status[short & (months > 0)] = mapping.incomplete_status   # no month at all: the months' own status
            table = table.set_column(table.column_names.index("value"), "value",
                                     pa.array(np.where(short, np.nan, value), pa.float64(), from_pandas=True))
            table = table.set_column(table.column_names.index("status"), "status", pa.array(status.tolist()))
            column = mapping.period_column or "period.value"
            told = short & (months > 0)   # a year without any month keeps its markers' status, without a warning
            for row, unit, period, got in zip(table.column(ROW_COLUMN).filter(pa.array(told)).to_pylist(),
                                              table.column("unit").filter(pa.array(told)).to_pylist(),
                                              table.column("period").filter(pa.array(told)).to_pylist(),
                                              months[told].tolist(), strict=True):
                log.warning(f"{got} of {mapping.months_required} required months have a value: stored without a "
                            f"value, status {mapping.incomplete_status} (period.months)", row=row, column=column,
                            value=f"{unit} {period}")
    if "_month" in table.column_names:
        table = table.drop_columns(["_month"])
    return pa.concat_tables([table, broken]) if broken.num_rows else table


def mapping_provenance(mapping: Mapping) -> dict[str, Any]:
    """What the import run records about the mapping: its name and the source it declares."""
    return {"mapping": mapping.name, "source": dict(mapping.source)}
