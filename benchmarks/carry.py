"""Benchmark: carrying 1 M observations onto the 2024 units (target < 2 s), vectorised vs. per row.

Builds a national table on the real registry (shipped ``units/data/norway.json``): every municipality valid
on 1 January of each year 2015–2023 under the code valid then, ``--indicators`` indicators (half counts, half
rates), population weights for every code and year. Measures

* **carry_table** (``dugnad.analytics.carry``): DuckDB over Arrow, successors resolved once per (code, period);
* **per-row Python** (``carry_naive``, the baseline): the same rules record by record over Python dicts;
* **carry_observations** (``dugnad.analytics.codes``, the older record carry) on the same rows;
* **check**: the largest difference between the vectorised and the per-row values.

Prints a Markdown table.

    .venv/bin/python benchmarks/carry.py                     # 1,000,000 observations
    .venv/bin/python benchmarks/carry.py --rows 200000 --skip-naive
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time

import pyarrow as pa

from dugnad.analytics.carry import carry_naive, carry_table
from dugnad.analytics.codes import ChangeKind, CodeChangeEvent, CodeHistory, ValueKind, carry_observations
from dugnad.units.registry.snapshot import SHIPPED_NORWAY

ON = dt.date(2024, 1, 1)
YEARS = range(2015, 2024)


def build(rows: int) -> tuple[CodeHistory, pa.Table, dict, dict, set[str]]:
    """The real history, the observations, the kinds, the weights and the codes valid on 2024-01-01."""
    data = json.loads(SHIPPED_NORWAY.read_text(encoding="utf-8"))
    events = [CodeChangeEvent(c["old_code"], c["new_code"], dt.date.fromisoformat(c["date"]), ChangeKind(c["type"]),
                              c["weight"]) for c in data["code_changes"] if c["level"] == "municipality"]
    munis = [u for u in data["units"] if u["level"] == "municipality"]

    def valid(u, day):
        return u["valid_from"] <= day.isoformat() and (u["valid_to"] is None or day.isoformat() < u["valid_to"])

    by_year = {y: [u["code"] for u in munis if valid(u, dt.date(y, 1, 1))] for y in YEARS}
    unit_years = sum(len(c) for c in by_year.values())
    indicators = max(1, round(rows / unit_years))
    rng = random.Random(2024)
    units, inds, periods, values = [], [], [], []
    for i in range(indicators):
        for year, codes in by_year.items():
            for code in codes:
                units.append(code)
                inds.append(f"I{i:03d}")
                periods.append(str(year))
                values.append(None if rng.random() < 0.02 else rng.uniform(0, 1000))
    table = pa.table({"unit": units, "indicator": inds, "period": periods, "value": pa.array(values, pa.float64()),
                      "status": ["ok"] * len(units)})
    kinds = {f"I{i:03d}": ValueKind.COUNT if i % 2 else ValueKind.RATE for i in range(indicators)}
    weights = {(c, y): float(rng.randint(200, 700_000)) for y, codes in by_year.items() for c in codes}
    valid_2024 = {u["code"] for u in munis if valid(u, ON)}
    return CodeHistory(events), table, kinds, weights, valid_2024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-naive", action="store_true", help="Skip the two per-row baselines.")
    args = parser.parse_args()
    history, table, kinds, weights, valid = build(args.rows)
    print(f"{table.num_rows:,} observations, {len(kinds)} indicators, {len(valid)} municipalities in 2024\n")
    rows = [("what", "wall s", "CPU s", "observations/s (wall)", "output rows")]
    # Warm DuckDB's extension load once (not part of the carry).
    carry_table(table.slice(0, 10), history, on=ON, kinds=kinds, weights=weights)
    for sort in (False, True):
        start, cpu = time.perf_counter(), time.process_time()
        fast = carry_table(table, history, on=ON, kinds=kinds, weights=weights, valid_codes=valid, sort=sort)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        what = "`carry_table` (DuckDB over Arrow)" + (", sorted output" if sort else ", unsorted (score runs)")
        rows.append((what, f"{seconds:.2f}", f"{cpu:.2f}", f"{table.num_rows / seconds:,.0f}", f"{fast.table.num_rows:,}"))
    if not args.skip_naive:
        records = table.to_pylist()
        start, cpu = time.perf_counter(), time.process_time()
        slow = carry_naive(records, history, on=ON, kinds=kinds, weights=weights)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows.append(("per-row Python (`carry_naive`, baseline; records already in memory)", f"{seconds:.2f}",
                     f"{cpu:.2f}", f"{table.num_rows / seconds:,.0f}", f"{len(slow):,}"))
        start, cpu = time.perf_counter(), time.process_time()
        old = carry_observations(records, history, on=ON, kinds=kinds, weights={c: w for (c, y), w in weights.items()})
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows.append(("`codes.carry_observations` (record carry)", f"{seconds:.2f}", f"{cpu:.2f}",
                     f"{table.num_rows / seconds:,.0f}", f"{len(old.records):,}"))
        got = {(r["unit"], r["indicator"], r["period"]): r["value"] for r in fast.table.to_pylist()}
        diffs = [abs(got[(r["unit"], r["indicator"], r["period"])] - r["value"]) for r in slow
                 if r["value"] is not None and r["unit"] in valid]
        print(f"largest difference vectorised vs per-row: {max(diffs, default=0.0):.3g} over {len(diffs):,} values\n")
    for i, row in enumerate(rows):
        print("| " + " | ".join(row) + " |")
        if i == 0:
            print("|---|---:|---:|---:|---:|")


if __name__ == "__main__":
    main()
