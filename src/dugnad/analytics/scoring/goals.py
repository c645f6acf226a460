"""Goal scores, goal colours and the dashboard cell table (methodology §3 and §5) as DuckDB SQL."""

from __future__ import annotations

from dugnad.analytics.scoring.colours import continuous_scale_sql, indicator_colour_sql
from dugnad.analytics.scoring.normalise import score_sql

CELLS_SQL = f"""
CREATE OR REPLACE TEMP TABLE cells AS
SELECT uid, iid, goal, in_index, applies, year, value,
    CASE WHEN value IS NULL THEN NULL ELSE {score_sql()} END AS score,
    {indicator_colour_sql()} AS colour,
    {continuous_scale_sql()} AS scale
FROM (
    SELECT u.uid, i.iid, i.goal, i.in_index, a.applies, s.year, s.value,
        i.upper_bound, i.lower_bound, i.green, i.red
    FROM units u CROSS JOIN ind i
    JOIN tag_applies a ON a.tid = u.tid AND a.iid = i.iid
    LEFT JOIN status s ON s.uid = u.uid AND s.iid = i.iid
) j
"""

DASH_SQL = "CREATE OR REPLACE TEMP VIEW dash AS SELECT uid, goal, iid, applies FROM cells"


def goal_scores_sql(goal_colour: str) -> str:
    """SQL creating ``goal_raw``: per unit × goal the score, colour and dashboard counts."""
    return f"""
CREATE OR REPLACE TEMP TABLE goal_raw AS
WITH agg AS (
    SELECT uid, goal,
        avg(score) FILTER (WHERE in_index AND value IS NOT NULL) AS score,
        count(*) FILTER (WHERE in_index) AS n_index,
        count(*) FILTER (WHERE in_index AND applies) AS n_index_applies,
        count(*) FILTER (WHERE applies) AS n_set,
        count(value) FILTER (WHERE applies) AS n_avail,
        arg_min({{'s': scale, 'c': colour}}, scale, 2) FILTER (WHERE applies AND value IS NOT NULL) AS two,
        any_value(colour) FILTER (WHERE applies AND value IS NOT NULL) AS only_colour,
        avg(scale) FILTER (WHERE applies AND value IS NOT NULL) AS mean_scale
    FROM cells GROUP BY uid, goal
)
SELECT uid, goal, score, n_index, n_index_applies, n_set, n_avail, {goal_colour} AS colour
FROM agg
"""
