"""Reproduction of the SDSN & IEEP Europe Sustainable Development Report 2019 through `dugnad score`."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from tests.conftest import shared_path
from typer.testing import CliRunner

from dugnad.cli.main import app

_spec = importlib.util.spec_from_file_location("sdsn_europe_2019", Path(__file__).with_name("sdsn_europe_2019.py"))
converter = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(converter)

TOLERANCE = 1e-9


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _blank(value) -> bool:
    return value is None or value == ""


def _colour(value) -> str:
    return "grey" if _blank(value) or value == "gray" else value


@pytest.fixture(scope="module")
def reproduction(tmp_path_factory):
    """The workbook's published results and the outputs of `dugnad score` on the converted files."""
    workbook = shared_path("sdsn/2019EUIndex/Data (Excel).xlsx")
    data = converter.load_workbook(workbook)
    work = tmp_path_factory.mktemp("sdsn2019")
    paths = converter.convert(data, work / "in")
    out = work / "out"
    result = CliRunner().invoke(app, ["score", "--indicators", str(paths["indicators"]), "--units", str(paths["units"]),
                                      "--observations", str(paths["observations"]), "--out", str(out),
                                      "--missing-goal", "group-mean", "--min-coverage", "0.8"])
    assert result.exit_code == 0, result.output
    published = {c["unit"]: c for c in data["countries"]}
    return published, out


def test_every_normalised_score_matches_the_published_one(reproduction):
    published, out = reproduction
    compared = 0
    for row in _rows(out / "indicator_scores.csv"):
        expected = published[row["unit"]]["score"][row["indicator"]]
        assert _blank(expected) == _blank(row["score"]), row
        if not _blank(expected):
            assert abs(float(row["score"]) - expected) < TOLERANCE, row
            compared += 1
    available = sum(not _blank(v) for unit in published.values() for v in unit["score"].values())
    assert compared == available == 3163  # 29 units × 113 indicators minus 114 missing values


def test_every_goal_score_and_goal_colour_matches(reproduction):
    published, out = reproduction
    rows = _rows(out / "goal_scores.csv")
    assert len(rows) == 29 * 17
    for row in rows:
        unit, goal = published[row["unit"]], int(row["goal"])
        assert abs(float(row["score"]) - unit["goal_score"][goal]) < TOLERANCE, row
        assert row["colour"] == _colour(unit["goal_colour"][goal]), row


def test_index_scores_and_member_ranks_match(reproduction):
    published, out = reproduction
    for row in _rows(out / "index.csv"):
        unit = published[row["unit"]]
        assert abs(float(row["score"]) - unit["index"]) < TOLERANCE, row
        if unit["rank"] is not None:  # the EU aggregate is not ranked among its members
            assert int(row["rank"]) == unit["rank"], row


def test_group_means_used_for_imputation_match_the_regional_scores(reproduction):
    published, out = reproduction
    rows = {int(r["goal"]): float(r["score"]) for r in _rows(out / "group_goal_scores.csv") if r["group"] == "EU"}
    assert len(rows) == 17
    for goal, score in rows.items():
        assert abs(score - published["AUT"]["regional"][goal]) < TOLERANCE


def test_all_but_one_indicator_colour_matches(reproduction):
    published, out = reproduction
    rows = _rows(out / "indicator_scores.csv")
    wrong = [(r["unit"], r["indicator"]) for r in rows
             if r["colour"] != _colour(published[r["unit"]]["colour"][r["indicator"]])]
    assert len(rows) == 29 * 113
    assert len(wrong) <= 1, wrong


def test_at_least_98_percent_of_indicator_trend_arrows_match(reproduction):
    published, out = reproduction
    compared = agreed = 0
    for row in _rows(out / "indicator_scores.csv"):
        arrows = published[row["unit"]]["trend"]
        if row["indicator"] not in arrows:
            continue
        expected = converter.ARROWS.get(arrows[row["indicator"]])
        if expected is None and _blank(row["trend"]):
            continue
        compared += 1
        agreed += expected == row["trend"]
    assert compared > 2300
    assert agreed / compared >= 0.98, (agreed, compared)


def test_run_metadata_records_method_inputs_and_approximate_goal_trends(reproduction):
    _, out = reproduction
    run = json.loads((out / "run.json").read_text())
    assert run["method"]["name"] == "sdsn"
    assert run["goal_trends_approximate"] is True
    assert set(run["inputs"]) == {"indicators", "units", "observations"}
    assert all(len(v["sha256"]) == 64 for v in run["inputs"].values())
    assert run["bounds_derived"] == []
