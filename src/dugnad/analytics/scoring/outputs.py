"""Writing a scoring result as CSV files plus ``run.json``, atomically (temp dir, then rename).

The files are written by DuckDB straight from the engine's tables (or from Arrow result tables). Floats are
written in the shortest form that reads back to the identical double (e.g. ``90`` or ``0.30000000000000004``),
whole numbers without a decimal point, so 1e-9 comparisons of the files are exact; NULL is an empty cell and
a text cell is quoted only when it holds a comma, quote or line break.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from dugnad.analytics.scoring.sql import sql_text
from dugnad.common.files import atomic_directory

#: CSV columns of each output file (the file contract; Arrow tables may carry more).
OUTPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator_scores": ("unit", "indicator", "year", "value", "score", "colour", "trend"),
    "goal_scores": ("unit", "goal", "score", "colour", "trend"),
    "index": ("unit", "score", "rank", "missing_share"),
    "group_goal_scores": ("group", "goal", "score"),
}

#: Floating-point columns, written in shortest round-trip form.
NUMBER_COLUMNS = frozenset({"value", "score", "ratio", "missing_share"})

_NUMBER_MACRO = """CREATE OR REPLACE TEMP MACRO csv_number(x) AS
    CASE WHEN x = trunc(x) AND abs(x) < 1e16 THEN CAST(CAST(x AS BIGINT) AS VARCHAR) ELSE CAST(x AS VARCHAR) END"""


def write_csv(con: duckdb.DuckDBPyConnection, query: str, columns: tuple[str, ...], path: Path) -> None:
    """Write selected columns of a query's rows, in the query's order, as UTF-8 CSV with a header."""
    con.execute(_NUMBER_MACRO)
    select = ", ".join(f'csv_number("{c}") AS "{c}"' if c in NUMBER_COLUMNS else f'"{c}"' for c in columns)
    con.execute(f"COPY (SELECT {select} FROM ({query})) TO '{sql_text(str(path))}' (FORMAT csv, HEADER true, DELIMITER ',')")


def write_tables(con: duckdb.DuckDBPyConnection, queries: dict[str, str], metadata: dict, out_dir: str | Path) -> Path:
    """Write the four CSV files from queries in ``con`` and run.json into ``out_dir`` (replaced atomically)."""
    target = Path(out_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    con.execute("SET preserve_insertion_order = true")  # COPY keeps each query's ORDER BY
    with atomic_directory(target) as staging:
        for name, columns in OUTPUT_COLUMNS.items():
            write_csv(con, queries[name], columns, staging / f"{name}.csv")
        with open(staging / "run.json", "w", encoding="utf-8") as fh:
            json.dump(metadata, fh, ensure_ascii=False, indent=2, default=str)
    return target


def write_outputs(result: Any, out_dir: str | Path) -> Path:
    """Write a :class:`ScoreResult`'s four CSV files and run.json into ``out_dir`` (atomically); returns it."""
    con = duckdb.connect(":memory:")
    try:
        for name in OUTPUT_COLUMNS:
            con.register(f"{name}_arrow", getattr(result, name))
        return write_tables(con, {name: f"SELECT * FROM {name}_arrow" for name in OUTPUT_COLUMNS}, result.metadata,
                            out_dir)
    finally:
        con.close()
