"""gunicorn for the load benchmarks (portal_load.py, rounds_load.py, worker_warmup.py) as the deployment runs it: the
project's config file (``-c python:dugnad.config.gunicorn``: the portal snapshot built in ``post_worker_init``, JSON
log lines on stderr), on 127.0.0.1, its log kept in a file; access lines (``--access-logfile -``) read back from it."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "python:dugnad.config.gunicorn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict, port: int, log: Path, *options: str, src: Path = ROOT / "src") -> subprocess.Popen:
    """gunicorn (gthread) serving ``src`` with the project's config file and ``options``, its log lines (JSON) appended
    to ``log``; returned once it answers."""
    command = [str(ROOT / ".venv/bin/gunicorn"), "dugnad.config.wsgi:application", "-c", CONFIG,
               "-b", f"127.0.0.1:{port}", "-k", "gthread", *options]
    env = {**env, "PYTHONPATH": str(src), "DUGNAD_LOG_FORMAT": "json"}
    start = log.stat().st_size if log.exists() else 0
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stderr=out)
    started(process, port, timeout=120, log=log)  # a worker takes no request before its snapshot is built
    workers = int(options[options.index("-w") + 1]) if "-w" in options else 1
    return warmed(process, log, start, workers)


def warmed(process: subprocess.Popen, log: Path, start: int, workers: int, wait: float = 120) -> subprocess.Popen:
    """The process once each of its ``workers`` has logged its snapshot build (``dugnad.portal.warmup``: built, or
    not built), so that no build of a later worker runs on the measured seconds (the first worker answers the
    health check while the others still build)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        with log.open("rb") as fh:
            fh.seek(start)
            done = fh.read().count(b"built before serving")
        if done >= workers:
            return process
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn's {workers} workers did not all build the portal snapshot; the end of {log}:\n{tail(log)}")


def started(process: subprocess.Popen, port: int, *, tries: int = 300, timeout: float = 2,
            log: Path | None = None) -> subprocess.Popen:
    """The gunicorn process once its health endpoint answers on 127.0.0.1:``port`` (killed if it never does; the
    end of its log in the message)."""
    import httpx

    for _ in range(tries):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/", timeout=timeout).status_code < 500:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start" + (f"; the end of {log}:\n{tail(log)}" if log else ""))


def stop(process: subprocess.Popen, wait: float = 60) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``wait`` seconds (a loaded machine: keep the figures)."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(30)


def tail(log: Path, lines: int = 20) -> str:
    """The last lines of the server's log."""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


def access_words(line: str) -> list[str]:
    """The words of a gunicorn access line of the server's log (JSON lines), or [] for any other line."""
    try:
        record = json.loads(line)
    except ValueError:
        return []
    return record.get("message", "").split() if isinstance(record, dict) and record.get("logger") == "gunicorn.access" else []


def server_times(log: Path, start: int) -> tuple[list[float], int, int]:
    """Server milliseconds of the access lines (format ``%(M)s %(s)s …``) after ``start`` bytes; and the non-200
    count, and the new end."""
    data = log.read_bytes()
    times, bad = [], 0
    for line in data[start:].decode(errors="replace").splitlines():
        parts = access_words(line)
        if len(parts) >= 2 and parts[0].isdigit():
            times.append(float(parts[0]))
            bad += parts[1] != "200"
    return times, bad, len(data)
