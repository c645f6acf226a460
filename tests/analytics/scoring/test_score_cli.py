"""The `dugnad score` file contract: outputs, options and located errors with nothing written."""

from __future__ import annotations

import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from score_files import INDICATORS, OBSERVATIONS, UNITS, write_inputs
from typer.testing import CliRunner

from dugnad.cli.main import app


def run_score(paths, out, *extra):
    return CliRunner().invoke(app, ["score", "--indicators", str(paths["indicators"]), "--units", str(paths["units"]),
                                    "--observations", str(paths["observations"]), "--out", str(out), *extra])


def read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def by(rows, *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}


def test_score_writes_the_four_tables_and_run_json(tmp_path):
    out = tmp_path / "out"
    result = run_score(write_inputs(tmp_path / "in"), out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["goal_scores.csv", "group_goal_scores.csv", "index.csv",
                                                     "indicator_scores.csv", "run.json"]
    ind = by(read(out / "indicator_scores.csv"), "unit", "indicator")
    assert list(read(out / "indicator_scores.csv")[0]) == ["unit", "indicator", "year", "value", "score", "colour", "trend"]
    assert ind[("A", "i1")] == {"unit": "A", "indicator": "i1", "year": "2020", "value": "90", "score": "90",
                                "colour": "green", "trend": "on_track"}
    assert float(ind[("A", "i2")]["score"]) == 90.0  # lower is better: 100 * (1 - 10) / (0 - 10)
    assert ind[("B", "i2")]["year"] == "2021"  # latest available value
    assert ind[("B", "i1")]["trend"] == "stagnating"  # r = (5 / 5) / (40 / 15) = 0.375
    assert ind[("C", "i2")]["colour"] == "grey" and ind[("C", "i2")]["score"] == ""
    goals = by(read(out / "goal_scores.csv"), "unit", "goal")
    assert goals[("B", "1")]["score"] == "52.5" and goals[("B", "1")]["colour"] == "orange"
    assert goals[("C", "1")]["colour"] == "orange"  # exactly one available: its own colour
    index = by(read(out / "index.csv"), "unit")
    assert index["A"] == {"unit": "A", "score": "80", "rank": "1", "missing_share": "0"}
    assert index["C"]["score"] == "" and index["C"]["rank"] == ""  # 1 of 3 index indicators missing > 20 %
    assert by(read(out / "group_goal_scores.csv"), "group", "goal")[("north", "1")]["score"] == "71.25"
    run = json.loads((out / "run.json").read_text())
    assert run["parameters"]["missing_goal"] == "group-mean" and run["goal_trends_approximate"] is True


def test_year_option_scores_the_latest_value_at_or_before_that_year(tmp_path):
    out = tmp_path / "out"
    assert run_score(write_inputs(tmp_path / "in"), out, "--year", "2020").exit_code == 0
    ind = by(read(out / "indicator_scores.csv"), "unit", "indicator")
    assert ind[("B", "i2")]["year"] == "2020" and float(ind[("B", "i2")]["value"]) == 6.0


def test_missing_goal_policy_drop_versus_group_mean(tmp_path):
    paths = write_inputs(tmp_path / "in", units=[["A", "Alfa", "north", "coastal", "", ""],
                                                 ["B", "Beta", "north", "coastal", "", ""]],
                         observations=[["A", "i1", 2020, 90], ["A", "i2", 2020, 1], ["A", "i3", 2020, 70],
                                       ["B", "i1", 2020, 40], ["B", "i2", 2020, 6]])
    assert run_score(paths, tmp_path / "drop", "--missing-goal", "drop", "--min-coverage", "0.5").exit_code == 0
    assert run_score(paths, tmp_path / "mean", "--missing-goal", "group-mean", "--min-coverage", "0.5").exit_code == 0
    dropped = by(read(tmp_path / "drop" / "index.csv"), "unit")["B"]
    imputed = by(read(tmp_path / "mean" / "index.csv"), "unit")["B"]
    assert float(dropped["score"]) == pytest.approx(40.0)  # goal 1 only: (40 + 40) / 2
    assert float(imputed["score"]) == pytest.approx((40.0 + 70.0) / 2)  # goal 2 from A, the group's qualifying unit


def test_missing_bounds_are_derived_and_recorded(tmp_path):
    indicators = [["i1", 1, "", "", "", 80, 50, "yes", "", "", ""]]
    units = [[u, "", "", "", "", ""] for u in "ABCDEFG"]
    obs = [[u, "i1", 2020, v] for u, v in zip("ABCDEFG", [10, 20, 30, 40, 50, 60, 70], strict=True)]
    out = tmp_path / "out"
    assert run_score(write_inputs(tmp_path / "in", indicators, units, obs), out).exit_code == 0
    derived = json.loads((out / "run.json").read_text())["bounds_derived"]
    assert derived[0]["indicator"] == "i1" and derived[0]["direction"] == "higher_is_better"
    assert derived[0]["upper_bound"] == pytest.approx(50.0)  # mean of 30..70
    assert derived[0]["lower_bound"] == pytest.approx(11.5)  # 2.5th percentile, linear interpolation
    assert float(by(read(out / "indicator_scores.csv"), "unit")["G"]["score"]) == 100.0


def test_parquet_observations_give_the_same_result_as_csv(tmp_path):
    paths = write_inputs(tmp_path / "in")
    rows = [o for o in OBSERVATIONS if o[3] != ""]
    parquet = tmp_path / "in" / "OBS.parquet"
    pq.write_table(pa.table({"unit": [r[0] for r in rows], "indicator": [r[1] for r in rows],
                             "year": [r[2] for r in rows], "value": [float(r[3]) for r in rows]}), parquet)
    assert run_score(paths, tmp_path / "csv").exit_code == 0
    assert run_score({**paths, "observations": parquet}, tmp_path / "pq").exit_code == 0
    for name in ("indicator_scores.csv", "goal_scores.csv", "index.csv", "group_goal_scores.csv"):
        assert (tmp_path / "csv" / name).read_text() == (tmp_path / "pq" / name).read_text()


BAD_INPUTS = {
    "missing column": ({"ind_header": ["indicator", "goal", "upper_bound", "lower_bound", "green"],
                            "indicators": [r[:2] + r[3:6] for r in INDICATORS]}, "IND.csv", "row 1", "column red"),
    "equal bounds": ({"indicators": [[*INDICATORS[0][:3], 5, 5, *INDICATORS[0][5:]], *INDICATORS[1:]]},
                     "IND.csv", "row 2", "column upper_bound"),
    "goal out of range": ({"indicators": [[*INDICATORS[0][:1], 18, *INDICATORS[0][2:]], *INDICATORS[1:]]},
                          "IND.csv", "row 2", "column goal"),
    "unknown unit": ({"observations": [*OBSERVATIONS, ["Z", "i1", 2020, 1]]}, "OBS.csv", "row 13", "column unit"),
    "unknown indicator": ({"observations": [["A", "nope", 2020, 1], *OBSERVATIONS]}, "OBS.csv", "row 2",
                          "column indicator"),
    "non-numeric value": ({"observations": [*OBSERVATIONS[:3], ["A", "i3", 2019, "lots"], *OBSERVATIONS[4:]]},
                          "OBS.csv", "row 5", "column value"),
    "unknown parent": ({"units": [*UNITS, ["D", "Delta", "", "", "Q", ""]]}, "UNITS.csv", "row 5", "column parent"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_names_file_row_and_column_and_writes_nothing(tmp_path, case):
    overrides, file, row, column = BAD_INPUTS[case]
    out = tmp_path / "out"
    result = run_score(write_inputs(tmp_path / "in", **overrides), out)
    assert result.exit_code == 1
    message = result.output
    assert f"{file}, {row}, {column}" in message, message
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_missing_required_options_and_unknown_method_are_refused(tmp_path):
    assert CliRunner().invoke(app, ["score", "--out", str(tmp_path / "o")]).exit_code == 1
    result = run_score(write_inputs(tmp_path / "in"), tmp_path / "o", "--method", "magic")
    assert result.exit_code == 1 and "magic" in result.output


def test_score_help_documents_every_option():
    text = CliRunner().invoke(app, ["score", "--help"], env={"COLUMNS": "200"}).output
    for option in ("--indicators", "--units", "--observations", "--out", "--year", "--missing-goal", "--min-coverage",
                   "--method", "applies_to", "run.json", "DUGNAD_DUCKDB_MEMORY"):
        assert option in text
