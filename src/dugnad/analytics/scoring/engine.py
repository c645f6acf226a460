"""The scoring engine: runs a registered method over the inputs in one DuckDB connection.

Units and indicators get integer keys (``uid``, ``iid``, in the sort order of their codes) when they are loaded;
one pass over the observations (``summary.py``) maps the codes onto those keys, counts what validation needs
and keeps per unit × indicator the status and the trend end points. Every later step works on integers; codes
come back only in the result queries. :func:`score` returns Arrow tables; :func:`score_files` (the CLI) reads
and writes files without materialising the results in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.scoring import goals, index, trends
from dugnad.analytics.scoring.bounds import derive_bounds
from dugnad.analytics.scoring.connection import connect, memory_limit_setting, threads_setting
from dugnad.analytics.scoring.methods import ScoringMethod, get_method
from dugnad.analytics.scoring.sql import sql_text
from dugnad.analytics.scoring.summary import SummaryCounts, summarise
from dugnad.analytics.scoring.types import MissingGoalPolicy, ScoreInputs, ScoreParams, ScoreResult

ENGINE_VERSION = "1.1"

IND_COLUMNS = (("indicator", "VARCHAR"), ("goal", "INTEGER"), ("label", "VARCHAR"), ("upper_bound", "DOUBLE"),
               ("lower_bound", "DOUBLE"), ("green", "DOUBLE"), ("red", "DOUBLE"), ("in_index", "BOOLEAN"),
               ("applies_to", "VARCHAR"), ("trend_from", "INTEGER"), ("trend_to", "INTEGER"), ("target", "DOUBLE"),
               ("target_year", "INTEGER"))
UNIT_COLUMNS = (("unit", "VARCHAR"), ("name", "VARCHAR"), ("group", "VARCHAR"), ("tags", "VARCHAR"),
                ("parent", "VARCHAR"), ("population", "DOUBLE"))

#: The result tables as queries over the engine's tables, with codes instead of integer keys.
RESULT_SQL = {
    "indicator_scores": """
        SELECT u.unit, i.indicator, c.goal, c.year, c.value, c.score, c.colour, t.trend, t.ratio, t.assessment,
               c.applies, c.in_index
        FROM cells c JOIN units u ON u.uid = c.uid JOIN ind i ON i.iid = c.iid
        LEFT JOIN ind_trend t ON t.uid = c.uid AND t.iid = c.iid
        ORDER BY c.uid, c.iid""",
    "goal_scores": """
        SELECT u.unit, g.goal, g.score, g.colour, t.trend, gu.used_score AS index_score,
               coalesce(gu.imputed, false) AS imputed, g.n_set, g.n_avail
        FROM goal_raw g JOIN units u ON u.uid = g.uid LEFT JOIN goal_trend t ON t.uid = g.uid AND t.goal = g.goal
        LEFT JOIN goal_used gu ON gu.uid = g.uid AND gu.goal = g.goal
        ORDER BY g.uid, g.goal""",
    "index": """
        SELECT u.unit, r.score, r.rank, r.missing_share FROM index_ranked r JOIN units u ON u.uid = r.uid
        ORDER BY r.uid""",
    "group_goal_scores": 'SELECT "group", goal, score, n_units FROM group_goal ORDER BY "group", goal',
}


def tag_rule_applies(tags: str, rule: str) -> bool:
    """Whether an ``applies_to`` rule (``|``-separated tags, ``!tag`` = without tag, empty = all) matches unit tags."""
    terms = [t.strip() for t in (rule or "").split("|") if t.strip()]
    if not terms:
        return True
    have = {t.strip() for t in (tags or "").split("|") if t.strip()}
    return any((t[1:] not in have) if t.startswith("!") else (t in have) for t in terms)


def _depths(codes: list[str], parents: list[str]) -> list[int]:
    """Depth of each unit in the parent hierarchy (0 = no parent); units are ranked within their depth."""
    parent_of = dict(zip(codes, parents, strict=True))
    depths = []
    for unit in codes:
        chain, node, seen = 0, parent_of[unit], {unit}
        while node and node in parent_of and node not in seen:
            seen.add(node)
            chain += 1
            node = parent_of[node]
        depths.append(chain)
    return depths


def _columns(table: Any, names: tuple[tuple[str, str], ...]) -> dict[str, list]:
    """Plain column lists from an Arrow table or a dict of lists (absent columns become NULLs)."""
    data = table if isinstance(table, dict) else table.to_pydict()
    n = len(next(iter(data.values()), []))
    return {name: list(data[name]) if name in data else [None] * n for name, _ in names}


def _load(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list], types: tuple[tuple[str, str], ...]) -> None:
    """Create temp table ``name`` from column lists (zipped by position through parallel ``unnest``)."""
    select = ", ".join(f'unnest(?::{sql_type}[]) AS "{column}"' for column, sql_type in types)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select}", [columns[column] for column, _ in types])


def load_tables(con: duckdb.DuckDBPyConnection, indicators: Any, units: Any) -> bool:
    """Create ``ind`` (with ``iid``), ``units`` (with ``uid``, tag-set id ``tid`` and ``depth``) and ``tag_applies``.

    Keys follow the sort order of the codes, so ordering by key orders by code. Returns whether any target is set.
    """
    ind = _columns(indicators, IND_COLUMNS)
    order = sorted(range(len(ind["indicator"])), key=lambda k: ind["indicator"][k])
    ind = {name: [values[k] for k in order] for name, values in ind.items()}
    ind["iid"] = list(range(len(order)))
    ind["applies_to"] = [rule or "" for rule in ind["applies_to"]]
    _load(con, "ind", ind, (("iid", "INTEGER"), *IND_COLUMNS))

    unit = _columns(units, UNIT_COLUMNS)
    order = sorted(range(len(unit["unit"])), key=lambda k: unit["unit"][k])
    unit = {name: [values[k] if values[k] is not None or name in ("unit", "population") else "" for k in order]
            for name, values in unit.items()}
    tag_sets = sorted(set(unit["tags"]))
    tid = {tags: n for n, tags in enumerate(tag_sets)}
    unit["uid"] = list(range(len(order)))
    unit["tid"] = [tid[tags] for tags in unit["tags"]]
    unit["depth"] = _depths(unit["unit"], unit["parent"])
    _load(con, "units", unit, (("uid", "INTEGER"), *UNIT_COLUMNS, ("tid", "INTEGER"), ("depth", "INTEGER")))

    applies = {"tid": [], "iid": [], "applies": []}
    for tags in tag_sets:
        for iid, rule in zip(ind["iid"], ind["applies_to"], strict=True):
            applies["tid"].append(tid[tags])
            applies["iid"].append(iid)
            applies["applies"].append(tag_rule_applies(tags, rule))
    _load(con, "tag_applies", applies, (("tid", "INTEGER"), ("iid", "INTEGER"), ("applies", "BOOLEAN")))
    # the codes as ENUM types whose positions are uid and iid (mapping a code is then a dictionary lookup)
    con.execute("CREATE TYPE unit_code AS ENUM (SELECT unit FROM units ORDER BY uid)")
    con.execute("CREATE TYPE indicator_code AS ENUM (SELECT indicator FROM ind ORDER BY iid)")
    return any(value is not None for value in ind["target"])


def _score_tables(con: duckdb.DuckDBPyConnection, chosen: ScoringMethod, params: ScoreParams, has_target: bool) -> list:
    """From ``obs_summary`` to the result tables; returns the derived bounds."""
    policy = MissingGoalPolicy(params.missing_goal)
    con.execute(trends.STATUS_VIEWS_SQL)
    derived = derive_bounds(con)
    con.execute(goals.CELLS_SQL)
    con.execute(goals.DASH_SQL)
    con.execute(chosen.trend_sql(has_target))
    con.execute(goals.goal_scores_sql(chosen.goal_colour_sql("n_set", "n_avail", "two", "only_colour", "mean_scale")))
    con.execute(index.COVERAGE_SQL)
    con.execute(index.group_goal_sql(params.min_coverage))
    con.execute(index.index_sql(params.min_coverage, impute=policy is MissingGoalPolicy.GROUP_MEAN))
    con.execute(trends.GOAL_TREND_SQL)
    return derived


def _metadata(con: duckdb.DuckDBPyConnection, chosen: ScoringMethod, params: ScoreParams, derived: list, *,
              sources: dict, warnings: list[str]) -> dict:
    n_units, n_ind = con.execute("SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM ind)").fetchone()
    return {
        "method": chosen.describe(),
        "engine_version": ENGINE_VERSION,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "parameters": {"year": params.year, "missing_goal": MissingGoalPolicy(params.missing_goal).value,
                       "min_coverage": params.min_coverage, "memory_limit": memory_limit_setting(params.memory_limit),
                       "threads": threads_setting(params.threads)},
        "inputs": sources,
        "bounds_derived": derived,
        "input_warnings": list(warnings),
        "counts": {"units": n_units, "indicators": n_ind,
                   "units_with_index": con.execute("SELECT count(score) FROM index_ranked").fetchone()[0]},
        "goal_trends_approximate": True,
        "notes": list(chosen.notes),
        "duckdb_version": duckdb.__version__,
    }


def observation_source(con: duckdb.DuckDBPyConnection, observations: Any) -> str:
    """A relation name or table function over the observations (Parquet path, or anything DuckDB scans)."""
    if isinstance(observations, (str, Path)):
        return f"read_parquet('{sql_text(Path(observations).as_posix())}')"
    con.register("obs_arrow", observations)
    return "obs_arrow"


def score(inputs: ScoreInputs, params: ScoreParams | None = None, method: str = "sdsn") -> ScoreResult:
    """Score units on indicators, goals and the index with a registered method; returns Arrow tables + metadata.

    The inputs are validated (``read_inputs``/``build_inputs``); the pass over the observations checks them again
    on the way and refuses unknown codes, non-finite values and duplicates (InputError without row numbers).
    """
    params = params or ScoreParams()
    chosen = get_method(method)
    con = connect(params.memory_limit, params.threads)
    try:
        has_target = load_tables(con, inputs.indicators, inputs.units)
        counts = summarise(con, observation_source(con, inputs.observations), params.year)
        if not counts.clean:
            report = ValidationReport(source="score inputs")
            report.add(f"observations: {counts.unknown_keys} row(s) with an unknown unit or indicator, "
                       f"{counts.bad_cells} without a year or with a value that is not finite, "
                       f"{counts.duplicate_groups} unit × indicator pair(s) with a year given twice", file="observations")
            raise InputError(report)
        derived = _score_tables(con, chosen, params, has_target)
        tables = {name: con.sql(sql).to_arrow_table() for name, sql in RESULT_SQL.items()}
        metadata = _metadata(con, chosen, params, derived, sources=inputs.sources, warnings=inputs.warnings)
        return ScoreResult(**tables, metadata=metadata)
    finally:
        con.close()


@dataclass
class FilesOutcome:
    """What :func:`score_files` wrote."""

    target: Path
    metadata: dict


def score_in_connection(con: duckdb.DuckDBPyConnection, source: str, *, indicators: Any, units: Any,
                        params: ScoreParams, method: str, sources: dict, warnings: list[str], enum_keys: bool = False
                        ) -> tuple[SummaryCounts, dict | None]:
    """Load, summarise and score in ``con``; returns the pass's counters and, when they are clean, the metadata.

    ``source`` is SQL for the observations; with ``enum_keys`` its unit and indicator columns are already the ENUM
    types ``unit_code`` and ``indicator_code`` that ``load_tables`` creates.
    """
    chosen = get_method(method)
    has_target = load_tables(con, indicators, units)
    counts = summarise(con, source, params.year, enum_keys=enum_keys)
    if not counts.clean:
        return counts, None
    derived = _score_tables(con, chosen, params, has_target)
    return counts, _metadata(con, chosen, params, derived, sources=sources, warnings=warnings)
