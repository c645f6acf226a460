"""Derivation of missing indicator bounds from the scored units' data (methodology §2), recorded in run metadata.

UB (scores 100) = mean of the five best status values; LB (scores 0) = the 2.5th percentile from the
bad end. The good direction comes from the thresholds (green above red = higher is better), or,
when green == red, from the one bound that is given.
"""

from __future__ import annotations

import duckdb

from dugnad.analytics.report import InputError, ValidationReport

TOP_PERFORMERS = 5
LOWER_PERCENTILE = 0.025

DERIVE_SQL = f"""
WITH need AS (
    SELECT iid, indicator, upper_bound, lower_bound,
        CASE WHEN green > red THEN 1 WHEN green < red THEN -1
             WHEN upper_bound IS NOT NULL THEN (CASE WHEN upper_bound >= green THEN 1 ELSE -1 END)
             ELSE (CASE WHEN lower_bound <= green THEN 1 ELSE -1 END) END AS direction
    FROM ind WHERE upper_bound IS NULL OR lower_bound IS NULL
), ranked AS (
    SELECT s.iid, s.value, n.direction,
        row_number() OVER (PARTITION BY s.iid ORDER BY n.direction * s.value DESC) AS pos
    FROM status s JOIN need n USING (iid)
), derived AS (
    SELECT iid, any_value(direction) AS direction, count(*) AS n_units,
        avg(value) FILTER (WHERE pos <= {TOP_PERFORMERS}) AS ub,
        CASE WHEN any_value(direction) = 1 THEN quantile_cont(value, {LOWER_PERCENTILE})
             ELSE quantile_cont(value, {1 - LOWER_PERCENTILE}) END AS lb
    FROM ranked GROUP BY iid
)
SELECT n.iid, n.indicator, n.direction, coalesce(d.n_units, 0),
    n.upper_bound IS NULL AS ub_derived, n.lower_bound IS NULL AS lb_derived,
    coalesce(n.upper_bound, d.ub) AS upper_bound, coalesce(n.lower_bound, d.lb) AS lower_bound
FROM need n LEFT JOIN derived d USING (iid)
ORDER BY n.indicator
"""


def derive_bounds(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Fill missing bounds in table ``ind`` from table ``status``; return what was derived (for run.json)."""
    rows = con.execute(DERIVE_SQL).fetchall()
    report = ValidationReport(source="bound derivation")
    derived = []
    for iid, indicator, direction, n_units, ub_derived, lb_derived, ub, lb in rows:
        if ub is None or lb is None or ub == lb:
            report.add(f"cannot derive bounds for {indicator!r} from {n_units} unit value(s): give upper_bound and "
                       "lower_bound in the indicators file", file="indicators", column="upper_bound", value=indicator)
            continue
        con.execute("UPDATE ind SET upper_bound = ?, lower_bound = ? WHERE iid = ?", [ub, lb, iid])
        derived.append({
            "indicator": indicator, "upper_bound": ub, "lower_bound": lb, "upper_bound_derived": bool(ub_derived),
            "lower_bound_derived": bool(lb_derived), "direction": "higher_is_better" if direction == 1 else "lower_is_better",
            "units_with_data": n_units,
            "rule": f"upper_bound = mean of the {TOP_PERFORMERS} best values; lower_bound = "
                    f"{LOWER_PERCENTILE * 100:g}th percentile from the bad end",
        })
    if not report.ok:
        raise InputError(report)
    return derived
