"""Registered value transformations applied to a fetched tidy table (``percent``, ``scale``, ``per_1000`` …)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.types import ObservationStatus


@dataclass(frozen=True)
class Transformation:
    """One registered transformation: what it does, what parameter it takes and whether it needs a denominator."""

    name: str
    help: str
    apply: Callable[..., pa.Table]
    parameter: str = "none"  # "none", "number" or "table"


TRANSFORMS: dict[str, Transformation] = {}


def register_transform(name: str, *, help: str, parameter: str = "none"):
    """Decorator: register ``fn(table, argument) -> table`` under ``name``."""

    def decorate(fn: Callable[..., pa.Table]) -> Callable[..., pa.Table]:
        TRANSFORMS[name] = Transformation(name=name, help=help, apply=fn, parameter=parameter)
        return fn

    return decorate


def _with_values(table: pa.Table, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    index = table.column_names.index("value")
    return table.set_column(index, "value", pc.cast(values, pa.float64()))


@register_transform("percent", help="Andel → prosent: verdien ganges med 100 / share → percent (× 100).")
def percent(table: pa.Table, _argument: object = None) -> pa.Table:
    """Values multiplied by 100 (a share 0–1 as a percentage)."""
    return _with_values(table, pc.multiply(table.column("value"), 100.0))


@register_transform("scale", help="Verdien ganges med et tall, f.eks. 0.001 for tusen / multiply by a factor.",
                    parameter="number")
def scale(table: pa.Table, factor: float) -> pa.Table:
    """Values multiplied by ``factor``."""
    return _with_values(table, pc.multiply(table.column("value"), float(factor)))


def _per(table: pa.Table, denominator: pa.Table, per: float) -> pa.Table:
    """Values divided by the denominator's value for the same unit and period, times ``per``.

    Rows without a denominator (or with 0) get no value and status ``missing``.
    """
    denominators = (
        denominator.select(["unit", "period", "value"])
        .group_by(["unit", "period"], use_threads=False)
        .aggregate([("value", "sum")])
        .rename_columns(["unit", "period", "_denominator"])
    )
    order = pa.array(range(table.num_rows), pa.int64())
    joined = (
        table.append_column("_order", order)
        .join(denominators, keys=["unit", "period"], join_type="left outer", use_threads=False)
        .sort_by("_order")
    )
    denominator_values = joined.column("_denominator")
    usable = pc.fill_null(pc.not_equal(denominator_values, 0.0), False)
    ratio = pc.multiply(pc.divide(joined.column("value"), pc.if_else(usable, denominator_values, None)), float(per))
    lost = pc.and_(pc.invert(usable), pc.is_valid(joined.column("value")))
    status = pc.if_else(lost, ObservationStatus.MISSING.value, joined.column("status"))
    joined = _with_values(joined, ratio)
    joined = joined.set_column(joined.column_names.index("status"), "status", status)
    return joined.drop_columns(["_order", "_denominator"]).select(table.column_names)


@register_transform("per_1000", help="Per 1000 innbyggere: verdien delt på befolkningen × 1000 / per 1,000 population.",
                    parameter="table")
def per_1000(table: pa.Table, denominator: pa.Table) -> pa.Table:
    """Values per 1,000 of the denominator (e.g. population) for the same unit and period."""
    return _per(table, denominator, 1000.0)


@register_transform("per_100000", help="Per 100 000 innbyggere / per 100,000 population.", parameter="table")
def per_100000(table: pa.Table, denominator: pa.Table) -> pa.Table:
    """Values per 100,000 of the denominator for the same unit and period."""
    return _per(table, denominator, 100_000.0)


@register_transform("share_percent", help="Prosent av nevneren: verdien delt på nevneren × 100 / percent of a denominator.",
                    parameter="table")
def share_percent(table: pa.Table, denominator: pa.Table) -> pa.Table:
    """Values as a percentage of the denominator for the same unit and period."""
    return _per(table, denominator, 100.0)
