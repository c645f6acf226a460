"""Benchmark: faults under load — editors and readers on PostgreSQL + gunicorn while a gunicorn worker is killed and
PostgreSQL is restarted; no acknowledged save may be lost, failures must reach the user, the service must come back.

Resets the database given by ``--database-url`` (default: the ``ops`` database on 127.0.0.1:5432; every table in
its ``public`` schema is dropped), builds a national round over ``--editors`` synthetic municipalities, starts
gunicorn (gthread) and ``dugnad worker``, then for ``--seconds``:

- each editor saves cells of its own submission through the web's htmx endpoint (``POST /innleveringer/<id>/verdi/``
  with session cookie and CSRF header), carrying the revision from each answer and re-reading it after a conflict;
- each reader opens pages (a submission, the round, the action list) as the ministry reader;
- a prober asks ``/health/`` every 0.25 s.

At ``--kill-at`` one gunicorn worker gets SIGKILL; at ``--restart-at`` PostgreSQL is restarted with
``pg_ctlcluster --skip-systemctl-redirect <version> main restart`` (the whole server: run it rarely). Afterwards every
save answered 200 must be among the stored revisions and each cell's current value must be its last acknowledged
value; every failure must have been a non-2xx answer or a broken connection (which the page shows as «Ikke lagret»);
recovery is the time from a fault until ``/health/`` answers 200 again and the next save succeeds.

    .venv/bin/python benchmarks/faults.py [--editors 50] [--readers 200] [--seconds 300] [--append]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SECRET = secrets.token_urlsafe(64)  # shared by the setup (sessions) and the server
REVISION = re.compile(r'name="revision" value="(\d+)"')
#: Clients open a new connection per request: a kept-alive connection that gunicorn closes after its keep-alive
#: time can race a new request (browsers retry that case; httpx does not), which is not a fault of the service.
FRESH = {"max_keepalive_connections": 0}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reset(url: str) -> None:
    """Drop every table of the database's public schema."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def _environment(url: str, data_dir: str) -> dict[str, str]:
    return {**os.environ, "DUGNAD_DATABASE_URL": url, "DUGNAD_DATA_DIR": data_dir, "DUGNAD_DEBUG": "0",
            "DUGNAD_SECRET_KEY": SECRET, "DUGNAD_ALLOWED_HOSTS": "127.0.0.1", "DUGNAD_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "dugnad.config.settings", "PYTHONPATH": str(ROOT / "src")}


def _setup(url: str, data_dir: str, editors: int) -> dict:
    """Migrate, build units, users and indicators, open the round; sessions for every editor and one reader."""
    os.environ.update(_environment(url, data_dir))
    import django
    from django.contrib.auth import get_user_model

    django.setup()
    from bench_db import migrate

    migrate()
    from bench_round import round_build, session_for

    from dugnad.accounts.models import Membership
    from dugnad.accounts.vocab import Role
    from dugnad.rounds.models import Submission

    bench = round_build(editors)
    reader = get_user_model().objects.create_user("reader-faults", password=secrets.token_hex(16))
    Membership.objects.create(user=reader, unit=bench.country, role=Role.MINISTRY_READER)
    return {
        "round": bench.round.pk, "csrf": secrets.token_hex(16), "reader": session_for(reader),
        "indicators": [i.pk for i in bench.indicators], "periods": bench.round.periods,
        "editors": [{"submission": Submission.objects.get(round=bench.round, unit=unit).pk, "session": session_for(user),
                     "unit": unit.pk, "acks": {}, "sent": {}, "revisions": {}} for user, unit in bench.editors],
    }


def _serve(env: dict, port: int, workers: int, threads: int) -> tuple[subprocess.Popen, subprocess.Popen]:
    """gunicorn (the product's config, gthread) and the task worker; returns once /health/ answers."""
    import httpx

    web = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "dugnad.config.wsgi", "-c", "python:dugnad.config.gunicorn",
                            "-b", f"127.0.0.1:{port}", "-w", str(workers), "--threads", str(threads), "-k", "gthread"],
                           env=env, cwd=ROOT)
    worker = subprocess.Popen([str(ROOT / ".venv/bin/dugnad"), "worker"], env=env, cwd=ROOT)
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/", timeout=1).status_code == 200:
                return web, worker
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    web.kill()
    worker.kill()
    raise SystemExit("gunicorn did not start")


class Log:
    """Thread-safe record of every request: (time, kind, outcome)."""

    def __init__(self, t0: float) -> None:
        self.t0, self.lock, self.rows = t0, threading.Lock(), []

    def add(self, kind: str, outcome: str) -> None:
        with self.lock:
            self.rows.append((time.perf_counter() - self.t0, kind, outcome))


def _editor(base: str, shared: dict, editor: dict, stop: float, think: float, log: Log) -> None:
    """Save this editor's cells in turn; remember every value the server acknowledged (200)."""
    import httpx

    cookies = {"sessionid": editor["session"], "csrftoken": shared["csrf"]}
    headers = {"X-CSRFToken": shared["csrf"], "HX-Request": "true", "Referer": base + "/"}
    cells = [(i, p) for i in shared["indicators"] for p in shared["periods"]]
    n = 0
    with httpx.Client(base_url=base, headers=headers, cookies=cookies, timeout=30, limits=httpx.Limits(**FRESH)) as client:
        while time.perf_counter() < stop:
            indicator, period = cells[n % len(cells)]
            n += 1
            value = str(n)
            editor["sent"].setdefault((indicator, period), []).append(value)
            data = {"indicator": indicator, "period": period, "value": value,
                    "revision": editor["revisions"].get((indicator, period), 0)}
            try:
                response = client.post(f"/innleveringer/{editor['submission']}/verdi/", data=data)
            except httpx.HTTPError as exc:
                log.add("save", f"connection: {type(exc).__name__}")
                time.sleep(think)
                continue
            found = REVISION.search(response.text)
            if found:
                editor["revisions"][(indicator, period)] = int(found.group(1))
            if response.status_code == 200 and "Lagret" in response.text:
                editor["acks"].setdefault((indicator, period), []).append(value)
                log.add("save", "ok")
            else:
                log.add("save", str(response.status_code))
            time.sleep(think)


def _reader(base: str, shared: dict, stop: float, think: float, log: Log, index: int) -> None:
    """Open pages as the ministry reader, one after another."""
    import httpx

    editors = shared["editors"]
    pages = [f"/innleveringer/{editors[index % len(editors)]['submission']}/", f"/runder/{shared['round']}/", "/tiltak/"]
    with httpx.Client(base_url=base, cookies={"sessionid": shared["reader"]}, timeout=30, limits=httpx.Limits(**FRESH)) as client:
        n = index
        while time.perf_counter() < stop:
            n += 1
            try:
                status = client.get(pages[n % len(pages)]).status_code
                log.add("read", "ok" if status == 200 else str(status))
            except httpx.HTTPError as exc:
                log.add("read", f"connection: {type(exc).__name__}")
            time.sleep(think)


def _prober(base: str, stop: float, log: Log) -> None:
    import httpx

    while time.perf_counter() < stop:
        try:
            ok = httpx.get(f"{base}/health/", timeout=5).status_code == 200
        except httpx.HTTPError:
            ok = False
        log.add("health", "ok" if ok else "down")
        time.sleep(0.25)


def _kill_one_worker(web: subprocess.Popen) -> str:
    import psutil

    workers = psutil.Process(web.pid).children()
    victim = workers[0]
    victim.send_signal(signal.SIGKILL)
    return f"gunicorn worker {victim.pid} killed"


def _restart_postgres() -> str:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    began = time.perf_counter()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True,
                   capture_output=True)
    return f"PostgreSQL {version} restarted ({time.perf_counter() - began:.1f} s for the command)"


def _recovery(log: Log, at: float) -> tuple[float, float, Counter]:
    """Seconds from the fault until /health/ answered and a save succeeded after its burst of failures; the failures.

    The burst starts with the first failure after the fault and runs while failures follow each other within 2 s.
    """
    rows = [r for r in log.rows if at <= r[0] < at + 60]
    failed = [t for t, _kind, outcome in rows if outcome not in ("ok", "409")]
    end = at
    for t in failed:
        if end == at or t - end <= 2.0:
            end = t
        else:
            break
    health_back = next((t for t, kind, outcome in rows if kind == "health" and outcome == "ok" and t >= end), end)
    save_back = next((t for t, kind, outcome in rows if kind == "save" and outcome == "ok" and t >= end), end)
    counts = Counter(f"{kind} {outcome}" for t, kind, outcome in rows if outcome not in ("ok", "409") and t <= end)
    return health_back - at, save_back - at, counts


def _lost(shared: dict) -> tuple[int, int]:
    """(acknowledged saves, acknowledged saves lost).

    An acknowledged value is lost when it is not among the cell's stored revisions, or when the cell's current value
    is neither its last acknowledged value nor one sent after it (a save whose answer was cut off may have landed).
    """
    from django.db import close_old_connections

    from dugnad.observations.models import Observation

    close_old_connections()
    acknowledged = lost = 0
    for editor in shared["editors"]:
        stored: dict[tuple, dict] = {}
        for indicator, period, value, current in Observation.objects.filter(unit_id=editor["unit"]).values_list(
                "indicator_id", "period", "value", "is_current"):
            cell = stored.setdefault((indicator, period), {"all": set(), "current": None})
            cell["all"].add(float(value))
            if current:
                cell["current"] = float(value)
        for key, values in editor["acks"].items():
            acknowledged += len(values)
            kept = stored.get(key, {"all": set(), "current": None})
            lost += sum(1 for v in values if float(v) not in kept["all"])
            sent = editor["sent"][key]
            later = {float(v) for v in sent[sent.index(values[-1]):]}
            lost += kept["current"] not in later
    return acknowledged, lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/ops")
    parser.add_argument("--editors", type=int, default=50)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--editor-think", type=float, default=2.0, help="Seconds between an editor's saves.")
    parser.add_argument("--reader-think", type=float, default=5.0, help="Seconds between a reader's pages.")
    parser.add_argument("--kill-at", type=float, default=60)
    parser.add_argument("--restart-at", type=float, default=150)
    parser.add_argument("--no-restart", action="store_true", help="Do not restart PostgreSQL (it is shared).")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--append", action="store_true", help="Append the results to docs/benchmarks.md.")
    parser.add_argument("--log", type=Path, help="Also write every request's (seconds, kind, outcome) as JSON here.")
    args = parser.parse_args()
    _reset(args.database_url)
    with tempfile.TemporaryDirectory() as data_dir:
        shared = _setup(args.database_url, data_dir, args.editors)
        port = _free_port()
        web, worker = _serve(_environment(args.database_url, data_dir), port, args.workers, args.threads)
        base = f"http://127.0.0.1:{port}"
        load_before = os.getloadavg()
        t0 = time.perf_counter()
        log, stop = Log(t0), t0 + args.seconds
        threads = [threading.Thread(target=_prober, args=(base, stop, log))]
        threads += [threading.Thread(target=_editor, args=(base, shared, e, stop, args.editor_think, log))
                    for e in shared["editors"]]
        threads += [threading.Thread(target=_reader, args=(base, shared, stop, args.reader_think, log, i))
                    for i in range(args.readers)]
        for thread in threads:
            thread.start()
        faults, loads = [], []
        schedule = [(args.kill_at, lambda: _kill_one_worker(web))]
        if not args.no_restart:
            schedule.append((args.restart_at, _restart_postgres))
        for at, fault in sorted(schedule, key=lambda item: item[0]):
            while time.perf_counter() - t0 < at:
                time.sleep(0.2)
            loads.append(os.getloadavg()[0])
            faults.append((time.perf_counter() - t0, fault()))
        for thread in threads:
            thread.join()
        loads.append(os.getloadavg()[0])
        acknowledged, lost = _lost(shared)
        for process in (web, worker):
            process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            process.wait(60)
    if args.log:
        args.log.write_text(json.dumps({"faults": faults, "rows": log.rows}), encoding="utf-8")
    outcomes = Counter((kind, outcome) for _t, kind, outcome in log.rows)
    rows = []
    for at, what in faults:
        health, back, counts = _recovery(log, at)
        rows.append(f"| {at:.0f} s | {what} | {health:.1f} | {back:.1f} | "
                    f"{', '.join(f'{k}: {v}' for k, v in sorted(counts.items())) or 'none'} |")
    saves = sum(v for (kind, _o), v in outcomes.items() if kind == "save")
    reads = sum(v for (kind, _o), v in outcomes.items() if kind == "read")
    failures = {f"{kind} {outcome}": v for (kind, outcome), v in sorted(outcomes.items()) if outcome != "ok"}
    when: dict[str, list[float]] = {}
    for t, kind, outcome in log.rows:
        if outcome != "ok":
            when.setdefault(f"{kind} {outcome}", []).append(t)
    text = "\n".join([
        f"{args.editors} editors (a save every {args.editor_think:g} s each), {args.readers} readers (a page every "
        f"{args.reader_think:g} s each), {args.seconds:.0f} s; gunicorn {args.workers} workers × {args.threads} threads "
        f"(gthread) and `dugnad worker`; PostgreSQL on 127.0.0.1. Load average {load_before[0]:.1f} at the start, "
        f"{', '.join(f'{x:.1f}' for x in loads)} at the faults and the end (2 cores shared with other work).",
        "",
        "| measure | value |", "|---|---:|",
        f"| save requests | {saves} |", f"| saves acknowledged (200 «Lagret») | {acknowledged} |",
        f"| acknowledged saves lost | {lost} |", f"| page requests | {reads} |",
        f"| failures (non-2xx or broken connection; all reach the user as errors) | "
        f"{sum(failures.values()) - outcomes.get(('health', 'down'), 0)} |",
        "",
        "| at | fault | health answers after (s) | saves succeed after (s) | failures in the burst after the fault |",
        "|---|---|---:|---:|---|",
        *rows,
        "",
        "All outcomes other than ok: " + (", ".join(f"{k}: {v} (at {min(when[k]):.1f}–{max(when[k]):.1f} s)"
                                                   for k, v in failures.items()) or "none") + ".",
    ])
    print(text)
    if args.append:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write(f"\n## Faults under load (benchmarks/faults.py)\n\n{dt.date.today().isoformat()}. {text}\n")
    if lost:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
