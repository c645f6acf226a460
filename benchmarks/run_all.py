"""Run every benchmark in this folder at a size that fits about five minutes and print one table.

Each benchmark runs as its own process at a small size, prints its Markdown table as usual, and this script
picks the measured figure and the baseline figure out of that table (by the words in the row and the column),
so the benchmarks stay runnable on their own. Columns: what, target, measured, baseline, ratio (baseline ÷
measured for times: how many times faster than the baseline; for rates measured ÷ baseline). Benchmarks that
need something absent (the demo data, PostgreSQL) are listed as skipped with the reason; ``faults.py`` restarts
the PostgreSQL server and is never run from here.

    .venv/bin/python benchmarks/run_all.py                 # prints the table
    .venv/bin/python benchmarks/run_all.py --write-docs    # also replaces the table in docs/benchmarks.md
    .venv/bin/python benchmarks/run_all.py --only score    # benchmarks whose name contains "score"
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- run_all: begin -->", "<!-- run_all: end -->"
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass
class Bench:
    """One benchmark script run at a small size and the figures read from its output.

    ``baseline`` is None when the script measures no baseline at this size. ``compare`` is False when the baseline
    row is shown for scale only (it does other or less work), so no ratio is printed. ``met`` judges the figures
    (measured, baseline) against the target where the target is a number at this size; None leaves it to the
    reader (the target holds at the full size of the benchmark's section in docs/benchmarks.md).
    """

    name: str
    what: str
    target: str
    args: list[str]
    measured: tuple[str, int]  # (words in the row, column index) of the measured figure
    baseline: tuple[str, int] | None
    unit: str = "s"
    higher_is_better: bool = False
    compare: bool = True
    met: Callable[[float, float | None], bool] | None = None
    needs: Callable[[], str | None] = lambda: None  # a reason to skip, or None
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 120


def _needs_env(name: str, what: str = "the demo data directory") -> Callable[[], str | None]:
    return lambda: None if os.environ.get(name) else f"needs {name} ({what})"


def _needs_postgres() -> str | None:
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except Exception as exc:  # any failure means: skip
        return f"needs PostgreSQL on 127.0.0.1 ({type(exc).__name__})"
    return None


def _shared_geo() -> str | None:
    return None if (ROOT.parent / "shared" / "data" / "no" / "geo").is_dir() else "needs ../shared/data/no/geo"


def _times_faster(at_least: float) -> Callable[[float, float | None], bool]:
    """Met when the baseline took at least ``at_least`` times the measured time (or CPU)."""
    return lambda measured, baseline: baseline is not None and measured > 0 and baseline / measured >= at_least


def _below(limit: float) -> Callable[[float, float | None], bool]:
    return lambda measured, _baseline: measured < limit


BENCHES = [
    Bench("score_national", "`dugnad score`, national (373 units × 150 indicators × 11 years), whole process, wall "
          "(baseline: the same pipeline in pandas)", "≥ 5× faster than pandas", [], ("`dugnad score`", 1),
          ("pandas, same pipeline", 1), met=_times_faster(5), timeout=180),
    Bench("score_scale", "`dugnad score`, 1.5 M observations (1,000 units × 100 × 15), CPU (baseline: pandas)",
          "≥ 5× less CPU than pandas", ["--units", "1000", "--pandas-units", "1000"],
          ("`dugnad score` (DuckDB, cap 4GB), 1,000", 3), ("pandas, same pipeline", 3), met=_times_faster(5),
          timeout=180),
    Bench("score_run", "`score_run_create`, SQLite, 373 units × 10 indicators × 11 years, new run (beside: the "
          "engine alone on in-memory data, a part of the run)", "–", ["--skip-postgres", "--indicators", "10"],
          ("new run (read + score + save)", 2), ("baseline: engine alone", 2), compare=False),
    Bench("import_csv", "`dugnad import csv`, 200,000 rows, SQLite, empty store, rows/s (baseline: the bare "
          "`csv.reader` + `executemany` floor)", "≥ 0.83× the floor's rate (≤ 1.2× its time)",
          ["--rows", "200000", "--skip-postgres", "--baseline-rows", "100"], ("empty store", 6), ("floor", 6),
          unit="rows/s", higher_is_better=True, met=lambda m, b: b is not None and m / b >= 1 / 1.2),
    Bench("import_mapping", "mapping import (`--map`), 50,000 rows, SQLite, empty store (baseline: the plain "
          "import of the same data as tidy CSV)", "≥ 100,000 rows/s at 1 M rows", ["--rows", "50000"],
          ("mapping import, empty store", 3), ("baseline: plain import of the tidy CSV, empty store", 3),
          unit="rows/s", higher_is_better=True),
    Bench("catalogue_load", "catalogue snapshot load, empty database (baseline: `update_or_create` per row)", "–", [],
          ("bulk load, empty database", 1), ("naive update_or_create, empty database", 1)),
    Bench("units_load", "unit registry load, empty database (baseline: `update_or_create` per row)", "–",
          ["--indicators", "10", "--years", "5"],
          ("bulk load, empty database", 1), ("naive update_or_create, empty database", 1)),
    Bench("carry", "carry 200,000 observations onto the 2024 units (baseline: the same rules per row in Python)",
          "< 2 s at 1 M rows", ["--rows", "200000"], ("`carry_table` (DuckDB over Arrow), unsorted", 1),
          ("per-row Python", 1)),
    Bench("rollup", "roll-up, 357 municipalities × 20 indicators × 5 years (beside: DuckDB weighted means, "
          "coverage only, less work)", "–", ["--indicators", "20", "--years", "5"], ("`rollup()` pure Python", 1),
          ("baseline: DuckDB", 1), compare=False),
    Bench("jsonstat_convert", "JSON-stat → tidy CSV, 200 × 25 × 40 cells, CPU (baseline: pyjstat → pandas)", "–",
          ["--regions", "200", "--contents", "25", "--years", "40"], ("Dugnad JsonStatReader", 4),
          ("pyjstat", 4)),
    Bench("ssb_connector", "SSB JSON-stat → tidy, 100,000 cells (baseline: pyjstat)", "–",
          ["--cells", "100000", "--limit", "50000"], ("100,000", 4), ("100,000", 5)),
    Bench("practices_search", "practice search, 500 cases, median (baseline: `icontains` scan, which finds fewer)",
          "–", ["--cases", "500", "--repeat", "5"], ("ranked full-text", 2), ("baseline: icontains", 2), unit="ms"),
    Bench("maps", "municipality choropleth SVG (beside: the 17-goal bar chart)", "–", [],
          ("choropleth, 357", 1), ("bar chart", 1), unit="ms", compare=False, needs=_shared_geo),
    Bench("api_v1", "`GET /api/v1/observations`, one unit (0301), server time, median (baseline: per-row ORM read "
          "+ `json.dumps`)", "< 50 ms", ["--repeat", "10"], ("GET /api/v1/observations (JSON)", 1),
          ("per-row ORM", 1), unit="ms", met=_below(50), needs=_needs_env("DUGNAD_DATA_DIR")),
    Bench("publish_vlr", "one VLR PDF, warm (baseline: the same VLR cold)", "< 1 s",
          ["--repeat", "2", "--sides", "candidate", "--modes", "single"],
          ("one VLR, warm", 5), ("one VLR, cold", 5), met=_below(1), needs=_needs_env("DUGNAD_DATA_DIR"),
          timeout=240),
    Bench("publish_reviews", "county review PDF (Vestland), warm, chart cache hit (baseline: no chart cache)",
          "< 3 s", ["--repeat", "1"], ("candidate: chart cache hit", 5), ("baseline: no chart cache", 5),
          met=_below(3), needs=_needs_env("DUGNAD_DATA_DIR")),
    Bench("site_build", "`dugnad site build`, demo, nb/nn/en: CPU extrapolated from 2 pages of each kind", "–",
          ["--sample", "2"], ("**all**", 4), None, unit="CPU-s", needs=_needs_env("DUGNAD_DATA_DIR")),
    Bench("unit_dashboard", "unit dashboard read, median (baseline: one read per indicator)",
          "≤ 20 queries, < 150 ms", ["--repeat", "3"], ("batched", 1), ("per indicator", 1), unit="ms",
          met=_below(150), needs=_needs_env("DUGNAD_DATA_DIR")),
    Bench("save_cost", "server CPU of one grid save, PostgreSQL, in process", "a fraction of 28 ms", ["--saves", "100"],
          ("this tree", 1), None, unit="ms", needs=_needs_postgres),
    Bench("rounds_load", "50 editors saving back to back for 8 s, PostgreSQL + gunicorn (beside: one editor alone)",
          "≥ 150 saves/s over 60 s", ["--editors", "50", "--seconds", "8", "--baseline-seconds", "2"], ("load", 5),
          ("baseline: one editor", 5), unit="saves/s", higher_is_better=True, compare=False, needs=_needs_postgres,
          timeout=150),
    Bench("worker_warmup", "a replaced gunicorn worker: slowest view (baseline: snapshot built on the first miss)",
          "no view > 2 s", ["--seconds", "3"], ("snapshot built before serving", 4), ("baseline: built on the first", 4),
          unit="ms", met=_below(2000), needs=_needs_env("DUGNAD_DATA_DIR")),
    Bench("portal_load", "50 anonymous readers for 6 s, PostgreSQL + gunicorn (2 workers), page cache not warmed, "
          "server p95 (beside: one reader)", "p95 < 100 ms with the page cache warmed (`dugnad portal warm`, ~4 min)",
          ["--seconds", "6", "--uniform-seconds", "0", "--baseline-seconds", "2", "--in-process", "0",
           "--workers", "2"], ("readers, popular mix", 6), ("(baseline)", 6), unit="ms", compare=False,
          needs=_needs_env("DUGNAD_BENCH_POSTGRES_URL", "a PostgreSQL database holding the demo"), timeout=240),
]


def table_rows(text: str) -> list[list[str]]:
    """Cells of every Markdown table row (or space-aligned row) in a benchmark's output."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not set(line) <= set("|-: "):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif line and not line.startswith(("|", " ")):
            rows.append(re.split(r"\s{2,}|(?<=[a-z)])\s+(?=\d)", line.strip()))
    return rows


def figure(rows: list[list[str]], words: str, column: int, skip: int = 0) -> float | None:
    """The number in ``column`` of the (skip+1)-th row that contains ``words`` and has a number there, or None
    (a header row that names a column like the words, e.g. «load», has none)."""
    numbers = [NUMBER.search(row[column]) for row in rows
               if column < len(row) and any(words in cell for cell in row)]
    found = [match for match in numbers if match]
    return float(found[skip].group().replace(",", "")) if len(found) > skip else None


_TIMEOUT_SCALE = [1.0]


def args_scale() -> float:
    """How much longer than its own timeout each benchmark may take (``--timeout-scale``, for a loaded machine)."""
    return _TIMEOUT_SCALE[0]


def run(bench: Bench) -> dict:
    """Run one benchmark and read its two figures."""
    reason = bench.needs()
    if reason:
        return {"status": f"skipped: {reason}"}
    cmd = [sys.executable, str(ROOT / "benchmarks" / f"{bench.name}.py"), *bench.args]
    start = time.perf_counter()
    # its own session, so that a timeout ends the benchmark's children (servers, workers) too
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **bench.env}, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=bench.timeout * args_scale())
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"status": f"timed out after {bench.timeout * args_scale():.0f} s", "took": time.perf_counter() - start}
    took = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (stderr or stdout).strip().splitlines()[-1:] or ["no output"]
        return {"status": f"failed (exit {proc.returncode}): {tail[0][:120]}", "took": took}
    return {**read_figures(bench, stdout), "took": took}


def read_figures(bench: Bench, stdout: str) -> dict:
    """The measured and baseline figures of a benchmark's output, their ratio and whether the target is met."""
    rows = table_rows(stdout)
    same_row = bench.measured == bench.baseline  # the baseline is then the next row with those words
    measured = figure(rows, *bench.measured)
    baseline = figure(rows, *bench.baseline, skip=1 if same_row else 0) if bench.baseline else None
    if measured is None or (bench.baseline and baseline is None):
        return {"status": "ran, but its table did not have the expected rows"}
    ratio = None
    if bench.compare and measured and baseline:
        ratio = measured / baseline if bench.higher_is_better else baseline / measured
    met = None if bench.met is None else bench.met(measured, baseline)
    return {"status": "ok", "measured": measured, "baseline": baseline, "ratio": ratio, "met": met}


def machine() -> str:
    """The machine and its load, for the table's caption."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    mem = next((int(line.split()[1]) / 1024 ** 2 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0.0) if Path("/proc/meminfo").exists() else 0.0
    return (f"{os.cpu_count()} × {cpu}, {mem:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def render(results: list[tuple[Bench, dict]], started: str, load_before: tuple, load_after: tuple) -> str:
    """The one table, with the machine and its load."""
    def fmt(value: float | None, unit: str) -> str:
        return "–" if value is None else f"{value:,.3g} {unit}" if value < 100 else f"{value:,.0f} {unit}"

    took = sum(r.get("took", 0.0) for _, r in results)
    lines = [f"Measured {started} by `benchmarks/run_all.py` ({took / 60:.1f} min) on {machine()}; load average "
             f"{', '.join(f'{x:.1f}' for x in load_before)} before and {', '.join(f'{x:.1f}' for x in load_after)} "
             "after (1, 5, 15 min). Sizes are the small ones this script uses, not the full sizes of the sections below.",
             "Ratio: how many times faster (or, for rates, higher) than the baseline; «for scale» where the baseline "
             "does other or less work. Met: judged at this size where the target is; «–» where the target holds at the "
             "full size of the benchmark's own section.",
             "", "| what | target | measured | baseline | ratio | met |", "|---|---|---:|---:|---:|---|"]
    for bench, r in results:
        if r["status"] != "ok":
            lines.append(f"| {bench.what} | {bench.target} | {r['status']} | | | |")
            continue
        ratio = "for scale" if not bench.compare else "–" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        met = {True: "yes", False: "**no**", None: "–"}[r["met"]]
        lines.append(f"| {bench.what} | {bench.target} | {fmt(r['measured'], bench.unit)} | "
                     f"{fmt(r['baseline'], bench.unit)} | {ratio} | {met} |")
    return "\n".join(lines)


def write_docs(table: str) -> None:
    """Replace the generated table in docs/benchmarks.md (between the markers; added after the title if absent)."""
    text = DOCS.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        head, _, rest = text.partition("\n")
        text = f"{head}\n\n## All benchmarks at a glance (generated)\n\n{block}\n{rest}"
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="run only benchmarks whose name contains this")
    parser.add_argument("--write-docs", action="store_true", help="replace the generated table in docs/benchmarks.md")
    parser.add_argument("--timeout-scale", type=float, default=1.0,
                        help="multiply every benchmark's time limit (on a loaded machine)")
    args = parser.parse_args()
    _TIMEOUT_SCALE[0] = args.timeout_scale
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = os.getloadavg()
    results = []
    for bench in BENCHES:
        if args.only in bench.name:
            print(f"{bench.name} …", file=sys.stderr, flush=True)
            result = run(bench)
            print(f"  {result['status']} ({result.get('took', 0):.0f} s)", file=sys.stderr, flush=True)
            results.append((bench, result))
    table = render(results, started, load_before, os.getloadavg())
    print(table)
    if args.write_docs:
        write_docs(table)


if __name__ == "__main__":
    main()
