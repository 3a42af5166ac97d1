"""Retrying a call to YouTube under the one policy of ``episodekit.retrying``.

What this adds for the Google client: which exceptions are answers (an ``HttpError``, whose status and
reason the policy judges, and whose ``Retry-After`` it reads) and which are a dropped connection (a
reset, a timeout: retried too, as the Google client itself does). A quota error (403
``quotaExceeded``) is not retried: it lasts until midnight Pacific time.
"""

from __future__ import annotations

import http.client
import logging
import socket
from collections.abc import Callable
from typing import Any

import httplib2
from googleapiclient.errors import HttpError

from ..retrying import RetryPolicy, is_retryable
from .client import error_reason

TRANSPORT_ERRORS = (ConnectionError, TimeoutError, socket.timeout, http.client.HTTPException,
                    httplib2.HttpLib2Error)
log = logging.getLogger(__name__)


def is_retriable(exc: BaseException) -> bool:
    """Whether the failure is worth another try: an answer the policy retries, or a dropped connection."""
    if isinstance(exc, HttpError):
        return is_retryable(exc.resp.status, error_reason(exc))
    return isinstance(exc, TRANSPORT_ERRORS)


def retry_after(exc: BaseException, retry: RetryPolicy) -> float | None:
    """The seconds the ``Retry-After`` header of the failed answer asks for; None without a valid one."""
    value = getattr(getattr(exc, "resp", None), "get", lambda _: None)("retry-after")
    return retry.retry_after(value if isinstance(value, str) else None)


def _failure(exc: BaseException) -> str:
    """What failed, for the log: the HTTP status or the exception's class, never a URL (it may hold a session)."""
    status = getattr(getattr(exc, "resp", None), "status", None)
    return f"YouTube answered {status}" if status else type(exc).__name__


def gives_up(exc: BaseException, attempt: int, retry: RetryPolicy) -> tuple[bool, float | None]:
    """Whether failed try ``attempt`` is the last, and the ``Retry-After`` its answer asked for."""
    asked = retry_after(exc, retry)
    if not is_retriable(exc) or retry.gives_up(attempt, asked):
        if retry.asks_too_long(asked):
            log.warning("%s and asks to wait %.0f s, longer than %.0f s; not trying again",
                        _failure(exc), asked, retry.max_retry_after)
        return True, asked
    return False, asked


def with_retries(call: Callable[[], Any], retry: RetryPolicy) -> Any:
    """The answer of ``call()``, tried again under ``retry`` after each failure worth another try."""
    for attempt in range(1, retry.attempts + 1):
        try:
            return call()
        except Exception as exc:
            last, asked = gives_up(exc, attempt, retry)
            if last:
                raise
            log.warning("%s; trying again (%d of %d)", _failure(exc), attempt + 1, retry.attempts)
            retry.wait(attempt, asked)
    raise AssertionError("unreachable")  # pragma: no cover
