"""A fetched SSB dataset as a Dugnad tidy table: JSON-stat read by the format reader, renamed to the indicator."""

from __future__ import annotations

import hashlib
import json

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.formats import read_table
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.table import ReadResult, dimension_columns


def dataset_to_tidy(dataset: dict, *, indicator: str, region_variable: str, name: str) -> ReadResult:
    """The tidy table of a JSON-stat 2.0 dataset for one Dugnad indicator.

    ``region_variable`` gets the JSON-stat role ``geo`` so the reader maps it to ``unit`` (codes
    normalised: ``K-3101`` → ``3101``, ``EAK`` → ``0``); the contents variable becomes ``indicator``
    and is replaced by the Dugnad indicator code. Dimensions with one value (the mapping's filters)
    are dropped; dimensions with several values stay as disaggregations. Raises ``InputError``.
    """
    doc = {**dataset, "role": {**(dataset.get("role") or {}), "geo": [region_variable]}}
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    result = read_table(InputSource.of(data, name=name), format="jsonstat")
    table = result.table
    table = table.set_column(table.column_names.index("indicator"), "indicator",
                             pa.array([indicator] * table.num_rows, pa.string()))
    constant = [c for c in dimension_columns(table) if pc.count_distinct(table.column(c)).as_py() <= 1]
    if constant:
        table = table.drop_columns(constant)
    return ReadResult(table=table, report=result.report)


def sum_over(table: pa.Table, variables: list[str]) -> pa.Table:
    """Rows summed over the given dimension columns per remaining key; a group with any missing value is missing."""
    present = [v for v in variables if v in table.column_names]
    if not present:
        return table
    keys = [c for c in table.column_names if c not in {*present, "value", "status"}]
    summed = table.group_by(keys, use_threads=False).aggregate(
        [("value", "sum", pc.ScalarAggregateOptions(skip_nulls=False, min_count=1))])
    summed = summed.rename_columns(["value" if c == "value_sum" else c for c in summed.column_names])
    status = pc.if_else(pc.is_valid(summed.column("value")), "ok", "missing")
    summed = summed.append_column("status", status)
    return summed.select([c for c in table.column_names if c not in present]).sort_by([(k, "ascending") for k in keys])


def table_checksum(table: pa.Table) -> str:
    """SHA-256 of a tidy table's rows (what would be stored), for the import run's checksum."""
    rows = table.to_pylist()
    text = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
