"""Benchmark: `dugnad score` at scale — 100,000 units × 100 indicators × 15 years (150 M observations, Parquet)
under the 4 GB DuckDB cap, versus the same pipeline in pandas (on a subset when the full set cannot fit).

Run: .venv/bin/python benchmarks/score_scale.py [--units 100000] [--pandas-units 10000]
Prints a Markdown table with wall time, CPU time and peak resident memory of each subprocess.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import psutil

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DUGNAD = str(Path(PY).with_name("dugnad"))
N_INDICATORS, YEARS = 100, (2011, 2025)


def generate(directory: Path, n_units: int, seed: int = 7) -> dict[str, Path]:
    """Write IND/UNITS CSVs and an OBS Parquet file generated inside DuckDB (about 10 % missing values)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"indicators": directory / "IND.csv", "units": directory / "UNITS.csv", "observations": directory / "OBS.parquet"}
    with open(paths["indicators"], "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["indicator", "goal", "label", "upper_bound", "lower_bound", "green", "red", "in_index", "applies_to",
                    "trend_from", "trend_to"])
        for i in range(N_INDICATORS):
            up = i % 3 != 0
            w.writerow([f"ind{i:03d}", 1 + i % 17, "", *((100, 0, 80, 50) if up else (0, 100, 20, 50)), "yes", "", 2018, 2023])
    con = duckdb.connect()
    con.execute("SET memory_limit = '4GB'")
    con.execute(f"""COPY (SELECT 'u' || lpad(i::VARCHAR, 6, '0') AS unit, 'Unit ' || i AS name, 'g' || (i % 50) AS "group",
                    '' AS tags, '' AS parent, 1000 + i % 5000 AS population FROM range({n_units}) t(i))
                    TO '{paths["units"]}' (HEADER)""")
    con.execute(f"SELECT setseed({seed / 100})")
    con.execute(f"""COPY (
        SELECT 'u' || lpad(u::VARCHAR, 6, '0') AS unit, 'ind' || lpad(k::VARCHAR, 3, '0') AS indicator, y::INTEGER AS year,
               CASE WHEN random() < 0.1 THEN NULL ELSE round(random() * 100, 3) END AS value
        FROM range({n_units}) a(u), range({N_INDICATORS}) b(k), range({YEARS[0]}, {YEARS[1] + 1}) c(y))
        TO '{paths["observations"]}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)""")
    con.close()
    return paths


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Wall time, CPU time and peak RSS (sampled every 50 ms, process tree) of one subprocess."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    peak, cpu = 0, 0.0
    done = threading.Event()

    def sample():
        nonlocal peak, cpu
        while not done.is_set():
            try:
                procs = [proc, *proc.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs))
                times = proc.cpu_times()
                cpu = times.user + times.system
            except psutil.Error:
                pass
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    done.set()
    thread.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return {"wall": wall, "cpu": cpu, "peak_gb": peak / 1e9}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--pandas-units", type=int, default=10_000, help="subset size for the pandas baseline")
    parser.add_argument("--workdir", default=None, help="directory for generated data (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        full = generate(tmp / "full", args.units)
        gen = time.perf_counter() - t0
        subset = generate(tmp / "subset", args.pandas_units)
        rows = []
        for label, paths, n in (("full", full, args.units), ("subset", subset, args.pandas_units)):
            cmd = [DUGNAD, "score", "--indicators", str(paths["indicators"]), "--units", str(paths["units"]),
                   "--observations", str(paths["observations"]), "--out", str(tmp / f"out-{label}")]
            rows.append((f"`dugnad score` (DuckDB, cap 4GB), {n:,} units", n, measure(cmd, {"DUGNAD_DUCKDB_MEMORY": "4GB"})))
            if label == "full":  # baseline in the same run: the pass over the observations in one part
                rows.append((f"baseline: the same, pass in one part, {n:,} units", n, measure(
                    cmd, {"DUGNAD_DUCKDB_MEMORY": "4GB", "DUGNAD_SCORE_GROUPS_PER_PASS": str(10**12)})))
        cmd = [PY, str(ROOT / "benchmarks" / "score_pandas.py"), *map(str, subset.values()), str(tmp / "out-pandas")]
        rows.append((f"pandas, same pipeline, {args.pandas_units:,} units", args.pandas_units, measure(cmd)))
        print(f"| Scale: units × {N_INDICATORS} indicators × {YEARS[1] - YEARS[0] + 1} years, Parquet observations "
              "| observations | wall | CPU (user+sys) | peak RSS |")
        print("|---|---|---|---|---|")
        for label, n, m in rows:
            obs = n * N_INDICATORS * (YEARS[1] - YEARS[0] + 1)
            print(f"| {label} | {obs / 1e6:.1f} M | {m['wall']:.1f} s | {m['cpu']:.1f} s | {m['peak_gb']:.2f} GB |")
        print(f"\nData generation ({args.units:,} units) took {gen:.0f} s; load average at end: "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
