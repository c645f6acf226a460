"""Benchmark: one VLR PDF warm (17 goals, ~40 charts) and all VLRs of the demo round on 2 processes.

Needs a database with the demo data, a demo round and a score run (``dugnad demo --no-serve``, ``dugnad score
run``, the demo round). Uses ``DUGNAD_DATA_DIR`` / ``DUGNAD_DATABASE_URL`` as the CLI does. Compares against the
issue's targets (< 1 s per warm VLR, < 3 min for all VLRs on 2 cores) and splits the time into building the
document, charts (vl-convert) and typesetting (typst). The all-VLR figure is measured on ``--subset`` units and
extrapolated to every participating municipality unless ``--all`` is given.

Paired, in the same run: the warm VLR is rendered alternately as a baseline (every chart drawn by vl-convert, no
cache) and a candidate (line charts drawn natively by ``publications.linechart``, the rest through the spec-hash
cache); the batch runs the same units three times on 2 processes — baseline, candidate with an empty cache (a first
publication), candidate again (the cache from the previous pass on disk, as when the batch is repeated) — in a fresh
temporary cache directory.

    DUGNAD_DATA_DIR=/path/to/demo .venv/bin/python benchmarks/publish_vlr.py [--subset 20] [--all]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")


def _setup():
    import django

    django.setup()


def _one(args: tuple[int, str, str, bool, str]) -> dict:
    """Build and render one VLR PDF in a worker (Django set up once per process)."""
    round_id, code, out_dir, cache, cache_root = args
    from django.apps import apps

    if not apps.ready:
        _setup()
    from dugnad.publications import charts
    from dugnad.publications.builders.vlr import vlr_build
    from dugnad.publications.renderers.pdf import render_pdf
    from dugnad.rounds.models import Round
    from dugnad.units.models import Unit

    if Path(cache_root) != charts.CACHE_ROOT:
        charts.CACHE_ROOT = Path(cache_root)
        charts.cache_clear_memory()
    start = time.perf_counter()
    doc = vlr_build(unit=Unit.objects.current().get(code=code), round_=Round.objects.get(pk=round_id), lang="nb")
    built = time.perf_counter() - start
    # baseline: every chart through vl-convert, no cache (main before the native line charts); candidate: line
    # charts drawn natively (publications.linechart), the rest through the spec-hash cache
    out = render_pdf(doc, engine=charts.SvgEngine(cache=cache, native=cache))
    Path(out_dir, f"vlr-{code}.pdf").write_bytes(out.content)
    return {"build": built, "charts": out.timings["charts"], "typesetting": out.timings["typesetting"],
            "total": time.perf_counter() - start, "n_charts": len(doc.charts()), "drawn": out.timings["charts_rendered"],
            "native": out.timings.get("charts_native", 0)}


def _batch(codes: list[str], round_id: int, out_dir: str, cache: bool, cache_root: str) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        results = list(pool.map(_one, [(round_id, c, out_dir, cache, cache_root) for c in codes]))
    return time.perf_counter() - start, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="4601")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--subset", type=int, default=20)
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    _setup()
    from dugnad.rounds.models import Round, Submission

    round_ = Round.objects.filter(is_demo=True).first() or Round.objects.first()
    if round_ is None:
        sys.exit("No round in the database: run `dugnad demo --no-serve`, `dugnad score run` and open the demo round.")
    codes = sorted(Submission.objects.filter(round=round_, unit__level__code="municipality")
                   .values_list("unit__code", flat=True))
    out_dir = tempfile.mkdtemp(prefix="dugnad-bench-")
    cache_root = tempfile.mkdtemp(prefix="dugnad-chart-cache-")
    load_start = os.getloadavg()[0]
    cold = _one((round_.pk, args.unit, out_dir, False, cache_root))
    base, cand = [], []
    for _i in range(args.repeat):
        base.append(_one((round_.pk, args.unit, out_dir, False, cache_root)))
        cand.append(_one((round_.pk, args.unit, out_dir, True, cache_root)))  # the first fills the cache
    keys = ("build", "charts", "typesetting", "total", "drawn", "native")
    med = lambda rows: {k: statistics.median(w[k] for w in rows) for k in keys}  # noqa: E731
    subset = codes if args.all else [c for c in codes if c != args.unit][: args.subset]
    batch_root = tempfile.mkdtemp(prefix="dugnad-chart-cache-batch-")
    passes = [("baseline, no cache", *_batch(subset, round_.pk, out_dir, False, batch_root)),
              ("candidate, cache empty", *_batch(subset, round_.pk, out_dir, True, batch_root)),
              ("candidate, cache from the previous pass", *_batch(subset, round_.pk, out_dir, True, batch_root))]
    print(f"Round {round_.pk} «{round_.title}», {len(codes)} municipalities; unit {args.unit}: "
          f"{cold['n_charts']} charts (maps included); CPUs: {os.cpu_count()}; load average {load_start:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end\n")
    print("| measurement | build | charts | typesetting | total | target |")
    print("|---|---|---|---|---|---|")

    def row(label: str, r: dict, target: str) -> None:
        print(f"| {label} | {r['build']:.2f} s | {r['charts']:.2f} s ({r['drawn']:.0f} vl-convert, "
              f"{r['native']:.0f} native) | "
              f"{r['typesetting']:.2f} s | {r['total']:.2f} s | {target} |")

    row("one VLR, cold (first in process, no cache)", cold, "–")
    row(f"one VLR, warm, baseline: no cache (median of {args.repeat})", med(base), "< 1 s")
    row("one VLR, warm, candidate: cache empty (first)", cand[0], "< 1 s")
    if len(cand) > 1:
        row(f"one VLR, warm, candidate: cache hit (median of {len(cand) - 1})", med(cand[1:]), "< 1 s")
    kind = "measured" if args.all else f"extrapolated from {len(subset)}"
    for label, wall, results in passes:
        sums = {k: sum(r[k] for r in results) for k in ("build", "charts", "typesetting")}
        busy = sum(sums.values()) or 1.0
        per_doc = wall / len(subset)
        print(f"| all {len(codes)} VLRs, 2 processes, {label} ({kind}) | {100 * sums['build'] / busy:.0f} % | "
              f"{100 * sums['charts'] / busy:.0f} % ({sum(r['drawn'] for r in results):.0f} vl-convert, "
              f"{sum(r['native'] for r in results):.0f} native) | "
              f"{100 * sums['typesetting'] / busy:.0f} % | {per_doc * len(codes) / 60:.1f} min "
              f"({per_doc:.2f} s/VLR wall) | < 3 min |")

if __name__ == "__main__":
    main()
