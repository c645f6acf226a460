"""Tidy XLSX: the tidy CSV columns on one worksheet (openpyxl, read-only), located by sheet/row/column."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pyarrow as pa
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.registry import TableReader, TableWriter, register_format, register_reader, register_writer
from dugnad.analytics.formats.rows import TidyRows, parse_header
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.table import dimension_columns
from dugnad.analytics.report import InputError

register_format("xlsx", label="Tidy Excel workbook (XLSX)", extensions=("xlsx", "xlsm"),
                sniff=lambda head: head.startswith(b"PK\x03\x04") and b"xl/" in head)



@register_reader
class XlsxReader(TableReader):
    """Reads a tidy worksheet (first sheet, or ``sheet=NAME``); header in the first non-empty row.

    Numbers stored as text with a decimal comma are accepted; unit codes stored as numbers get their
    leading zero back with a warning.
    """

    format_name = "xlsx"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of the sheet; problems located by sheet, row and column letter (with header name)."""
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
        """Rows of the chosen worksheet through the tidy row checks."""
        if sheet_name is not None:
            if str(sheet_name) not in book.sheetnames:
                raise log.fail(f"no sheet {sheet_name!r} (sheets: {', '.join(book.sheetnames)})", sheet=str(sheet_name))
            sheet = book[str(sheet_name)]
        else:
            if not book.sheetnames:
                raise log.fail("the workbook has no sheets")
            sheet = book[book.sheetnames[0]]
        title = sheet.title
        names: tuple[str, ...] = ()

        def locate(row: int, index: int) -> dict:
            if index < 0:
                return {"sheet": title, "row": row}
            name = names[index] if index < len(names) else ""
            letter = get_column_letter(index + 1)
            return {"sheet": title, "row": row, "column": f"{letter} ({name})" if name else letter}

        rows: TidyRows | None = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not cells or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            values = [_cell(c) for c in cells]
            if rows is None:
                header = parse_header(values, log, locate, number)
                if header is None:
                    raise log.finish_error()
                names = header.names
                rows = TidyRows(header, log, locate, decimal_comma=True)
                continue
            rows.add(number, values)
        if rows is None:
            raise log.fail("the sheet is empty (expected a header row and data rows)", sheet=title)
        table = rows.table()
        if table.num_rows == 0 and not log.has_errors:
            log.error("the sheet has a header but no data rows", sheet=title)
        return table


def _cell(value: object) -> object:
    """A cell value as text or number (dates and times as ISO text)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    iso = getattr(value, "isoformat", None)
    return iso() if callable(iso) else str(value)


@register_writer
class XlsxWriter(TableWriter):
    """Writes the tidy table to one worksheet (option ``sheet``, default ``data``); codes stay text."""

    format_name = "xlsx"

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write a header row and one row per observation to ``target``."""
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(options.get("sheet") or "data"))
        header = ["unit", "indicator", "period", *dimension_columns(table), "value", "status"]
        sheet.append(header)
        columns = [table.column(c).to_pylist() for c in header]
        for row in zip(*columns, strict=True):
            sheet.append(list(row))
        book.save(target)
