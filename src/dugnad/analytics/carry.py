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


def _mapping(pairs: pa.Table, history: CodeHistory, on: dt.date, rates: bool,
             weights: Mapping[tuple[str, int], float] | None, report: ValidationReport):
    """(unit, period) → (target, share, weight) for every distinct pair of the input, with what the query needs
    to skip aggregation: ``single`` when the pair is the only source of its target and goes wholly to it
    (then ``origin`` is its carried_from), else ``bit``, its place among the target's sources in the period.
    Also returns the sorted sources of each (target, period) to decode the sources' bit masks."""
    rows: list[tuple[str, str, str, float, float | None]] = []
    bad_periods = set()
    for unit, period in zip(pairs.column("unit").to_pylist(), pairs.column("period").to_pylist(), strict=True):
        start = period_start(period)
        if start is None:
            bad_periods.add(period)
            continue
        w = weights.get((unit, start.year)) if weights is not None and rates else None
        for target, share in history.successors(unit, on=on, after=start).items():
            rows.append((unit, period, target, share, None if w is None else float(w)))
    for period in sorted(bad_periods, key=str):
        report.add("period does not start with a year", column="period", value=str(period))
    sources: dict[tuple[str, str], list[str]] = {}
    targets: dict[tuple[str, str], int] = {}
    for unit, period, target, _, _ in rows:
        sources.setdefault((target, period), []).append(unit)
        targets[(unit, period)] = targets.get((unit, period), 0) + 1
    for key in sources:
        sources[key].sort()
    single = [len(sources[(t, p)]) == 1 and targets[(u, p)] == 1 and share == 1.0 for u, p, t, share, _ in rows]
    table = pa.table({
        "unit": pa.array([r[0] for r in rows], pa.string()), "period": pa.array([r[1] for r in rows], pa.string()),
        "target": pa.array([r[2] for r in rows], pa.string()), "share": pa.array([r[3] for r in rows], pa.float64()),
        "weight": pa.array([r[4] for r in rows], pa.float64()), "single": pa.array(single, pa.bool_()),
        "origin": pa.array(["" if r[0] == r[2] else r[0] for r in rows], pa.string()),
        "bit": pa.array([sources[(r[2], r[1])].index(r[0]) for r in rows], pa.int64()),
    })
    return table, sources


def carry_table(
    observations: pa.Table,
    events: list[CodeChangeEvent] | CodeHistory,
    *,
    on: dt.date,
    kinds: ValueKind | Mapping[str, ValueKind] = ValueKind.RATE,
    weights: Mapping[tuple[str, int], float] | None = None,
    valid_codes: Collection[str] | None = None,
    sort: bool = True,
    own_wins: bool = False,
) -> Carried:
    """The observations carried onto the units valid on ``on``.

    ``observations`` is a tidy Arrow table (``unit, indicator, period, value`` [, ``status``], any dimension
    columns, which are kept as grouping keys; an ``is_demo`` column is kept as "any source is demo").
    ``kinds`` says per indicator code whether values are counts or rates (rates when not given);
    ``weights`` maps (code, year) to the population weighting rates; ``valid_codes``, when given, drops
    the rows that end on a code not in it (their original codes are returned as ``unmapped``).
    The result has the input's columns (``unit`` now the carried code) plus ``carried_from`` and
    ``carry_weighting`` (``population``/``equal`` where several sources were averaged, else ''),
    sorted by unit, indicator, period and dimensions (``sort=False``: in no set order, about half the time
    on a million rows). With ``own_wins`` a row stored under a code for the same indicator, period and
    dimensions as rows carried onto that code wins over them: the successor's own value is kept as stored
    (``carried_from`` '') instead of being summed or averaged with its predecessors' (SSB republishes old years
    on the new codes). Sums and means add their sources in the order of their codes (``ORDER BY bit``), so a
    merged value has the same bits whatever other rows were read with it (one unit's sources or the whole
    country's) and however DuckDB splits the work; when nothing is merged or shared no DuckDB database is opened.
    Raises ``InputError`` on a missing column or a period that does not start with a year.
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
    mapping, sources = _mapping(pairs, history, on, rates_needed, weights, report)
    if not report.ok:
        raise InputError(report)
    if valid_codes is not None:
        mapping = mapping.filter(pc.is_in(mapping.column("target"), pa.array(sorted(set(valid_codes)), pa.string())))
    kind_table = pa.table({"indicator": pa.array(list(kind_rows), pa.string()),
                           "kind": pa.array(list(kind_rows.values()), pa.string())})
    q = lambda c: '"' + c.replace('"', '""') + '"'  # noqa: E731
    key_cols = ", ".join(q(k) for k in keys)
    out_cols = ["unit", *keys, "value", *(["status"] if has_status else []), *(["is_demo"] if has_demo else []),
                CARRIED_FROM, WEIGHTING]
    if pc.all(mapping.column("single")).as_py() is not False:
        return _passed_through(table, mapping, keys=keys, out_cols=out_cols, on=on, sort=sort,
                               unmapped=valid_codes is not None)
    con = duckdb.connect(":memory:")
    try:
        con.register("obs", table)
        con.register("map", mapping)
        con.register("kinds", kind_table)
        # Rows that are the only source of their target pass through (recodes, renames, unchanged codes).
        passed = con.sql(f"""
            SELECT m.target AS unit, {', '.join(f'o.{q(k)}' for k in keys)}, o.value
                {', o.status' if has_status else ''}{', o.is_demo' if has_demo else ''},
                m.origin AS {CARRIED_FROM}, '' AS {WEIGHTING}
            FROM obs o JOIN map m ON m.unit = o.unit AND m.period = o.period AND m.single""").to_arrow_table()
        # With own_wins, a source row carried onto another code is left out where that code has its own row.
        own = (f"""WHERE m.target = o.unit OR NOT EXISTS (
                    SELECT 1 FROM obs s JOIN map ms ON ms.unit = s.unit AND ms.period = s.period AND ms.target = s.unit
                    WHERE s.unit = m.target AND {' AND '.join(f's.{q(k)} IS NOT DISTINCT FROM o.{q(k)}' for k in keys)})"""
               if own_wins else "")
        status = ("CASE WHEN bool_or(value IS NULL) THEN CASE WHEN min(status) = max(status) THEN min(status) "
                  "ELSE 'missing' END WHEN bool_or(status = 'provisional') THEN 'provisional' ELSE 'ok' END AS status, "
                  if has_status else "")
        merged = con.sql(f"""
            WITH j AS (
                SELECT o.*, m.target, m.share, m.weight, m.bit, coalesce(k.kind, '{default_kind}') AS kind
                FROM obs o JOIN map m ON m.unit = o.unit AND m.period = o.period AND NOT m.single
                LEFT JOIN kinds k ON k.indicator = o.indicator
                {own})
            SELECT target AS unit, {key_cols},
                CASE WHEN bool_or(value IS NULL) THEN NULL
                     WHEN any_value(kind) = 'count' THEN sum(value * share ORDER BY bit)
                     WHEN count(*) = 1 THEN any_value(value)
                     WHEN count(weight) = count(*) AND sum(share * weight ORDER BY bit) > 0
                          THEN sum(value * share * weight ORDER BY bit) / sum(share * weight ORDER BY bit)
                     ELSE sum(value * share ORDER BY bit) / sum(share ORDER BY bit) END AS value,
                {status}{'bool_or(coalesce(is_demo, FALSE)) AS is_demo, ' if has_demo else ''}
                bit_or(1::BIGINT << bit) AS mask,
                CASE WHEN any_value(kind) = 'count' OR count(*) = 1 THEN ''
                     WHEN count(weight) = count(*) THEN 'population' ELSE 'equal' END AS {WEIGHTING}
            FROM j GROUP BY target, {key_cols}""").to_arrow_table()
        con.register("passed", passed)
        con.register("merged", merged)
        masks = con.sql("SELECT DISTINCT unit, period, mask FROM merged").fetchall()
        origins = pa.table({
            "unit": pa.array([m[0] for m in masks], pa.string()), "period": pa.array([m[1] for m in masks], pa.string()),
            "mask": pa.array([m[2] for m in masks], pa.int64()),
            CARRIED_FROM: pa.array([_decode(sources[(u, p)], mask, u) for u, p, mask in masks], pa.string())})
        con.register("origins", origins)
        result = con.sql(f"""
            SELECT {', '.join(q(c) for c in out_cols)} FROM passed
            UNION ALL
            SELECT {', '.join(f'g.{q(c)}' if c != CARRIED_FROM else f'r.{CARRIED_FROM}' for c in out_cols)}
            FROM merged g JOIN origins r ON r.unit = g.unit AND r.period = g.period AND r.mask = g.mask
            {"ORDER BY " + ", ".join(q(c) for c in ["unit", *keys]) if sort else ""}""").to_arrow_table()
        unmapped: list[str] = []
        if valid_codes is not None:
            unmapped = [r[0] for r in con.sql("SELECT DISTINCT o.unit FROM obs o ANTI JOIN map m ON m.unit = o.unit "
                                              "AND m.period = o.period ORDER BY 1").fetchall()]
    finally:
        con.close()
    if result.schema.field("value").type != pa.float64():
        result = result.set_column(result.schema.get_field_index("value"), "value", pc.cast(result.column("value"), pa.float64()))
    return Carried(table=result, on=on, unmapped=unmapped)


def _passed_through(table: pa.Table, mapping: pa.Table, *, keys: list[str], out_cols: list[str], on: dt.date,
                    sort: bool, unmapped: bool) -> Carried:
    """``carry_table`` when no value is merged or shared (every pair of the mapping is ``single``: unchanged codes,
    recodes, renames), in Arrow without DuckDB (opening a DuckDB database costs ~20 ms, more than a unit's carry):
    each row takes its pair's target and origin, nothing is summed, so the values are those stored; the order is
    DuckDB's ``ORDER BY`` (ascending, nulls last, strings by their bytes)."""
    pair = lambda t: pc.binary_join_element_wise(t.column("unit"), t.column("period"), "\x1f")  # noqa: E731
    found = pc.index_in(pair(table), value_set=pair(mapping), skip_nulls=True)
    kept = pc.is_valid(found)
    rows, at = table.filter(kept), found.filter(kept)
    columns = {"unit": mapping.column("target").take(at), **{c: rows.column(c) for c in out_cols[1:-2]},
               CARRIED_FROM: mapping.column("origin").take(at),
               WEIGHTING: pa.array([""] * rows.num_rows, pa.string())}
    result = pa.table({c: columns[c] for c in out_cols})
    if sort:
        result = result.sort_by([(c, "ascending") for c in ["unit", *keys]])
    missing = sorted(set(table.column("unit").filter(pc.invert(kept)).to_pylist())) if unmapped else []
    return Carried(table=result, on=on, unmapped=missing)


def _decode(sources: list[str], mask: int, target: str) -> str:
    """carried_from of a merged row: the sources whose bit is set ('' when the only one is the target itself)."""
    used = [code for i, code in enumerate(sources) if mask >> i & 1]
    return "" if used == [target] else SEPARATOR.join(used)


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
