"""Benchmark: one VLR PDF warm (17 goals, ~40 charts) and the VLRs of the demo round on 2 processes, paired with a
baseline checkout of the code in the same run.

Needs a data directory with the demo data, the demo round and a score run (``dugnad demo --no-serve``); uses
``DUGNAD_DATA_DIR`` / ``DUGNAD_DATABASE_URL`` as the CLI does. Compares against issue 17's targets (< 1 s per warm
VLR, < 3 min for all VLRs on 2 cores).

Each side (``--baseline-src``: the ``src`` folder of another checkout, e.g. a ``git worktree`` of main; and this
checkout) runs in its own Python process with ``PYTHONPATH`` pointing at its code, so both are measured the same
way, alternately, in the same run:

* ``single``: one VLR (``--unit``) cold, then warm ``--repeat`` times through the code's default path
  (``vlr_build`` + ``render(…, "pdf")``, as the web's «Lag rapport»), then ``--sequence`` other VLRs one after
  another in the same process the way a worker of ``--all`` builds them (this code: with a ``VlrBatch``);
  split into building the document, charts and typesetting, with CPU seconds;
* ``batch``: ``dugnad publish vlr --all`` on 2 processes (the CLI's own ``_all``: spawn pool, progress bar) over the
  first ``--subset`` municipalities (every ``--every``-th by code: a spread over the counties, whose VLRs differ
  in size), or every one with ``--all``; wall from the run, CPU seconds of the whole
  process tree (start-up of the workers included) from ``getrusage``.

The chart disk cache is off for both sides (``DUGNAD_CHART_CACHE=0``): a first publication.

    DUGNAD_DATA_DIR=var .venv/bin/python benchmarks/publish_vlr.py --baseline-src ../vlr-base/src [--subset 24]
    DUGNAD_DATA_DIR=var .venv/bin/python benchmarks/publish_vlr.py --all --sides candidate
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _setup():
    import django

    django.setup()


def _round_and_codes():
    from dugnad.rounds.models import Round, Submission

    round_ = Round.objects.filter(is_demo=True).first() or Round.objects.first()
    if round_ is None:
        sys.exit("No round in the database: run `dugnad demo --no-serve`, `dugnad score run` and open the demo round.")
    codes = sorted(Submission.objects.filter(round=round_, unit__level__code="municipality")
                   .values_list("unit__code", flat=True))
    return round_, codes


def _render(unit, round_, batch) -> dict:
    """One VLR through the code's own path; times of build, charts and typesetting, wall and CPU."""
    from dugnad.publications.builders.vlr import vlr_build
    from dugnad.publications.renderers import render

    start, cpu = time.perf_counter(), _cpu()
    doc = vlr_build(unit=unit, round_=round_, lang="nb", **({"batch": batch} if batch is not None else {}))
    built = time.perf_counter() - start
    out = render(doc, "pdf")
    return {"build": built, "charts": out.timings["charts"], "typesetting": out.timings["typesetting"],
            "total": time.perf_counter() - start, "cpu": _cpu() - cpu, "n_charts": len(doc.charts()),
            "bytes": len(out.content)}


def side_single(args) -> dict:
    _setup()
    from dugnad.units.models import Unit

    round_, codes = _round_and_codes()
    unit = Unit.objects.current().get(code=args.unit)
    cold = _render(unit, round_, None)
    warm = [_render(Unit.objects.current().get(code=args.unit), round_, None) for _ in range(args.repeat)]
    try:
        from dugnad.publications.batch import VlrBatch
    except ImportError:  # the baseline has no batches: its workers build each VLR alone
        VlrBatch = None
    batch = VlrBatch(round_) if VlrBatch is not None else None
    others = [c for c in codes if c != args.unit][: args.sequence]
    sequence = [_render(Unit.objects.current().get(code=c), round_, batch) for c in others]
    return {"cold": cold, "warm": warm, "sequence": sequence, "batched": batch is not None}


def side_batch(args) -> dict:
    _setup()
    from dugnad.cli import publish

    round_, codes = _round_and_codes()
    subset = codes if args.all else codes[:: args.every][: args.subset]
    publish._participants = lambda kind, round_id: subset  # the CLI's own --all over these municipalities
    out_dir = Path(tempfile.mkdtemp(prefix="dugnad-bench-vlr-"))
    start = time.perf_counter()
    publish._all("vlr", round_.pk, "nb", out_dir, "pdf", 2)
    wall = time.perf_counter() - start
    files = sorted(out_dir.glob("*.pdf"))
    return {"wall": wall, "n": len(subset), "written": len(files), "all": len(codes),
            "bytes": sum(f.stat().st_size for f in files)}


def _run_side(mode: str, src: Path, args) -> tuple[dict, float, float]:
    """One side in its own process with PYTHONPATH at ``src``: its result, wall and CPU of the process tree."""
    env = {**os.environ, "PYTHONPATH": str(src), "DUGNAD_CHART_CACHE": "0"}
    argv = [sys.executable, __file__, "--side", mode, "--unit", args.unit, "--repeat", str(args.repeat),
            "--sequence", str(args.sequence), "--subset", str(args.subset), "--every", str(args.every)]
    argv += ["--all"] if args.all else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        sys.exit(f"{mode} with {src} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):]), wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="4601")
    parser.add_argument("--repeat", type=int, default=3, help="warm renders of --unit")
    parser.add_argument("--sequence", type=int, default=6, help="other VLRs built one after another in one process")
    parser.add_argument("--subset", type=int, default=24, help="municipalities of the 2-process batch")
    parser.add_argument("--every", type=int, default=1,
                        help="take every N-th municipality by code for --subset (a spread over the counties)")
    parser.add_argument("--all", action="store_true", help="the batch over every municipality of the round")
    parser.add_argument("--baseline-src", type=Path, help="src folder of the baseline checkout")
    parser.add_argument("--sides", default="baseline,candidate")
    parser.add_argument("--modes", default="single,batch")
    parser.add_argument("--side", choices=["single", "batch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        result = side_single(args) if args.side == "single" else side_batch(args)
        print("RESULT " + json.dumps(result))
        return
    sides = {"baseline": args.baseline_src, "candidate": ROOT / "src"}
    wanted = [s for s in args.sides.split(",") if s]
    if "baseline" in wanted and args.baseline_src is None:
        sys.exit("--baseline-src is needed for the baseline side (or --sides candidate)")
    load = [os.getloadavg()]
    results: dict[tuple[str, str], tuple[dict, float, float]] = {}
    for mode in [m for m in args.modes.split(",") if m]:
        for side in wanted:
            results[(mode, side)] = _run_side(mode, sides[side], args)
            load.append(os.getloadavg())
    print(f"CPUs: {os.cpu_count()}; load average (1, 5, 15 min) at start {load[0][0]:.1f}, {load[0][1]:.1f}, "
          f"{load[0][2]:.1f}; at end {load[-1][0]:.1f}, {load[-1][1]:.1f}, {load[-1][2]:.1f}\n")
    med = lambda rows, k: statistics.median(r[k] for r in rows)  # noqa: E731
    if any(m == "single" for m, _ in results):
        print("| side | measurement | build | charts | typesetting | total (wall) | CPU | target |")
        print("|---|---|---|---|---|---|---|---|")
        for side in wanted:
            if ("single", side) not in results:
                continue
            r = results[("single", side)][0]
            rows = [("one VLR, cold (first in process)", [r["cold"]], "–"),
                    (f"one VLR, warm (median of {len(r['warm'])})", r["warm"], "< 1 s"),
                    (f"{len(r['sequence'])} other VLRs one after another in one process "
                     f"({'with a VlrBatch' if r['batched'] else 'no batch'}), median", r["sequence"], "–")]
            for label, items, target in rows:
                if items:
                    print(f"| {side} | {label} | {med(items, 'build'):.2f} s | {med(items, 'charts'):.2f} s | "
                          f"{med(items, 'typesetting'):.2f} s | {med(items, 'total'):.2f} s | "
                          f"{med(items, 'cpu'):.2f} s | {target} |")
        print()
    if any(m == "batch" for m, _ in results):
        print("| side | VLRs | wall | CPU (process tree) | s/VLR wall | CPU s/VLR | all VLRs (wall) | target |")
        print("|---|---|---|---|---|---|---|---|")
        for side in wanted:
            if ("batch", side) not in results:
                continue
            r, wall, cpu = results[("batch", side)]
            kind = "measured" if r["n"] == r["all"] else f"extrapolated from {r['n']}"
            per = r["wall"] / r["n"]
            print(f"| {side} | {r['written']} / {r['n']} | {r['wall']:.1f} s (process {wall:.1f} s) | {cpu:.1f} s | "
                  f"{per:.2f} s | {cpu / r['n']:.2f} s | {per * r['all'] / 60:.1f} min ({kind}) | < 3 min |")


if __name__ == "__main__":
    main()
