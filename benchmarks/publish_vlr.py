"""Benchmark: one VLR PDF warm (17 goals, ~40 charts) and all VLRs of the demo round on 2 processes.

Needs a database with the demo data, a demo round and a score run (``dugnad demo --no-serve``, ``dugnad score
run``, the demo round). Uses ``DUGNAD_DATA_DIR`` / ``DUGNAD_DATABASE_URL`` as the CLI does. Compares against the
issue's targets (< 2 s per warm VLR, < 5 min for all VLRs on 2 cores) and splits the time into building the
document, charts (vl-convert) and typesetting (typst). The all-VLR figure is measured on ``--subset`` units and
extrapolated to every participating municipality unless ``--all`` is given.

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


def _one(args: tuple[int, str, str]) -> dict:
    """Build and render one VLR PDF in a worker (Django set up once per process)."""
    round_id, code, out_dir = args
    from django.apps import apps

    if not apps.ready:
        _setup()
    from dugnad.publications.builders.vlr import vlr_build
    from dugnad.publications.renderers import render
    from dugnad.rounds.models import Round
    from dugnad.units.models import Unit

    start = time.perf_counter()
    doc = vlr_build(unit=Unit.objects.current().get(code=code), round_=Round.objects.get(pk=round_id), lang="nb")
    built = time.perf_counter() - start
    out = render(doc, "pdf")
    Path(out_dir, f"vlr-{code}.pdf").write_bytes(out.content)
    return {"build": built, "charts": out.timings["charts"], "typesetting": out.timings["typesetting"],
            "total": time.perf_counter() - start, "n_charts": len(doc.charts())}


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
    cold = _one((round_.pk, args.unit, out_dir))
    warm = [_one((round_.pk, args.unit, out_dir)) for _ in range(args.repeat)]
    med = {k: statistics.median(w[k] for w in warm) for k in ("build", "charts", "typesetting", "total")}
    subset = codes if args.all else codes[: args.subset]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        results = list(pool.map(_one, [(round_.pk, c, out_dir) for c in subset]))
    wall = time.perf_counter() - start
    per_doc = wall / len(subset)
    projected = per_doc * len(codes)
    sums = {k: sum(r[k] for r in results) for k in ("build", "charts", "typesetting")}
    busy = sum(sums.values()) or 1.0
    print(f"Round {round_.pk} «{round_.title}», {len(codes)} municipalities; unit {args.unit}: "
          f"{warm[0]['n_charts']} charts; CPUs: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}\n")
    print("| measurement | build | charts | typesetting | total | target |")
    print("|---|---|---|---|---|---|")
    print(f"| one VLR, cold (first in process) | {cold['build']:.2f} s | {cold['charts']:.2f} s | "
          f"{cold['typesetting']:.2f} s | {cold['total']:.2f} s | – |")
    print(f"| one VLR, warm (median of {args.repeat}) | {med['build']:.2f} s | {med['charts']:.2f} s | "
          f"{med['typesetting']:.2f} s | {med['total']:.2f} s | < 2 s |")
    kind = "measured" if args.all else f"extrapolated from {len(subset)}"
    print(f"| all {len(codes)} VLRs, 2 processes ({kind}) | {100 * sums['build'] / busy:.0f} % | "
          f"{100 * sums['charts'] / busy:.0f} % | {100 * sums['typesetting'] / busy:.0f} % | "
          f"{projected / 60:.1f} min ({per_doc:.2f} s/VLR wall) | < 5 min |")


if __name__ == "__main__":
    main()
