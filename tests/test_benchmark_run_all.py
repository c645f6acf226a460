"""``benchmarks/run_all.py`` reads each benchmark's table: the figures it reads are the ones named, every benchmark it
runs takes the arguments it is given, and a baseline that does other work gets no ratio."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from benchmarks.run_all import BENCHES, Bench, read_figures

ROOT = Path(__file__).resolve().parent.parent

OUTPUT = """generated 1,000 rows
| database | store | rows | rows/s (wall) | CPU s |
|---|---|---:|---:|---:|
| sqlite | empty store | 1,000 | 90,000 | 0.01 |
| sqlite | floor: csv.reader + executemany | 1,000 | 100,000 | 0.01 |
"""


@pytest.mark.parametrize("bench", BENCHES, ids=lambda b: b.name)
def test_every_benchmark_exists_and_declares_the_options_it_is_given(bench):
    source = (ROOT / "benchmarks" / f"{bench.name}.py").read_text(encoding="utf-8")
    for option in (arg for arg in bench.args if arg.startswith("--")):
        assert re.search(rf"add_argument\(\s*\"{re.escape(option)}\"", source), f"{bench.name}: {option} not declared"


def test_every_benchmark_script_but_the_helpers_and_faults_is_run():
    scripts = {p.stem for p in (ROOT / "benchmarks").glob("*.py")}
    not_benchmarks = {"run_all", "__init__", "bench_round", "bench_db", "gunicorn_server", "score_pandas", "faults"}
    assert scripts - not_benchmarks - {b.name for b in BENCHES} == set()


def test_figures_ratio_and_target_from_a_table():
    bench = Bench("x", "import", "≥ 0.83× the floor", [], ("empty store", 3), ("floor", 3), unit="rows/s",
                  higher_is_better=True, met=lambda m, b: m / b >= 1 / 1.2)
    r = read_figures(bench, OUTPUT)
    assert (r["measured"], r["baseline"], round(r["ratio"], 2), r["met"]) == (90_000, 100_000, 0.9, True)


def test_a_header_naming_the_words_is_not_read_as_a_row():
    r = read_figures(Bench("x", "", "", [], ("store", 3), ("floor", 3)), OUTPUT)
    assert r["measured"] == 90_000  # the header's «store» column has no number: the next row with the word counts


def test_a_baseline_for_scale_gets_no_ratio_and_a_missing_row_says_so():
    r = read_figures(Bench("x", "", "", [], ("empty store", 3), ("floor", 3), compare=False), OUTPUT)
    assert r["status"] == "ok" and r["ratio"] is None and r["baseline"] == 100_000
    assert read_figures(Bench("x", "", "", [], ("no such row", 3), None), OUTPUT)["status"].startswith("ran, but")
    alone = read_figures(Bench("x", "", "", [], ("empty store", 4), None), OUTPUT)
    assert (alone["measured"], alone["baseline"], alone["ratio"]) == (0.01, None, None)
