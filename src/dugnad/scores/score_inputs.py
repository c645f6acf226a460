"""The scoring engine's three input tables built from the database, with the data-revision fingerprint of what went in."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from dugnad.analytics.types import ObservationStatus
from dugnad.catalogue.selectors import indicator_specs_current
from dugnad.observations.models import Observation
from dugnad.units.models import Unit
from dugnad.units.selectors import populations

#: Observation statuses whose value is used (others count as missing).
VALUE_STATUSES = [s.value for s in ObservationStatus if s.has_value]


@dataclass
class PlatformInputs:
    """Arrow tables for the engine (units and indicators keyed by primary key as text) and their fingerprint."""

    indicators: pa.Table
    units: pa.Table
    observations: pa.Table
    data_revision: str
    skipped_specs: dict[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """Number of units, indicators and observations that went in."""
        return {"units": self.units.num_rows, "indicators": self.indicators.num_rows, "observations": self.observations.num_rows}


def _unit_tags(unit: Unit) -> str:
    """A unit's tags for ``applies_to`` rules: its level code plus any ``tags`` attribute (list or ``|``-string)."""
    extra = unit.attributes.get("tags") or []
    if isinstance(extra, str):
        extra = extra.split("|")
    return "|".join(dict.fromkeys([unit.level.code, *(str(t).strip() for t in extra if str(t).strip())]))


def _number(value: object) -> float | None:
    try:
        return None if value is None or value == "" else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _frame(day: dt.date) -> tuple[list[dict], list[dict], dict[str, str], Any]:
    """Unit rows, indicator rows, skipped specs, and a digest already fed with units and specs."""
    digest = hashlib.sha256()
    units = list(Unit.objects.valid_on(day).select_related("level").order_by("pk"))
    unit_ids = {u.pk for u in units}
    people = populations(units, day.year)
    unit_rows = [
        {
            "unit": str(u.pk), "name": u.name, "group": str(u.attributes.get("group") or u.level.code),
            "tags": _unit_tags(u), "parent": str(u.parent_id) if u.parent_id in unit_ids else "",
            "population": _number(people[u.pk]),
        }
        for u in units
    ]  # fmt: skip
    ind_rows, skipped = [], {}
    for spec in sorted(indicator_specs_current(on=day), key=lambda s: s.indicator_id):
        code = spec.indicator.code
        if spec.goal_id is None or spec.green is None or spec.red is None:
            skipped[code] = "spec has no goal or no green/red thresholds"
            continue
        ind_rows.append({
            "indicator": str(spec.indicator_id), "goal": spec.goal_id, "label": spec.label or code,
            "upper_bound": spec.upper_bound, "lower_bound": spec.lower_bound, "green": spec.green, "red": spec.red,
            "in_index": spec.in_index, "applies_to": spec.applies_to, "trend_from": spec.trend_from,
            "trend_to": spec.trend_to, "target": spec.target_2030,
        })  # fmt: skip
    digest.update(json.dumps([unit_rows, ind_rows], sort_keys=True, default=str).encode())
    return unit_rows, ind_rows, skipped, digest


def _observations(unit_rows: list[dict], ind_rows: list[dict]):
    """Current annual totals (period ``YYYY``, no disaggregation) of the given units and indicators, by id."""
    return (
        Observation.objects.current()
        .filter(dimension_key="", period__regex=r"^[0-9]{4}$")
        .filter(unit_id__in=[int(r["unit"]) for r in unit_rows], indicator_id__in=[int(r["indicator"]) for r in ind_rows])
        .order_by("pk")
    )


def data_revision(*, date: dt.date | None = None) -> str:
    """The fingerprint of what a score run on the date would read (units, specs, observation ids and revisions)."""
    unit_rows, ind_rows, _, digest = _frame(date or dt.date.today())
    for pk, revision in _observations(unit_rows, ind_rows).values_list("pk", "revision").iterator(chunk_size=50_000):
        digest.update(f"{pk}:{revision};".encode())
    return digest.hexdigest()


def platform_inputs(*, date: dt.date | None = None) -> PlatformInputs:
    """The units valid on the date, the specs in force and the current annual totals of their observations."""
    unit_rows, ind_rows, skipped, digest = _frame(date or dt.date.today())
    fields = ("pk", "revision", "unit_id", "indicator_id", "period", "value", "status")
    rows = _observations(unit_rows, ind_rows).values_list(*fields)
    columns: dict[str, list] = {"unit": [], "indicator": [], "year": [], "value": []}
    for pk, revision, unit_id, indicator_id, period, value, status in rows.iterator(chunk_size=50_000):
        digest.update(f"{pk}:{revision};".encode())
        columns["unit"].append(str(unit_id))
        columns["indicator"].append(str(indicator_id))
        columns["year"].append(int(period))
        columns["value"].append(value if status in VALUE_STATUSES else None)
    schema = pa.schema([("unit", pa.string()), ("indicator", pa.string()), ("year", pa.int32()), ("value", pa.float64())])
    return PlatformInputs(
        indicators=pa.Table.from_pylist(ind_rows) if ind_rows else _empty_indicators(),
        units=pa.Table.from_pylist(unit_rows),
        observations=pa.table(columns, schema=schema),
        data_revision=digest.hexdigest(),
        skipped_specs=skipped,
    )


def _empty_indicators() -> pa.Table:
    names = ["indicator", "goal", "label", "upper_bound", "lower_bound", "green", "red", "in_index", "applies_to",
             "trend_from", "trend_to", "target"]  # fmt: skip
    return pa.table({n: pa.array([], pa.string()) for n in names})
