"""Row-wise tidy input (CSV, XLSX): header checks and the collector that turns located rows into a tidy table."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyarrow as pa

from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.status import parse_tidy_status
from dugnad.analytics.formats.table import tidy_table
from dugnad.analytics.types import ObservationStatus

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_RESERVED = ("unit", "indicator", "period", "year", "value", "status")

#: Returns the location keywords (row/column/sheet) of a cell given its row number and column position
#: (position -1: the whole row).
Locator = Callable[[int, int], dict]


@dataclass(frozen=True)
class TidyHeader:
    """Positions of the tidy columns in a header row (``status`` optional, dimensions = the other columns)."""

    names: tuple[str, ...]
    unit: int
    indicator: int
    period: int
    value: int
    status: int | None
    dimensions: tuple[tuple[str, int], ...]


def parse_header(cells: Sequence[object], log: ProblemLog, locate: Locator, row: int) -> TidyHeader | None:
    """The tidy header found in ``cells`` (row ``row``), or None after recording what is wrong."""
    names = tuple("" if c is None else str(c).strip().lstrip("\ufeff") for c in cells)
    while names and names[-1] == "":
        names = names[:-1]
    ok = True
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        key = name.lower() if name.lower() in _RESERVED else name
        if not name:
            log.error("empty column name in the header", **locate(row, index))
            ok = False
        elif key in positions:
            log.error(f"column {name!r} appears twice in the header (also at position {positions[key] + 1})",
                      **locate(row, index))
            ok = False
        else:
            positions[key] = index
    if "year" in positions and "period" in positions:
        log.error("the header has both 'year' and 'period'; use one of them", **locate(row, -1))
        ok = False
    missing = [c for c in ("unit", "indicator", "value") if c not in positions]
    if "year" not in positions and "period" not in positions:
        missing.append("year|period")
    if missing:
        log.error(f"missing required column(s): {', '.join(missing)} (found: {', '.join(names) or 'nothing'})", **locate(row, -1))
        ok = False
    if not ok:
        return None
    period = positions.get("period", positions.get("year"))
    assert period is not None
    dims = tuple((name, i) for name, i in positions.items() if name not in _RESERVED)
    return TidyHeader(names=names, unit=positions["unit"], indicator=positions["indicator"], period=period,
                      value=positions["value"], status=positions.get("status"), dimensions=dims)


class TidyRows:
    """Collects located rows of a tidy file, checking values, statuses and duplicate keys."""

    def __init__(self, header: TidyHeader, log: ProblemLog, locate: Locator, *, decimal_comma: bool):
        self.header = header
        self.log = log
        self.locate = locate
        self.decimal_comma = decimal_comma
        self.columns: dict[str, list] = {n: [] for n in ("unit", "indicator", "period", "value", "status")}
        for name, _ in header.dimensions:
            self.columns[name] = []
        self.first_row: dict[tuple, int] = {}

    def add(self, row: int, cells: Sequence[object]) -> None:
        """Check one data row (its number as in the file) and keep it when it is valid."""
        h = self.header
        if len(cells) > len(h.names) and any(_text(c) for c in cells[len(h.names):]):
            self.log.error(f"row has {len(cells)} cells but the header has {len(h.names)} columns", **self.locate(row, -1))
            return
        key_cells = [(n, getattr(h, n)) for n in ("unit", "indicator", "period")] + list(h.dimensions)
        texts: dict[str, str | None] = {}
        good = True
        for name, index in key_cells:
            text = self._key_text(name, cells, index, row)
            if text is None and name in ("unit", "indicator", "period"):
                self.log.error(f"{name} is empty", **self.locate(row, index))
                good = False
            texts[name] = text
        value = self._value(cells, row)
        status = self._status(cells, row, value)
        if not good or value is False or status is None:
            return
        key = tuple(texts[n] for n, _ in key_cells)
        first = self.first_row.get(key)
        if first is not None:
            shown = ", ".join(f"{n}={texts[n]}" for n, _ in key_cells)
            self.log.error(f"duplicate observation ({shown}): same key as row {first}", **self.locate(row, -1))
            return
        self.first_row[key] = row
        for name, _ in key_cells:
            self.columns[name].append(texts[name])
        self.columns["value"].append(value)
        self.columns["status"].append(status.value)

    def _key_text(self, name: str, cells: Sequence[object], index: int, row: int) -> str | None:
        """Text of a key or dimension cell (numbers from spreadsheets written without ``.0``)."""
        cell = cells[index] if index < len(cells) else None
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        if isinstance(cell, int) and not isinstance(cell, bool) and name == "unit":
            text = str(cell)
            if len(text) in (1, 3) and text != "0":
                padded = text.zfill(len(text) + 1)
                self.log.warning(f"unit code stored as a number; read as {padded!r} (store codes as text)",
                                 value=text, **self.locate(row, index))
                return padded
        text = _text(cell)
        return text or None

    def _value(self, cells: Sequence[object], row: int) -> float | bool | None:
        """The numeric value of the row, None when empty, False after recording an error."""
        index = self.header.value
        cell = cells[index] if index < len(cells) else None
        if isinstance(cell, bool):
            self.log.error("value is a boolean, not a number", value=str(cell), **self.locate(row, index))
            return False
        if isinstance(cell, int) and abs(cell) >= 2**1023:
            self.log.error("value is too large", value=str(cell)[:30], **self.locate(row, index))
            return False
        if isinstance(cell, int | float):
            number = float(cell)
        else:
            text = _text(cell)
            if not text:
                return None
            if _NUMBER.fullmatch(text):
                number = float(text)
            elif _DECIMAL_COMMA.fullmatch(text):
                if not self.decimal_comma:
                    self.log.error("decimal comma is accepted only in ';'-separated files; use a point",
                                   value=text, **self.locate(row, index))
                    return False
                number = float(text.replace(",", "."))
            else:
                self.log.error("value is not a number", value=text, **self.locate(row, index))
                return False
        if not math.isfinite(number):
            self.log.error("value is not a finite number", value=str(cell), **self.locate(row, index))
            return False
        return number

    def _status(self, cells: Sequence[object], row: int, value: float | bool | None) -> ObservationStatus | None:
        """The row's status (given or derived from the value), None after recording an error."""
        index = self.header.status
        text = _text(cells[index]) if index is not None and index < len(cells) else ""
        if not text:
            return ObservationStatus.MISSING if value is None else ObservationStatus.OK
        status = parse_tidy_status(text)
        if status is None:
            allowed = ", ".join(s.value for s in ObservationStatus)
            self.log.error(f"unknown status (use one of {allowed}, or .. . :)", value=text, **self.locate(row, index))
            return None
        if status.has_value and value is None:
            self.log.error(f"status {status.value} needs a value", **self.locate(row, self.header.value))
            return None
        return status

    def table(self) -> pa.Table:
        """The collected rows as a tidy table."""
        return tidy_table(self.columns, [name for name, _ in self.header.dimensions])


def _text(cell: object) -> str:
    """A cell as stripped text (``""`` for None)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
