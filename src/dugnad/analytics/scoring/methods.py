"""Registry of assessment methods: SDSN (default), OECD distance-to-target and Eurostat growth rates (§7).

A method is declared data: which trend rule and which goal-colour rule it uses, plus its edition
and notes for the run metadata. The engine looks methods up here; it never branches on the name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dugnad.analytics.scoring import colours, trends


def _mean_scale_goal_colour(n_set: str, n_avail: str, two: str, only_colour: str, mean_scale: str) -> str:
    """SQL: goal colour from the mean 0–3 scale of all available indicators (no two-worst rule)."""
    return (
        f"CASE WHEN {n_set} = 0 OR {n_avail} = 0 OR {n_avail} < 0.5 * {n_set} THEN 'grey' "
        f"WHEN {mean_scale} >= 2 THEN 'green' WHEN {mean_scale} >= 1.5 THEN 'yellow' "
        f"WHEN {mean_scale} >= 1 THEN 'orange' ELSE 'red' END"
    )


def _two_worst_goal_colour(n_set: str, n_avail: str, two: str, only_colour: str, mean_scale: str) -> str:
    """SQL: the SDSN two-worst goal colour."""
    return colours.goal_colour_sql(n_set, n_avail, two, only_colour)


@dataclass(frozen=True)
class ScoringMethod:
    """One assessment method: its rules (SQL builders), edition and notes recorded in run.json."""

    name: str
    label: str
    version: str
    edition: str
    trend_sql: Callable[[bool], str]
    goal_colour_sql: Callable[[str, str, str, str, str], str]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> dict:
        """JSON-ready description for run metadata."""
        return {"name": self.name, "label": self.label, "version": self.version, "edition": self.edition,
                "notes": list(self.notes)}


GOAL_TREND_NOTE = (
    "Goal trends are approximate: each indicator's progress ratio r is re-scaled to 0–4 points "
    "(on track = 4, else clamp(1 + 2r, 0, 3)); the goal's mean points give the arrow (>= 3 on track, "
    ">= 2 moderately improving, >= 1 stagnating, else decreasing), reported only when at least 75 % of the "
    "goal's trend indicators that apply to the unit have a trend. The published SDSN rule is not fully specified."
)

METHODS: dict[str, ScoringMethod] = {}


def register_method(method: ScoringMethod) -> ScoringMethod:
    """Add a method to the registry (raises on a duplicate name)."""
    if method.name in METHODS:
        raise ValueError(f"scoring method {method.name!r} is already registered")
    METHODS[method.name] = method
    return method


def get_method(name: str) -> ScoringMethod:
    """The registered method of that name (KeyError listing the known names otherwise)."""
    try:
        return METHODS[name]
    except KeyError:
        raise KeyError(f"unknown scoring method {name!r}; known: {', '.join(sorted(METHODS))}") from None


register_method(ScoringMethod(
    name="sdsn", label="SDSN SDG Index and Dashboards", version="1.0",
    edition="Lafortune et al. (2018) methodological paper; SDSN & IEEP Europe SDR 2019 Annex 1",
    trend_sql=lambda has_target: trends.sdsn_trend_sql(), goal_colour_sql=_two_worst_goal_colour,
    notes=(GOAL_TREND_NOTE,),
))

register_method(ScoringMethod(
    name="oecd", label="OECD territorial distance-to-target", version="1.0",
    edition="OECD (2020) A Territorial Approach to the SDGs, ch. 2",
    trend_sql=lambda has_target: trends.sdsn_trend_sql(), goal_colour_sql=_mean_scale_goal_colour,
    notes=(
        "Indicator score = 100 * (x - low benchmark) / (2030 end value - low benchmark), clipped to [0, 100]; "
        "upper_bound is the end value (target), lower_bound the low benchmark.",
        "Goal score = goal index = mean of the goal's index-indicator scores; distance to target = 100 - goal score.",
        "The OECD method has no colours: Dugnad colours indicators by their thresholds and a goal by the mean "
        "0-3 scale of all its available indicators (no two-worst rule).",
        GOAL_TREND_NOTE,
    ),
))

register_method(ScoringMethod(
    name="eurostat", label="Eurostat growth-rate assessment", version="1.0",
    edition="Eurostat, Sustainable development in the European Union - monitoring report, methodological annex "
            "(thresholds as in the 2019-2024 editions)",
    trend_sql=trends.eurostat_trend_sql, goal_colour_sql=_two_worst_goal_colour,
    notes=(
        "Trends: CAGR = (y1 / y0)^(1 / (t1 - t0)) - 1 over the indicator's trend window, sign-reversed when lower is "
        "better. Without a target: > 1 %/yr significant progress (on_track), 0-1 % moderate progress "
        "(moderately_improving), 0 to -1 % moderate movement away (stagnating), < -1 % significant movement away "
        "(decreasing). With a target (optional columns target, target_year; default year 2030): "
        "r = CAGR / CAGR required, r >= 95 % significant progress, 60-95 % moderate, 0-60 % insufficient, "
        "< 0 movement away. CAGR needs positive values at both ends; otherwise no trend.",
        "Levels (scores, colours, index) follow the SDSN rules; Eurostat assesses only movement.",
        GOAL_TREND_NOTE,
    ),
))
