"""Tidy XLSX: the tidy CSV columns on one worksheet (openpyxl, read-only), located by sheet/row/column."""

from __future__ import annotations

import io
import warnings
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dugnad.analytics.formats.normalise import ROW_COLUMN, SHEET_COLUMN, normalise_table
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.registry import TableReader, TableWriter, register_format, register_reader, register_writer
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.table import dimension_columns
from dugnad.analytics.formats.tidy_csv import check_header, flag_duplicates
from dugnad.analytics.formats.xlsx_package import write_workbook
from dugnad.analytics.report import InputError

register_format("xlsx", label="Tidy Excel workbook (XLSX)", extensions=("xlsx", "xlsm"),
                sniff=lambda head: head.startswith(b"PK\x03\x04") and b"xl/" in head)



@register_reader
class XlsxReader(TableReader):
    """Reads a tidy worksheet (first sheet, or ``sheet=NAME``); header in the first non-empty row.

    Numbers stored as text with a decimal comma are accepted; unit codes stored as numbers get their
    leading zero back with a warning. The table keeps each record's sheet and row (``_sheet``, ``_row``).
    """

    format_name = "xlsx"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of the sheet; problems located by sheet, row and column."""
        data = source.read_bytes()
        if not data:
            raise log.fail("the file is empty")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl/zipfile/zlib/XML parsers raise many unrelated types for damaged files
            raise log.fail(f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
        try:
            return self._read_sheet(book, log, options.get("sheet"))
        except InputError:
            raise
        except Exception as exc:  # as above: a damaged sheet part surfaces while iterating rows
            raise log.fail(f"the workbook is damaged ({type(exc).__name__}: {exc})") from exc
        finally:
            book.close()

    def _read_sheet(self, book, log: ProblemLog, sheet_name: object) -> pa.Table:
        """Rows of the chosen worksheet as text columns, through the one tidy normalisation."""
        if sheet_name is not None:
            if str(sheet_name) not in book.sheetnames:
                raise log.fail(f"no sheet {sheet_name!r} (sheets: {', '.join(book.sheetnames)})", sheet=str(sheet_name))
            sheet = book[str(sheet_name)]
        else:
            if not book.sheetnames:
                raise log.fail("the workbook has no sheets")
            sheet = book[book.sheetnames[0]]
        title = sheet.title
        names: list[str] | None = None
        columns: list[list[str]] = []
        rows: list[int] = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not cells or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            if names is None:
                header_row = number
                names = check_header(cells, log, lambda i, n=number: _where(title, n, i))
                if names is None:
                    raise log.finish_error()
                columns = [[] for _ in names]
                continue
            if len(cells) > len(names) and any(_text(c) for c in cells[len(names):]):
                log.error(f"row has {len(cells)} cells but the header has {len(names)} columns",
                          **_where(title, number, -1))
                continue
            for index, name in enumerate(names):
                cell = cells[index] if index < len(cells) else None
                if name == "unit" and isinstance(cell, int | float) and not isinstance(cell, bool):
                    where = _where(title, number, index) | {"column": f"{get_column_letter(index + 1)} (unit)"}
                    cell = _unit_code(cell, log, where)
                columns[index].append(_text(cell))
            rows.append(number)
        if names is None:
            raise log.fail("the sheet is empty (expected a header row and data rows)", sheet=title)
        if not rows:
            raise log.fail("the sheet has a header but no data rows", sheet=title, row=header_row)
        raw = pa.table({**{name: pa.array(column, pa.string()) for name, column in zip(names, columns, strict=True)},
                        ROW_COLUMN: pa.array(rows, pa.int64()), SHEET_COLUMN: pa.repeat(pa.scalar(title), len(rows))})
        first = len(log.report.problems)
        table = flag_duplicates(normalise_table(raw, log.report, file=log.file, store=False), log)
        letters = {name: f"{get_column_letter(i + 1)} ({name})" for i, name in enumerate(names)}
        log.report.problems[first:] = [replace(p, column=letters.get(p.column, p.column)) if p.sheet == title else p
                                       for p in log.report.problems[first:]]
        return table


def _where(sheet: str, row: int, index: int) -> dict:
    """The location of a cell (``index`` -1: the whole row)."""
    if index < 0:
        return {"sheet": sheet, "row": row}
    return {"sheet": sheet, "row": row, "column": get_column_letter(index + 1)}  # the header: names not known yet


def _unit_code(cell: float, log: ProblemLog, where: dict) -> object:
    """A unit code stored as a number, with its leading zero back (and a warning) when it lost one."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell)
    if isinstance(cell, int) and len(text) in (1, 3) and text != "0":
        padded = text.zfill(len(text) + 1)
        log.warning(f"unit code stored as a number; read as {padded!r} (store codes as text)", value=text, **where)
        return padded
    return cell


def _text(cell: object) -> str:
    """A cell as text: numbers in their shortest exact form (``3`` not ``3.0``), dates as ISO text."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell).upper()
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, str | int):
        return str(cell).strip()
    iso = getattr(cell, "isoformat", None)
    return iso() if callable(iso) else str(cell)


@register_writer
class XlsxWriter(TableWriter):
    """Writes the tidy table to one worksheet (option ``sheet``, default ``data``); codes stay text.

    Option ``about``: rows (``(label, text)`` pairs) of a second worksheet, named by ``about_sheet`` (default
    ``om``), for what the data are (title, source, licence). Written by :mod:`.xlsx_package` (row by row,
    deterministic bytes), not openpyxl, which was most of the time of a static site build's downloads.
    """

    format_name = "xlsx"

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write a header row and one row per observation to ``target`` (and the ``about`` rows, if any)."""
        header = ["unit", "indicator", "period", *dimension_columns(table), "value", "status"]
        columns = [table.column(c).to_pylist() for c in header]
        sheets = [(str(options.get("sheet") or "data"), [header, *zip(*columns, strict=True)])]
        about = options.get("about")
        if about:
            sheets.append((str(options.get("about_sheet") or "om"), about))  # type: ignore[arg-type]
        write_workbook(target, sheets)
