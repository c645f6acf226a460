"""Small builders for observation tests: a few units (with a reform) and indicators, tidy tables and CSV files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
from tests.factories import FrameworkFactory, IndicatorFactory, LevelFactory, UnitFactory

from dugnad.imports.services import observations_import


def make_registry() -> dict:
    """Units 0, 0301 Oslo, 3001 Halden (2020–2023), 3101 Halden (2024–), 9999 reused in 2020; and indicators.

    Indicators: ``A1`` and ``B1`` in framework ``test``, and ``3.2.1`` in both ``un`` and ``no`` (ambiguous).
    """
    country = LevelFactory(code="country")
    municipality = LevelFactory(code="municipality")
    units = {
        "0": UnitFactory(code="0", level=country, name="Norge", valid_from=dt.date(1900, 1, 1)),
        "0301": UnitFactory(code="0301", level=municipality, name="Oslo", valid_from=dt.date(1838, 1, 1)),
        "3001": UnitFactory(code="3001", level=municipality, name="Halden", valid_from=dt.date(2020, 1, 1),
                            valid_to=dt.date(2024, 1, 1)),
        "3101": UnitFactory(code="3101", level=municipality, name="Halden", valid_from=dt.date(2024, 1, 1)),
        "9999-old": UnitFactory(code="9999", level=municipality, name="Gamle", valid_from=dt.date(2000, 1, 1),
                                valid_to=dt.date(2020, 1, 1)),
        "9999-new": UnitFactory(code="9999", level=municipality, name="Nye", valid_from=dt.date(2020, 1, 1)),
    }
    test, un, no = (FrameworkFactory(code=c) for c in ("test", "un", "no"))
    indicators = {
        "A1": IndicatorFactory(framework=test, code="A1"),
        "B1": IndicatorFactory(framework=test, code="B1"),
        "un:3.2.1": IndicatorFactory(framework=un, code="3.2.1"),
        "no:3.2.1": IndicatorFactory(framework=no, code="3.2.1"),
    }
    return {"units": units, "indicators": indicators}


def tidy(rows: list[dict]) -> pa.Table:
    """A tidy table from row dictionaries; values become text when any value is text (as read from a file)."""
    if any(isinstance(r.get("value"), str) for r in rows):
        rows = [dict(r, value=None if r.get("value") is None else str(r["value"])) for r in rows]
    return pa.Table.from_pylist(rows)


def write_csv(path: Path, text: str) -> Path:
    """Write CSV text (dedented lines) to ``path`` and return it."""
    path.write_text("\n".join(line.strip() for line in text.strip().splitlines()) + "\n", encoding="utf-8")
    return path


def run_import(rows: list[dict], **options):
    """Import row dictionaries with the service as a CSV-like source."""
    options.setdefault("source", "test.csv")
    options.setdefault("kind", "csv")
    return observations_import(table=tidy(rows), **options)
