"""Reads of stored observations."""

from __future__ import annotations

from dugnad.observations.models import Observation


def unit_indicator_table(unit) -> list[dict]:
    """The latest current value of each indicator of a unit (totals only, no disaggregation)."""
    latest: dict[int, dict] = {}
    rows = (
        Observation.objects.current()
        .filter(unit=unit, dimension_key="")
        .select_related("indicator")
        .order_by("indicator_id", "period")
    )
    for obs in rows:
        spec = obs.indicator.specs.first()
        latest[obs.indicator_id] = {
            "code": obs.indicator.code,
            "name": obs.indicator.name_nb,
            "goal": spec.goal_id if spec else None,
            "unit_of_measure": spec.unit_of_measure if spec else obs.indicator.unit_of_measure,
            "period": obs.period,
            "value": obs.value,
        }
    return sorted(latest.values(), key=lambda r: (r["goal"] or 99, r["code"]))
