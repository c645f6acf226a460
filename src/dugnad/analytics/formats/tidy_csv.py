"""Tidy CSV: one observation per row (``unit, indicator, year|period, <dimensions…>, value, status``)."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.registry import TableReader, TableWriter, register_format, register_reader, register_writer
from dugnad.analytics.formats.rows import TidyRows, parse_header
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.table import dimension_columns
from dugnad.analytics.formats.tidy_csv_fast import vectorised_table

_DELIMITERS = (",", ";", "\t")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _sniff(head: bytes) -> bool:
    """Whether the first bytes look like a tidy CSV header."""
    line = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
    names = {n.strip().strip('"') for n in line.replace(";", ",").replace("\t", ",").split(",")}
    return {"unit", "indicator", "value"} <= names


register_format("csv", label="Tidy CSV", extensions=("csv", "tsv", "txt"), sniff=_sniff)


def decode_text(data: bytes, log: ProblemLog) -> str:
    """UTF-8 text (byte-order mark removed); an ``InputError`` naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise log.fail(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
                       row=line) from exc


def detect_delimiter(text: str) -> str:
    """The delimiter used in the header line: the most frequent of ``,``, ``;`` and tab (``,`` on a tie)."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


@register_reader
class TidyCsvReader(TableReader):
    """Reads a tidy CSV (UTF-8 with or without BOM; ``,``, ``;`` or tab detected from the header).

    Options: ``delimiter`` (override detection), ``decimal_comma`` (default: only for ``;`` files),
    ``fast`` (default true: clean files are read column-wise with Arrow; any problem → row by row).
    """

    format_name = "csv"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of the CSV file; problems located by row (header = row 1) and column name."""
        data = source.read_bytes()
        text = decode_text(data, log)
        if not text.strip():
            raise log.fail("the file is empty (expected a header row and data rows)")
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise log.fail("the file contains NUL bytes; it is not a text CSV file", row=line)
        delimiter = str(options.get("delimiter") or detect_delimiter(text))
        decimal_comma = bool(options.get("decimal_comma", delimiter == ";"))
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        rows: TidyRows | None = None
        names: tuple[str, ...] = ()

        def locate(row: int, index: int) -> dict:
            if index < 0:
                return {"row": row}
            return {"row": row, "column": names[index] if index < len(names) else f"#{index + 1}"}

        line_before = 0
        try:
            for cells in reader:
                row = line_before + 1
                line_before = reader.line_num
                if not cells or all(not c.strip() for c in cells):
                    continue
                if rows is None:
                    header = parse_header(cells, log, locate, row)
                    if header is None:
                        raise log.finish_error()
                    if row == 1 and options.get("fast", True):
                        table = vectorised_table(data.removeprefix(b"\xef\xbb\xbf"), header, delimiter=delimiter,
                                                 decimal_comma=decimal_comma)
                        if table is not None:
                            return table
                    names = header.names
                    rows = TidyRows(header, log, locate, decimal_comma=decimal_comma)
                    continue
                rows.add(row, cells)
        except csv.Error as exc:
            raise log.fail(f"malformed CSV: {exc}", row=reader.line_num) from exc
        if rows is None:
            raise log.fail("the file has no header row")
        table = rows.table()
        if table.num_rows == 0 and not log.has_errors:
            log.error("the file has a header but no data rows", row=1)
        return table


@register_writer
class TidyCsvWriter(TableWriter):
    """Writes the tidy table as UTF-8 CSV with a header row (options: ``delimiter``, ``bom``).

    Lines are assembled column-wise with Arrow compute; cells holding the delimiter, quotes or line
    breaks are quoted as in RFC 4180.
    """

    format_name = "csv"

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write ``unit, indicator, period, <dimensions…>, value, status`` rows to ``target``."""
        delimiter = str(options.get("delimiter") or ",")
        encoding = "utf-8-sig" if options.get("bom") else "utf-8"
        header = ["unit", "indicator", "period", *dimension_columns(table), "value", "status"]
        columns = [table.column(c) for c in header[:-2]]
        columns += [table.column("value").cast(pa.string()), table.column("status")]
        with target.open("w", encoding=encoding, newline="") as handle:
            handle.write(delimiter.join(_quoted_text(name, delimiter) for name in header) + "\n")
            if table.num_rows:
                cells = [_quoted_column(c, delimiter) for c in columns]
                lines = pc.binary_join_element_wise(*cells, delimiter)
                handle.write("\n".join(lines.to_pylist()))
                handle.write("\n")


def _quoted_column(column: pa.ChunkedArray, delimiter: str) -> pa.ChunkedArray:
    """A string column as CSV cells: nulls empty, cells with delimiter/quote/line break quoted."""
    column = pc.fill_null(column, "")
    needs = pc.match_substring_regex(column, f"[\"\r\n{re.escape(delimiter)}]")
    if not pc.any(needs).as_py():
        return column
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, column)


def _quoted_text(text: str, delimiter: str) -> str:
    """One header cell, quoted when needed."""
    if any(ch in text for ch in ('"', "\r", "\n", delimiter)):
        return '"' + text.replace('"', '""') + '"'
    return text
