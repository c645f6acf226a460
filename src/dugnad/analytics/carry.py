"""Carrying whole observation tables across municipal reforms in one DuckDB query (vectorised).

The rules are those of ``dugnad.analytics.codes`` (which carries records one by one): a value keyed by the code
valid at the start of its period follows the registry's code changes up to ``on``. Recodes and renames pass
through; merges sum counts and weight rates by the old units' population (equal weights when a source has no
figure: the ``carry_weighting`` column says which); splits share counts by the change's weight (population
where the registry knows it) and keep rates. Every carried row keeps its origin in ``carried_from``: the
original code(s) joined by ``+``, empty when the value was not carried.

Only the distinct (code, period) pairs go through Python (a few thousand for a national table); the rows
themselves are joined and aggregated by DuckDB over Arrow, so a million observations carry in about a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.codes import CodeChangeEvent, CodeHistory, ValueKind, period_start
from dugnad.analytics.report import InputError, ValidationReport

#: Columns the carry reads (``status`` optional); every other column except these is a grouping key.
REQUIRED = ("unit", "indicator", "period", "value")
#: Columns added to the carried table.
CARRIED_FROM, WEIGHTING = "carried_from", "carry_weighting"
SEPARATOR = "+"

_PHRASE = {"nb": "videreført fra", "nn": "vidareført frå", "en": "carried over from"}
_AND = {"nb": "og", "nn": "og", "en": "and"}


@dataclass
class Carried:
    """A carried table, the original codes that reached no unit valid on the date, and the date."""

    table: pa.Table
    on: dt.date
    unmapped: list[str] = field(default_factory=list)

    @property
    def carried_rows(self) -> int:
        """Number of rows whose value came from other codes."""
        return int(pc.sum(pc.not_equal(self.table.column(CARRIED_FROM), "")).as_py() or 0) if self.table.num_rows else 0


def kinds_from_aggregation(aggregation: Mapping[str, str]) -> dict[str, ValueKind]:
    """Value kinds from the specs' ``aggregation`` field: ``sum`` = counts, anything else (``mean``) = rates."""
    return {code: ValueKind.COUNT if (agg or "").lower() == "sum" else ValueKind.RATE for code, agg in aggregation.items()}


def origin_text(carried_from: str, names: Mapping[str, str] | None = None, *, lang: str = "nb") -> str:
    """How people read a carried value's origin: «videreført fra 3001 Halden» (nb), «vidareført frå …» (nn),
    "carried over from …" (en); several codes are listed with «og»; '' when the value was not carried."""
    codes = [c for c in (carried_from or "").split(SEPARATOR) if c]
    if not codes:
        return ""
    lang = lang[:2] if lang[:2] in _PHRASE else "nb"
    parts = [f"{c} {names[c]}".strip() if names and names.get(c) else c for c in codes]
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {_AND[lang]} {parts[-1]}"
    return f"{_PHRASE[lang]} {listed}"


def _mapping(pairs: pa.Table, history: CodeHistory, on: dt.date, kinds_needed: bool,
             weights: Mapping[tuple[str, int], float] | None, report: ValidationReport) -> pa.Table:
    """(unit, period) → (target, share, weight) for every distinct pair of the input."""
    units, periods, targets, shares, wts = [], [], [], [], []
    bad_periods = set()
    for unit, period in zip(pairs.column("unit").to_pylist(), pairs.column("period").to_pylist(), strict=True):
        start = period_start(period)
        if start is None:
            bad_periods.add(period)
            continue
        w = weights.get((unit, start.year)) if weights is not None and kinds_needed else None
        for target, share in history.successors(unit, on=on, after=start).items():
            units.append(unit)
            periods.append(period)
            targets.append(target)
            shares.append(share)
            wts.append(None if w is None else float(w))
    for period in sorted(bad_periods, key=str):
        report.add("period does not start with a year", column="period", value=str(period))
    return pa.table({"unit": pa.array(units, pa.string()), "period": pa.array(periods, pa.string()),
                     "target": pa.array(targets, pa.string()), "share": pa.array(shares, pa.float64()),
                     "weight": pa.array(wts, pa.float64())})


def carry_table(
    observations: pa.Table,
    events: list[CodeChangeEvent] | CodeHistory,
    *,
    on: dt.date,
    kinds: ValueKind | Mapping[str, ValueKind] = ValueKind.RATE,
    weights: Mapping[tuple[str, int], float] | None = None,
    valid_codes: Collection[str] | None = None,
) -> Carried:
    """The observations carried onto the units valid on ``on``.

    ``observations`` is a tidy Arrow table (``unit, indicator, period, value`` [, ``status``], any dimension
    columns, which are kept as grouping keys; an ``is_demo`` column is kept as "any source is demo").
    ``kinds`` says per indicator code whether values are counts or rates (rates when not given);
    ``weights`` maps (code, year) to the population weighting rates; ``valid_codes``, when given, drops
    the rows that end on a code not in it (their original codes are returned as ``unmapped``).
    The result has the input's columns (``unit`` now the carried code) plus ``carried_from`` and
    ``carry_weighting`` (``population``/``equal`` where several sources were averaged, else ''),
    sorted by unit, indicator, period and dimensions. Raises ``InputError`` on a missing column or a period
    that does not start with a year.
    """
    report = ValidationReport(source="observations")
    missing = [c for c in REQUIRED if c not in observations.column_names]
    if missing:
        report.add(f"missing column {', '.join(missing)}")
        raise InputError(report)
    history = events if isinstance(events, CodeHistory) else CodeHistory(events)
    table = observations
    for name in ("unit", "indicator", "period"):
        if table.schema.field(name).type != pa.string():
            table = table.set_column(table.schema.get_field_index(name), name, pc.cast(table.column(name), pa.string()))
    if table.schema.field("value").type != pa.float64():
        table = table.set_column(table.schema.get_field_index("value"), "value", pc.cast(table.column("value"), pa.float64()))
    has_status = "status" in table.column_names
    has_demo = "is_demo" in table.column_names
    keys = [c for c in table.column_names if c not in ("unit", "value", "status", "is_demo", CARRIED_FROM, WEIGHTING)]
    pairs = table.select(["unit", "period"]).group_by(["unit", "period"]).aggregate([])
    if isinstance(kinds, ValueKind):
        default_kind, kind_rows = kinds.value, {}
    else:
        default_kind, kind_rows = ValueKind.RATE.value, {k: v.value for k, v in kinds.items()}
    rates_needed = default_kind == ValueKind.RATE.value or ValueKind.RATE.value in kind_rows.values()
    mapping = _mapping(pairs, history, on, rates_needed, weights, report)
    if not report.ok:
        raise InputError(report)
    kind_table = pa.table({"indicator": pa.array(list(kind_rows), pa.string()),
                           "kind": pa.array(list(kind_rows.values()), pa.string())})
    valid = pa.table({"code": pa.array(sorted(set(valid_codes or ())), pa.string())})
    con = duckdb.connect(":memory:")
    try:
        con.register("obs", table)
        con.register("map", mapping)
        con.register("kinds", kind_table)
        con.register("valid", valid)
        q = lambda c: '"' + c.replace('"', '""') + '"'  # noqa: E731
        key_list = ", ".join(f"o.{q(k)}" for k in keys)
        group = ", ".join(["m.target", *(f"o.{q(k)}" for k in keys)])
        keep = "TRUE" if valid_codes is None else "m.target IN (SELECT code FROM valid)"
        status = ("CASE WHEN bool_or(o.value IS NULL) THEN CASE WHEN count(DISTINCT o.status) = 1 "
                  "THEN any_value(o.status) ELSE 'missing' END "
                  "WHEN bool_or(o.status = 'provisional') THEN 'provisional' ELSE 'ok' END") if has_status else None
        sql = f"""
            WITH joined AS (
                SELECT o.*, m.target, m.share, m.weight, coalesce(k.kind, '{default_kind}') AS kind
                FROM obs o JOIN map m ON m.unit = o.unit AND m.period = o.period
                LEFT JOIN kinds k ON k.indicator = o.indicator
            ), kept AS (SELECT * FROM joined o WHERE {keep.replace('m.target', 'o.target')})
            SELECT o.target AS unit, {key_list},
                CASE WHEN bool_or(o.value IS NULL) THEN NULL
                     WHEN any_value(o.kind) = 'count' THEN sum(o.value * o.share)
                     WHEN count(*) = 1 THEN any_value(o.value)
                     WHEN count(o.weight) = count(*) AND sum(o.share * o.weight) > 0
                          THEN sum(o.value * o.share * o.weight) / sum(o.share * o.weight)
                     ELSE sum(o.value * o.share) / sum(o.share) END AS value
                {', ' + status.replace('m.', 'o.') + ' AS status' if status else ''}
                {', bool_or(coalesce(o.is_demo, FALSE)) AS is_demo' if has_demo else ''},
                CASE WHEN count(DISTINCT o.unit) = 1 AND any_value(o.unit) = o.target THEN ''
                     ELSE string_agg(DISTINCT o.unit, '{SEPARATOR}' ORDER BY o.unit) END AS {CARRIED_FROM},
                CASE WHEN any_value(o.kind) = 'count' OR count(DISTINCT o.unit) = 1 THEN ''
                     WHEN count(o.weight) = count(*) THEN 'population' ELSE 'equal' END AS {WEIGHTING}
            FROM kept o
            GROUP BY {group.replace('m.target', 'o.target')}
            ORDER BY {', '.join(['unit', *(q(k) for k in keys)])}
        """
        result = con.sql(sql).to_arrow_table()
        unmapped: list[str] = []
        if valid_codes is not None:
            unmapped = [r[0] for r in con.execute(
                "SELECT DISTINCT unit FROM map WHERE target NOT IN (SELECT code FROM valid) ORDER BY 1").fetchall()]
    finally:
        con.close()
    order = ["unit", *keys, "value", *(["status"] if has_status else []), *(["is_demo"] if has_demo else []),
             CARRIED_FROM, WEIGHTING]
    result = result.select(order)
    if result.schema.field("value").type != pa.float64():
        result = result.set_column(result.schema.get_field_index("value"), "value", pc.cast(result.column("value"), pa.float64()))
    return Carried(table=result, on=on, unmapped=unmapped)


def carry_naive(records: list[dict], history: CodeHistory, *, on: dt.date, kinds: Mapping[str, ValueKind],
                weights: Mapping[tuple[str, int], float] | None = None) -> list[dict]:
    """The same rules one record at a time in plain Python (the benchmark's baseline and the tests' oracle)."""
    groups: dict[tuple, list[tuple[str, float, float | None, float | None, str]]] = {}
    for row in records:
        start = period_start(row["period"])
        if start is None:
            raise ValueError(f"period {row['period']!r} does not start with a year")
        w = weights.get((row["unit"], start.year)) if weights else None
        for target, share in history.successors(row["unit"], on=on, after=start).items():
            groups.setdefault((target, row["indicator"], row["period"]), []).append(
                (row["unit"], share, row["value"], w, row.get("status", "ok")))
    out = []
    for (unit, indicator, period), items in sorted(groups.items()):
        kind = kinds.get(indicator, ValueKind.RATE)
        sources = sorted({i[0] for i in items})
        if any(i[2] is None for i in items):
            value = None
        elif kind is ValueKind.COUNT:
            value = sum(v * s for _, s, v, _, _ in items)
        elif all(i[3] is not None for i in items):
            value = sum(v * s * w for _, s, v, w, _ in items) / sum(s * w for _, s, _, w, _ in items)
        else:
            value = sum(v * s for _, s, v, _, _ in items) / sum(s for _, s, _, _, _ in items)
        out.append({"unit": unit, "indicator": indicator, "period": period, "value": value,
                    CARRIED_FROM: "" if sources == [unit] else SEPARATOR.join(sources)})
    return out
