"""JSON-stat 2.0 writer: the tidy table as one dataset (Region × dimensions × ContentsCode × Tid)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pyarrow as pa

from dugnad.analytics.formats.registry import TableWriter, register_writer
from dugnad.analytics.formats.status import JSONSTAT_STATUS
from dugnad.analytics.formats.table import dimension_columns
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.types import ObservationStatus

#: Dimension id and role written for each tidy key column.
KEY_DIMENSIONS = {"unit": ("Region", "geo"), "indicator": ("ContentsCode", "metric"), "period": ("Tid", "time")}


def jsonstat_document(table: pa.Table, *, label: str = "", source: str = "Dugnad") -> dict:
    """The tidy table as a JSON-stat 2.0 dataset dictionary (dense ``value``, sparse ``status``).

    Cube cells with no row in the table get ``null`` and no status; rows with a non-ok status get
    the JSON-stat symbol (``..``, ``.``, ``:``, ``p`` for provisional). Null dimension values are
    written as the category ``""``.
    """
    dims = dimension_columns(table)
    order = ["unit", *dims, "indicator", "period"]
    ids = [KEY_DIMENSIONS[c][0] if c in KEY_DIMENSIONS else c for c in order]
    if len(set(ids)) != len(ids):
        report = ValidationReport(source=label)
        report.add(f"dimension column names clash with the JSON-stat ids {', '.join(sorted(set(ids)))}")
        raise InputError(report)
    columns = {c: ["" if v is None else v for v in table.column(c).to_pylist()] for c in order}
    categories = {c: sorted(set(columns[c]), key=_sort_key) for c in order}
    positions = {c: {code: i for i, code in enumerate(categories[c])} for c in order}
    sizes = [len(categories[c]) for c in order]
    size = math.prod(sizes)
    value: list[float | None] = [None] * size
    status: dict[str, str] = {}
    for row, cell_value, cell_status in zip(zip(*(columns[c] for c in order), strict=True),
                                            table.column("value").to_pylist(),
                                            table.column("status").to_pylist(), strict=True):
        flat = 0
        for c, code, n in zip(order, row, sizes, strict=True):
            flat = flat * n + positions[c][code]
        value[flat] = _json_number(cell_value)
        symbol = JSONSTAT_STATUS.write(ObservationStatus(cell_status))
        if symbol:
            status[str(flat)] = symbol
    dimension = {}
    for column, dim_id in zip(order, ids, strict=True):
        dimension[dim_id] = {
            "label": dim_id,
            "category": {
                "index": {code: i for i, code in enumerate(categories[column])},
                "label": {code: code for code in categories[column]},
            },
        }
    document: dict = {
        "version": "2.0",
        "class": "dataset",
        "label": label or "Dugnad observations",
        "source": source,
        "id": ids,
        "size": sizes,
        "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
        "dimension": dimension,
        "value": value,
    }
    if status:
        document["status"] = status
    return document


@register_writer
class JsonStatWriter(TableWriter):
    """Writes the tidy table as a JSON-stat 2.0 dataset (options: ``label``, ``source``, ``indent``).

    Options for a dataset that explains itself (the portal's downloads): ``labels`` (``dimension id → code → label``,
    e.g. unit names for ``Region``), ``note`` (a list of texts), ``href`` and ``extension`` (a dictionary), written
    as JSON-stat's ``category.label``, ``note``, ``href`` and ``extension``.
    """

    format_name = "jsonstat"

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write the dataset as UTF-8 JSON to ``target``."""
        document = jsonstat_document(table, label=str(options.get("label") or ""),
                                     source=str(options.get("source") or "Dugnad"))
        for dim, names in dict(options.get("labels") or {}).items():  # type: ignore[call-overload]
            category = document["dimension"].get(dim, {}).get("category")
            if category is not None:
                category["label"] = {code: names.get(code, code) for code in category["index"]}
        for key in ("note", "href", "extension"):
            if options.get(key):
                document[key] = options[key]
        indent = options.get("indent")
        # json.dumps, not json.dump: one call to the C encoder instead of Python's chunk by chunk (same text)
        target.write_text(json.dumps(document, ensure_ascii=False, indent=int(indent) if indent else None,
                                     separators=None if indent else (",", ":")), encoding="utf-8")


def _json_number(value: float | None) -> float | int | None:
    """A float as the shortest JSON number (integers without ``.0``)."""
    if value is None:
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _sort_key(code: str) -> tuple:
    """Sort categories numerically where they are numbers, then as text."""
    return (0, int(code), code) if code.isdigit() else (1, 0, code)
