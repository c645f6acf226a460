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
    """One benchmark script run at a small size and the figures read from its output."""

    name: str
    what: str
    target: str
    args: list[str]
    measured: tuple[str, int]  # (words in the row, column index) of the measured figure
    baseline: tuple[str, int]
    unit: str = "s"
    higher_is_better: bool = False
    needs: Callable[[], str | None] = lambda: None  # a reason to skip, or None
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 120


def _needs_env(name: str) -> Callable[[], str | None]:
    return lambda: None if os.environ.get(name) else f"needs {name} (the demo data directory)"


def _needs_postgres() -> str | None:
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except Exception as exc:  # any failure means: skip
        return f"needs PostgreSQL on 127.0.0.1 ({type(exc).__name__})"
    return None


def _shared_geo() -> str | None:
    return None if (ROOT.parent / "shared" / "data" / "no" / "geo").is_dir() else "needs ../shared/data/no/geo"


BENCHES = [
    Bench("score_national", "`dugnad score`, national (373 units × 150 indicators × 11 years), whole process",
          "≥ 5× faster than pandas", [], ("`dugnad score`", 1), ("pandas, same pipeline", 1), timeout=180),
    Bench("score_scale", "`dugnad score`, 3 M observations (2,000 units × 100 × 15), CPU",
          "≥ 5× less CPU than pandas", ["--units", "2000", "--pandas-units", "2000"],
          ("`dugnad score` (DuckDB, cap 4GB), 2,000", 3), ("pandas, same pipeline", 3), timeout=180),
    Bench("score_run", "`score_run_create`, SQLite, 373 units × 10 indicators × 11 years, new run",
          "–", ["--skip-postgres", "--indicators", "10"], ("new run (read + score + save)", 2),
          ("baseline: engine alone", 2)),
    Bench("import_csv", "`dugnad import csv`, 100,000 rows, SQLite, empty store", "≤ 1.2× the bare floor",
          ["--rows", "100000", "--skip-postgres", "--baseline-rows", "2000"], ("empty store", 6), ("naive ORM", 6),
          unit="rows/s", higher_is_better=True),
    Bench("catalogue_load", "catalogue snapshot load, empty database", "–", [],
          ("bulk load, empty database", 1), ("naive update_or_create, empty database", 1)),
    Bench("units_load", "unit registry load, empty database", "–", ["--indicators", "10", "--years", "5"],
          ("bulk load, empty database", 1), ("naive update_or_create, empty database", 1)),
    Bench("rollup", "roll-up, 357 municipalities × 20 indicators × 5 years", "–",
          ["--indicators", "20", "--years", "5"], ("`rollup()` pure Python", 1), ("baseline: DuckDB", 1)),
    Bench("jsonstat_convert", "JSON-stat → tidy CSV, 100 × 20 × 20 cells, CPU", "–",
          ["--regions", "100", "--contents", "20", "--years", "20"], ("Dugnad JsonStatReader", 5),
          ("pyjstat", 5)),
    Bench("ssb_connector", "SSB JSON-stat → tidy, 100,000 cells", "–", ["--cells", "100000", "--limit", "50000"],
          ("100,000", 4), ("100,000", 5)),
    Bench("practices_search", "practice search, 1,000 cases, median", "–", ["--cases", "1000", "--repeat", "5"],
          ("ranked full-text", 2), ("baseline: icontains", 2), unit="ms"),
    Bench("maps", "municipality choropleth SVG (bar chart = baseline)", "–", [],
          ("choropleth, 357", 1), ("bar chart", 1), unit="ms", needs=_shared_geo),
    Bench("publish_vlr", "one VLR PDF, warm (baseline: the same VLR cold)", "< 1 s",
          ["--repeat", "2", "--sides", "candidate", "--modes", "single"],
          ("one VLR, warm", 5), ("one VLR, cold", 5), needs=_needs_env("DUGNAD_DATA_DIR"), timeout=240),
    Bench("unit_dashboard", "unit dashboard read, median", "≤ 20 queries, < 150 ms", ["--repeat", "3"],
          ("batched", 1), ("per indicator", 1), unit="ms", needs=_needs_env("DUGNAD_DATA_DIR")),
    Bench("rounds_load", "50 editors saving back to back, PostgreSQL + gunicorn", "≥ 150 saves/s",
          ["--editors", "50", "--seconds", "15", "--baseline-seconds", "5"], ("load", 5), ("baseline: one editor", 5),
          unit="saves/s", higher_is_better=True, needs=_needs_postgres, timeout=150),
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
    rows = table_rows(stdout)
    same_row = bench.measured == bench.baseline  # the baseline is then the next row with those words
    measured = figure(rows, *bench.measured)
    baseline = figure(rows, *bench.baseline, skip=1 if same_row else 0)
    if measured is None or baseline is None:
        return {"status": "ran, but its table did not have the expected rows", "took": took}
    ratio = (measured / baseline if bench.higher_is_better else baseline / measured) if measured and baseline else None
    return {"status": "ok", "measured": measured, "baseline": baseline, "ratio": ratio, "took": took}


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

    lines = [f"Measured {started} by `benchmarks/run_all.py` on {machine()}; load average "
             f"{', '.join(f'{x:.1f}' for x in load_before)} before and {', '.join(f'{x:.1f}' for x in load_after)} "
             "after (1, 5, 15 min). Sizes are the small ones this script uses, not the full sizes of the sections below.",
             "", "| what | target | measured | baseline | ratio |", "|---|---|---:|---:|---:|"]
    for bench, r in results:
        if r["status"] != "ok":
            lines.append(f"| {bench.what} | {bench.target} | {r['status']} | | |")
            continue
        ratio = "–" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        lines.append(f"| {bench.what} | {bench.target} | {fmt(r['measured'], bench.unit)} | "
                     f"{fmt(r['baseline'], bench.unit)} | {ratio} |")
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
