"""Scoring engine: SDSN SDG Index and Dashboards (default), OECD distance-to-target, Eurostat growth rates.

Public API (pure: Arrow in, Arrow out; DuckDB inside with a memory cap)::

    from dugnad.analytics.scoring import score, ScoreInputs, ScoreParams, ScoreResult, read_inputs

    inputs = read_inputs("IND.csv", "UNITS.csv", "OBS.csv")      # validates; raises InputError
    result = score(inputs, ScoreParams(year=2024), method="sdsn")  # -> ScoreResult
    result.indicator_scores  # unit, indicator, goal, year, value, score, colour, trend, ratio,
                             # assessment (eurostat class), applies, in_index
    result.goal_scores       # unit, goal, score, colour, trend, index_score, imputed, n_set, n_avail
    result.index             # unit, score, rank, missing_share (score/rank null below coverage)
    result.group_goal_scores # group, goal, score, n_units (the means used for group-mean imputation)
    result.metadata          # method, version, edition, parameters, derived bounds, notes
    write_outputs(result, "out/")                                  # atomic: temp dir then rename
    score_files("IND.csv", "UNITS.csv", "OBS.csv", "out/")          # the CLI: files in, files out, one pass

Input tables follow ``INDICATOR_SCHEMA``, ``UNIT_SCHEMA`` and ``OBSERVATION_SCHEMA`` in
``types.py``; ``build_inputs(indicators=..., units=..., observations=...)`` validates Arrow tables
that did not come from files. Methods are registered in ``methods.py`` (``METHODS``); see
``docs/scoring.md`` for every rule and formula.
"""

from __future__ import annotations

from dugnad.analytics.scoring.engine import score
from dugnad.analytics.scoring.files import score_files
from dugnad.analytics.scoring.inputs import build_inputs, read_inputs
from dugnad.analytics.scoring.methods import METHODS, ScoringMethod, get_method
from dugnad.analytics.scoring.outputs import write_outputs
from dugnad.analytics.scoring.types import (
    Colour,
    MissingGoalPolicy,
    ScoreInputs,
    ScoreParams,
    ScoreResult,
    Trend,
)

__all__ = [
    "INDICATOR_SCHEMA",
    "METHODS",
    "OBSERVATION_SCHEMA",
    "UNIT_SCHEMA",
    "Colour",
    "MissingGoalPolicy",
    "ScoreInputs",
    "ScoreParams",
    "ScoreResult",
    "ScoringMethod",
    "Trend",
    "build_inputs",
    "get_method",
    "read_inputs",
    "score",
    "score_files",
    "write_outputs",
]


def __getattr__(name: str):
    if name in ("INDICATOR_SCHEMA", "OBSERVATION_SCHEMA", "UNIT_SCHEMA"):  # built on first use (pyarrow is slow to import)
        from dugnad.analytics.scoring import types

        return getattr(types, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
