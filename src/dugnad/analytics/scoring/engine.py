"""The scoring engine: runs a registered method over validated inputs in DuckDB and returns Arrow tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa

from dugnad.analytics.scoring import goals, index, trends
from dugnad.analytics.scoring.bounds import derive_bounds
from dugnad.analytics.scoring.connection import connect, memory_limit_setting, threads_setting
from dugnad.analytics.scoring.methods import get_method
from dugnad.analytics.scoring.types import MissingGoalPolicy, ScoreInputs, ScoreParams, ScoreResult

ENGINE_VERSION = "1.0"


def tag_rule_applies(tags: str, rule: str) -> bool:
    """Whether an ``applies_to`` rule (``|``-separated tags, ``!tag`` = without tag, empty = all) matches unit tags."""
    terms = [t.strip() for t in (rule or "").split("|") if t.strip()]
    if not terms:
        return True
    have = {t.strip() for t in (tags or "").split("|") if t.strip()}
    return any((t[1:] not in have) if t.startswith("!") else (t in have) for t in terms)


def _tag_applies_table(units: pa.Table, indicators: pa.Table) -> pa.Table:
    """Applicability of every indicator to every distinct unit tag set."""
    tag_sets = sorted({t or "" for t in units.column("tags").to_pylist()})
    rules = list(zip(indicators.column("indicator").to_pylist(), indicators.column("applies_to").to_pylist(), strict=True))
    rows = [(tags, code, tag_rule_applies(tags, rule)) for tags in tag_sets for code, rule in rules]
    return pa.table({"tags": [r[0] for r in rows], "indicator": [r[1] for r in rows], "applies": [r[2] for r in rows]})


def _unit_depth_table(units: pa.Table) -> pa.Table:
    """Depth of each unit in the parent hierarchy (0 = no parent); units are ranked within their depth."""
    parents = dict(zip(units.column("unit").to_pylist(), units.column("parent").to_pylist(), strict=True))
    depth: dict[str, int] = {}
    for unit in parents:
        chain, node = 0, parents[unit]
        seen = {unit}
        while node and node in parents and node not in seen:
            seen.add(node)
            chain += 1
            node = parents[node]
        depth[unit] = chain
    return pa.table({"unit": list(depth), "depth": list(depth.values())})


def _register_inputs(con: duckdb.DuckDBPyConnection, inputs: ScoreInputs, year: int | None) -> bool:
    """Load inputs into DuckDB tables ``ind``, ``units``, ``obs_in``, ``tag_applies``, ``unit_depth``; True if targets."""
    ind = inputs.indicators
    has_target = "target" in ind.column_names and ind.column("target").null_count < ind.num_rows
    con.register("ind_arrow", ind)
    con.execute("CREATE TEMP TABLE ind AS SELECT * FROM ind_arrow")
    units = inputs.units
    con.register("units_arrow", units)
    con.execute("""CREATE TEMP TABLE units AS SELECT unit, name, coalesce("group", '') AS "group",
                   coalesce(tags, '') AS tags, coalesce(parent, '') AS parent, population FROM units_arrow""")
    con.register("tag_applies", _tag_applies_table(units, ind))
    con.register("unit_depth", _unit_depth_table(units))
    obs = inputs.observations
    if isinstance(obs, (str, Path)):
        source = f"read_parquet('{Path(obs).as_posix()}')"
    else:
        con.register("obs_arrow", obs)
        source = "obs_arrow"
    limit = f"WHERE CAST(year AS INTEGER) <= {int(year)}" if year is not None else ""
    con.execute(f"""CREATE TEMP VIEW obs_in AS SELECT CAST(unit AS VARCHAR) AS unit, CAST(indicator AS VARCHAR) AS indicator,
                    CAST(year AS INTEGER) AS year, CAST(value AS DOUBLE) AS value FROM {source} {limit}""")
    return has_target


def score(inputs: ScoreInputs, params: ScoreParams | None = None, method: str = "sdsn") -> ScoreResult:
    """Score units on indicators, goals and the index with a registered method; returns Arrow tables + metadata."""
    params = params or ScoreParams()
    chosen = get_method(method)
    policy = MissingGoalPolicy(params.missing_goal)
    con = connect(params.memory_limit, params.threads)
    try:
        has_target = _register_inputs(con, inputs, params.year)
        con.execute(trends.OBS_SUMMARY_SQL)
        derived = derive_bounds(con)
        con.execute(goals.CELLS_SQL)
        con.execute(goals.DASH_SQL)
        con.execute(chosen.trend_sql(has_target))
        con.execute(goals.goal_scores_sql(chosen.goal_colour_sql("n_set", "n_avail", "two", "only_colour", "mean_scale")))
        con.execute(index.COVERAGE_SQL)
        con.execute(index.group_goal_sql(params.min_coverage))
        con.execute(index.index_sql(params.min_coverage, impute=policy is MissingGoalPolicy.GROUP_MEAN))
        con.execute(trends.GOAL_TREND_SQL)
        result = ScoreResult(
            indicator_scores=con.sql("""
                SELECT c.unit, c.indicator, c.goal, c.year, c.value, c.score, c.colour, t.trend, t.ratio, t.assessment,
                       c.applies, c.in_index
                FROM cells c LEFT JOIN ind_trend t USING (unit, indicator) ORDER BY c.unit, c.indicator""").to_arrow_table(),
            goal_scores=con.sql("""
                SELECT g.unit, g.goal, g.score, g.colour, t.trend, u.used_score AS index_score,
                       coalesce(u.imputed, false) AS imputed, g.n_set, g.n_avail
                FROM goal_raw g LEFT JOIN goal_trend t USING (unit, goal) LEFT JOIN goal_used u USING (unit, goal)
                ORDER BY g.unit, g.goal""").to_arrow_table(),
            index=con.sql("SELECT unit, score, rank, missing_share FROM index_ranked ORDER BY unit").to_arrow_table(),
            group_goal_scores=con.sql(
                'SELECT "group", goal, score, n_units FROM group_goal ORDER BY "group", goal').to_arrow_table(),
            metadata={},
        )
        result.metadata = {
            "method": chosen.describe(),
            "engine_version": ENGINE_VERSION,
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "parameters": {"year": params.year, "missing_goal": policy.value, "min_coverage": params.min_coverage,
                           "memory_limit": memory_limit_setting(params.memory_limit),
                           "threads": threads_setting(params.threads)},
            "inputs": inputs.sources,
            "bounds_derived": derived,
            "input_warnings": list(inputs.warnings),
            "counts": {"units": inputs.units.num_rows, "indicators": inputs.indicators.num_rows,
                       "units_with_index": con.execute("SELECT count(score) FROM index_ranked").fetchone()[0]},
            "goal_trends_approximate": True,
            "notes": list(chosen.notes),
            "duckdb_version": duckdb.__version__,
        }
        return result
    finally:
        con.close()
