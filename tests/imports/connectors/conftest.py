"""Fixtures for connector tests: a loopback PxWebApi server with recorded responses and a fake clock."""

from __future__ import annotations

import pytest
from tests.imports.connectors.ssbserver import FakeClock, LoopbackServer, recorded_fake

from dugnad.imports.connectors.cache import ResponseCache
from dugnad.imports.connectors.pxweb import PxWebClient, Transport
from dugnad.imports.connectors.ratelimit import RateLimiter


@pytest.fixture
def fake(shared):
    """The recorded PxWebApi state served by the loopback server."""
    return recorded_fake(shared)


@pytest.fixture
def server(fake):
    """A running loopback server (127.0.0.1, free port)."""
    with LoopbackServer(fake) as running:
        yield running


@pytest.fixture
def clock():
    """A fake clock: sleeping advances time instantly."""
    return FakeClock()


@pytest.fixture
def make_client(server, clock, tmp_path):
    """Factory of v2 clients pointed at the loopback server (fake clock; cache in tmp_path when asked)."""

    def make(*, max_cells: int = 800_000, cache: bool = False, max_calls: int = 30, period: float = 60.0):
        limiter = RateLimiter(max_calls=max_calls, period=period, clock=clock, sleep=clock.sleep)
        return PxWebClient(
            server.url,
            max_cells=max_cells,
            transport=Transport(limiter=limiter),
            cache=ResponseCache(tmp_path / "cache") if cache else None,
            now=lambda: "2026-11-27T18:00:00+00:00",
        )

    return make
