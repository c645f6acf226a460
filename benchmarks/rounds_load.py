"""Benchmark: 50 concurrent editors saving submission values through the API, PostgreSQL behind gunicorn (WSGI).

Builds a fresh PostgreSQL database (default ``dugnad_rounds_bench`` on 127.0.0.1:5432), opens a national
round over N synthetic municipalities with one municipal editor each, starts gunicorn on 127.0.0.1 with the
project's config file as deployed (``-c python:dugnad.config.gunicorn``, ``benchmarks/gunicorn_server.py``: each
worker builds the portal snapshot before it serves, no access lines; its JSON log in ``server.log`` of the data
directory, whose end is printed when a save failed; an ``--against`` tree needs that config file too) and lets
every editor save values of its own submission (``PUT /api/submissions/{id}/values``, session cookie + CSRF
header, the revision from the previous answer) as fast as it can for the given time, or (``--paced``) one save
every few seconds each. ``--endpoint web`` saves through the grid's htmx POST instead. The baseline in the same
run is one editor alone for a short time, and with ``--against`` another checkout's ``src/`` served the same way
right after (a before/after pair). Errors (any non-2xx or exception) must be 0. Prints a Markdown table with the
server's CPU time per save and, with ``--append``, adds it to ``docs/benchmarks.md``.

    .venv/bin/python benchmarks/rounds_load.py [--editors 50] [--seconds 60] [--endpoint web] [--paced 2]
        [--against ../base/src] [--append]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SERVER = "postgresql://postgres@127.0.0.1:5432"
SECRET = secrets.token_hex(32)  # shared by the setup (sessions) and the server


def _database(name: str) -> str:
    """Drop and create the benchmark database; its URL."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def _setup(url: str, data_dir: str, editors: int, src: Path = ROOT / "src") -> list[dict]:
    """Migrate, build units/users/indicators, open the round; one session per editor."""
    os.environ.update({"DUGNAD_DATABASE_URL": url, "DUGNAD_DATA_DIR": data_dir,
                       "DJANGO_SETTINGS_MODULE": "dugnad.config.settings", "DUGNAD_DEBUG": "1",
                       "DUGNAD_SECRET_KEY": SECRET})
    import django

    django.setup()
    from django.db import connections

    connections.close_all()  # a second tree's run: the database was dropped and made again
    from bench_db import migrate

    migrate()
    import logging

    from bench_round import round_build, session_for, sign_in_backend

    from dugnad.rounds.models import Submission

    logging.getLogger("httpx").setLevel(logging.WARNING)  # a log line per request is client CPU on the same cores
    bench = round_build(editors)
    backend = sign_in_backend(src)  # as a sign-in on the served tree records it
    return [{"submission": Submission.objects.get(round=bench.round, unit=unit).pk, "session": session_for(user, backend),
             "csrf": secrets.token_hex(16), "indicators": [i.pk for i in bench.indicators], "periods": bench.round.periods}
            for user, unit in bench.editors]


def _serve(url: str, data_dir: str, port: int, workers: int, threads: int, src: Path = ROOT / "src",
           keep_alive: float = 5) -> subprocess.Popen:
    """gunicorn with the project's config file, as deployed (no access lines), its log in ``data_dir``/server.log."""
    from gunicorn_server import serve

    env = {**os.environ, "DUGNAD_DATABASE_URL": url, "DUGNAD_DATA_DIR": data_dir, "DUGNAD_DEBUG": "0",
           "DUGNAD_SECRET_KEY": SECRET, "DUGNAD_ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SETTINGS_MODULE": "dugnad.config.settings",
           "DUGNAD_LOG_LEVEL": "INFO"}  # INFO: each worker logs its snapshot build (gunicorn_server.warmed)
    return serve(env, port, Path(data_dir) / "server.log", "-w", str(workers), "--threads", str(threads),
                 "--keep-alive", f"{keep_alive:g}", src=src)


def _editor(base: str, editor: dict, stop: float, latencies: list, errors: list, endpoint: str = "api",
            pace: float = 0.0) -> None:
    """Save values of one submission until the stop time, cycling cells and carrying revisions.

    ``endpoint``: ``api`` (``PUT /api/submissions/{id}/values``, JSON) or ``web`` (the grid's htmx POST to
    ``/innleveringer/{id}/verdi/``, which answers the cell's HTML with its new revision). ``pace``: seconds from
    the start of one save to the next (0: back to back).
    """
    import re

    import httpx

    headers = {"X-CSRFToken": editor["csrf"], "Cookie": f"sessionid={editor['session']}; csrftoken={editor['csrf']}"}
    if endpoint == "web":
        headers |= {"HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}
    else:
        headers["Content-Type"] = "application/json"
    revisions: dict[tuple[int, str], int] = editor.setdefault("revisions", {})  # carried across runs
    cells = [(i, p) for i in editor["indicators"] for p in editor["periods"]]
    n = editor.setdefault("saves", 0)
    revision_in_html = re.compile(r'name="revision" value="(\d+)"')
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        while time.perf_counter() < stop:
            indicator, period = cells[n % len(cells)]
            n += 1
            revision = revisions.get((indicator, period), 0)
            began = time.perf_counter()
            try:
                if endpoint == "web":
                    response = client.post(f"/innleveringer/{editor['submission']}/verdi/",
                                           data={"indicator": indicator, "period": period, "value": str(n),
                                                 "revision": revision})
                else:
                    response = client.put(f"/api/submissions/{editor['submission']}/values",
                                          json={"indicator_id": indicator, "period": period, "value": str(n),
                                                "revision": revision})
            except httpx.HTTPError as exc:
                errors.append(repr(exc))
                continue
            latencies.append(time.perf_counter() - began)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {response.text[:200]}")
                continue
            if endpoint == "web":
                found = revision_in_html.search(response.text)
                revisions[(indicator, period)] = int(found.group(1)) if found else revision
            else:
                revisions[(indicator, period)] = response.json()["revision"]
            if pace:
                time.sleep(max(0.0, began + pace - time.perf_counter()))
    editor["saves"] = n


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its live children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def _process_times(pid: int) -> tuple[int, float] | None:
    """(start time in clock ticks since boot, CPU seconds user + system) of one process; None when it is gone."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[19]), (int(fields[11]) + int(fields[12])) / tick
    except (OSError, IndexError, ValueError):
        return None


def _backend_times(conn, database: str) -> dict[tuple[int, int], float]:
    """``(pid, start time) → CPU seconds`` of each PostgreSQL backend serving ``database`` now (the start time tells a
    reused pid from the backend that had it)."""
    pids = [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])]
    return {(pid, times[0]): times[1] for pid in pids if (times := _process_times(pid)) is not None}


class CpuLedger:
    """CPU seconds used during a run by a set of processes that changes while it runs (PostgreSQL backends: Django
    closes a connection after ``CONN_MAX_AGE`` and a new backend serves the next request).

    The difference of two totals over the processes alive at each end went negative when backends that had
    worked before the run (the previous run's) ended during it: their CPU was in the first total, not the last
    (the paced run read −19.1 ms a save). The ledger keeps each process's own figure instead: the last value seen
    less its value at the start (0 for a process started during the run), sampled every ``every`` seconds so that
    a process ending between samples loses at most that interval's CPU: a lower bound, never below zero.
    """

    def __init__(self, read, every: float = 1.0) -> None:
        self.read, self.every = read, every
        self.first: dict = {}
        self.last: dict = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> None:
        self.last.update(self.read())

    def start(self) -> CpuLedger:
        self.first = self.read()
        self.last = dict(self.first)
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def stop(self) -> float:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()
        return sum(max(0.0, value - self.first.get(key, 0.0)) for key, value in self.last.items())


def _database_ledger(database: str):
    """A started ``CpuLedger`` of the backends serving ``database`` and the connection it reads them through."""
    import psycopg

    conn = psycopg.connect(f"{SERVER}/postgres", autocommit=True)
    lock = threading.Lock()

    def read() -> dict[tuple[int, int], float]:
        with lock:
            return _backend_times(conn, database)

    return CpuLedger(read).start(), conn


def _run(base: str, editors: list[dict], seconds: float, endpoint: str = "api", pace: float = 0.0,
         server_pid: int | None = None, database: str | None = None) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    load_start = os.getloadavg()[0]
    client_start = sum(os.times()[:2])
    server_start = _cpu_seconds(server_pid) if server_pid else 0.0
    ledger, ledger_conn = _database_ledger(database) if database else (None, None)
    stop = time.perf_counter() + seconds
    threads = [threading.Thread(target=_editor, args=(base, e, stop, latencies, errors, endpoint, pace))
               for e in editors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    database_cpu = ledger.stop() if ledger else float("nan")
    if ledger_conn is not None:
        ledger_conn.close()
    ordered = sorted(latencies)
    pick = (lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000) if ordered else (lambda q: float("nan"))
    return {"editors": len(editors), "seconds": seconds, "requests": len(latencies), "errors": len(errors),
            "rps": len(latencies) / seconds, "p50": pick(0.50), "p95": pick(0.95),
            "mean": statistics.fmean(ordered) * 1000 if ordered else float("nan"), "first_errors": errors[:3],
            "load": (load_start, os.getloadavg()[0]), "client_cpu": sum(os.times()[:2]) - client_start,
            "server_cpu": (_cpu_seconds(server_pid) - server_start) if server_pid else float("nan"),
            "database_cpu": database_cpu}


def _tree(args, src: Path) -> tuple[dict, dict, dict | None]:
    """One source tree's runs on a fresh database and server: one editor alone, all editors back to back, paced."""
    url = _database(args.database)
    with tempfile.TemporaryDirectory() as data_dir:
        editors = _setup(url, data_dir, args.editors, src)
        from gunicorn_server import free_port, stop, tail

        port = free_port()
        server = _serve(url, data_dir, port, args.workers, args.threads, src, args.keep_alive)
        try:
            base = f"http://127.0.0.1:{port}"
            pid = server.pid
            run = {"endpoint": args.endpoint, "server_pid": pid, "database": args.database}
            baseline = _run(base, editors[:1], args.baseline_seconds, **run)
            load = _run(base, editors, args.seconds, **run)
            paced = _run(base, editors, args.seconds, pace=args.paced, **run) if args.paced else None
        finally:
            stop(server)
        if any(r and r["errors"] for r in (baseline, load, paced)):
            print(f"{src}: the end of the server's log:\n{tail(Path(data_dir) / 'server.log')}", file=sys.stderr)
    return baseline, load, paced


HEADER = ["| run | editors | seconds | requests | errors | req/s | p50 ms | p95 ms | server CPU-s | client CPU-s | load | "
          "server CPU ms a save | PostgreSQL CPU ms a save |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"]


def _rows(runs: tuple[dict, dict, dict | None], paced: float) -> list[str]:
    names = ("baseline: one editor", "load", f"paced: a save every {paced:g} s each")
    return [f"| {name} | {r['editors']} | {r['seconds']:.0f} | {r['requests']} | {r['errors']} | {r['rps']:.1f} | "
            f"{r['p50']:.1f} | {r['p95']:.1f} | {r['server_cpu']:.1f} | {r['client_cpu']:.1f} | "
            f"{r['load'][0]:.1f} → {r['load'][1]:.1f} | {r['server_cpu'] / max(1, r['requests']) * 1000:.1f} | "
            f"{r['database_cpu'] / max(1, r['requests']) * 1000:.1f} |"
            for name, r in zip(names, runs, strict=True) if r is not None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editors", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database", default="dugnad_rounds_bench")
    parser.add_argument("--keep-alive", type=float, default=5,
                        help="gunicorn's keep-alive seconds. Its default, 2 s, closes an idle connection just as an "
                             "editor saving every 2 s reuses it: a reset the client counts as an error (seen at load 20+).")
    parser.add_argument("--endpoint", choices=["api", "web"], default="api",
                        help="api: PUT /api/submissions/{id}/values; web: the grid's htmx POST (one cell).")
    parser.add_argument("--paced", type=float, default=0.0,
                        help="Also run every editor saving one cell every PACED seconds (p95 under a steady load).")
    parser.add_argument("--server-src", type=Path, default=ROOT / "src",
                        help="Source tree the server runs (another checkout's src/ for a before/after pair).")
    parser.add_argument("--against", type=Path,
                        help="Another checkout's src/ run the same way right after (a paired baseline in one run).")
    parser.add_argument("--append", action="store_true", help="Append the table to docs/benchmarks.md.")
    args = parser.parse_args()
    trees = [args.server_src] + ([args.against] if args.against else [])
    results = [(src, _tree(args, src)) for src in trees]
    cpus = os.cpu_count()
    text = "\n\n".join(f"server: {src}\n\n" + "\n".join([*HEADER, *_rows(runs, args.paced)]) for src, runs in results)
    print(f"gunicorn {args.workers} workers × {args.threads} threads, endpoint {args.endpoint}")
    print(text)
    print(f"load average at the end (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    failed = False
    for src, runs in results:
        for r in runs:
            if r and r["first_errors"]:
                print(f"{src}: first errors:", r["first_errors"], file=sys.stderr)
            failed = failed or bool(r and r["errors"])
    if args.append:
        request = ("`PUT /api/submissions/{id}/values`" if args.endpoint == "api"
                   else "the grid's htmx `POST /innleveringer/{id}/verdi/`")
        section = (
            f"\n## Reporting rounds: concurrent editors (benchmarks/rounds_load.py)\n\n"
            f"{dt.date.today().isoformat()}, {cpus} CPUs shared with other work; PostgreSQL on 127.0.0.1, gunicorn "
            f"{args.workers} workers × {args.threads} threads (gthread, `-c python:dugnad.config.gunicorn`), "
            f"every request {request} "
            f"(session + CSRF, permission check, row locks, new observation revision, `web` import run, audit entry). "
            f"Each editor saves its own submission.\n\n{text}\n"
        )
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write(section)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
