"""One GET of a CSL-JSON record: timeouts, redirects followed, bounded retries, errors that say what happened.

Only this module imports ``requests``. A 404 (or 410) is :class:`NoRecordError`; what is retried, how
long it waits and how many tries it makes is the one policy of ``episodekit.retrying`` (a 429 or a 5xx
is tried again after a backoff, and at least as long as its ``Retry-After`` asks; a service asking for
more than the policy waits is reported as busy at once; at most ``LOOKUP_TRIES`` tries in all), then
:class:`ServiceError`; an answer that is not a CSL-JSON object is :class:`MalformedRecordError`; no
connection (offline, a name that does not resolve, refused, a timeout) is :class:`ServiceUnreachable`.
Messages name the host and what happened, never the query (it may hold an API key).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import requests

from ..errors import MalformedRecordError, NoRecordError, ServiceError, ServiceUnreachable
from ..retrying import RetryPolicy, is_retryable, lookup_retry

CSL_JSON = "application/vnd.citationstyles.csl+json"
TIMEOUT = (5.0, 20.0)  # seconds to connect, seconds between bytes of the answer
MAX_REDIRECTS = 10
MAX_RECORD_BYTES = 8 * 1024 * 1024  # a record is a few KB; Crossref's with 3,000 authors and its references ~1 MB
log = logging.getLogger(__name__)
_KEY_IN_QUERY = re.compile(r"(api_key=)[^&\s\"']+", re.IGNORECASE)


class _HideKeys(logging.Filter):
    """urllib3 logs each request line at DEBUG, query included: an NCBI API key there is shown as ``[redacted]``."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "api_key=" in text.lower():
            record.msg, record.args = _KEY_IN_QUERY.sub(r"\1[redacted]", text), None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_HideKeys())


@dataclass
class Wire:
    """How requests go out: the session, the timeouts and the retry policy (a test passes one whose sleep
    only writes the waits down)."""

    retry: RetryPolicy = field(default_factory=lookup_retry)
    timeout: tuple[float, float] = TIMEOUT
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.max_redirects = MAX_REDIRECTS
        self.session.trust_env = True  # proxies from the environment, as a browser would


@dataclass(frozen=True)
class Ask:
    """One record to fetch: ``what`` names it in messages (``DOI 10.1038/nm.2886``)."""

    url: str
    what: str
    headers: dict[str, str]
    params: dict[str, str] | None = None
    before_each: Callable[[], object] = lambda: None  # the rate limit, called before every try


def get_record(wire: Wire, ask: Ask) -> dict[str, Any]:
    """The CSL-JSON object at ``ask.url``; an error of ``episodekit.errors`` for anything else."""
    return _get(wire, ask, _record)


def get_json(wire: Wire, ask: Ask) -> dict[str, Any]:
    """The JSON object at ``ask.url`` (a search's answer, not a record): the same retries and errors."""
    return _get(wire, ask, _json_object)


def _get(wire: Wire, ask: Ask, read: Callable[[requests.Response, bytes, str], dict[str, Any]]) -> dict[str, Any]:
    host, retry = urlsplit(ask.url).hostname or ask.url, wire.retry
    for attempt in range(1, retry.attempts + 1):
        ask.before_each()
        started = time.monotonic()
        answer = _send(wire, ask, host)
        log.info("GET %s %s: %s in %.0f ms", host, ask.what, answer.status_code, 1000 * (time.monotonic() - started))
        if answer.status_code == 200:
            return read(answer, _body(answer, ask.what), ask.what)
        answer.close()
        asked = retry.retry_after(answer.headers.get("Retry-After"))
        if not is_retryable(answer.status_code) or retry.gives_up(attempt, asked):
            raise _refusal(answer, ask.what, attempt, retry, asked)
        log.info("%s is busy (%s); trying again (%d of %d)", _host_of(answer, host), answer.status_code,
                 attempt + 1, retry.attempts)
        retry.wait(attempt, asked)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _send(wire: Wire, ask: Ask, host: str) -> requests.Response:
    try:
        return wire.session.get(ask.url, params=ask.params, headers=ask.headers, timeout=wire.timeout,
                                allow_redirects=True, stream=True)  # the body is read by _body, capped
    except requests.exceptions.TooManyRedirects:
        raise ServiceError(f"{host} redirected the request for {ask.what} more than {MAX_REDIRECTS} times; "
                           "try again later") from None
    except requests.exceptions.RequestException as exc:
        where = urlsplit(exc.request.url).hostname if exc.request is not None and exc.request.url else host
        raise ServiceUnreachable(f"cannot reach {where or host} ({_reason(exc, wire.timeout)}); "
                                 "check the connection") from None


def _reason(exc: requests.exceptions.RequestException, timeout: tuple[float, float]) -> str:
    """What went wrong with the connection, in a few words (never the address, which may hold a key)."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"no connection within {timeout[0]:g} s"
    if isinstance(exc, requests.exceptions.Timeout):
        return f"no answer within {timeout[1]:g} s"
    if isinstance(exc, requests.exceptions.SSLError):
        return "its certificate was not accepted"
    if any(sign in text for sign in ("NameResolution", "Name or service not known", "getaddrinfo",
                                     "nodename nor servname", "Temporary failure in name resolution")):
        return "the name does not resolve: offline?"
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused"
    if "RemoteDisconnected" in text or "Connection reset" in text or "Connection aborted" in text:
        return "the connection was closed before an answer"
    return "the connection failed"


def _body(answer: requests.Response, what: str) -> bytes:
    """The body of ``answer``, read as it comes and never more than :data:`MAX_RECORD_BYTES` of it (whatever
    its Content-Length says); :class:`MalformedRecordError` for a longer one."""
    chunks, size = [], 0
    try:
        for chunk in answer.iter_content(64 * 1024):
            size += len(chunk)
            if size > MAX_RECORD_BYTES:
                raise MalformedRecordError(
                    f"{_host_of(answer, 'the service')} answered more than {MAX_RECORD_BYTES:,} bytes for {what}, "
                    "which is no record; try again later, or add the entry by hand")
            chunks.append(chunk)
    except requests.exceptions.RequestException as exc:
        raise ServiceUnreachable(f"the answer of {_host_of(answer, 'the service')} for {what} broke off "
                                 f"({_reason(exc, TIMEOUT)}); try again") from None
    finally:
        answer.close()
    return b"".join(chunks)


def _decoded(raw: bytes) -> Any:
    """JSON of ``raw``; ValueError for anything else (a body nested thousands deep included)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _record(answer: requests.Response, raw: bytes, what: str) -> dict[str, Any]:
    """The body as a CSL-JSON object, or :class:`MalformedRecordError` saying what came instead."""
    host = _host_of(answer, "the service")
    kind = answer.headers.get("Content-Type", "no content type").split(";")[0].strip() or "no content type"
    try:
        body = _decoded(raw)
    except (UnicodeDecodeError, ValueError):
        raise MalformedRecordError(
            f"{host} answered something that is not CSL-JSON for {what} ({kind}, {len(raw)} bytes); "
            "try again later, or add the entry by hand") from None
    if isinstance(body, list) and len(body) == 1:  # NCBI's exporter may answer a list of one
        body = body[0]
    if not is_csl_record(body):
        shape = type(body).__name__ if not isinstance(body, dict) else "an object without 'type' and 'title'"
        raise MalformedRecordError(
            f"{host} answered something that is not CSL-JSON for {what} (JSON, but {shape}); "
            "try again later, or add the entry by hand")
    return body


def _json_object(answer: requests.Response, raw: bytes, what: str) -> dict[str, Any]:
    """The body as a JSON object, or :class:`MalformedRecordError` saying what came instead."""
    try:
        body = _decoded(raw)
    except (UnicodeDecodeError, ValueError):
        body = None
    if not isinstance(body, dict):
        raise MalformedRecordError(f"{_host_of(answer, 'the service')} answered something that is not a JSON "
                                   f"object for {what}; try again later")
    return body


def is_csl_record(body: object) -> bool:
    """A CSL-JSON item as the services send it: an object with a text ``type`` and a ``title``."""
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return False
    title = body.get("title")
    return bool(title) and (isinstance(title, str) or (isinstance(title, list) and isinstance(title[0], str)))


def _refusal(answer: requests.Response, what: str, attempt: int, retry: RetryPolicy,
             asked: float | None) -> Exception:
    """The error for an answer that is not a record and will not be asked again (after try ``attempt``,
    whose ``Retry-After`` asked for ``asked`` seconds)."""
    host, code = _host_of(answer, "the service"), answer.status_code
    status = f"{code} {_phrase(code)}"
    if code in (404, 410):
        return NoRecordError(f"no record for {what} at {host} ({status}); check the identifier")
    if code == 406:
        return NoRecordError(f"{host} has no CSL-JSON record for {what} ({status}): the agency that "
                             "registered it does not offer one; add the entry by hand")
    if is_retryable(code) and retry.asks_too_long(asked):
        return ServiceError(f"{host} is busy ({status}) and asks to wait more than {retry.max_retry_after:g} s; "
                            "try again later")
    if is_retryable(code):
        return ServiceError(f"{host} is busy ({status}) after {attempt} tries for {what}; try again in a minute")
    return ServiceError(f"{host} refused the request for {what} ({status})")


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "unknown status"


def _host_of(answer: requests.Response, default: str) -> str:
    """The host that gave this answer (after redirects)."""
    return urlsplit(answer.url).hostname or default if answer.url else default
