"""The bounds a value typed or uploaded by a user must keep (the grid and the file upload apply the same)."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.formats.normalise import flag_rows
from dugnad.analytics.report import ValidationReport
from dugnad.catalogue.models import Indicator

#: Words in a unit of measure that make an indicator a percentage (values 0–100).
PERCENT_WORDS = ("%", "prosent", "percent")


def is_percentage(indicator: Indicator) -> bool:
    """Whether the indicator's values are percentages (its spec's unit of measure, else the indicator's).

    An indicator read with ``spec_unit_of_measure`` (its latest spec's, '' without one; see
    ``rounds.selectors.round_indicator_get``) is decided without a query.
    """
    spec_measure = getattr(indicator, "spec_unit_of_measure", None)
    if spec_measure is None:
        spec = indicator.specs.first()
        spec_measure = spec.unit_of_measure if spec else ""
    measure = (spec_measure or indicator.unit_of_measure or "").lower()
    return any(word in measure for word in PERCENT_WORDS)


def percentage_indicator_ids(ids: Iterable[int]) -> set[int]:
    """The ids among ``ids`` of indicators whose values are percentages."""
    indicators = Indicator.objects.filter(pk__in=list(ids)).prefetch_related("specs")
    return {indicator.pk for indicator in indicators if is_percentage(indicator)}


#: Why a percentage out of bounds is refused (the grid's message).
PERCENT_REASON = "En prosentandel må ligge mellom 0 og 100."


def check_bounds(table: pa.Table, report: ValidationReport, file: str | None, *, column: str = "value") -> None:
    """Report the rows of a resolved import table (``indicator_id``, ``value``, locations) that break the grid's
    bounds: a percentage below 0 or above 100. The ``check`` of ``observations_import`` for files; ``column``
    names the value column in the report (the file's own name for it)."""
    if table.num_rows == 0:
        return
    percent = percentage_indicator_ids(pc.unique(table.column("indicator_id")).to_pylist())
    if not percent:
        return
    value = table.column("value")
    out = pc.or_(pc.less(value, 0), pc.greater(value, 100))
    out = pc.and_(pc.is_in(table.column("indicator_id"), pa.array(sorted(percent), pa.int64())), out)
    if column != "value":
        table = table.append_column(column, value) if column not in table.column_names else table
    flag_rows(report, table, out, PERCENT_REASON, column, file)
