"""Writing a scoring result as CSV files plus ``run.json``, atomically (temp dir, then rename).

Floats are written in the shortest form that reads back to the identical double (e.g. ``90`` or
``0.30000000000000004``), so 1e-9 comparisons of the files are exact.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dugnad.analytics.scoring.types import ScoreResult
from dugnad.common.files import atomic_directory

#: CSV columns of each output file (the file contract; Arrow tables may carry more).
OUTPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator_scores": ("unit", "indicator", "year", "value", "score", "colour", "trend"),
    "goal_scores": ("unit", "goal", "score", "colour", "trend"),
    "index": ("unit", "score", "rank", "missing_share"),
    "group_goal_scores": ("group", "goal", "score"),
}


def _needs_quoting(table: pa.Table) -> bool:
    """Whether any string cell contains a delimiter, quote or line break."""
    for column in table.columns:
        is_text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
        if is_text and pc.any(pc.match_substring_regex(column, r'[,"\r\n]')).as_py():
            return True
    return False


def write_csv(table: pa.Table, columns: tuple[str, ...], path: Path) -> None:
    """Write selected columns of an Arrow table as UTF-8 CSV; floats in shortest round-trip form, null = empty."""
    selected = table.select(list(columns))
    style = "needed" if _needs_quoting(selected) else "none"
    with open(path, "wb") as fh:
        fh.write((",".join(columns) + "\n").encode("utf-8"))
        pacsv.write_csv(selected, fh, pacsv.WriteOptions(include_header=False, quoting_style=style))


def write_outputs(result: ScoreResult, out_dir: str | Path) -> Path:
    """Write the four CSV files and run.json into ``out_dir`` (created or replaced atomically); returns it."""
    target = Path(out_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_directory(target) as staging:
        for name, columns in OUTPUT_COLUMNS.items():
            write_csv(getattr(result, name), columns, staging / f"{name}.csv")
        with open(staging / "run.json", "w", encoding="utf-8") as fh:
            json.dump(result.metadata, fh, ensure_ascii=False, indent=2, default=str)
    return target
