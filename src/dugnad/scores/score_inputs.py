"""The scoring engine's three input tables built from the database, with the data-revision fingerprint of what went in."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.carry import carry_table
from dugnad.analytics.codes import ValueKind
from dugnad.analytics.types import ObservationStatus
from dugnad.catalogue.selectors import indicator_specs_current
from dugnad.observations.models import Observation
from dugnad.units.models import Unit
from dugnad.units.selectors import carry_context, populations

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
    #: Rows carried across reforms, counted by their original code(s) (``0602+0625+0711``: 40).
    carried_from: dict[str, int] = field(default_factory=dict)

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
            "kind": (ValueKind.COUNT if spec.aggregation == "sum" else ValueKind.RATE),
        })  # fmt: skip
    digest.update(json.dumps([unit_rows, ind_rows], sort_keys=True, default=str).encode())
    return unit_rows, ind_rows, skipped, digest


def _observations(ind_rows: list[dict]):
    """Current annual totals (period ``YYYY``, no disaggregation) of the given indicators, of every unit: values
    stored under codes no longer in force are carried onto the units of the run's date (``_carried``)."""
    return (
        Observation.objects.current()
        .filter(dimension_key="", period__regex=r"^[0-9]{4}$")
        .filter(indicator_id__in=[int(r["indicator"]) for r in ind_rows])
        .order_by("pk")
    )


def data_revision(*, date: dt.date | None = None) -> str:
    """The fingerprint of what a score run on the date would read (units, specs, observation ids and revisions)."""
    _, ind_rows, _, digest = _frame(date or dt.date.today())
    for pk, revision in _observations(ind_rows).values_list("pk", "revision").iterator(chunk_size=50_000):
        digest.update(f"{pk}:{revision};".encode())
    return digest.hexdigest()


def _carried(stored: pa.Table, unit_rows: list[dict], ind_rows: list[dict], day: dt.date) -> pa.Table:
    """The stored values (by unit code) carried onto the units valid on ``day``, keyed by unit id again;
    merges sum counts and population-weight rates by each indicator's ``aggregation``, splits share counts; a unit's own
    stored value for a year wins over values carried onto it (as in ``observations_carried``)."""
    context = carry_context(on=day)
    ids = {code: pk for pk, code in Unit.objects.valid_on(day).values_list("pk", "code")}
    wanted = {r["unit"] for r in unit_rows}
    kinds = {r["indicator"]: r["kind"] for r in ind_rows}
    carried = carry_table(stored, context.history, on=day, kinds=kinds, weights=context.weights,
                          valid_codes={c for c, pk in ids.items() if str(pk) in wanted}, sort=False,
                          own_wins=True).table
    units = [str(ids[c]) for c in carried.column("unit").to_pylist()]
    return pa.table({"unit": pa.array(units, pa.string()), "indicator": carried.column("indicator"),
                     "year": pc.cast(carried.column("period"), pa.int32()), "value": carried.column("value"),
                     "carried_from": carried.column("carried_from")})


def platform_inputs(*, date: dt.date | None = None) -> PlatformInputs:
    """The units valid on the date, the specs in force and the current annual totals of their observations,
    carried across reforms onto the units valid on the date (``observations.carried_from`` keeps the origin)."""
    day = date or dt.date.today()
    unit_rows, ind_rows, skipped, digest = _frame(day)
    fields = ("pk", "revision", "unit__code", "indicator_id", "period", "value", "status")
    rows = _observations(ind_rows).values_list(*fields)
    columns: dict[str, list] = {"unit": [], "indicator": [], "period": [], "value": []}
    for pk, revision, code, indicator_id, period, value, status in rows.iterator(chunk_size=50_000):
        digest.update(f"{pk}:{revision};".encode())
        columns["unit"].append(code)
        columns["indicator"].append(str(indicator_id))
        columns["period"].append(period)
        columns["value"].append(value if status in VALUE_STATUSES else None)
    schema = pa.schema([("unit", pa.string()), ("indicator", pa.string()), ("period", pa.string()), ("value", pa.float64())])
    carried = _carried(pa.table(columns, schema=schema), unit_rows, ind_rows, day)
    origins = carried.column("carried_from")
    counted = pc.value_counts(origins).to_pylist() if carried.num_rows else []
    carried_from = {d["values"]: d["counts"] for d in counted if d["values"]}
    indicators = [{k: v for k, v in r.items() if k != "kind"} for r in ind_rows]
    return PlatformInputs(
        indicators=pa.Table.from_pylist(indicators) if indicators else _empty_indicators(),
        units=pa.Table.from_pylist(unit_rows),
        observations=carried.drop_columns(["carried_from"]),
        data_revision=digest.hexdigest(),
        skipped_specs=skipped,
        carried_from=carried_from,
    )


def _empty_indicators() -> pa.Table:
    names = ["indicator", "goal", "label", "upper_bound", "lower_bound", "green", "red", "in_index", "applies_to",
             "trend_from", "trend_to", "target"]  # fmt: skip
    return pa.table({n: pa.array([], pa.string()) for n in names})
