"""The API's request limits per signed-in user or anonymous address, counted in the ``throttle`` cache.

The default cache holds rendered pages in shared files; a request count changes on every request, so it stays
in each process's memory (as django-ninja's own throttles would keep it with a memory default cache).
"""

from __future__ import annotations

from django.core.cache import caches
from ninja.throttling import AnonRateThrottle, AuthRateThrottle


class _CountsInMemory:
    """Reads the ``throttle`` cache on each use (the cache handler is rebuilt when settings change)."""

    @property
    def cache(self):
        return caches["throttle"]


class AnonymousLimit(_CountsInMemory, AnonRateThrottle):
    """Requests per anonymous address."""


class UserLimit(_CountsInMemory, AuthRateThrottle):
    """Requests per signed-in user."""
