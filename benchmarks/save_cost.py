"""Benchmark: the server's CPU time and SQL queries of one grid save, in-process, beside another checkout's.

Each source tree (this one and, with ``--against``, another checkout's ``src/``) runs in its own process on its own
fresh PostgreSQL database (``bench_round``: one national round, N municipal editors): the editors save cells
through Django's whole request handler and middleware (session, user, CSRF, locale, CSP …), either the grid's htmx
POST (``web``) or ``PUT /api/submissions/{id}/values`` (``api``), and the process's CPU time is divided by the
saves. No HTTP server and no client threads share the CPU, so the figure holds on a loaded machine better than
the load test's (``rounds_load.py``), and it is the figure that decides how many saves two cores can serve.
``--profile`` prints the cProfile top of this tree's saves.

    .venv/bin/python benchmarks/save_cost.py [--saves 400] [--against /path/to/other/src] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgresql://postgres@127.0.0.1:5432"


def _database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def _measure(database: str, endpoint: str, saves: int, editors: int, profile: bool) -> dict:
    """Run in the process of one source tree: set up, warm up, then time ``saves`` saves; the figures as a dict."""
    url = _database(database)
    data_dir = tempfile.mkdtemp(prefix="save-cost-")
    os.environ.update({"DUGNAD_DATABASE_URL": url, "DUGNAD_DATA_DIR": data_dir, "DUGNAD_DEBUG": "0",
                       "DJANGO_SETTINGS_MODULE": "dugnad.config.settings", "DUGNAD_SECRET_KEY": secrets.token_hex(32),
                       "DUGNAD_ALLOWED_HOSTS": "127.0.0.1"})
    import django

    django.setup()
    from bench_db import migrate

    migrate()
    from bench_round import round_build, session_for
    from django.db import connection
    from django.test import Client

    from dugnad.rounds.models import Submission

    bench = round_build(editors)
    clients = []
    for user, unit in bench.editors:
        csrf = secrets.token_hex(16)
        client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"], client.cookies["csrftoken"] = session_for(user), csrf
        clients.append((client, csrf, Submission.objects.get(round=bench.round, unit=unit).pk))
    cells = [(i.pk, p) for i in bench.indicators for p in bench.round.periods]
    revisions: dict = {}
    counter = [0]

    def save() -> int:
        n = counter[0]
        counter[0] += 1
        client, csrf, submission = clients[n % len(clients)]
        indicator, period = cells[(n // len(clients)) % len(cells)]
        revision = revisions.get((submission, indicator, period), 0)
        if endpoint == "web":
            response = client.post(f"/innleveringer/{submission}/verdi/", urlencode({  # as htmx posts it
                "indicator": indicator, "period": period, "value": str(n), "revision": revision}),
                content_type="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=csrf, HTTP_HX_REQUEST="true")
            if response.status_code == 200:
                text = response.content.decode()
                found = text.split('name="revision" value="', 1)[1].split('"', 1)[0]
                revisions[(submission, indicator, period)] = int(found)
        else:
            response = client.put(f"/api/submissions/{submission}/values", json.dumps({
                "indicator_id": indicator, "period": period, "value": str(n), "revision": revision}),
                content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
            if response.status_code == 200:
                revisions[(submission, indicator, period)] = response.json()["revision"]
        return response.status_code

    for _ in range(max(20, len(clients) * len(cells))):  # warm: imports, templates, every cell's first revision
        assert save() == 200
    captured: list[str] = []

    def capture(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):  # every statement Django sends, ORM or hand-written
        assert save() == 200
    statuses = []
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(saves):
        statuses.append(save())
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    result = {"saves": saves, "cpu_ms": cpu / saves * 1000, "wall_ms": wall / saves * 1000,
              "queries": len(captured), "errors": sum(s != 200 for s in statuses),
              "sql": [" ".join(q.split())[:150] for q in captured]}
    if profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile(time.process_time)  # CPU time, not the waits for the database
        profiler.enable()
        for _ in range(saves):
            save()
        profiler.disable()
        profiler.dump_stats(Path(tempfile.gettempdir()) / "save_cost.prof")  # for pstats' callers and callees
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(70)
        stats.sort_stats("tottime").print_stats(25)
        result["profile"] = out.getvalue()
    connection.close()
    _database(database)  # leave an empty database behind, not the bench data
    return result


def _run(src: Path, args, database: str, profile: bool) -> dict:
    """Measure one source tree in its own process (its own imports), return its figures."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(ROOT / "benchmarks")])}
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--database", database, "--endpoint",
               args.endpoint, "--saves", str(args.saves), "--editors", str(args.editors)]
    if profile:
        command.append("--profile")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-4000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=400)
    parser.add_argument("--editors", type=int, default=2)
    parser.add_argument("--endpoint", choices=["web", "api"], default="web")
    parser.add_argument("--against", type=Path, help="Another checkout's src/ measured the same way (the baseline).")
    parser.add_argument("--database", default="save_cost")
    parser.add_argument("--profile", action="store_true", help="Print the cProfile top of this tree's saves.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_measure(args.database, args.endpoint, args.saves, args.editors, args.profile)))
        return
    runs = [("this tree", ROOT / "src")] + ([("baseline", args.against)] if args.against else [])
    load = os.getloadavg()[0]
    results = [(name, _run(src, args, args.database, args.profile and name == "this tree")) for name, src in runs]
    print(f"endpoint {args.endpoint}, {args.saves} saves each, load {load:.1f} → {os.getloadavg()[0]:.1f}")
    print("| tree | CPU ms a save | wall ms a save | SQL queries a save | errors |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results:
        print(f"| {name} | {r['cpu_ms']:.1f} | {r['wall_ms']:.1f} | {r['queries']} | {r['errors']} |")
    for name, r in results:
        print(f"\n{name}: queries of one save\n  " + "\n  ".join(r["sql"]))
        if r.get("profile"):
            print(r["profile"])


if __name__ == "__main__":
    main()
