"""The task worker's heartbeat: a small file per worker in the data directory, rewritten every few seconds."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

from dugnad.env import data_dir

#: Seconds between two heartbeats of a running worker.
INTERVAL = 5.0


def heartbeat_dir() -> Path:
    """The directory of the heartbeat files (``<data dir>/heartbeats``)."""
    path = data_dir() / "heartbeats"
    path.mkdir(exist_ok=True)
    return path


def heartbeat_write(worker_id: str) -> Path:
    """Write one heartbeat of a worker (whole or not at all)."""
    path = heartbeat_dir() / f"worker-{worker_id}.json"
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "at": time.time()}), encoding="utf-8")
    os.replace(partial, path)
    return path


def heartbeat_start(worker_id: str) -> threading.Event:
    """Beat in a background thread until the returned event is set (then the worker's file is removed)."""
    stop = threading.Event()

    def beat() -> None:
        path = heartbeat_write(worker_id)
        while not stop.wait(INTERVAL):
            heartbeat_write(worker_id)
        path.unlink(missing_ok=True)

    threading.Thread(target=beat, name="dugnad-heartbeat", daemon=True).start()
    return stop


def heartbeat_age() -> float | None:
    """Seconds since the newest heartbeat of any worker, or None when no worker has beaten."""
    times = []
    for path in heartbeat_dir().glob("worker-*.json"):
        try:
            times.append(json.loads(path.read_text(encoding="utf-8"))["at"])
        except (OSError, ValueError, KeyError):
            continue
    return max(0.0, time.time() - max(times)) if times else None
