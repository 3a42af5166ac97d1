"""Retrying a call to YouTube: which failures are worth another try, and how long to wait.

Worth another try: a 5xx, a 429, a 403 whose reason is ``rateLimitExceeded`` or
``userRateLimitExceeded`` (the ones the Google client retries itself), a reset
and a timeout. A quota error (403 ``quotaExceeded``) is not: it lasts until
midnight Pacific time. The wait is exponential backoff with jitter; when the
answer carries ``Retry-After`` (seconds, or an HTTP date), at least that long,
up to ``max_retry_after``.
"""

from __future__ import annotations

import http.client
import logging
import math
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httplib2
from googleapiclient.errors import HttpError

from .client import error_reason

RETRIABLE_STATUS = {429, 500, 502, 503, 504}
RATE_LIMIT_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}  # retried when they come with a 403
TRANSPORT_ERRORS = (ConnectionError, TimeoutError, socket.timeout, http.client.HTTPException,
                    httplib2.HttpLib2Error)
log = logging.getLogger(__name__)


@dataclass
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits up to ``base * 2**(n-1)`` seconds, at most ``cap``.

    A ``Retry-After`` from the server makes the wait at least that long, up to ``max_retry_after``.
    """

    attempts: int = 8
    base: float = 1.0
    cap: float = 64.0
    sleep: Callable[[float], None] = time.sleep
    max_retry_after: float = 120.0

    def wait(self, attempt: int, retry_after: float | None = None) -> None:
        """Sleep before try ``attempt + 1``: exponential backoff with jitter, at least ``retry_after`` (capped)."""
        backoff = min(self.cap, self.base * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
        if retry_after is not None:
            backoff = max(backoff, min(retry_after, self.max_retry_after))
        self.sleep(backoff)


def command_retry() -> RetryPolicy:
    """What a command that reads or updates videos uses: a 5xx is retried once, with backoff."""
    return RetryPolicy(attempts=2)


def is_retriable(exc: BaseException) -> bool:
    """Whether a failure is worth another try (5xx, 429, a rate limit, a dropped connection)."""
    if isinstance(exc, HttpError):
        status = exc.resp.status
        return status in RETRIABLE_STATUS or (status == 403 and error_reason(exc) in RATE_LIMIT_REASONS)
    return isinstance(exc, TRANSPORT_ERRORS)


def retry_after(exc: BaseException, now: datetime | None = None) -> float | None:
    """The seconds a ``Retry-After`` header of the failed answer asks for; None without one."""
    value = getattr(getattr(exc, "resp", None), "get", lambda _: None)("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is not None:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _failure(exc: BaseException) -> str:
    """What failed, for the log: the HTTP status or the exception's class, never a URL (it may hold a session)."""
    status = getattr(getattr(exc, "resp", None), "status", None)
    return f"YouTube answered {status}" if status else type(exc).__name__


def with_retries(call: Callable[[], Any], retry: RetryPolicy) -> Any:
    """``call()``, tried again after a retriable failure, up to the policy's tries."""
    for attempt in range(1, retry.attempts + 1):
        try:
            return call()
        except Exception as exc:
            if not is_retriable(exc) or attempt == retry.attempts:
                raise
            log.warning("%s; trying again (%d of %d)", _failure(exc), attempt + 1, retry.attempts)
            retry.wait(attempt, retry_after(exc))
    raise AssertionError("unreachable")  # pragma: no cover
