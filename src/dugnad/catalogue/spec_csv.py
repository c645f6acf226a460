"""Reading indicator-specification CSV files into checked rows with located errors (Django-free)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dugnad.analytics.report import ValidationReport

#: Columns of the scoring engine's indicator table, in order (also the output of ``indicator_specs_table``).
SCORING_COLUMNS: tuple[str, ...] = (
    "indicator", "goal", "label", "upper_bound", "lower_bound", "green", "red",
    "in_index", "applies_to", "trend_from", "trend_to",
)
#: Columns a spec CSV may add.
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "framework", "unit_of_measure", "direction", "target_2030", "aggregation", "source", "dimensions",
)
_TRUE = {"1", "true", "yes", "ja", "y", "sann"}
_FALSE = {"0", "false", "no", "nei", "n", "usann"}


class CellError(ValueError):
    """A cell value that cannot be used; the message says why."""


def _float(text: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except ValueError:
        raise CellError("not a number") from None
    if not math.isfinite(value):
        raise CellError("not a finite number")
    return value


def _goal(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 17:
        raise CellError("goal must be a whole number 1–17")
    return int(text)


def _year(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise CellError("must be a year (1900–2100)")
    return int(text)


def _bool(text: str) -> bool:
    if not text:
        return True
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise CellError("must be true/false (1/0, ja/nei)")


def _choice(*allowed: str) -> Callable[[str], str | None]:
    def parse(text: str) -> str | None:
        if not text:
            return None
        if text.lower() not in allowed:
            raise CellError(f"must be one of {', '.join(allowed)}")
        return text.lower()

    return parse


def _dimensions(text: str) -> list[str]:
    if not text:
        return []
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise CellError("not a JSON list") from None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CellError("must be a list of names")
        return value
    return [part.strip() for part in text.split("|") if part.strip()]


def _text(text: str) -> str:
    return text


#: How each column's cells are read (registry; no if/elif ladder).
PARSERS: dict[str, Callable[[str], object]] = {
    "indicator": _text, "framework": _text, "label": _text, "applies_to": _text, "unit_of_measure": _text,
    "source": _text, "goal": _goal, "upper_bound": _float, "lower_bound": _float, "green": _float, "red": _float,
    "target_2030": _float, "in_index": _bool, "trend_from": _year, "trend_to": _year,
    "direction": _choice("higher", "lower"), "aggregation": _choice("sum", "mean"), "dimensions": _dimensions,
}


@dataclass
class SpecRow:
    """One checked CSV row: where it came from and the values of the columns present."""

    row: int
    framework: str
    indicator: str
    values: dict = field(default_factory=dict)


def _check_row(row: SpecRow, file: str, report: ValidationReport) -> None:
    """Cross-column checks: bounds, direction, thresholds and trend years must agree."""
    v = row.values
    upper, lower = v.get("upper_bound"), v.get("lower_bound")
    if upper is not None and lower is not None:
        if upper == lower:
            report.add("upper_bound equals lower_bound (no range to score on)", file=file, row=row.row, column="upper_bound")
        implied = "lower" if upper < lower else "higher"
        if v.get("direction") and v["direction"] != implied and upper != lower:
            report.add(
                f"direction {v['direction']!r} contradicts the bounds "
                f"(upper_bound {upper} vs lower_bound {lower} means {implied!r})",
                file=file, row=row.row, column="direction",
            )
        if v.get("direction") is None:
            v["direction"] = implied
    green, red = v.get("green"), v.get("red")
    direction = v.get("direction")
    if green is not None and red is not None and direction and green != red and (direction == "higher") != (green > red):
        reason = f"green {green} must be better than red {red} for direction {direction!r}"
        report.add(reason, file=file, row=row.row, column="green")
    start, end = v.get("trend_from"), v.get("trend_to")
    if start is not None and end is not None and start > end:
        report.add(f"trend_from {start} is after trend_to {end}", file=file, row=row.row, column="trend_from")


def read_spec_csv(path: Path, *, framework: str | None = None) -> tuple[list[SpecRow], ValidationReport]:
    """Read and check a spec CSV; row numbers count the header as row 1. Errors are located by row and column."""
    file = path.name
    report = ValidationReport(source=str(path))
    rows: list[SpecRow] = []
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        report.add(f"cannot open: {exc.strerror}", file=file)
        return rows, report
    with handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.DictReader(handle, delimiter=delimiter)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        for column in SCORING_COLUMNS:
            if column not in header:
                report.add(f"required column {column!r} is missing", file=file, row=1, column=column)
        for column in header:
            if column not in SCORING_COLUMNS and column not in OPTIONAL_COLUMNS:
                report.warn(f"unknown column {column!r} ignored", file=file, row=1, column=column)
        if not report.ok:
            return rows, report
        seen: dict[tuple[str, str], int] = {}
        for number, raw in enumerate(reader, start=2):
            values = {}
            for column in header:
                if column not in PARSERS:
                    continue
                text = (raw.get(column) or "").strip()
                try:
                    values[column] = PARSERS[column](text)
                except CellError as exc:
                    report.add(str(exc), file=file, row=number, column=column, value=text)
            code = values.pop("indicator", "") or ""
            fw = values.pop("framework", "") or framework or ""
            if not code:
                report.add("indicator code is empty", file=file, row=number, column="indicator")
            if not fw:
                report.add("no framework: give a framework column or --framework", file=file, row=number, column="framework")
            key = (fw, code)
            if code and key in seen:
                reason = f"indicator {code!r} already specified in row {seen[key]}"
                report.add(reason, file=file, row=number, column="indicator", value=code)
            seen[key] = number
            spec_row = SpecRow(row=number, framework=fw, indicator=code, values=values)
            _check_row(spec_row, file, report)
            rows.append(spec_row)
    if not rows and report.ok:
        report.add("the file has no data rows", file=file, row=2)
    return rows, report
