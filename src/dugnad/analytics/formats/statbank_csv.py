"""SSB StatBank CSV download (Statistikkbanken): optional title line, quoted labels, one column per contents and period.

The shape, as SSB's StatBank writes it (e.g. table 07459)::

    "07459: Befolkning, etter region, alder, statistikkvariabel og år"      <- title line (optional), blank line

    "region";"alder";"Personer 2021"                                          <- header: dimensions, then
    "K-3001 Halden";"0 år";253                                                   "<contents> <period>" columns

Separator ``;``, tab or ``,``; Latin-1 (Windows-1252) or UTF-8. Regions are ``"<code> <label>"`` cells.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pyarrow as pa

from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.regions import unit_code
from dugnad.analytics.formats.registry import TableReader, register_format, register_reader
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.status import JSONSTAT_STATUS
from dugnad.analytics.formats.table import RESERVED_COLUMNS, tidy_table
from dugnad.analytics.types import ObservationStatus

#: A title line: the table number, a colon and the title (``07459: Befolkning, …``).
_TITLE = re.compile(r'^\ufeff?"?(?P<table>\d{5}): (?P<title>[^"]*)"?\s*$')
#: A value column header: contents label and a StatBank period (``2021``, ``2021K1``, ``2021M01``, ``2019-2021``).
_VALUE_HEADER = re.compile(r"^(?P<contents>.+?) (?P<period>\d{4}(?:[KMHU]\d{1,2})?|\d{4}-\d{4})$")
#: A region cell: a code (``0301``, ``K-3001``, ``F-30``, ``EAK``, ``K-Rest``) and its label.
_REGION_CELL = re.compile(r"^(?P<code>\S+)(?:\s+(?P<label>.*))?$")
_REGION_HEADERS = frozenset({"region", "kommune", "fylke", "region/kommune", "kommuneregion", "fylkesregion"})
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_DELIMITERS = (";", "\t", ",")
#: SSB's symbol for "nil" (nothing to report): the value 0.
NIL = "-"


@dataclass(frozen=True)
class StatbankTitle:
    """The title line of a StatBank download: the table number and its title."""

    table: str
    title: str


def statbank_title(data: bytes) -> StatbankTitle | None:
    """The table number and title from the first line of a StatBank download, or None when it has none."""
    first = _decode(data[:4096]).lstrip().split("\n", 1)[0].strip()
    match = _TITLE.match(first)
    return StatbankTitle(match["table"], match["title"].strip()) if match else None


def _decode(data: bytes, encoding: str | None = None) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Latin-1 (StatBank's ISO-8859-1 download)."""
    if encoding:
        return data.decode(encoding)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _sniff(head: bytes) -> bool:
    """Whether the first bytes look like a StatBank download: a title line, or a header with a ``region``
    column (or a region code in the first data row) and a ``<contents> <period>`` column."""
    lines = [line.strip() for line in _decode(head).splitlines() if line.strip()]
    if not lines:
        return False
    if _TITLE.match(lines[0]):
        return True
    cells = [c.strip().strip('"') for c in lines[0].split(_delimiter(lines[0]))]
    if not any(_VALUE_HEADER.match(c) for c in cells):
        return False
    first_data = lines[1].split(_delimiter(lines[0]))[0].strip().strip('"') if len(lines) > 1 else ""
    return bool({c.lower() for c in cells} & _REGION_HEADERS) or bool(re.match(r"^(?:[KF]-)?\d{2,4} ", first_data))


register_format("statbank-csv", label="SSB StatBank CSV download", extensions=("csv",), sniff=_sniff)


@dataclass(frozen=True)
class _Layout:
    """Where things are in the header: region column, dimension columns, value columns (contents, period)."""

    names: tuple[str, ...]
    region: int
    dimensions: tuple[tuple[str, int], ...]
    values: tuple[tuple[str, str, int], ...]


@register_reader
class StatbankCsvReader(TableReader):
    """Reads an SSB StatBank CSV download: region cell → ``unit`` (``K-3001 Halden`` → ``3001``), each
    ``<contents> <period>`` column → ``indicator`` and ``period``, other columns → dimensions.

    Options: ``indicator`` (a constant instead of the contents label), ``encoding`` (default: UTF-8 when
    the file is valid UTF-8, else Latin-1), ``delimiter`` (default: detected from the header line).
    """

    format_name = "statbank-csv"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table: one row per region row and value column; problems located by row and column."""
        data = source.read_bytes()
        try:
            text = _decode(data, str(options["encoding"]) if options.get("encoding") else None)
        except (UnicodeDecodeError, LookupError) as exc:
            raise log.fail(f"cannot decode the file as {options['encoding']}: {exc}") from exc
        if "\x00" in text:
            raise log.fail("the file contains NUL bytes; it is not a StatBank CSV download",
                           row=text.count("\n", 0, text.index("\x00")) + 1)
        lines = text.splitlines()
        header_row = _header_row(lines)
        if header_row is None:
            raise log.fail("the file is empty (expected a header row and data rows)")
        delimiter = str(options.get("delimiter") or _delimiter(lines[header_row - 1]))
        rows = _rows(lines, header_row, delimiter, log)
        layout = _layout(rows[0][1] if rows else [], header_row, log)
        return _table(layout, rows[1:], log, indicator=options.get("indicator"), decimal_comma=delimiter != ",")


def _header_row(lines: list[str]) -> int | None:
    """The row number (1-based) of the header: the first non-empty line after an optional title line."""
    filled = [i for i, line in enumerate(lines, start=1) if line.strip()]
    if not filled:
        return None
    if _TITLE.match(lines[filled[0] - 1].strip()) and len(filled) > 1:
        return filled[1]
    return filled[0]


def _rows(lines: list[str], header_row: int, delimiter: str, log: ProblemLog) -> list[tuple[int, list[str]]]:
    """Non-empty rows from the header on, each with its row number in the file."""
    reader = csv.reader(io.StringIO("\n".join(lines[header_row - 1:]), newline=""), delimiter=delimiter, strict=True)
    rows, before = [], header_row - 1
    try:
        for cells in reader:
            row, before = before + 1, header_row - 1 + reader.line_num
            if cells and any(c.strip() for c in cells):
                rows.append((row, [c.strip() for c in cells]))
    except csv.Error as exc:
        raise log.fail(f"malformed CSV: {exc}", row=header_row - 1 + reader.line_num) from exc
    return rows


def _layout(names: list[str], row: int, log: ProblemLog) -> _Layout:
    """The header's layout, or an InputError naming what is missing."""
    if not names:
        raise log.fail("the file has no header row")
    values, dimensions, region = [], [], None
    for index, name in enumerate(names):
        match = _VALUE_HEADER.match(name)
        if match:
            values.append((match["contents"].strip(), match["period"], index))
        elif not name:
            log.error("empty column name in the header", row=row, column=f"#{index + 1}")
        elif region is None and name.lower() in _REGION_HEADERS:
            region = index
        elif name.lower() in RESERVED_COLUMNS:
            log.error(f"column {name!r} clashes with a tidy column name", row=row, column=name)
        else:
            dimensions.append((name, index))
    if not values:
        log.error("no value column: StatBank puts each contents and period in a column headed "
                  "'<contents> <period>' (e.g. 'Personer 2021')", row=row)
    if region is None:
        log.error(f"no region column (expected one of: {', '.join(sorted(_REGION_HEADERS))})", row=row)
    seen = {}
    for contents, period, index in values:
        if (contents, period) in seen:
            log.error(f"column {names[index]!r} appears twice in the header", row=row, column=names[index])
        seen[(contents, period)] = index
    if log.has_errors:
        raise log.finish_error()
    assert region is not None
    return _Layout(tuple(names), region, tuple(dimensions), tuple(values))


def _table(layout: _Layout, rows: list[tuple[int, list[str]]], log: ProblemLog, *, indicator: object,
           decimal_comma: bool) -> pa.Table:
    """The tidy table of the data rows."""
    names = layout.names
    columns: dict[str, list] = {n: [] for n in ("unit", "indicator", "period", "value", "status")}
    columns.update({name: [] for name, _ in layout.dimensions})
    regions: dict[str, tuple[str, int]] = {}
    kept: dict[str, list[str]] = {}
    first: dict[tuple, int] = {}
    for row, cells in rows:
        if len(cells) != len(names):
            log.error(f"row has {len(cells)} cells but the header has {len(names)} columns", row=row)
            continue
        unit = _unit(cells[layout.region], row, names[layout.region], regions, kept, log)
        dims = [cells[i] or None for _, i in layout.dimensions]
        key = (unit, *dims)
        if key in first:
            log.error(f"the same region and categories as row {first[key]}", row=row)
            continue
        first[key] = row
        for contents, period, index in layout.values:
            parsed = _value(cells[index], decimal_comma)
            if parsed is None:
                log.error("value is not a number or a StatBank symbol (.. . : -)", row=row, column=names[index],
                          value=cells[index])
                continue
            columns["unit"].append(unit)
            columns["indicator"].append(str(indicator) if indicator else contents)
            columns["period"].append(period)
            for (name, _), dim in zip(layout.dimensions, dims, strict=True):
                columns[name].append(dim)
            columns["value"].append(parsed[0])
            columns["status"].append(parsed[1].value)
    for note, codes in kept.items():
        log.warning(f"{note}: {', '.join(codes)}", column=names[layout.region])
    if not rows and not log.has_errors:
        log.error("the file has a header but no data rows")
    if log.has_errors:
        raise log.finish_error()
    return tidy_table(columns, [name for name, _ in layout.dimensions])


def _unit(cell: str, row: int, column: str, regions: dict[str, tuple[str, int]], kept: dict[str, list[str]],
          log: ProblemLog) -> str:
    """The unit code of a region cell (``K-3001 Halden`` → ``3001``); two codes meaning one unit are an error."""
    match = _REGION_CELL.match(cell)
    if not match:
        log.error("empty region", row=row, column=column)
        return ""
    code, label = match["code"], match["label"]
    mapped = unit_code(code, label)
    if mapped.note and code not in kept.get(mapped.note, []):
        kept.setdefault(mapped.note, []).append(code)
    earlier = regions.get(mapped.unit)
    if earlier is not None and earlier[0] != code:
        log.error(f"regions {earlier[0]!r} (row {earlier[1]}) and {code!r} both mean unit {mapped.unit!r}",
                  row=row, column=column, value=cell)
    regions.setdefault(mapped.unit, (code, row))
    return mapped.unit


def _value(cell: str, decimal_comma: bool) -> tuple[float | None, ObservationStatus] | None:
    """(value, status) of a value cell: a number, a StatBank symbol, or empty (missing); None when unreadable."""
    if not cell:
        return None, ObservationStatus.MISSING
    if _NUMBER.fullmatch(cell):
        return float(cell), ObservationStatus.OK
    if decimal_comma and _DECIMAL_COMMA.fullmatch(cell):
        return float(cell.replace(",", ".")), ObservationStatus.OK
    if cell == NIL:
        return 0.0, ObservationStatus.OK
    status = JSONSTAT_STATUS.read(cell)
    return (None, status) if status is not None and not status.has_value else None
