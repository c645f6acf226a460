"""Parsing CSV rows (the `dugnad score` file contracts) into roll-up members, goalposts and values, with located errors."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.rollup.types import Aggregation, Direction, Goalpost, Member
from dugnad.analytics.types import ObservationStatus

Key = tuple[str, str, str]  # (unit, indicator, period)


def parse_number(text: str | None) -> float | None:
    """A number from a CSV cell (``,`` accepted as decimal separator); empty → None; ValueError when not a number."""
    if text is None or not text.strip():
        return None
    number = float(text.strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def members_from_rows(rows: Iterable[Mapping[str, str]], *, file: str = "units") -> list[Member]:
    """Members from units-CSV rows (``unit, name, group, tags, parent, population`` …); row 2 is the first data row."""
    report = ValidationReport(source=file)
    out: list[Member] = []
    for n, row in enumerate(rows, start=2):
        code = (row.get("unit") or "").strip()
        if not code:
            report.add("unit code is empty", file=file, row=n, column="unit")
            continue
        try:
            population = parse_number(row.get("population"))
        except ValueError:
            report.add("population is not a number", file=file, row=n, column="population", value=row.get("population"))
            continue
        if population is not None and population < 0:
            report.add("population is negative", file=file, row=n, column="population", value=row.get("population"))
        parent = (row.get("parent") or "").strip() or None
        out.append(Member(code=code, parent=parent, population=population, name=(row.get("name") or "").strip()))
    if not report.ok:
        raise InputError(report)
    return out


def goalposts_from_rows(rows: Iterable[Mapping[str, str]], *, file: str = "indicators") -> dict[str, Goalpost]:
    """Goalposts from indicator-CSV rows: ``indicator, upper_bound, lower_bound, green, red[, target, direction]``."""
    report = ValidationReport(source=file)
    out: dict[str, Goalpost] = {}
    for n, row in enumerate(rows, start=2):
        code = (row.get("indicator") or "").strip()
        if not code:
            report.add("indicator code is empty", file=file, row=n, column="indicator")
            continue
        numbers: dict[str, float | None] = {}
        for column in ("upper_bound", "lower_bound", "green", "red", "target"):
            try:
                numbers[column] = parse_number(row.get(column))
            except ValueError:
                report.add(f"{column} is not a number", file=file, row=n, column=column, value=row.get(column))
        direction = (row.get("direction") or "").strip().lower() or None
        if direction and direction not in {d.value for d in Direction}:
            report.add("direction must be 'higher' or 'lower'", file=file, row=n, column="direction", value=direction)
            continue
        aggregation = (row.get("aggregation") or "").strip().lower() or None
        if aggregation and aggregation not in {a.value for a in Aggregation}:
            report.add("aggregation must be 'mean' or 'sum'", file=file, row=n, column="aggregation", value=aggregation)
            continue
        if code in out:
            report.add("indicator occurs twice", file=file, row=n, column="indicator", value=code)
        if len(numbers) == 5:
            out[code] = Goalpost.from_spec(code, direction=direction, aggregation=aggregation, **numbers)
    if not report.ok:
        raise InputError(report)
    return out


def values_from_rows(
    rows: Iterable[Mapping[str, str]], *, file: str = "observations", year: str | None = None
) -> list[tuple[str, str, str, float | None]]:
    """Values from tidy observation rows (``unit, indicator, period|year, value[, status]``), optionally one year only."""
    report = ValidationReport(source=file)
    out: list[tuple[str, str, str, float | None]] = []
    seen: dict[Key, int] = {}
    for n, row in enumerate(rows, start=2):
        unit = (row.get("unit") or "").strip()
        indicator = (row.get("indicator") or "").strip()
        period = (row.get("period") or row.get("year") or "").strip()
        for column, text in (("unit", unit), ("indicator", indicator), ("period", period)):
            if not text:
                report.add(f"{column} is empty", file=file, row=n, column=column)
        if not (unit and indicator and period):
            continue
        if year is not None and period[:4] != year:
            continue
        try:
            value = parse_number(row.get("value"))
        except ValueError:
            report.add("value is not a number", file=file, row=n, column="value", value=row.get("value"))
            continue
        status = (row.get("status") or "").strip().lower()
        if status:
            try:
                if not ObservationStatus(status).has_value:
                    value = None  # missing, not applicable, confidential: no usable value
            except ValueError:
                report.add("unknown status", file=file, row=n, column="status", value=status)
                continue
        key = (unit, indicator, period)
        if key in seen:
            report.add(f"duplicate of row {seen[key]} (same unit, indicator and period)", file=file, row=n)
            continue
        seen[key] = n
        out.append((unit, indicator, period, value))
    if not report.ok:
        raise InputError(report)
    return out
