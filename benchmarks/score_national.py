"""Benchmark: `dugnad score` on a national-size input (Norway + 15 counties + 357 municipalities × 150 indicators
× 2015–2025) versus the same pipeline in pandas; full subprocess wall time including start-up.

Run: .venv/bin/python benchmarks/score_national.py   (prints a Markdown table)
"""

from __future__ import annotations

import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DUGNAD = str(Path(PY).with_name("dugnad"))
N_COUNTIES, N_MUNICIPALITIES, N_INDICATORS, YEARS = 15, 357, 150, range(2015, 2026)


def generate(directory: Path, seed: int = 2030) -> dict[str, Path]:
    """Write synthetic IND/UNITS/OBS CSVs of national size (about 10 % of values missing)."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"indicators": directory / "IND.csv", "units": directory / "UNITS.csv", "observations": directory / "OBS.csv"}
    with open(paths["indicators"], "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["indicator", "goal", "label", "upper_bound", "lower_bound", "green", "red", "in_index", "applies_to",
                    "trend_from", "trend_to"])
        for i in range(N_INDICATORS):
            up = i % 3 != 0
            ub, lb = (100.0, 0.0) if up else (0.0, 100.0)
            green, red = (80.0, 50.0) if up else (20.0, 50.0)
            w.writerow([f"ind{i:03d}", 1 + i % 17, f"Indicator {i}", ub, lb, green, red, "yes", "", 2019, 2024])
    counties = [f"{c:02d}" for c in range(31, 31 + N_COUNTIES)]
    units = [("0", "Norge", "", "", "")] + [(c, f"Fylke {c}", "county", "", "0") for c in counties]
    units += [(f"{counties[m % N_COUNTIES]}{m:02d}", f"Kommune {m}", counties[m % N_COUNTIES], "", counties[m % N_COUNTIES])
              for m in range(N_MUNICIPALITIES)]
    with open(paths["units"], "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "name", "group", "tags", "parent", "population"])
        w.writerows([(*u, int(rng.integers(200, 700_000))) for u in units])
    unit_codes = [u[0] for u in units]
    n = len(unit_codes) * N_INDICATORS * len(YEARS)
    grid = pd.MultiIndex.from_product([unit_codes, [f"ind{i:03d}" for i in range(N_INDICATORS)], list(YEARS)],
                                      names=["unit", "indicator", "year"]).to_frame(index=False)
    grid["value"] = np.round(rng.uniform(0, 100, n), 3)
    grid.loc[rng.random(n) < 0.1, "value"] = np.nan
    grid.to_csv(paths["observations"], index=False)
    return paths


def timed(cmd: list[str], runs: int = 3) -> tuple[float, float]:
    """Median wall time and median CPU time (user + sys) of a subprocess (fails loudly if it fails)."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    # src/ as an installed package has it: with bytecode (`make install` writes it too; this machine sets
    # PYTHONDONTWRITEBYTECODE=1, so a checkout would otherwise compile every module again in every run)
    subprocess.run([PY, "-m", "compileall", "-q", "-j", "0", str(ROOT / "src")], check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = generate(tmp / "in")
        with open(paths["observations"]) as fh:
            n_obs = sum(1 for _ in fh) - 1
        args = ["--indicators", str(paths["indicators"]), "--units", str(paths["units"]),
                "--observations", str(paths["observations"])]
        dugnad = timed([DUGNAD, "score", *args, "--out", str(tmp / "dugnad")])
        pandas = timed([PY, str(ROOT / "benchmarks" / "score_pandas.py"), *map(str, paths.values()), str(tmp / "pandas")])
        startup = timed([DUGNAD, "--help"])
        a = pd.read_csv(tmp / "dugnad" / "index.csv", dtype={"unit": str}).set_index("unit").sort_index()
        b = pd.read_csv(tmp / "pandas" / "index.csv", dtype={"unit": str}).set_index("unit").sort_index()
        diff = float((a.score - b.score).abs().max())
        print(f"| National: {len(a)} units × {N_INDICATORS} indicators × {len(YEARS)} years ({n_obs:,} observations, CSV) "
              "| wall (median of 3, subprocess incl. start-up) | CPU user+sys |")
        print("|---|---|---|")
        print(f"| `dugnad score` (DuckDB) | {dugnad[0]:.2f} s | {dugnad[1]:.2f} s |")
        print(f"| pandas, same pipeline | {pandas[0]:.2f} s | {pandas[1]:.2f} s |")
        print(f"| `dugnad --help` alone (CLI start-up) | {startup[0]:.2f} s | {startup[1]:.2f} s |")
        print(f"\nIndex scores dugnad vs pandas: max |Δ| = {diff:.1e}; load average at end: "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
