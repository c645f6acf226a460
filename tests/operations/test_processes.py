"""Processes end together: `dugnad serve` stops gunicorn and the worker on SIGTERM; `publish --all` pools die with it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow
DUGNAD = str(Path(sys.executable).with_name("dugnad"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict[str, str]:
    """The environment of a fresh SQLite data directory prepared with `dugnad demo --no-serve`."""
    data = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if k not in ("DUGNAD_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"DUGNAD_DATA_DIR": str(data)}
    subprocess.run([DUGNAD, "demo", "--no-serve"], env=env, check=True, capture_output=True, timeout=900)
    return env


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float, what: str):
    """Check the condition every 50 ms until it returns something true (the web answering, a file written: nothing
    signals those); fail naming what was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"waited {timeout} s for {what}")


def health(port: int) -> dict | None:
    """The health endpoint's answer, or None while nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as response:
            return json.loads(response.read())
    except OSError:
        return None


def alive(processes: list[psutil.Process]) -> list[str]:
    """The processes still running (zombies count as ended)."""
    running = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                running.append(" ".join(p.cmdline()[:4]))
        except psutil.NoSuchProcess:
            continue
    return running


def test_serve_passes_sigterm_on_and_ends_after_gunicorn_and_the_worker(demo):
    port = free_port()
    serve = subprocess.Popen([DUGNAD, "serve", "--port", str(port)], env=demo, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    answer = wait_for(lambda: (h := health(port)) and h["checks"]["worker"]["ok"] and h, 90, "web and worker")
    assert answer["status"] == "ok" and answer["checks"]["database"]["ok"]
    children = psutil.Process(serve.pid).children(recursive=True)
    commands = " ".join(" ".join(c.cmdline()) for c in children)
    assert "gunicorn" in commands and "worker" in commands

    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=60) == 0
    assert alive(children) == []
    assert health(port) is None


def test_serve_on_a_busy_port_says_so_and_names_the_option(demo):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([DUGNAD, "serve", "--port", str(port)], env=demo, capture_output=True, text=True,
                                timeout=60)
    assert result.returncode == 1
    assert f"{port} is already in use" in result.stderr + result.stdout and "--port" in result.stderr + result.stdout


def test_publish_all_pool_workers_end_when_the_parent_is_killed(demo, tmp_path):
    publish = subprocess.Popen([DUGNAD, "publish", "vlr", "--all", "--round", "1", "--format", "html", "--jobs", "2",
                                "--out", str(tmp_path)], env=demo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(publish.pid)
    wait_for(lambda: any(tmp_path.iterdir()), 180, "the first document")  # the pool workers are busy
    children = parent.children(recursive=True)
    assert len(children) >= 2

    publish.kill()
    publish.wait(timeout=10)
    psutil.wait_procs(children, timeout=10)  # returns as each ends (or at 10 s); alive() names any left
    assert alive(children) == []
