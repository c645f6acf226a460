"""Benchmark: a 1,000,000-cell JSON-stat file to tidy CSV with Dugnad's reader+writer versus pyjstat + pandas.

Run: ``.venv/bin/python benchmarks/jsonstat_convert.py [--regions 400 --contents 50 --years 50]``.
Each converter runs in its own child process so peak memory (max RSS) is measured separately; the
child also reports its RSS after imports, before reading. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def generate(path: Path, regions: int, contents: int, years: int) -> int:
    """Write an SSB-like JSON-stat 2.0 dataset (Region × ContentsCode × Tid, 2 % '..' cells); return cells."""
    rng = random.Random(42)
    region_codes = ["0", *(f"{3000 + i:04d}" for i in range(regions - 1))]
    content_codes = [f"KOSind{i:03d}" for i in range(contents)]
    year_codes = [str(1975 + i) for i in range(years)]
    size = regions * contents * years
    values: list[float | None] = [round(rng.uniform(0, 1000), 1) for _ in range(size)]
    status = {}
    for position in rng.sample(range(size), size // 50):
        values[position] = None
        status[str(position)] = ".."

    def dim(label: str, codes: list[str]) -> dict:
        return {"label": label, "category": {"index": {c: i for i, c in enumerate(codes)}, "label": {c: c for c in codes}}}

    document = {
        "version": "2.0", "class": "dataset", "label": "benchmark", "source": "generated",
        "id": ["Region", "ContentsCode", "Tid"], "size": [regions, contents, years],
        "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
        "dimension": {"Region": dim("region", region_codes), "ContentsCode": dim("statistikkvariabel", content_codes),
                      "Tid": dim("år", year_codes)},
        "value": values, "status": status,
    }
    path.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    return size


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_dugnad(source: Path, target: Path) -> dict:
    """Dugnad: read_table (JsonStatReader) then write_table (TidyCsvWriter)."""
    from dugnad.analytics.formats import read_table, write_table

    base, start, cpu = rss_mb(), time.perf_counter(), time.process_time()
    result = read_table(source, format="jsonstat")
    read_s = time.perf_counter() - start
    write_table(result.table, target, format="csv")
    return {"rows": result.table.num_rows, "read_s": read_s, "total_s": time.perf_counter() - start,
            "cpu_s": time.process_time() - cpu, "base_mb": base, "peak_mb": rss_mb()}


def run_pyjstat(source: Path, target: Path) -> dict:
    """Baseline: pyjstat Dataset.read → pandas DataFrame → DataFrame.to_csv (status is ignored by pyjstat)."""
    from pyjstat import pyjstat

    base, start, cpu = rss_mb(), time.perf_counter(), time.process_time()
    frame = pyjstat.Dataset.read(source.read_text(encoding="utf-8")).write("dataframe", naming="id")
    read_s = time.perf_counter() - start
    frame.to_csv(target, index=False)
    return {"rows": len(frame), "read_s": read_s, "total_s": time.perf_counter() - start,
            "cpu_s": time.process_time() - cpu, "base_mb": base, "peak_mb": rss_mb()}


def run_csv_read(source: Path, target: Path, *, fast: bool = True) -> dict:
    """Read the tidy CSV written by the Dugnad run back with TidyCsvReader (``source`` is that CSV)."""
    from dugnad.analytics.formats import read_table

    base, start, cpu = rss_mb(), time.perf_counter(), time.process_time()
    result = read_table(source, format="csv", fast=fast)
    elapsed = time.perf_counter() - start
    return {"rows": result.table.num_rows, "read_s": elapsed, "total_s": elapsed,
            "cpu_s": time.process_time() - cpu, "base_mb": base, "peak_mb": rss_mb()}


def run_csv_read_rows(source: Path, target: Path) -> dict:
    """As ``run_csv_read`` but forcing the row-by-row path (what files with problems go through)."""
    return run_csv_read(source, target, fast=False)


RUNNERS = {"dugnad": run_dugnad, "pyjstat": run_pyjstat, "csv-read": run_csv_read, "csv-read-rows": run_csv_read_rows}


def child(name: str, source: str, target: str) -> None:
    """Run one converter and print its measurements as JSON (used in the child process)."""
    print(json.dumps(RUNNERS[name](Path(source), Path(target))))


def main() -> None:
    """Generate the file, run both converters in child processes and print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regions", type=int, default=400)
    parser.add_argument("--contents", type=int, default=50)
    parser.add_argument("--years", type=int, default=50)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "cube.json"
        cells = generate(source, args.regions, args.contents, args.years)
        size_mb = source.stat().st_size / 1e6
        results = {}
        for name in RUNNERS:
            target = Path(folder) / f"{name}.csv"
            reads = name.startswith("csv-read")
            inputs = Path(folder) / "dugnad.csv" if reads else source
            out = subprocess.run([sys.executable, __file__, "--child", name, str(inputs), str(target)],
                                 check=True, capture_output=True, text=True)
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
            results[name]["csv_mb"] = (inputs if reads else target).stat().st_size / 1e6
    print(f"JSON-stat file: {args.regions} regions × {args.contents} contents × {args.years} years = "
          f"{cells:,} cells ({size_mb:.1f} MB), 2 % of cells `..`\n")
    print("| converter | rows | read s | read + write CSV s | CPU s | peak RSS MB | RSS after imports MB | CSV MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    labels = {"dugnad": "Dugnad JsonStatReader → TidyCsvWriter (keeps status)",
              "pyjstat": "pyjstat → pandas → to_csv (baseline, drops status)",
              "csv-read": "Dugnad TidyCsvReader reading that CSV back (vectorised path)",
              "csv-read-rows": "Dugnad TidyCsvReader, row-by-row path (`fast=False`)"}
    for name, r in results.items():
        print(f"| {labels[name]} | {r['rows']:,} | {r['read_s']:.2f} | {r['total_s']:.2f} | {r['cpu_s']:.2f} | "
              f"{r['peak_mb']:.0f} | "
              f"{r['base_mb']:.0f} | {r['csv_mb']:.1f} |")


if __name__ == "__main__":
    main()
