"""Retrying a call to YouTube: which failures are worth another try, and how long to wait."""

from __future__ import annotations

import http.client
import logging
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httplib2
from googleapiclient.errors import HttpError

RETRIABLE_STATUS = {500, 502, 503, 504}
log = logging.getLogger(__name__)


@dataclass
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits up to ``base * 2**(n-1)`` seconds."""

    attempts: int = 8
    base: float = 1.0
    cap: float = 64.0
    sleep: Callable[[float], None] = time.sleep

    def wait(self, attempt: int) -> None:
        self.sleep(min(self.cap, self.base * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0))


def command_retry() -> RetryPolicy:
    """What a command that reads or updates videos uses: a 5xx is retried once, with backoff."""
    return RetryPolicy(attempts=2)


def is_retriable(exc: BaseException) -> bool:
    if isinstance(exc, HttpError):
        return exc.resp.status in RETRIABLE_STATUS
    return isinstance(exc, (ConnectionError, TimeoutError, socket.timeout, http.client.HTTPException,
                            httplib2.HttpLib2Error))


def _failure(exc: BaseException) -> str:
    """What failed, for the log: the HTTP status or the exception's class, never a URL (it may hold a session)."""
    status = getattr(getattr(exc, "resp", None), "status", None)
    return f"YouTube answered {status}" if status else type(exc).__name__


def with_retries(call: Callable[[], Any], retry: RetryPolicy) -> Any:
    for attempt in range(1, retry.attempts + 1):
        try:
            return call()
        except Exception as exc:
            if not is_retriable(exc) or attempt == retry.attempts:
                raise
            log.warning("%s; trying again (%d of %d)", _failure(exc), attempt + 1, retry.attempts)
            retry.wait(attempt)
    raise AssertionError("unreachable")  # pragma: no cover
