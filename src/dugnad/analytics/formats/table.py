"""The tidy observation table: its Arrow schema, builders and the ``ReadResult`` of every reader."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.types import ObservationStatus

#: Key columns that come first in every tidy table.
KEY_COLUMNS: tuple[str, ...] = ("unit", "indicator", "period")
#: Columns that come last in every tidy table.
MEASURE_COLUMNS: tuple[str, ...] = ("value", "status")
#: Columns that are never dimensions (nor is any name starting with ``_``: location and flag columns): the one list
#: every reader checks source dimension names against (tidy CSV/XLSX headers, JSON-stat, StatBank, SDMX, mappings).
#: ``note`` (the demo label) and ``carried_from`` (the origin of a carried series) are written by the CSV export and
#: ignored on import.
RESERVED_COLUMNS = frozenset({*KEY_COLUMNS, *MEASURE_COLUMNS, "year", "note", "carried_from"})
#: Columns written after the tidy columns when a table has them (the export's annotations).
NOTE_COLUMNS: tuple[str, ...] = ("carried_from", "note")
#: The status values a tidy table may carry.
STATUS_VALUES: frozenset[str] = frozenset(s.value for s in ObservationStatus)


@dataclass(frozen=True)
class ReadResult:
    """What a reader returns: the tidy table and the report of problems (warnings only when returned)."""

    table: pa.Table
    report: ValidationReport
    format: str | None = None


def tidy_schema(dimensions: Sequence[str] = ()) -> pa.Schema:
    """Arrow schema of a tidy table with the given dimension columns (between ``period`` and ``value``)."""
    fields = [pa.field(name, pa.string(), nullable=False) for name in KEY_COLUMNS]
    fields += [pa.field(name, pa.string()) for name in dimensions]
    fields += [pa.field("value", pa.float64()), pa.field("status", pa.string(), nullable=False)]
    return pa.schema(fields)


def dimension_columns(table: pa.Table) -> list[str]:
    """Names of the dimension columns of a tidy table, in table order (not reserved, not starting with ``_``)."""
    return [name for name in table.column_names if name not in RESERVED_COLUMNS and not name.startswith("_")]


def tidy_table(columns: Mapping[str, Sequence | pa.Array], dimensions: Sequence[str] = ()) -> pa.Table:
    """A tidy table built from column data (lists or Arrow arrays), in the standard column order."""
    schema = tidy_schema(dimensions)
    arrays = []
    for field in schema:
        data = columns[field.name]
        if isinstance(data, pa.ChunkedArray | pa.Array):
            arrays.append(data if data.type == field.type else data.cast(field.type))
        else:
            arrays.append(pa.array(data, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def conform_table(table: pa.Table, *, target: str = "") -> pa.Table:
    """The given table checked against the tidy contract and put in standard column order.

    Raises ``InputError`` naming the missing columns or bad status values, so writers never
    produce a file from a table that does not follow the contract.
    """
    report = ValidationReport(source=target)
    missing = [c for c in (*KEY_COLUMNS, *MEASURE_COLUMNS) if c not in table.column_names]
    if missing:
        report.add(f"table lacks the tidy column(s) {', '.join(missing)}", file=target or None)
        raise InputError(report)
    dims = dimension_columns(table)
    columns = {name: table.column(name) for name in table.column_names}
    try:
        result = tidy_table(columns, dims)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        report.add(f"table does not follow the tidy column types: {exc}", file=target or None)
        raise InputError(report) from exc
    for name in NOTE_COLUMNS:
        if name in table.column_names:
            result = result.append_column(name, table.column(name).cast(pa.string()))
    empty = [c for c in (*KEY_COLUMNS, "status") if result.column(c).null_count]
    if empty:
        report.add(f"table has empty (null) cells in {', '.join(empty)}", file=target or None)
        raise InputError(report)
    bad = set(result.column("status").unique().to_pylist()) - STATUS_VALUES
    if bad:
        report.add(f"unknown status value(s) {', '.join(sorted(map(str, bad)))}", file=target or None, column="status")
        raise InputError(report)
    return result


def format_values(values: pa.ChunkedArray | pa.Array) -> list[str]:
    """Values as short decimal strings (``245284`` not ``245284.0``; empty string for null)."""
    text = values.cast(pa.string())
    return ["" if v is None else v for v in text.to_pylist()]
