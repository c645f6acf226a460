"""Request rate limiter: a sliding window of at most N requests per period, with an injectable clock."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from email.utils import parsedate_to_datetime


class RateLimiter:
    """Sliding-window limiter: :meth:`acquire` waits until one more request fits in the window."""

    def __init__(
        self,
        *,
        max_calls: int = 30,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if max_calls < 1 or period <= 0:
            raise ValueError("max_calls must be >= 1 and period > 0")
        self.max_calls = max_calls
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self._calls: deque[float] = deque()

    def _forget_old(self, now: float) -> None:
        while self._calls and self._calls[0] <= now - self.period:
            self._calls.popleft()

    def acquire(self) -> float:
        """Wait (via ``sleep``) until a request is allowed, record it, and return the seconds waited."""
        waited = 0.0
        now = self.clock()
        self._forget_old(now)
        while len(self._calls) >= self.max_calls:
            pause = self._calls[0] + self.period - now
            if pause > 0:
                self.sleep(pause)
                waited += pause
            now = self.clock()
            self._forget_old(now)
        self._calls.append(now)
        return waited

    def wait(self, seconds: float) -> None:
        """Pause for a server-requested back-off (e.g. ``Retry-After``)."""
        if seconds > 0:
            self.sleep(seconds)


def retry_after_seconds(value: str | None, *, default: float, now_epoch: float | None = None) -> float:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date); ``default`` when absent/bad."""
    if not value:
        return default
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    current = time.time() if now_epoch is None else now_epoch
    return max(0.0, when.timestamp() - current)
