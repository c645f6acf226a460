"""Benchmark: ``dugnad site build`` of the demo — the whole public portal in nb/nn/en — then rebuilds.

Copies the demo's SQLite database (``dugnad demo --no-serve`` prepares it in DUGNAD_DATA_DIR, default ``var``) to a
temporary data directory, so the demo itself is not changed, and runs the command as a visitor would:

1. a full build into an empty directory;
2. a rebuild with nothing changed (every page's inputs are unchanged: nothing rendered, nothing written);
3. a rebuild after one changed observation (a new revision of one value of one municipality, from the same import
   run: an entered value in the all-demo database would turn the site's data from «demo» to «mixed», which every
   page's inputs hold, and re-render the whole site).

Wall time and CPU time (the command and its worker processes) per run, pages, files written and unchanged. The
machine is shared: compare CPU seconds, and read wall time with the load average printed beside it.

``--baseline REF`` runs the same three steps, in the same run and on its own copy of the database, with the code of a
git revision (a detached worktree of REF, e.g. ``main``, beside this checkout's): the comparison the figures in
docs/benchmarks.md need. ``--timeout S`` stops a baseline run after S seconds of wall time (its CPU seconds so far are
still reported, and its rebuilds are skipped when its full build did not finish).

    DUGNAD_DATA_DIR=var .venv/bin/python benchmarks/site_build.py [--jobs 2] [--lang nb,nn,en] [--unit 4601]
        [--from-site DIR] [--baseline main] [--timeout 900] [--append]

``--from-site DIR`` starts from a copy of a site built before (e.g. by the baseline's code) instead of a full build:
a first rebuild of it (with other code, a render of every page that writes only the files whose bytes changed), then
the two rebuilds above.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CHANGE = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")
django.setup()
from dugnad.observations.models import Observation
current = (Observation.objects.filter(unit__code={unit!r}, is_current=True, value__isnull=False)
           .order_by("-period", "indicator__code").first())
Observation.objects.filter(pk=current.pk).update(is_current=False)
Observation.objects.create(unit=current.unit, indicator=current.indicator, period=current.period,
                           import_run=current.import_run,  # a revision from the same source: the demo stays demo
                           dimension_key=current.dimension_key, dimensions=current.dimensions,
                           value=current.value + 1.0, status=current.status, revision=current.revision + 1)
print(current.indicator.code, current.period, current.value, "->", current.value + 1.0)
"""


def _cpu_of_tree(process: psutil.Process, seen: dict[int, float]) -> None:
    """Remember the CPU seconds (user + system) of the process and its descendants (workers come and go)."""
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.Error:
        return
    for member in family:
        try:
            times = member.cpu_times()
            seen[member.pid] = max(seen.get(member.pid, 0.0),
                                   times.user + times.system + times.children_user + times.children_system)
        except psutil.Error:
            pass


def _run(args: list[str], env: dict, timeout: float | None = None) -> dict:
    """Run the command; wall time, CPU seconds of it and its workers, and the counts it prints."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    watched = psutil.Process(process.pid)
    seen: dict[int, float] = {}
    finished = True
    while process.poll() is None:
        _cpu_of_tree(watched, seen)
        if timeout and time.perf_counter() - start > timeout:
            finished = False
            _cpu_of_tree(watched, seen)
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.5)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not finished:  # a killed run's workers are not reaped by it: their last sampled CPU times count
        cpu = sum(seen.values())
    if finished and process.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({process.returncode}):\n{stderr[-3000:]}")
    text = " ".join(stdout.split())
    numbers = re.search(r"(\d+) sider .*?(\d+) skrevet, (\d+) uendret, (\d+) fjernet; (\d+) sider laget", text)
    pages, written, unchanged, _removed, rendered = (int(n) for n in numbers.groups()) if numbers else (0,) * 5
    return {"wall": wall, "cpu": cpu, "pages": pages, "written": written, "unchanged": unchanged,
            "rendered": rendered, "load": os.getloadavg()[0], "finished": finished}


def _steps(label: str, src: Path, source: Path, args, tmp: Path, timeout: float | None = None
           ) -> tuple[list[tuple[str, dict]], int]:
    """The full build, the rebuild with nothing changed and the rebuild after one change, with the code in ``src``."""
    data = _data_dir(source, tmp / f"data-{label}")
    env = {**os.environ, "DUGNAD_DATA_DIR": str(data), "PYTHONPATH": str(src),
           "DJANGO_SETTINGS_MODULE": "dugnad.config.settings", "DUGNAD_LOG_LEVEL": "ERROR"}
    out = tmp / f"site-{label}"
    command = [sys.executable, "-m", "dugnad.cli.main", "site", "build", "--out", str(out), "--lang", args.lang,
               "--jobs", str(args.jobs)]
    rows = []
    if args.from_site:
        shutil.copytree(args.from_site, out)
        # a site built by other code: every page renders again (the code digest is in every page's inputs), each
        # file is written only when its bytes changed; then the rebuilds below have this code's own manifest
        rows.append((f"{label}: rebuild of the site of --from-site", _run(command, env, timeout)))
    else:
        full = _run(command, env, timeout)
        rows.append((f"{label}: full build, empty directory", full))
        if not full["finished"]:
            return rows, 0
    rows.append((f"{label}: rebuild, nothing changed", _run(command, env, timeout)))
    changed = subprocess.run([sys.executable, "-c", CHANGE.format(unit=args.unit)], env=env, capture_output=True,
                             text=True, check=True).stdout.strip()
    rows.append((f"{label}: rebuild after one changed observation ({args.unit}: {changed})",
                 _run(command, env, timeout)))
    return rows, sum(p.stat().st_size for p in out.rglob("*") if p.is_file())


SAMPLE = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")
import django
django.setup()
from pathlib import Path
from django.conf import settings
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
from dugnad.portal.snapshot import portal_snapshot
from dugnad.site import build
from dugnad.site.links import Site
if hasattr(build, "_rendering"):  # what a build renders with (no page cache, one snapshot), where the code has it
    rendering = build._rendering()  # kept: a context manager left to the garbage collector would end at once
    rendering.__enter__()
snap = portal_snapshot()
test = build.PageTest() if hasattr(build, "PageTest") else build.is_site_page
site = Site(is_page=test, static_url=settings.STATIC_URL, base_url="", languages=("nb", "nn", "en"))
build._init_worker(sys.argv[1], site, {{}})
n = {n}
units = [u.code for u in snap.units.values()]
units = units[:: max(1, len(units) // n)][:n]
inds = list(snap.indicators)[:: max(1, len(snap.indicators) // n)][:n]
targets = sorted({{t for i in snap.indicators.values() for t in i.targets}})[:n] + ["1.1", "2.1", "16.1"][: max(0, n - 1)]
files = ("csv", "xlsx", "json")
kinds = {{
    "unit page": [f"/enheter/{{c}}/" for c in units],
    "unit download": [f"/enheter/{{c}}/data.{{f}}" for c in units for f in files],
    "indicator page": [f"/indikatorer/{{k}}/" for k in inds] + [f"/indikatorer/{{k}}/?niva=fylke" for k in inds],
    "indicator download": [f"/indikatorer/{{k}}/data.{{f}}" for k in inds for f in files],
    "target page": [f"/delmal/{{c}}/" for c in targets],
    "target download": [f"/delmal/{{c}}/data.{{f}}" for c in targets for f in files],
    "goal page": [f"/mal/{{g}}/" for g in list(snap.goals)[:n]],
    "goal download": [f"/mal/{{g}}/data.{{f}}" for g in list(snap.goals)[:n] for f in files],
    "embed page": ([f"/embed/kart/enhet/{{c}}/" for c in units] + [f"/embed/kart/{{k}}/kommuner/" for k in inds]
                   + [f"/embed/fordeling/{{k}}/" for k in inds]),
}}
build._render(("nb", "/enheter/0301/", None))  # warm: templates, translations
out = {{}}
for kind, urls in kinds.items():
    start, done, failed = time.process_time(), 0, 0
    for url in urls:  # each page in the three languages one after another, as a build renders them
        for lang in ("nb", "nn", "en"):
            entry = build._render((lang, url, None))
            failed += "error" in entry
            done += 1
    out[kind] = {{"cpu": time.process_time() - start, "pages": done, "failed": failed}}
k, t = len(snap.indicators), len({{t for i in snap.indicators.values() for t in i.targets}})
out["_counts"] = {{"units": len(snap.units), "indicators": k, "targets": 169, "goals": len(snap.goals)}}
print(json.dumps(out))
if hasattr(build, "_rendering"):
    rendering.__exit__(None, None, None)
"""

#: Pages per language of each kind in a full build (``u`` units, ``k`` indicators, ``t`` targets, ``g`` goals).
FULL = {
    "unit page": lambda c: c["units"], "unit download": lambda c: 3 * c["units"],
    "indicator page": lambda c: 2 * c["indicators"], "indicator download": lambda c: 3 * c["indicators"],
    "target page": lambda c: c["targets"], "target download": lambda c: 3 * c["targets"],
    "goal page": lambda c: c["goals"], "goal download": lambda c: 3 * c["goals"],
    # index map, goal maps, the indicators' two maps, distribution and national series, locators, compare bars
    "embed page": lambda c: 1 + c["goals"] + 4 * c["indicators"] + c["units"] + 5,
}


def _data_dir(source: Path, folder: Path) -> Path:
    """A copy of the demo's database (and key) in a data directory of its own: no page cache from other runs."""
    folder.mkdir()
    shutil.copy2(source, folder / "dugnad.sqlite3")
    if (source.parent / "secret_key").exists():
        shutil.copy2(source.parent / "secret_key", folder / "secret_key")
    return folder


def _sample(src: Path, source: Path, n: int, tmp: Path, label: str) -> dict:
    env = {**os.environ, "DUGNAD_DATA_DIR": str(_data_dir(source, tmp / f"data-sample-{label}")), "PYTHONPATH": str(src),
           "DJANGO_SETTINGS_MODULE": "dugnad.config.settings", "DUGNAD_LOG_LEVEL": "ERROR"}
    out = tmp / f"sample-{label}"
    done = subprocess.run([sys.executable, "-c", SAMPLE.format(n=n), str(out)], env=env, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def sample(args) -> None:
    """Per page kind, CPU seconds per page with this code and the baseline's (same pages, same process kind)."""
    source = Path(os.environ.get("DUGNAD_DATA_DIR", "var")).resolve() / "dugnad.sqlite3"
    with tempfile.TemporaryDirectory(prefix="site-sample-") as folder:
        tmp = Path(folder)
        runs = {"this code": _sample(ROOT / "src", source, args.sample, tmp, "this")}
        if args.baseline:
            tree = tmp / "baseline"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.baseline],
                           check=True, capture_output=True)
            try:
                runs[f"baseline {args.baseline}"] = _sample(tree / "src", source, args.sample, tmp, "baseline")
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False,
                               capture_output=True)
    counts = runs["this code"]["_counts"]
    languages = len(args.lang.split(","))
    labels = list(runs)
    lines = [f"### Static site export, page costs (`benchmarks/site_build.py --sample {args.sample}`, "
             f"{dt.date.today().isoformat()})", "",
             f"CPU seconds per page, one process, the same sample of pages per kind (each in nb, nn and en one after another, "
             f"as a build renders them), load "
             f"{os.getloadavg()[0]:.1f}; full-build CPU extrapolated to {languages} languages of the demo "
             f"({counts['units']} units, {counts['indicators']} indicators, {counts['targets']} targets).", "",
             "| kind | pages in sample | " + " | ".join(f"{label}: ms/page" for label in labels)
             + " | pages in full build | " + " | ".join(f"{label}: full-build CPU s" for label in labels) + " |",
             "|---|---:|" + "---:|" * len(labels) + "---:|" + "---:|" * len(labels)]
    totals = dict.fromkeys(labels, 0.0)
    for kind, full in FULL.items():
        pages = full(counts) * languages
        cells, extrapolated = [], []
        for label in labels:
            row = runs[label][kind]
            per = row["cpu"] / row["pages"] if row["pages"] else 0.0
            exported = kind != "embed page" or label == "this code"  # the baseline exported no embed pages
            cells.append(f"{per * 1000:.0f}" + (f" ({row['failed']} failed)" if row["failed"] else ""))
            extrapolated.append(f"{per * pages:.0f}" if exported else "–")
            totals[label] += per * pages if exported else 0.0
        lines.append(f"| {kind} | {runs[labels[0]][kind]['pages']} | " + " | ".join(cells) + f" | {pages} | "
                     + " | ".join(extrapolated) + " |")
    lines.append("| **all** | | " + " | ".join("" for _ in labels) + " | | "
                 + " | ".join(f"**{totals[label]:.0f}**" for label in labels) + " |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.append:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as f:
            f.write("\n" + table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--lang", default="nb,nn,en")
    parser.add_argument("--unit", default="4601", help="The municipality whose value changes before the last run.")
    parser.add_argument("--from-site", type=Path, default=None,
                        help="A site already built from this database: copied, and the full build is not run again.")
    parser.add_argument("--baseline", default="", help="A git revision (e.g. main) to run the same steps with.")
    parser.add_argument("--timeout", type=float, default=None, help="Stop a baseline run after this many seconds.")
    parser.add_argument("--sample", type=int, default=0,
                        help="Instead of building: CPU per page of N pages of each kind in three languages, "
                             "extrapolated to a full build.")
    parser.add_argument("--append", action="store_true", help="Append the table to docs/benchmarks.md.")
    args = parser.parse_args()
    if args.sample:
        sample(args)
        return
    source = Path(os.environ.get("DUGNAD_DATA_DIR", "var")).resolve() / "dugnad.sqlite3"
    if not source.exists():
        sys.exit(f"{source} is missing: run `dugnad demo --no-serve` first")
    rows: list[tuple[str, dict]] = []
    with tempfile.TemporaryDirectory(prefix="site-bench-") as folder:
        tmp = Path(folder)
        current, size = _steps("this code", ROOT / "src", source, args, tmp)
        rows += current
        if args.baseline:
            tree = tmp / "baseline"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.baseline],
                           check=True, capture_output=True)
            try:
                rows += _steps(f"baseline {args.baseline}", tree / "src", source, args, tmp, args.timeout)[0]
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False,
                               capture_output=True)
    lines = [f"### Static site export (`benchmarks/site_build.py`, {dt.date.today().isoformat()})", "",
             f"Demo database (SQLite, 373 units), languages {args.lang}, {args.jobs} worker processes, site size "
             f"{size / 1e6:.0f} MB. CPU = the command and its workers (user + system)."
             + (f" Baseline: the code of `{args.baseline}` in a git worktree, same steps on its own copy of the database."
                if args.baseline else ""), "",
             "| run | wall s | CPU s | load (1 min) | pages | rendered | files written | unchanged |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, r in rows:
        if not r["finished"]:
            lines.append(f"| {label} | > {r['wall']:.0f} (stopped) | > {r['cpu']:.1f} | {r['load']:.1f} | – | – | – | – |")
            continue
        lines.append(f"| {label} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['load']:.1f} | {r['pages']} | {r['rendered']} "
                     f"| {r['written']} | {r['unchanged']} |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.append:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as f:
            f.write("\n" + table)


if __name__ == "__main__":
    main()
