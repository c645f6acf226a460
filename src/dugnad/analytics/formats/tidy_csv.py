"""Tidy CSV: one observation per row (``unit, indicator, year|period, <dimensions…>, value, status``).

The one CSV reader of Dugnad: Arrow parses the body as text, every record keeps its file row (``_row``) and
the one normalisation (``normalise.py``) checks and converts the values; every problem is reported with
its row and column, and bad rows are flagged, not dropped. ``check_header`` is shared with the XLSX reader.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dugnad.analytics.formats.lines import check_line_lengths
from dugnad.analytics.formats.normalise import ROW_COLUMN, find_duplicates, normalise_table
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.registry import TableReader, TableWriter, register_format, register_reader, register_writer
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.table import NOTE_COLUMNS, RESERVED_COLUMNS, dimension_columns

#: The delimiters a tidy CSV may use (detected from the header line).
DELIMITERS = (",", ";", "\t")


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
        raise log.fail("the file is not UTF-8 text; save it as UTF-8", row=line) from exc


def detect_delimiter(text: str) -> str:
    """The delimiter of the header (first) line: the most frequent of ``,``, ``;`` and tab (``,`` on a tie)."""
    line = text.split("\n", 1)[0]
    counts = {d: line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def check_header(cells: Sequence[object], log: ProblemLog, where: Callable[[int], dict]) -> list[str] | None:
    """The column names of a tidy header row (reserved names lower-cased), or None after logging what is wrong.

    ``where(i)`` gives the location of header cell ``i`` (``-1``: the whole row).
    """
    names = ["" if c is None else str(c).strip().lstrip("\ufeff").strip('"').strip() for c in cells]
    while names and names[-1] == "":
        names.pop()
    lowered = [n.lower() if n.lower() in RESERVED_COLUMNS else n for n in names]
    ok = True
    seen: set[str] = set()
    for index, name in enumerate(lowered):
        if not name:
            log.error("empty column name in the header", **where(index))
        elif name in seen:
            log.error("column appears twice in the header", **{**where(index), "column": name})
        elif name.startswith("_") or "=" in name or "|" in name:
            log.error("column names may not start with '_' or contain '=' or '|'", **{**where(index), "column": name})
        else:
            seen.add(name)
            continue
        ok = False
    if "year" in seen and "period" in seen:
        log.error("the header has both 'year' and 'period'; use one of them", **where(-1))
        ok = False
    required = [c for c in ("unit", "indicator", "value") if c not in seen]
    if "year" not in seen and "period" not in seen:
        required.append("year (or period)")
    if required:
        log.error(f"missing required column(s): {', '.join(required)}", value=", ".join(names), **where(-1))
        ok = False
    return lowered if ok else None


def _parse(data: bytes, names: list[str], delimiter: str, *, threads: bool) -> tuple[pa.Table, list]:
    """The CSV body as string columns, and the malformed rows that were skipped."""
    invalid: list[pacsv.InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row)
        return "skip"

    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(use_threads=threads, column_names=names, skip_rows=1, encoding="utf8",
                                       block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False,
                                          invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    return table, invalid


def read_tidy_csv(data: bytes, log: ProblemLog, *, delimiter: str | None = None, duplicates: bool = True) -> pa.Table:
    """The normalised tidy table of CSV bytes, with ``_row`` and ``_bad`` columns; problems go to ``log``.

    UTF-8 (BOM allowed), delimiter ``,``, ``;`` or tab detected from the header. Rows are numbered as
    records with the header as row 1 (equal to line numbers unless quoted values hold line breaks);
    blank lines count but are skipped. Duplicate keys are reported against the first row with that key (unless
    ``duplicates`` is false: the store checks them on resolved codes anyway).
    """
    report, file = log.report, log.file
    if not check_line_lengths(data, report, file=file or ""):
        raise log.finish_error()
    data = data.removeprefix(b"\xef\xbb\xbf")
    line = decode_text(data.split(b"\n", 1)[0], log)  # the body's encoding is checked by Arrow as it parses
    if not line.strip():
        raise log.fail("the file is empty (expected a header row and data rows)")
    if b"\x00" in data:
        raise log.fail("the file contains NUL bytes; it is not a text CSV file",
                       row=data.count(b"\n", 0, data.index(b"\x00")) + 1)
    delimiter = delimiter or detect_delimiter(line)
    names = check_header(line.rstrip("\r\n").split(delimiter), log, lambda i: {"row": 1})
    if names is None:
        raise log.finish_error()
    try:
        raw, invalid = _parse(data, names, delimiter, threads=True)
        if invalid:  # row numbers of malformed rows are only known when parsing on one thread
            raw, invalid = _parse(data, names, delimiter, threads=False)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        decode_text(data, log)  # names the line of a bad byte, if that is the cause
        raise log.fail(f"the file cannot be read as CSV: {exc}") from exc
    for row in invalid:
        log.error(f"expected {row.expected_columns} field(s), found {row.actual_columns}", row=row.number,
                  value=row.text[:80])
    bad_rows = [row.number for row in invalid if row.number is not None]
    numbers = pa.array(np.arange(2, raw.num_rows + len(bad_rows) + 2, dtype=np.int64))
    if bad_rows:
        numbers = numbers.filter(pc.invert(pc.is_in(numbers, pa.array(bad_rows, type=pa.int64()))))
    raw = raw.append_column(ROW_COLUMN, numbers)
    blank = None
    for name in names:
        empty = pc.equal(raw.column(name), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is not None and pc.any(blank).as_py():
        raw = raw.filter(pc.invert(blank))
    if raw.num_rows == 0 and not invalid:
        raise log.fail("the file has a header but no data rows", row=1)
    table = normalise_table(raw, report, file=file, store=False)
    return flag_duplicates(table, log) if duplicates else table


def flag_duplicates(table: pa.Table, log: ProblemLog, *, file: str | None = None) -> pa.Table:
    """The normalised table with rows repeating an earlier row's key reported and flagged bad."""
    keys = ["unit", "indicator", "period", *dimension_columns(table)]
    good = pc.invert(table.column("_bad"))
    repeat = find_duplicates(table.filter(good), keys, log.report, file=file or log.file)
    if not pc.any(repeat).as_py():
        return table
    positions = pc.indices_nonzero(good)
    bad = table.column("_bad").combine_chunks().to_numpy(zero_copy_only=False).copy()
    bad[positions.filter(repeat).to_numpy()] = True
    return table.set_column(table.column_names.index("_bad"), "_bad", pa.array(bad))


@register_reader
class TidyCsvReader(TableReader):
    """Reads a tidy CSV (UTF-8 with or without BOM; ``,``, ``;`` or tab detected from the header).

    Options: ``delimiter`` (override detection), ``duplicates`` (false: leave the duplicate-key check to the
    store). Decimal commas (``1,5``) and spaces between thousands are
    accepted in values. The table keeps the file row of each record (``_row``) and flags bad rows (``_bad``).
    """

    format_name = "csv"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of the CSV file; problems located by row (header = row 1) and column name."""
        delimiter = options.get("delimiter")
        return read_tidy_csv(source.read_bytes(), log, delimiter=str(delimiter) if delimiter else None,
                             duplicates=bool(options.get("duplicates", True)))


@register_writer
class TidyCsvWriter(TableWriter):
    """Writes the tidy table as UTF-8 CSV with a header row (options: ``delimiter``, ``bom``).

    Lines are assembled column-wise with Arrow compute; cells holding the delimiter, quotes or line
    breaks are quoted as in RFC 4180. The export's ``carried_from`` and ``note`` columns are written last.
    """

    format_name = "csv"

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write ``unit, indicator, period, <dimensions…>, value, status[, carried_from][, note]`` rows to ``target``."""
        delimiter = str(options.get("delimiter") or ",")
        encoding = "utf-8-sig" if options.get("bom") else "utf-8"
        header = ["unit", "indicator", "period", *dimension_columns(table), "value", "status"]
        header += [c for c in NOTE_COLUMNS if c in table.column_names]
        columns = [table.column(c) if c != "value" else table.column(c).cast(pa.string()) for c in header]
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
