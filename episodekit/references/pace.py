"""A request-rate limit shared by the threads of a process: at most N requests start in any second.

NCBI asks for at most 3 requests a second without an API key and 10 with one. The clock and the
sleep are parameters, so a test can run the limiter on a clock of its own and never wait.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW = 1.0  # seconds


class RateLimiter:
    """Waits, before each request, until starting it keeps at most ``per_second`` starts in any second."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self._clock, self._sleep = clock, sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def wait(self, per_second: int) -> float:
        """Block until a request may start (at most ``per_second`` a second); return how long it waited."""
        waited = 0.0
        with self._lock:  # one waiter at a time, so threads queue up in order
            now = self._clock()
            while True:
                while self._starts and now - self._starts[0] >= WINDOW:
                    self._starts.popleft()
                if len(self._starts) < per_second:
                    break
                pause = self._starts[0] + WINDOW - now
                self._sleep(pause)
                waited += pause
                now = self._clock()
            self._starts.append(now)
        return waited
