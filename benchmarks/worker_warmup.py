"""Benchmark: what a visitor waits when gunicorn replaces a worker, with and without the snapshot built before serving.

Starts gunicorn (2 sync workers, the per-process page cache so every page is rendered) on the demo database of the
data directory, twice: with the project's settings (``dugnad.config.gunicorn``, whose ``post_worker_init`` builds the
portal snapshot before the worker serves) and, as the baseline in the same run, with the same settings less that
hook. Each time both workers are warmed, one is killed (SIGKILL, as a crash or the arbiter's timeout would), and one
reader opens unit profiles one after the other (a new address each time, so each is rendered) for ``--seconds``
while the arbiter starts the replacement. Prints a Markdown table: the slowest view is the one that met the build.

    .venv/bin/python benchmarks/worker_warmup.py [--data-dir var] [--seconds 25] [--append]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import statistics
import subprocess
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import httpx
from gunicorn_server import free_port, started

ROOT = Path(__file__).resolve().parent.parent
SECRET = "warmup-benchmark-secret-key-not-for-production-0123456789"
UNITS = ("0301", "4601", "5001", "1103", "3301", "4204", "1804", "3101", "4621", "5501")


def _env(data_dir: str, extra_path: str) -> dict:
    return {**os.environ, "DUGNAD_DATA_DIR": data_dir, "DUGNAD_DEBUG": "0", "DUGNAD_SECRET_KEY": SECRET,
            "DUGNAD_ALLOWED_HOSTS": "127.0.0.1", "DUGNAD_PAGE_CACHE": "memory", "DUGNAD_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "dugnad.config.settings", "PYTHONPATH": f"{ROOT / 'src'}:{extra_path}"}


def _serve(config: str, data_dir: str, extra_path: str, port: int) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/gunicorn"), "dugnad.config.wsgi:application", "-c", config,
               "-b", f"127.0.0.1:{port}", "-w", "2"]
    process = subprocess.Popen(command, env=_env(data_dir, extra_path), cwd=ROOT, stderr=subprocess.DEVNULL)
    return started(process, port, tries=600, timeout=120)  # a worker takes no request before its snapshot is built


def _get(base: str, path: str) -> float:
    started = time.perf_counter()
    response = httpx.get(base + path, timeout=120)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return time.perf_counter() - started


def _warm(base: str, counter: list[int]) -> None:
    """Until both workers answer fast: rounds of two concurrent first views."""
    fast = 0
    for _ in range(60):
        seconds: list[float] = []
        paths = [f"/enheter/{UNITS[n]}/?w={counter[0] + n}" for n in range(2)]
        threads = [threading.Thread(target=lambda p=p, out=seconds: out.append(_get(base, p))) for p in paths]
        counter[0] += 2
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        fast = fast + 1 if max(seconds) < 1.5 else 0
        if fast >= 3:
            return


def _workers(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True, check=False).stdout.split()
    return [int(pid) for pid in found]


def _run(label: str, config: str, data_dir: str, extra_path: str, seconds: float) -> str:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = _serve(config, data_dir, extra_path, port)
    try:
        counter = [0]
        _warm(base, counter)
        victim = _workers(process.pid)[0]
        os.kill(victim, signal.SIGKILL)
        latencies = []
        stop = time.monotonic() + seconds
        n = 0
        while time.monotonic() < stop:
            latencies.append(_get(base, f"/enheter/{UNITS[n % len(UNITS)]}/?r={n}"))
            n += 1
        replaced = [pid for pid in _workers(process.pid) if pid != victim]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    slow = sum(1 for s in latencies if s > 2.0)
    return (f"| {label} | {len(latencies)} | {statistics.median(latencies) * 1000:.0f} | {p95 * 1000:.0f} | "
            f"{max(latencies) * 1000:.0f} | {slow} | {len(replaced)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var"))
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--append", action="store_true", help="append the table to docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "nohook_settings.py").write_text(textwrap.dedent("""\
            from dugnad.config.gunicorn import graceful_timeout, logconfig_dict, timeout  # noqa: F401
            """), encoding="utf-8")
        rows = [_run("snapshot built before serving (`post_worker_init`)", "python:dugnad.config.gunicorn",
                     args.data_dir, folder, args.seconds),
                _run("baseline: built on the first miss", "python:nohook_settings", args.data_dir, folder, args.seconds)]
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    table = "\n".join([
        f"`benchmarks/worker_warmup.py` ({dt.date.today()}, SQLite demo in `{args.data_dir}`, 2 sync workers, per-process "
        f"page cache): one worker killed, one reader opening new unit-profile addresses for {args.seconds:.0f} s while "
        f"the arbiter replaces it. Load average at the end (1/5/15 min): {load}.", "",
        "| worker start | views | p50 ms | p95 ms | slowest ms | views > 2 s | workers after |",
        "|---|---:|---:|---:|---:|---:|---:|", *rows])
    print(table)
    if args.append:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as f:
            f.write("\n" + table + "\n")


if __name__ == "__main__":
    main()
