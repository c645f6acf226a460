"""The portal snapshot built before a server process takes its first request (gunicorn's ``post_worker_init`` in
``dugnad.config.gunicorn``), so no visitor waits for it.

A fresh worker otherwise built the snapshot (``portal.snapshot.portal_snapshot``, 5–9 s on the demo) on its first
request that the whole-page cache could not answer: that visitor waited, and under load the request could time out.
The build runs in a thread while the calling thread tells gunicorn's arbiter every few seconds that the worker is
alive (a worker silent for ``timeout`` seconds is killed, and a killed worker would start the build again). A
failed build (the database down at start) is logged and the worker serves anyway: the first page that needs the
snapshot builds it, as before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

#: Seconds between the calls of ``notify`` while the snapshot is built.
NOTIFY_SECONDS = 2.0


def _build(outcome: dict) -> None:
    from django.db import connections

    from dugnad.portal.snapshot import portal_snapshot

    try:
        outcome["snapshot"] = portal_snapshot()
    except Exception as exc:
        outcome["error"] = exc
    finally:
        connections.close_all()  # this thread's own connection


def warm_snapshot(*, notify: Callable[[], None] | None = None, every: float = NOTIFY_SECONDS) -> float | None:
    """Build this process's portal snapshot; ``notify`` is called every ``every`` seconds meanwhile. Returns the
    seconds taken, or None when the build failed (logged with its traceback, never raised)."""
    started = time.perf_counter()
    outcome: dict = {}
    thread = threading.Thread(target=_build, args=(outcome,), name="portal-snapshot-warmup", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(every)
        if notify is not None:
            notify()
    seconds = time.perf_counter() - started
    if "error" in outcome:
        logger.error("Portal snapshot not built before serving (%.1f s); the first page that needs it builds it",
                     seconds, exc_info=outcome["error"])
        return None
    logger.info("Portal snapshot built before serving in %.1f s (revision %s)", seconds, outcome["snapshot"].revision)
    return seconds
