"""Benchmark: the SSB connector's local work on large responses (split → merge → tidy) against baselines.

Builds a synthetic JSON-stat 2.0 dataset shaped like a big SSB table (regions × contents × years),
splits the selection under the cell limit, slices the dataset into the parts a server would send, then
times, per size:

* **merge**: ``merge_datasets`` of the parts — baseline: ``json.loads`` of the same parts (the time
  simply parsing what came over the wire takes);
* **tidy**: ``dataset_to_tidy`` (the project's JSON-stat reader → Arrow tidy table) — baseline:
  ``pyjstat`` (``Dataset.read(...).write('dataframe')``, the usual Python JSON-stat library).

Prints a Markdown table.

    .venv/bin/python benchmarks/ssb_connector.py
    .venv/bin/python benchmarks/ssb_connector.py --cells 250000 --limit 100000
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dugnad.imports.connectors.dataset import dataset_to_tidy
from dugnad.imports.connectors.jsonstat import merge_datasets
from dugnad.imports.connectors.selection import Selection, split_selection


def dataset(regions: int, contents: int, years: int) -> dict:
    """A JSON-stat 2.0 dataset of regions × contents × years with a few missing cells."""
    dims = [
        ("Region", [f"{3000 + i:04d}" for i in range(regions)]),
        ("ContentsCode", [f"KOS{i:04d}" for i in range(contents)]),
        ("Tid", [str(2000 + i) for i in range(years)]),
    ]
    size = math.prod(len(c) for _, c in dims)
    return {
        "version": "2.0", "class": "dataset", "label": "benchmark", "updated": "2026-01-01T00:00:00Z",
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "id": [d for d, _ in dims], "size": [len(c) for _, c in dims],
        "dimension": {d: {"label": d, "category": {"index": {c: i for i, c in enumerate(codes)},
                                                   "label": {c: c for c in codes}}} for d, codes in dims},
        "value": [None if i % 97 == 0 else float(i % 1000) for i in range(size)],
        "status": {str(i): ".." for i in range(0, size, 97)},
    }


def slice_parts(whole: dict, parts: list[Selection]) -> list[dict]:
    """The parts as a server would send them (each a JSON-stat dataset of its codes)."""
    out = []
    ids = whole["id"]
    codes = {d: list(whole["dimension"][d]["category"]["index"]) for d in ids}
    sizes = [len(codes[d]) for d in ids]
    strides = [math.prod(sizes[i + 1:]) for i in range(len(ids))]
    for part in parts:
        flats = [0]
        for i, d in enumerate(ids):
            offsets = [codes[d].index(c) * strides[i] for c in part.values[d]]
            flats = [f + o for f in flats for o in offsets]
        doc = copy.deepcopy({k: v for k, v in whole.items() if k not in {"value", "status", "dimension"}})
        doc["size"] = [len(part.values[d]) for d in ids]
        doc["dimension"] = {d: {"label": d, "category": {"index": {c: i for i, c in enumerate(part.values[d])},
                                                         "label": {c: c for c in part.values[d]}}} for d in ids}
        doc["value"] = [whole["value"][f] for f in flats]
        doc["status"] = {str(n): whole["status"][str(f)] for n, f in enumerate(flats) if str(f) in whole["status"]}
        out.append(doc)
    return out


def timed(fn, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, nargs="*", default=[100_000, 1_000_000, 2_000_000])
    parser.add_argument("--limit", type=int, default=800_000, help="cell limit per request")
    args = parser.parse_args()
    import pyjstat.pyjstat as pyjstat

    print("| cells | parts | merge (s) | json.loads of parts (s) | tidy: dataset_to_tidy (s) | tidy: pyjstat (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for cells in args.cells:
        regions, contents = 400, 50
        years = max(1, cells // (regions * contents))
        whole = dataset(regions, contents, years)
        selection = Selection("BENCH", {d: list(whole["dimension"][d]["category"]["index"]) for d in whole["id"]})
        parts = split_selection(selection, args.limit)
        docs = slice_parts(whole, parts)
        texts = [json.dumps(d) for d in docs]
        merged = merge_datasets(docs, order=selection.values)
        assert merged["value"] == whole["value"] and merged["status"] == whole["status"]
        merge_s = timed(lambda docs=docs, sel=selection: merge_datasets(docs, order=sel.values))
        parse_s = timed(lambda texts=texts: [json.loads(t) for t in texts])
        tidy_s = timed(lambda m=merged: dataset_to_tidy(m, indicator="x", region_variable="Region", name="bench"), 1)
        text = json.dumps(merged)
        pyjstat_s = timed(lambda text=text: pyjstat.Dataset.read(text).write("dataframe"), 1)
        print(f"| {selection.cells:,} | {len(parts)} | {merge_s:.2f} | {parse_s:.2f} | {tidy_s:.2f} | {pyjstat_s:.2f} |")


if __name__ == "__main__":
    main()
