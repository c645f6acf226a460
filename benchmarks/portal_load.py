"""Benchmark: 50 concurrent anonymous readers of the public portal, PostgreSQL behind gunicorn (WSGI).

Needs a PostgreSQL database holding the demo (``--load-demo`` loads it with ``dugnad demo --no-serve``). Starts
gunicorn on 127.0.0.1 with the project's settings (``-c python:dugnad.config.gunicorn``, as ``dugnad serve`` and the
deployment do: each worker builds the portal snapshot in ``post_worker_init`` before it serves, and logs JSON lines
on stderr, kept in ``server.log``, whose access lines give each request's server time, ``%(M)s`` ms), renders a
first page in every worker, then lets N readers without an account open public pages
as fast as they can for the given time: the front page (with and without a goal map), units, unit profiles,
goals, targets, indicators and the compare page, in nb, nn and en (language cookie). Two mixes:

- ``popular``: pages drawn by popularity (Zipf, s = 1, over a shuffled list of every page × language), as readers
  of a public site do: the front page, Oslo and the goal pages are read far more often than a small municipality;
- ``uniform``: every page × language equally likely (about 1 900 of them): mostly pages no one read before in
  that worker, so the content cache rarely helps — the worst case.

The baseline in the same run is one reader alone with the popular mix. Errors (any non-200 or exception) must
be 0. Prints a Markdown table; ``--append`` adds it to ``docs/benchmarks.md``.

    .venv/bin/python benchmarks/portal_load.py --url postgresql://postgres@127.0.0.1:5432/portal [--load-demo]
        [--readers 50] [--seconds 60] [--uniform-seconds 30] [--workers 3] [--threads 4] [--append]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SECRET = "portal-benchmark-secret-key-not-for-production-0123456789"
LANGS = ("nb", "nn", "en")

from gunicorn_server import free_port, serve, server_times, stop  # noqa: E402 (benchmarks/, beside this file)


def _env(url: str, data_dir: str, src: Path = ROOT / "src") -> dict:
    return {**os.environ, "DUGNAD_DATABASE_URL": url, "DUGNAD_DATA_DIR": data_dir, "DUGNAD_DEBUG": "0",
            "DUGNAD_SECRET_KEY": SECRET, "DUGNAD_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "dugnad.config.settings",
            "PYTHONPATH": str(src), "DUGNAD_LOG_LEVEL": "INFO"}  # INFO: each worker logs its snapshot build


def _pages(url: str, data_dir: str) -> list[str]:
    """Every public page of the demo (paths without language)."""
    os.environ.update(_env(url, data_dir))
    import django

    django.setup()
    from dugnad.catalogue.titles import target_titles
    from dugnad.portal.snapshot import build_snapshot

    snap = build_snapshot()
    if not snap.goal_cells:
        raise SystemExit("no score run in this database: load the demo (--load-demo)")
    keys = list(snap.indicators)
    pages = ["/", "/enheter/", "/mal/", "/indikatorer/", "/sammenlign/"]
    pages += [f"/?mal={n}" for n in snap.goals] + [f"/mal/{n}/" for n in snap.goals]
    pages += [f"/delmal/{code}/" for code in target_titles()]
    pages += [f"/indikatorer/{key}/" for key in keys] + [f"/indikatorer/{key}/?niva=fylke" for key in keys[:10]]
    pages += [f"/enheter/{code}/" for code in snap.units]
    rng = random.Random(18)
    municipalities = [u.code for u in snap.by_level("municipality")]
    for _ in range(20):
        units = ",".join(rng.sample(municipalities, 4))
        pages.append(f"/sammenlign/?enheter={units}&indikatorer={keys[0].replace('/', '~')},{keys[1].replace('/', '~')}")
    return pages


def _in_process(pages: list[str], count: int) -> str:
    """Time pages in this process (Django's test client, no HTTP, no other readers): first view and cached view."""
    from django.core.cache import cache
    from django.test import Client

    from dugnad.portal.snapshot import portal_snapshot

    client = Client(HTTP_HOST="127.0.0.1")
    began = time.perf_counter()
    portal_snapshot()
    build = (time.perf_counter() - began) * 1000
    sample = random.Random(5).sample(pages, min(count, len(pages)))
    rows = []
    for label, prefix in (("unit profiles", "/enheter/"), ("indicator pages", "/indikatorer/"), ("goal pages", "/mal/"),
                          ("target pages", "/delmal/"), ("front page and other pages", "")):
        chosen = [p for p in sample if p.startswith(prefix)] if prefix else [p for p in sample if not p.startswith(
            ("/enheter/", "/indikatorer/", "/mal/", "/delmal/"))]
        first, again = [], []
        for path in chosen:
            for lang in LANGS:
                client.cookies["django_language"] = lang
                t = time.perf_counter()
                assert client.get(path).status_code == 200, path
                first.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                client.get(path)
                again.append((time.perf_counter() - t) * 1000)
        if first:
            rows.append(f"| {label} | {len(first)} | {statistics.median(first):.0f} | {_pick(sorted(first), 0.95):.0f} | "
                        f"{statistics.median(again):.1f} | {_pick(sorted(again), 0.95):.1f} |")
    cache.clear()
    return "\n".join([
        f"In one process, one request at a time (snapshot build: {build:.0f} ms, once per data revision and worker):", "",
        "| pages | views | first view p50 ms | first view p95 ms | cached p50 ms | cached p95 ms |",
        "|---|---:|---:|---:|---:|---:|", *rows])


def _reader(base: str, choose, stop: float, latencies: list, errors: list, seed: int) -> None:
    import httpx

    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.perf_counter() < stop:
            path, lang = choose(rng)
            began = time.perf_counter()
            try:
                response = client.get(path, cookies={"django_language": lang})
            except httpx.HTTPError as exc:
                errors.append(f"{path}: {exc!r}")
                continue
            latencies.append(time.perf_counter() - began)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {path}")


def _pick(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _run(base: str, readers: int, seconds: float, choose, log: Path) -> dict:
    _t, _b, start = server_times(log, 0)
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    threads = [threading.Thread(target=_reader, args=(base, choose, stop, latencies, errors, i)) for i in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(0.5)
    server, bad, _end = server_times(log, start)
    server.sort()
    client = sorted(x * 1000 for x in latencies)
    return {"readers": readers, "seconds": seconds, "requests": len(latencies), "errors": len(errors) + bad,
            "rps": len(latencies) / seconds, "server_p50": _pick(server, 0.5), "server_p95": _pick(server, 0.95),
            "server_p99": _pick(server, 0.99), "client_p50": _pick(client, 0.5), "client_p95": _pick(client, 0.95),
            "mean": statistics.fmean(client) if client else float("nan"), "first_errors": errors[:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("DUGNAD_BENCH_POSTGRES_URL", ""), help="PostgreSQL URL with the demo")
    parser.add_argument("--load-demo", action="store_true", help="Load the demo into the database first.")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--uniform-seconds", type=float, default=30)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--append", action="store_true", help="Append the table to docs/benchmarks.md.")
    parser.add_argument("--server-src", type=Path, default=ROOT / "src",
                        help="Source tree the server runs (another checkout's src/ for a before/after pair).")
    parser.add_argument("--warm", action="store_true",
                        help="Run `dugnad portal warm` for the server's address before the clock starts.")
    parser.add_argument("--in-process", type=int, default=120, metavar="N",
                        help="Also time N sampled pages in this process, first view and cached (0: skip).")
    args = parser.parse_args()
    if not args.url.startswith("postgres"):
        raise SystemExit("give --url postgresql://… (a database you may fill; never a production one)")
    data_dir = tempfile.mkdtemp(prefix="dugnad-portal-bench-")
    if args.load_demo:
        subprocess.run([str(ROOT / ".venv/bin/dugnad"), "demo", "--no-serve"], env=_env(args.url, data_dir), check=True,
                       stdout=subprocess.DEVNULL)
    pages = _pages(args.url, data_dir)
    single = _in_process(pages, args.in_process) if args.in_process else ""
    combos = [(p, lang) for p in pages for lang in LANGS]
    random.Random(2027).shuffle(combos)
    weights = [1 / (rank + 1) for rank in range(len(combos))]
    popular = lambda rng: rng.choices(combos, weights=weights)[0]  # noqa: E731
    uniform = lambda rng: rng.choice(combos)  # noqa: E731
    port = free_port()
    log = Path(data_dir) / "server.log"
    server = serve(_env(args.url, data_dir, args.server_src), port, log, "-w", str(args.workers), "--threads",
                   str(args.threads), "--access-logfile", "-", "--access-logformat", "%(M)s %(s)s %(U)s",
                   src=args.server_src)
    base = f"http://127.0.0.1:{port}"
    warmed = ""
    try:
        import httpx

        if args.warm:
            began = time.perf_counter()
            subprocess.run([sys.executable, "-m", "dugnad.cli.main", "portal", "warm", "--host", f"127.0.0.1:{port}"],
                           env=_env(args.url, data_dir, args.server_src), check=True, stdout=subprocess.DEVNULL)
            warmed = f" Page cache warmed with `dugnad portal warm` first ({time.perf_counter() - began:.0f} s)."

        for n in range(args.workers * args.threads * 3):  # a first render in every worker (snapshot: post_worker_init)
            httpx.get(f"{base}/?oppvarming={n}", timeout=120)  # an address no cache holds: the page is rendered
        baseline = _run(base, 1, args.baseline_seconds, popular, log)
        loaded = _run(base, args.readers, args.seconds, popular, log)
        cold = _run(base, args.readers, args.uniform_seconds, uniform, log) if args.uniform_seconds else None
    finally:
        stop(server, 30)
    rows = [("1 reader, popular mix (baseline)", baseline), (f"{args.readers} readers, popular mix", loaded)]
    if cold:
        rows.append((f"{args.readers} readers, uniform mix (mostly uncached pages)", cold))
    cpus = os.cpu_count()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"### Public portal: {args.readers} anonymous readers ({dt.date.today().isoformat()})", "",
        f"`benchmarks/portal_load.py`: demo data ({len(pages)} public pages × nb/nn/en), PostgreSQL on 127.0.0.1, gunicorn "
        f"{args.workers} workers × {args.threads} threads (gthread), readers and server on the same {cpus} shared CPUs. "
        f"Server time from gunicorn's access lines (`%(M)s`, project config), client time includes the readers' own queueing. "
        f"Server code: {args.server_src}.{warmed} Load average at the end (1/5/15 min): {load}.", "",
        "| run | s | requests | errors | req/s | server p50 ms | server p95 ms | server p99 ms | client p50 ms | client p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in rows:
        lines.append(f"| {label} | {r['seconds']:.0f} | {r['requests']} | {r['errors']} | {r['rps']:.1f} | "
                     f"{r['server_p50']:.0f} | {r['server_p95']:.0f} | {r['server_p99']:.0f} | {r['client_p50']:.0f} | "
                     f"{r['client_p95']:.0f} |")
    table = "\n".join(lines) + ("\n\n" + single if single else "")
    print(table)
    for label, r in rows:
        if r["first_errors"]:
            print(label, "first errors:", r["first_errors"])
    if args.append:
        with (ROOT / "docs/benchmarks.md").open("a", encoding="utf-8") as f:
            f.write("\n" + table + "\n")


if __name__ == "__main__":
    main()
