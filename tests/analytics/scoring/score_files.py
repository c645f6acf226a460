"""Small score-input builders for the scoring tests: write IND/UNITS/OBS CSVs or build Arrow inputs."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from dugnad.analytics.scoring import build_inputs

IND_HEADER = ["indicator", "goal", "label", "upper_bound", "lower_bound", "green", "red", "in_index", "applies_to",
              "trend_from", "trend_to"]
UNITS_HEADER = ["unit", "name", "group", "tags", "parent", "population"]
OBS_HEADER = ["unit", "indicator", "year", "value"]

#: Three indicators on two goals: higher is better, lower is better, and one for coastal units only.
INDICATORS = [
    ["i1", 1, "Share with access (%)", 100, 0, 80, 50, "yes", "", 2015, 2020],
    ["i2", 1, "Emissions (t/capita)", 0, 10, 2, 5, "yes", "", 2015, 2020],
    ["i3", 2, "Clean beaches (%)", 100, 0, 90, 60, "yes", "coastal", "", ""],
]
UNITS = [
    ["A", "Alfa", "north", "coastal", "", 1000],
    ["B", "Beta", "north", "", "", 2000],
    ["C", "Gamma", "north", "coastal", "", 500],
]
OBSERVATIONS = [
    ["A", "i1", 2015, 60], ["A", "i1", 2020, 90], ["A", "i2", 2020, 1], ["A", "i3", 2020, 70],
    ["B", "i1", 2015, 40], ["B", "i1", 2020, 45], ["B", "i2", 2020, 6], ["B", "i2", 2021, 4],
    ["C", "i1", 2020, 55], ["C", "i2", 2020, ""], ["C", "i3", 2020, 95],
]


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    """Write one CSV file and return its path."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_inputs(directory: Path, indicators=None, units=None, observations=None,
                 ind_header=None, units_header=None, obs_header=None) -> dict[str, Path]:
    """Write IND.csv, UNITS.csv and OBS.csv (defaults: the small example above) and return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    return {
        "indicators": write_csv(directory / "IND.csv", ind_header or IND_HEADER,
                                INDICATORS if indicators is None else indicators),
        "units": write_csv(directory / "UNITS.csv", units_header or UNITS_HEADER, UNITS if units is None else units),
        "observations": write_csv(directory / "OBS.csv", obs_header or OBS_HEADER,
                                  OBSERVATIONS if observations is None else observations),
    }


def arrow_inputs(indicators, units, observations):
    """Validated ScoreInputs from plain row lists (same layout as the CSV files)."""
    def text(rows, header):
        return pa.table({name: pa.array([None if row[i] in ("", None) else str(row[i]) for row in rows], pa.string())
                         for i, name in enumerate(header)})

    ind, unit_table = text(indicators, IND_HEADER), text(units, UNITS_HEADER)
    obs = pa.table({"unit": [r[0] for r in observations], "indicator": [r[1] for r in observations],
                    "year": pa.array([r[2] for r in observations], pa.int32()),
                    "value": pa.array([r[3] for r in observations], pa.float64())})
    return build_inputs(indicators=ind, units=unit_table, observations=obs)
