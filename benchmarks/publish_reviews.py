"""Benchmark: the county review of one county and the national VSR, PDF, cold and warm, on the demo round.

Needs a database with the demo data and a score run (``dugnad demo --no-serve``). Uses ``DUGNAD_DATA_DIR`` /
``DUGNAD_DATABASE_URL`` as the CLI does. Compares against the issue's targets (a county review < 3 s and a VSR < 5 s
warm) and splits the time into building the document (selectors), charts (vl-convert) and typesetting (typst).

Paired: in the same process and run, each repetition renders the same document once as the baseline (every chart
drawn by vl-convert, no cache) and once as the candidate (the spec-hash chart cache; its disk part in a fresh
temporary directory, so the candidate's first render draws every chart and later ones hit the cache).

    DUGNAD_DATA_DIR=/path/to/demo .venv/bin/python benchmarks/publish_reviews.py [--county 46] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")

TARGETS = {"county-review": 3.0, "vsr": 5.0}


def _one(kind: str, round_, unit, *, cache: bool) -> dict:
    from dugnad.publications.builders.county import county_review_build
    from dugnad.publications.builders.vsr import vsr_build
    from dugnad.publications.charts import SvgEngine
    from dugnad.publications.renderers.pdf import render_pdf

    start = time.perf_counter()
    doc = (county_review_build(unit=unit, round_=round_, lang="nb") if kind == "county-review"
           else vsr_build(round_=round_, lang="nb"))
    built = time.perf_counter() - start
    out = render_pdf(doc, engine=SvgEngine(cache=cache))
    return {"build": built, "charts": out.timings["charts"], "typesetting": out.timings["typesetting"],
            "total": time.perf_counter() - start, "bytes": len(out.content), "drawn": out.timings["charts_rendered"],
            "n": out.timings["charts_total"]}


def _row(kind: str, label: str, r: dict) -> str:
    return (f"| {kind} | {label} | {r['build']:.2f} s | {r['charts']:.2f} s ({r['drawn']:.0f} of {r['n']:.0f} drawn) | "
            f"{r['typesetting']:.2f} s | {r['total']:.2f} s | < {TARGETS[kind]:.0f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", default="46")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from dugnad.rounds.models import Round
    from dugnad.units.models import Unit

    round_ = Round.objects.filter(is_demo=True).first() or Round.objects.first()
    if round_ is None:
        sys.exit("No round in the database: run `dugnad demo --no-serve` first.")
    county = Unit.objects.current().get(code=args.county)
    from dugnad.publications import charts

    charts.CACHE_ROOT = Path(tempfile.mkdtemp(prefix="dugnad-chart-cache-"))
    charts.cache_clear_memory()
    print(f"round {round_.pk} «{round_.title}», {round_.submissions.count()} submissions; CPUs {os.cpu_count()}; "
          f"load average at start {os.getloadavg()[0]:.1f}")
    print("| document | run | build | charts | typesetting | total | target |")
    print("|---|---|---|---|---|---|---|")
    keys = ("build", "charts", "typesetting", "total", "drawn", "n")
    for kind in ("county-review", "vsr"):
        cold = _one(kind, round_, county, cache=False)  # warms vl-convert, typst and the selectors' caches
        base, cand = [], []
        for _i in range(args.repeat + 1):
            base.append(_one(kind, round_, county, cache=False))
            cand.append(_one(kind, round_, county, cache=True))  # the first: the cache is empty
        med = lambda rows: {k: statistics.median(r[k] for r in rows) for k in keys}  # noqa: E731
        print(_row(kind, "first in process (no cache)", cold))
        print(_row(kind, f"baseline: no chart cache, warm (median of {args.repeat + 1})", med(base)))
        print(_row(kind, "candidate: chart cache empty (first render)", cand[0]))
        print(_row(kind, f"candidate: chart cache hit, warm (median of {args.repeat})", med(cand[1:])))
    print(f"\nload average at end {os.getloadavg()[0]:.1f}")

if __name__ == "__main__":
    main()
