"""The bounds a value typed or uploaded by a user must keep (the grid and the file upload apply the same)."""

from __future__ import annotations

from collections.abc import Iterable

from dugnad.catalogue.models import Indicator

#: Words in a unit of measure that make an indicator a percentage (values 0–100).
PERCENT_WORDS = ("%", "prosent", "percent")


def is_percentage(indicator: Indicator) -> bool:
    """Whether the indicator's values are percentages (its spec's unit of measure, else the indicator's)."""
    spec = indicator.specs.first()
    measure = ((spec.unit_of_measure if spec else "") or indicator.unit_of_measure or "").lower()
    return any(word in measure for word in PERCENT_WORDS)


def percentage_indicator_ids(ids: Iterable[int]) -> set[int]:
    """The ids among ``ids`` of indicators whose values are percentages."""
    indicators = Indicator.objects.filter(pk__in=list(ids)).prefetch_related("specs")
    return {indicator.pk for indicator in indicators if is_percentage(indicator)}
