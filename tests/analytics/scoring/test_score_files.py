"""The one-pass file run (`score_files`): duplicate years at any span, the fallback path, lazy imports."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from score_files import INDICATORS, UNITS, write_inputs

from dugnad.analytics.report import InputError
from dugnad.analytics.scoring import read_inputs, score, score_files, write_outputs


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_years_64_apart_are_not_duplicates_but_a_repeated_year_is(tmp_path):
    # 1900 and 1964 set the same bit of the year mask; the span check sends the pair to the exact check
    distinct = [["A", "i1", 1900, 10], ["A", "i1", 1964, 20], ["B", "i1", 2020, 30]]
    outcome = score_files(*write_inputs(tmp_path / "ok", INDICATORS, UNITS, distinct).values(), tmp_path / "out")
    assert {r["unit"]: r["value"] for r in _rows(outcome.target / "indicator_scores.csv") if r["indicator"] == "i1"} == {
        "A": "20", "B": "30", "C": ""}
    repeated = [*distinct, ["A", "i1", 1964, 25]]
    with pytest.raises(InputError, match="duplicate observation for A × i1 × 1964"):
        score_files(*write_inputs(tmp_path / "dup", INDICATORS, UNITS, repeated).values(), tmp_path / "out2")
    close = [["A", "i1", 2019, 10], ["A", "i1", 2020, 20], ["A", "i1", 2020, 21]]
    with pytest.raises(InputError, match="duplicate observation for A × i1 × 2020"):
        score_files(*write_inputs(tmp_path / "dup2", INDICATORS, UNITS, close).values(), tmp_path / "out3")
    assert not (tmp_path / "out2").exists() and not (tmp_path / "out3").exists()


def test_a_value_the_typed_read_refuses_falls_back_and_scores_like_read_inputs(tmp_path):
    obs = [["A", "i1", 2015, 60], ["A", "i1", 2020, "NA"], ["B", "i1", 2020, 45], ["C", "i3", 2020, 95]]
    paths = write_inputs(tmp_path / "in", INDICATORS, UNITS, obs)
    outcome = score_files(*paths.values(), tmp_path / "fast")
    write_outputs(score(read_inputs(*paths.values())), tmp_path / "arrow")
    for name in ("indicator_scores.csv", "goal_scores.csv", "index.csv", "group_goal_scores.csv"):
        assert (outcome.target / name).read_text() == (tmp_path / "arrow" / name).read_text()


def test_the_file_run_matches_the_arrow_run_file_for_file(tmp_path):
    paths = write_inputs(tmp_path / "in")
    score_files(*paths.values(), tmp_path / "fast")
    write_outputs(score(read_inputs(*paths.values())), tmp_path / "arrow")
    for name in ("indicator_scores.csv", "goal_scores.csv", "index.csv", "group_goal_scores.csv"):
        assert (tmp_path / "fast" / name).read_text() == (tmp_path / "arrow" / name).read_text()


def test_dugnad_score_imports_neither_pyarrow_nor_pandas_nor_other_commands(tmp_path):
    paths = write_inputs(tmp_path / "in")
    code = (
        "import sys; from dugnad.cli.main import main\n"
        f"sys.argv = ['dugnad', 'score', '--indicators', {str(paths['indicators'])!r}, '--units', {str(paths['units'])!r},"
        f" '--observations', {str(paths['observations'])!r}, '--out', {str(tmp_path / 'out')!r}]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print(sorted(m for m in ('pyarrow', 'pandas', 'django', 'dugnad.cli.units', 'dugnad.cli.rollup') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
    assert (tmp_path / "out" / "index.csv").is_file()
