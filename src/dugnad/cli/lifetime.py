"""Child processes that end with their parent: Linux's parent-death signal, and forwarding SIGTERM/SIGINT."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child process: receive SIGTERM when the parent ends, even by SIGKILL (Linux; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the signal was armed
        os._exit(1)


def start_child(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start a supervised child in its own process group (only the parent forwards signals), tied to the parent."""
    return subprocess.Popen(args, env=env, start_new_session=True, preexec_fn=die_with_parent)


def supervise(children: dict[str, subprocess.Popen], *, grace: float = 30.0) -> int:
    """Wait while every child runs; on SIGTERM/SIGINT, or when one child ends, stop the others and wait for all.

    Returns the exit code: the signalled stop gives 0 when every child stopped cleanly, and a child that ended on its
    own gives its code (1 when that was 0, since a server should not end by itself).
    """
    stopping: list[int] = []

    def on_signal(signum, frame) -> None:
        stopping.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        ended = None
        while not stopping and ended is None:
            ended = next((name for name, child in children.items() if child.poll() is not None), None)
            time.sleep(0.2)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if ended is not None:
            return children[ended].returncode or 1
        return max((abs(c.returncode) for c in children.values() if c.returncode not in (0, -signal.SIGTERM)), default=0)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
