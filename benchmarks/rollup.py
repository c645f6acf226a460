"""Benchmark: the pure-Python roll-up (``dugnad.analytics.rollup``) vs. the same weighted means in DuckDB SQL.

Norway-sized tree: 1 country, 15 counties, 357 municipalities; ``--indicators`` × ``--years`` values per
municipality (about 4 % missing) plus the counties' published values. Measures

* **rollup**: ``rollup(values, members, weighting="population", goalposts=…)`` — means, coverage, published
  value, gap and every member's contribution, for counties and the country (from municipalities);
* **baseline**: one DuckDB query computing only the population-weighted means and member coverage
  for the same parents (no contributions), on the same values already in Arrow;
* **check**: the largest absolute difference between the two sets of means (must be ~1e-12).

Prints a Markdown table.

    .venv/bin/python benchmarks/rollup.py                       # 100 indicators × 10 years = 357,000 values
    .venv/bin/python benchmarks/rollup.py --indicators 500 --years 10
"""

from __future__ import annotations

import argparse
import random
import resource
import time

import duckdb
import pyarrow as pa

from dugnad.analytics.rollup import Goalpost, Member, rollup

COUNTIES, MUNICIPALITIES = 15, 357


def build(indicators: int, years: int) -> tuple[list[Member], list[tuple[str, str, str, float | None]]]:
    """The unit tree and the values (municipal values plus a published value per county)."""
    rng = random.Random(2030)
    members = [Member("0")] + [Member(f"{c + 1:02d}", parent="0") for c in range(COUNTIES)]
    munis = []
    for m in range(MUNICIPALITIES):
        county = f"{m % COUNTIES + 1:02d}"
        code = f"{county}{m // COUNTIES + 1:02d}"
        munis.append(code)
        members.append(Member(code, parent=county, population=float(max(200, round(rng.lognormvariate(8.5, 1.15))))))
    values: list[tuple[str, str, str, float | None]] = []
    for i in range(indicators):
        for y in range(years):
            for code in munis:
                values.append((code, f"I{i:03d}", str(2015 + y), None if rng.random() < 0.04 else rng.uniform(0, 100)))
            for c in range(COUNTIES):
                values.append((f"{c + 1:02d}", f"I{i:03d}", str(2015 + y), rng.uniform(0, 100)))
    return members, values


def baseline(members: list[Member], values: list[tuple[str, str, str, float | None]]) -> tuple[float, dict]:
    """Population-weighted means per (parent, indicator, period) in DuckDB; returns (seconds, means)."""
    parents = {m.code: m.parent for m in members}
    links = []  # (leaf, ancestor)
    for m in members:
        if m.population is None:
            continue
        node = m.parent
        while node:
            links.append((m.code, node))
            node = parents[node]
    tree = pa.table({"leaf": [a for a, _ in links], "parent": [b for _, b in links],
                     "population": [next(x.population for x in members if x.code == a) for a, _ in links]})
    vals = pa.table({"unit": [v[0] for v in values], "indicator": [v[1] for v in values], "period": [v[2] for v in values],
                     "value": [v[3] for v in values]})  # fmt: skip
    con = duckdb.connect()
    con.register("tree", tree)
    con.register("vals", vals)
    start = time.perf_counter()
    rows = con.execute("""
        SELECT t.parent, v.indicator, v.period,
               sum(v.value * t.population) FILTER (WHERE v.value IS NOT NULL)
                 / sum(t.population) FILTER (WHERE v.value IS NOT NULL) AS value,
               count(v.value) AS with_data
        FROM tree t JOIN vals v ON v.unit = t.leaf
        GROUP BY ALL""").fetchall()
    seconds = time.perf_counter() - start
    return seconds, {(p, i, per): value for p, i, per, value, _ in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    members, values = build(args.indicators, args.years)
    goalposts = {f"I{i:03d}": Goalpost.from_spec(f"I{i:03d}", upper_bound=100, lower_bound=0, green=70, red=40)
                 for i in range(args.indicators)}  # fmt: skip
    start, cpu = time.perf_counter(), time.process_time()
    rows = rollup(values, members, weighting="population", goalposts=goalposts)
    ours, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    contributions = sum(len(r.contributions) for r in rows)
    parts, parts_cpu = time.perf_counter() - start, time.process_time() - cpu
    base, means = baseline(members, values)
    diff = max(abs(r.value - means[r.parent, r.indicator, r.period]) for r in rows if r.value is not None)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Roll-up of {len(values):,} values ({args.indicators} indicators × {args.years} years, "
          f"{MUNICIPALITIES} municipalities → {COUNTIES} counties → country)\n")  # fmt: skip
    print("| what | wall s | CPU s | values/s (wall) | output | notes |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| `rollup()` pure Python, population-weighted, means + coverage + gaps | {ours:.2f} | {ours_cpu:.2f} | "
          f"{len(values) / ours:,.0f} | {len(rows):,} rows | validates and indexes the values too |")
    print(f"| … then building every member contribution (on demand) | {parts:.2f} | {parts_cpu:.2f} | | "
          f"{contributions:,} contributions | peak RSS {peak:,.0f} MB |")
    print(f"| baseline: DuckDB weighted means + coverage only | {base:.2f} | | {len(values) / base:,.0f} | "
          f"{len(means):,} rows | values already in Arrow |")
    print(f"\nLargest difference between the two sets of means: {diff:.2e}")


if __name__ == "__main__":
    main()
