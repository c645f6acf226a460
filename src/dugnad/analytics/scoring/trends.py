"""Indicator trend arrows and goal trends: SDSN (methodology §6) and Eurostat growth rates (§7) in DuckDB SQL.

Both build on ``trend_points``: per unit × indicator (integer keys ``uid``, ``iid``) the value at the start and end of the
indicator's trend window, each taken from the exact year or else the nearest year within ±1
(ties: the year inside the window, i.e. t0 + 1 for the start and t1 − 1 for the end).
"""

from __future__ import annotations

from dugnad.analytics.scoring.normalise import raw_score_sql

#: Goal trend: an indicator's ratio r re-scaled to 0–4 points; the goal's mean points map back to an arrow.
GOAL_TREND_MIN_SHARE = 0.75

#: Views over the one-pass summary (``summary.py``): the status and the trend-window end points per uid × iid.
STATUS_VIEWS_SQL = """
CREATE OR REPLACE TEMP VIEW status AS
SELECT uid, iid, year, value FROM obs_summary WHERE value IS NOT NULL AND uid IS NOT NULL AND iid IS NOT NULL;

CREATE OR REPLACE TEMP VIEW trend_points AS
SELECT uid, iid, v0, y0, v1, y1 FROM obs_summary
WHERE v0 IS NOT NULL AND v1 IS NOT NULL AND uid IS NOT NULL AND iid IS NOT NULL;
"""


def sdsn_trend_sql() -> str:
    """SQL creating ``ind_trend(unit, indicator, trend, ratio, points)`` with the SDSN arrow rule."""
    s0 = raw_score_sql("p.v0", "i.upper_bound", "i.lower_bound")
    s1 = raw_score_sql("p.v1", "i.upper_bound", "i.lower_bound")
    g = raw_score_sql("i.green", "i.upper_bound", "i.lower_bound")
    return f"""
CREATE OR REPLACE TEMP TABLE ind_trend AS
WITH t AS (
    SELECT p.uid, p.iid, {s0} AS s0, {s1} AS s1, {g} AS gstar, p.y0, p.y1
    FROM trend_points p JOIN ind i USING (iid)
    WHERE p.v0 IS NOT NULL AND p.v1 IS NOT NULL AND p.y1 > p.y0
), r AS (
    SELECT *, (gstar - s0) / (2030 - y0) AS needed, (s1 - s0) / (y1 - y0) AS achieved FROM t
), k AS (
    SELECT uid, iid, s1 >= gstar AS reached, needed, achieved,
        CASE WHEN s1 >= gstar OR needed <= 0 THEN NULL ELSE achieved / needed END AS ratio
    FROM r
)
SELECT uid, iid, ratio, CAST(NULL AS VARCHAR) AS assessment,
    CASE WHEN reached THEN 'on_track'
         WHEN needed <= 0 THEN 'decreasing'
         WHEN ratio >= 1 THEN 'on_track'
         WHEN ratio >= 0.5 THEN 'moderately_improving'
         WHEN ratio >= 0 THEN 'stagnating'
         ELSE 'decreasing' END AS trend,
    CASE WHEN reached OR ratio >= 1 THEN 4.0
         WHEN needed <= 0 THEN 0.0
         ELSE greatest(0.0, least(3.0, 1.0 + 2.0 * ratio)) END AS points
FROM k
"""


#: Eurostat thresholds (methodological annex of "Sustainable development in the European Union").
EUROSTAT_NO_TARGET = (0.01, 0.0, -0.01)  # >1 %/yr significant progress; 0–1 % moderate; 0 to −1 % moderate away
EUROSTAT_WITH_TARGET = (0.95, 0.60, 0.0)  # r ≥ 95 % significant; 60–95 % moderate; 0–60 % insufficient; < 0 away


def eurostat_trend_sql(has_target: bool) -> str:
    """SQL creating ``ind_trend`` from compound annual growth rates (CAGR) per the Eurostat assessment."""
    hi, mid, lo = EUROSTAT_NO_TARGET
    rs, rm, _ = EUROSTAT_WITH_TARGET
    target = "i.target" if has_target else "CAST(NULL AS DOUBLE)"
    target_year = "coalesce(i.target_year, 2030)" if has_target else "2030"
    return f"""
CREATE OR REPLACE TEMP TABLE ind_trend AS
WITH t AS (
    SELECT p.uid, p.iid, p.v0, p.v1, p.y0, p.y1, {target} AS target, {target_year} AS target_year,
        CASE WHEN i.upper_bound < i.lower_bound THEN -1.0 ELSE 1.0 END AS sign
    FROM trend_points p JOIN ind i USING (iid)
    WHERE p.v0 > 0 AND p.v1 > 0 AND p.y1 > p.y0
), g AS (
    SELECT *, pow(v1 / v0, 1.0 / (y1 - y0)) - 1 AS cagr,
        CASE WHEN target > 0 AND target_year > y0 THEN pow(target / v0, 1.0 / (target_year - y0)) - 1 END AS required
    FROM t
), c AS (
    SELECT *, sign * cagr AS oriented,
        CASE WHEN required IS NOT NULL AND sign * required > 0 THEN cagr / required END AS ratio,
        required IS NOT NULL AND sign * (target - v1) <= 0 AS target_met
    FROM g
)
SELECT uid, iid,
    coalesce(ratio, oriented) AS ratio,
    CASE WHEN target_met THEN 'on_track'
         WHEN ratio IS NOT NULL THEN (CASE WHEN ratio >= {rs} THEN 'on_track' WHEN ratio >= {rm} THEN 'moderately_improving'
                                           WHEN ratio >= 0 THEN 'stagnating' ELSE 'decreasing' END)
         WHEN oriented > {hi} THEN 'on_track' WHEN oriented >= {mid} THEN 'moderately_improving'
         WHEN oriented >= {lo} THEN 'stagnating' ELSE 'decreasing' END AS trend,
    CASE WHEN target_met THEN 'target_met'
         WHEN ratio IS NOT NULL THEN (CASE WHEN ratio >= {rs} THEN 'significant_progress_towards_target'
                                           WHEN ratio >= {rm} THEN 'moderate_progress_towards_target'
                                           WHEN ratio >= 0 THEN 'insufficient_progress_towards_target'
                                           ELSE 'movement_away_from_target' END)
         WHEN oriented > {hi} THEN 'significant_progress' WHEN oriented >= {mid} THEN 'moderate_progress'
         WHEN oriented >= {lo} THEN 'moderate_movement_away' ELSE 'significant_movement_away' END AS assessment,
    CASE WHEN target_met THEN 4.0
         WHEN ratio IS NOT NULL THEN (CASE WHEN ratio >= {rs} THEN 4.0
                                           WHEN ratio >= {rm} THEN 2.0 + (ratio - {rm}) / ({rs} - {rm})
                                           WHEN ratio >= 0 THEN 1.0 + ratio / {rm}
                                           ELSE greatest(0.0, 1.0 + ratio) END)
         WHEN oriented > {hi} THEN 4.0
         WHEN oriented >= {mid} THEN least(2.999, 2.0 + oriented / {hi})
         WHEN oriented >= {lo} THEN 1.0 + (oriented - {lo}) / ({mid} - {lo})
         ELSE greatest(0.0, 1.0 + (oriented - {lo}) / ({mid} - {lo})) END AS points
FROM c
"""


GOAL_TREND_SQL = f"""
CREATE OR REPLACE TEMP TABLE goal_trend AS
WITH base AS (
    SELECT d.uid, d.goal, count(*) AS n_trend_ind, count(t.points) AS n_with, avg(t.points) AS points
    FROM dash d JOIN ind i ON i.iid = d.iid AND i.trend_from IS NOT NULL
    LEFT JOIN ind_trend t ON t.uid = d.uid AND t.iid = d.iid
    WHERE d.applies
    GROUP BY d.uid, d.goal
)
SELECT uid, goal, points,
    CASE WHEN n_with = 0 OR n_with < {GOAL_TREND_MIN_SHARE} * n_trend_ind THEN NULL
         WHEN points >= 3 THEN 'on_track' WHEN points >= 2 THEN 'moderately_improving'
         WHEN points >= 1 THEN 'stagnating' ELSE 'decreasing' END AS trend
FROM base
"""
