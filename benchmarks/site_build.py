"""Benchmark: ``dugnad site build`` of the demo — the whole public portal in nb/nn/en — then rebuilds.

Copies the demo's SQLite database (``dugnad demo --no-serve`` prepares it in DUGNAD_DATA_DIR, default ``var``) to a
temporary data directory, so the demo itself is not changed, and runs the command as a visitor would:

1. a full build into an empty directory;
2. a rebuild with nothing changed (every page's inputs are unchanged: nothing rendered, nothing written);
3. a rebuild after one changed observation (a new revision of one value of one municipality).

Wall time and CPU time (the command and its worker processes) per run, pages, files written and unchanged. The
machine is shared: compare CPU seconds, and read wall time with the load average printed beside it.

``--baseline REF`` runs the same three steps, in the same run and on its own copy of the database, with the code of a
git revision (a detached worktree of REF, e.g. ``main``, beside this checkout's): the comparison the figures in
docs/benchmarks.md need. ``--timeout S`` stops a baseline run after S seconds of wall time (its CPU seconds so far are
still reported, and its rebuilds are skipped when its full build did not finish).

    DUGNAD_DATA_DIR=var .venv/bin/python benchmarks/site_build.py [--jobs 2] [--lang nb,nn,en] [--unit 4601]
        [--from-site DIR] [--baseline main] [--timeout 900] [--append]
"""

from __future__ import annotations

import argparse
import datetime as dt
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
    data = tmp / f"data-{label}"
    data.mkdir()
    shutil.copy2(source, data / "dugnad.sqlite3")
    for name in ("secret_key",):
        if (source.parent / name).exists():
            shutil.copy2(source.parent / name, data / name)
    env = {**os.environ, "DUGNAD_DATA_DIR": str(data), "PYTHONPATH": str(src),
           "DJANGO_SETTINGS_MODULE": "dugnad.config.settings", "DUGNAD_LOG_LEVEL": "ERROR"}
    out = tmp / f"site-{label}"
    command = [sys.executable, "-m", "dugnad.cli.main", "site", "build", "--out", str(out), "--lang", args.lang,
               "--jobs", str(args.jobs)]
    rows = []
    if args.from_site:
        shutil.copytree(args.from_site, out)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--lang", default="nb,nn,en")
    parser.add_argument("--unit", default="4601", help="The municipality whose value changes before the last run.")
    parser.add_argument("--from-site", type=Path, default=None,
                        help="A site already built from this database: copied, and the full build is not run again.")
    parser.add_argument("--baseline", default="", help="A git revision (e.g. main) to run the same steps with.")
    parser.add_argument("--timeout", type=float, default=None, help="Stop a baseline run after this many seconds.")
    parser.add_argument("--append", action="store_true", help="Append the table to docs/benchmarks.md.")
    args = parser.parse_args()
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
