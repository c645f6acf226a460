"""The health endpoint for load balancers and monitoring: the database answers, and a task worker is alive."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dugnad.env import env_int
from dugnad.operations.heartbeat import heartbeat_age

logger = logging.getLogger(__name__)


def database_check() -> dict:
    """Whether the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("health: database check failed: %s", exc.__class__.__name__)
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def worker_check() -> dict:
    """Whether a task worker has beaten within DUGNAD_WORKER_STALE_SECONDS."""
    age = heartbeat_age()
    return {"ok": age is not None and age <= env_int("DUGNAD_WORKER_STALE_SECONDS"),
            "seconds_since_heartbeat": None if age is None else round(age, 1)}


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 while the database answers (``status`` "degraded" without a live worker); 503 when it does not."""
    checks = {"database": database_check(), "worker": worker_check()}
    status = ("ok" if checks["worker"]["ok"] else "degraded") if checks["database"]["ok"] else "down"
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "down" else 200)
