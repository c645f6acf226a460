"""Coverage, group means for imputation, the index and ranks (methodology §3) as DuckDB SQL."""

from __future__ import annotations

COVERAGE_SQL = """
CREATE OR REPLACE TEMP TABLE coverage AS
SELECT uid,
    count(*) FILTER (WHERE in_index AND applies) AS n_index,
    count(*) FILTER (WHERE in_index AND applies AND value IS NULL) AS n_missing,
    CASE WHEN count(*) FILTER (WHERE in_index AND applies) = 0 THEN NULL
         ELSE count(*) FILTER (WHERE in_index AND applies AND value IS NULL)::DOUBLE
              / count(*) FILTER (WHERE in_index AND applies) END AS missing_share
FROM cells GROUP BY uid
"""


def qualifies_sql(min_coverage: float) -> str:
    """SQL predicate on ``coverage``: units with at least one value and at most 1 - min_coverage missing."""
    return (f"(c.missing_share IS NOT NULL AND c.n_missing < c.n_index "
            f"AND c.missing_share <= {1.0 - min_coverage!r} + 1e-12)")


def group_goal_sql(min_coverage: float) -> str:
    """SQL creating ``group_goal``: the unweighted mean goal score over qualifying units of each group."""
    return f"""
CREATE OR REPLACE TEMP TABLE group_goal AS
SELECT u."group" AS "group", g.goal, avg(g.score) AS score, count(*) AS n_units
FROM goal_raw g JOIN units u USING (uid) JOIN coverage c USING (uid)
WHERE {qualifies_sql(min_coverage)} AND coalesce(u."group", '') <> '' AND g.score IS NOT NULL AND g.n_index > 0
GROUP BY u."group", g.goal
"""


def index_sql(min_coverage: float, impute: bool) -> str:
    """SQL creating ``index_out``: index over the framework goals, coverage rule and rank within each level."""
    # a goal none of whose index indicators applies to the unit is dropped, never imputed
    used = "coalesce(g.score, CASE WHEN g.n_index_applies > 0 THEN gg.score END)" if impute else "g.score"
    return f"""
CREATE OR REPLACE TEMP TABLE goal_used AS
SELECT g.uid, g.goal, g.score, {used} AS used_score, g.score IS NULL AND {used} IS NOT NULL AS imputed
FROM goal_raw g JOIN units u USING (uid)
LEFT JOIN group_goal gg ON gg."group" = u."group" AND gg.goal = g.goal
WHERE g.n_index > 0;

CREATE OR REPLACE TEMP TABLE index_out AS
WITH idx AS (
    SELECT c.uid, c.missing_share, {qualifies_sql(min_coverage)} AS qualifies, m.mean_score
    FROM coverage c LEFT JOIN (SELECT uid, avg(used_score) AS mean_score FROM goal_used GROUP BY uid) m USING (uid)
)
SELECT i.uid, CASE WHEN qualifies THEN mean_score END AS score, i.missing_share, u.depth
FROM idx i JOIN units u USING (uid);

CREATE OR REPLACE TEMP TABLE index_ranked AS
SELECT uid, score, CASE WHEN score IS NOT NULL THEN rank() OVER (PARTITION BY depth, score IS NULL ORDER BY score DESC) END
    AS rank, missing_share
FROM index_out
"""
