"""Benchmark: the county review of one county and the national VSR, PDF, cold and warm, on the demo round.

Needs a database with the demo data and a score run (``dugnad demo --no-serve``). Uses ``DUGNAD_DATA_DIR`` /
``DUGNAD_DATABASE_URL`` as the CLI does. Compares against the issue's targets (a county review < 3 s and a VSR < 5 s
warm) and splits the time into building the document (selectors), charts (vl-convert) and typesetting (typst).

    DUGNAD_DATA_DIR=/path/to/demo .venv/bin/python benchmarks/publish_reviews.py [--county 46] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")

TARGETS = {"county-review": 3.0, "vsr": 5.0}


def _one(kind: str, round_, unit) -> dict:
    from dugnad.publications.builders.county import county_review_build
    from dugnad.publications.builders.vsr import vsr_build
    from dugnad.publications.renderers import render

    start = time.perf_counter()
    doc = (county_review_build(unit=unit, round_=round_, lang="nb") if kind == "county-review"
           else vsr_build(round_=round_, lang="nb"))
    built = time.perf_counter() - start
    out = render(doc, "pdf")
    return {"build": built, "charts": out.timings["charts"], "typesetting": out.timings["typesetting"],
            "total": time.perf_counter() - start, "bytes": len(out.content)}


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
    print(f"round {round_.pk} «{round_.title}», {round_.submissions.count()} submissions")
    print("| document | run | build | charts | typesetting | total | target |")
    print("|---|---|---|---|---|---|---|")
    for kind in ("county-review", "vsr"):
        cold = _one(kind, round_, county)
        warm = [_one(kind, round_, county) for _ in range(args.repeat)]
        med = {k: statistics.median(w[k] for w in warm) for k in ("build", "charts", "typesetting", "total")}
        for label, r in (("cold", cold), (f"warm (median of {args.repeat})", med)):
            print(f"| {kind} | {label} | {r['build']:.2f} s | {r['charts']:.2f} s | {r['typesetting']:.2f} s | "
                  f"{r['total']:.2f} s | < {TARGETS[kind]:.0f} s |")


if __name__ == "__main__":
    main()
