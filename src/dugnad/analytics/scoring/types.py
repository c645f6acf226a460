"""Input, parameter and result records of the scoring engine, plus the colour and trend vocabularies."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

class Colour(StrEnum):
    """Dashboard colour of an indicator or goal (SDSN four colours plus grey for missing)."""

    GREEN = "green"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"
    GREY = "grey"

    @property
    def label_nb(self) -> str:
        """Norwegian (bokmål) label."""
        return _COLOUR_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """English label."""
        return _COLOUR_LABELS[self][1]

    @property
    def rank(self) -> int:
        """Order from worst (0, red) to best (3, green); grey is -1."""
        return _COLOUR_LABELS[self][2]

    @property
    def hex(self) -> str:
        """The colour as ``#rrggbb``, the same in PDFs, maps and pages."""
        return _COLOUR_HEX[self]


_COLOUR_LABELS = {
    Colour.GREEN: ("Mål nådd", "Goal achievement", 3),
    Colour.YELLOW: ("Utfordringer gjenstår", "Challenges remain", 2),
    Colour.ORANGE: ("Betydelige utfordringer", "Significant challenges", 1),
    Colour.RED: ("Store utfordringer", "Major challenges", 0),
    Colour.GREY: ("Mangler data", "Information unavailable", -1),
}


_COLOUR_HEX = {Colour.GREEN: "#2e8540", Colour.YELLOW: "#e6b800", Colour.ORANGE: "#e07000", Colour.RED: "#c0392b",
               Colour.GREY: "#9e9e9e"}


class Trend(StrEnum):
    """SDSN trend arrow of an indicator or goal."""

    ON_TRACK = "on_track"
    MODERATELY_IMPROVING = "moderately_improving"
    STAGNATING = "stagnating"
    DECREASING = "decreasing"

    @property
    def arrow(self) -> str:
        """The arrow symbol used in SDSN dashboards."""
        return _TREND_LABELS[self][0]

    @property
    def label_nb(self) -> str:
        """Norwegian (bokmål) label."""
        return _TREND_LABELS[self][1]

    @property
    def label_en(self) -> str:
        """English label."""
        return _TREND_LABELS[self][2]


_TREND_LABELS = {
    Trend.ON_TRACK: ("↑", "I rute eller opprettholder måloppnåelse", "On track or maintaining achievement"),
    Trend.MODERATELY_IMPROVING: ("➚", "Moderat forbedring", "Moderately improving"),
    Trend.STAGNATING: ("→", "Stagnerer", "Stagnating"),
    Trend.DECREASING: ("↓", "Går tilbake", "Decreasing"),
}


class MissingGoalPolicy(StrEnum):
    """What the index does with a goal that has no score for a unit (methodology §3)."""

    DROP = "drop"
    GROUP_MEAN = "group-mean"


@dataclass(frozen=True)
class ScoreInputs:
    """The three input tables of a scoring run (Arrow, schemas above) and where they came from.

    ``observations`` may also be any object DuckDB can scan (a ``pyarrow.dataset.Dataset`` or a
    ``RecordBatchReader``) or a Parquet path so huge inputs stream. ``sources`` maps an input name
    (``indicators``/``units``/``observations``) to ``{"path": ..., "sha256": ...}`` for run metadata.
    """

    indicators: pa.Table
    units: pa.Table
    observations: Any
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScoreParams:
    """Parameters of a scoring run (all recorded in the run metadata)."""

    year: int | None = None
    missing_goal: MissingGoalPolicy = MissingGoalPolicy.GROUP_MEAN
    min_coverage: float = 0.8
    memory_limit: str | None = None  # default: env DUGNAD_DUCKDB_MEMORY or "4GB"
    threads: int | None = None  # default: env DUGNAD_DUCKDB_THREADS or DuckDB's own


@dataclass
class ScoreResult:
    """Output tables of a scoring run plus its metadata (method, parameters, derived bounds, notes).

    - ``indicator_scores``: unit, indicator, goal, year, value, score, colour, trend, ratio, assessment,
      applies, in_index (one row per unit × indicator)
    - ``goal_scores``: unit, goal, score, colour, trend, index_score (after imputation), imputed, n_set, n_avail
    - ``index``: unit, score, rank, missing_share (score/rank null below the coverage rule)
    - ``group_goal_scores``: group, goal, score, n_units
    """

    indicator_scores: pa.Table
    goal_scores: pa.Table
    index: pa.Table
    group_goal_scores: pa.Table
    metadata: dict[str, Any]


def _schemas() -> dict[str, Any]:
    """The Arrow schemas of the input tables (built on first use: importing pyarrow costs start-up time)."""
    import pyarrow as pa

    return {
        # the indicator-spec table (one row per indicator)
        "INDICATOR_SCHEMA": pa.schema([
            ("indicator", pa.string()), ("goal", pa.int32()), ("label", pa.string()), ("upper_bound", pa.float64()),
            ("lower_bound", pa.float64()), ("green", pa.float64()), ("red", pa.float64()), ("in_index", pa.bool_()),
            ("applies_to", pa.string()), ("trend_from", pa.int32()), ("trend_to", pa.int32()),
        ]),
        # the unit table (one row per unit; ``tags`` is a ``|``-separated string)
        "UNIT_SCHEMA": pa.schema([("unit", pa.string()), ("name", pa.string()), ("group", pa.string()),
                                  ("tags", pa.string()), ("parent", pa.string()), ("population", pa.float64())]),
        # the observation table (``value`` null = missing)
        "OBSERVATION_SCHEMA": pa.schema([("unit", pa.string()), ("indicator", pa.string()), ("year", pa.int32()),
                                         ("value", pa.float64())]),
    }


def __getattr__(name: str) -> Any:
    if name in ("INDICATOR_SCHEMA", "UNIT_SCHEMA", "OBSERVATION_SCHEMA"):
        globals().update(_schemas())
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
