"""The one retry policy of every client that speaks HTTP: YouTube's (``youtube/``) and the lookups of
references (``references/``). Which answers are worth another try, how long to wait, how many tries.

Worth another try: a 429, a 500, 502, 503 or 504, and a 403 whose reason is ``rateLimitExceeded`` or
``userRateLimitExceeded`` (YouTube's per-user and per-second limits). Nothing else: a 403 ``quotaExceeded``
lasts until the quota resets, a 404 does not heal. (Whether a dropped connection is worth another try is
the client's call: the YouTube client retries one, a lookup reports it at once.)

The wait before try ``n + 1`` is exponential backoff with jitter: ``base * 2**(n-1)`` seconds, at most
``cap``, times a random factor in [0.5, 1], so clients that failed together do not come back together.
A ``Retry-After`` of the answer is a floor: the wait is at least what it asks.

``Retry-After`` is read as RFC 9110 §10.2.3 defines it, and only so:

- delay-seconds: ASCII digits only, a non-negative whole number (``"120"``, ``"0"``, ``"007"``);
- an HTTP-date (§5.6.7), in UTC whatever the form: IMF-fixdate ``Sun, 06 Nov 1994 08:49:37 GMT``, or one
  of the two obsolete forms a recipient must still accept, RFC 850's ``Sunday, 06-Nov-94 08:49:37 GMT``
  (a two-digit year is the one within 50 years of today, as §5.6.7 asks) and asctime's
  ``Sun Nov  6 08:49:37 1994`` (no zone written: UTC). Names are case-sensitive as in the grammar; the
  weekday must be a weekday's name but is not checked against the date; a second of 60 (a leap second)
  counts as the next second.

Decided where the RFC leaves it to the recipient:

- anything else (``"1.5"``, ``"-5"``, ``"+5"``, ``"5 s"``, a date in another zone or form, 30 February,
  a blank) is no ``Retry-After``: the answer is retried, or not, as if the header were missing;
- a date in the past asks for no wait (0 s), so the backoff alone decides;
- a wait longer than ``max_retry_after`` (:data:`MAX_RETRY_AFTER`, 60 s) is not waited for, and not cut
  short either: the client stops and reports the failure (a lookup says the service asks to wait that
  long; an upload keeps its session, so the next run goes on). Trying sooner than asked spends a try on
  an answer that is known.

How many tries depends on what is at stake, and each count is named here: an upload's chunks
(:data:`UPLOAD_TRIES`, a failure costs one chunk of a long transfer), one call of a command that
reads or updates videos (:data:`COMMAND_TRIES`, a 5xx is retried once), one lookup of a record
(:data:`LOOKUP_TRIES`). The policy never sleeps on its own: :meth:`RetryPolicy.wait` calls the
``sleep`` it was given, so a test passes one that only writes the waits down.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})  # retried when they come with a 403
MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After stops the retries
UPLOAD_TRIES = 8
COMMAND_TRIES = 2
LOOKUP_TRIES = 4
BASE, CAP = 1.0, 64.0  # seconds: the first backoff, the longest one

_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_LONG_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "|".join(_MONTHS)
_TIME = r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
_HTTP_DATES = (  # RFC 9110 §5.6.7, in the order it gives them
    re.compile(rf"(?:{_DAYS}), (?P<day>[0-9]{{2}}) (?P<month>{_MONTH}) (?P<year>[0-9]{{4}}) {_TIME} GMT", re.ASCII),
    re.compile(rf"(?:{_LONG_DAYS}), (?P<day>[0-9]{{2}})-(?P<month>{_MONTH})-(?P<yy>[0-9]{{2}}) {_TIME} GMT", re.ASCII),
    re.compile(rf"(?:{_DAYS}) (?P<month>{_MONTH}) (?P<day>[0-9]{{2}}| [0-9]) {_TIME} (?P<year>[0-9]{{4}})", re.ASCII),
)
_DELAY_SECONDS = re.compile(r"[0-9]+", re.ASCII)


def is_retryable(status: int, reason: str | None = None) -> bool:
    """Whether an answer with this HTTP status (and, for a 403, this error reason) is worth another try."""
    return status in RETRYABLE_STATUSES or (status == 403 and reason in RATE_LIMIT_REASONS)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """The seconds a ``Retry-After`` value asks to wait, counted from ``now`` (aware, any zone); None when
    the value is absent or is neither delay-seconds nor an HTTP-date (see the module's rules)."""
    text = (value or "").strip(" \t")
    if _DELAY_SECONDS.fullmatch(text):
        return float(int(text))
    when = http_date(text, now)
    return None if when is None else max(0.0, (when - now).total_seconds())


def http_date(text: str, now: datetime) -> datetime | None:
    """The instant an HTTP-date names, in UTC; None for a text in none of its three forms, or no real date.
    ``now`` places a two-digit year of the RFC 850 form."""
    for form in _HTTP_DATES:
        if found := form.fullmatch(text):
            parts = found.groupdict()
            year = int(parts["year"]) if parts.get("year") else _full_year(int(parts["yy"]), now)
            second = int(parts["second"])
            leap = second == 60  # 00-60: a leap second counts as the next second
            try:
                when = datetime(year, _MONTHS.index(parts["month"]) + 1, int(parts["day"]),
                                int(parts["hour"]), int(parts["minute"]), 59 if leap else second, tzinfo=UTC)
            except ValueError:  # 30 Feb, hour 24, minute 60, second 61
                return None
            return when + timedelta(seconds=1) if leap else when
    return None


def _full_year(yy: int, now: datetime) -> int:
    """The year ending in ``yy`` within 50 years of ``now``: RFC 9110 reads one more than 50 years ahead as
    the most recent past year with those digits."""
    year = now.year - now.year % 100 + yy
    if year > now.year + 50:
        return year - 100
    return year + 100 if year <= now.year - 50 else year


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RetryPolicy:
    """How many tries, and how long to wait between them (see the module's rules).

    ``attempts`` counts every try, the first one included. ``sleep`` and ``jitter`` (``jitter(low, high)``
    answers a number between the two) are injectable, and so is ``clock``, which dates a ``Retry-After``.
    """

    attempts: int = UPLOAD_TRIES
    base: float = BASE
    cap: float = CAP
    sleep: Callable[[float], None] = time.sleep
    max_retry_after: float = MAX_RETRY_AFTER
    jitter: Callable[[float, float], float] = random.uniform
    clock: Callable[[], datetime] = field(default=_now)

    def retry_after(self, value: str | None) -> float | None:
        """The seconds a ``Retry-After`` header asks for, by this policy's clock; None without a valid one."""
        return retry_after_seconds(value, self.clock())

    def gives_up(self, attempt: int, retry_after: float | None = None) -> bool:
        """Whether try ``attempt`` (counted from 1) that failed is the last: the tries are spent, or the
        answer asks to wait longer than :attr:`max_retry_after`."""
        return attempt >= self.attempts or self.asks_too_long(retry_after)

    def asks_too_long(self, retry_after: float | None) -> bool:
        """Whether a ``Retry-After`` of this many seconds is more than the policy waits."""
        return retry_after is not None and retry_after > self.max_retry_after

    def backoff(self, attempt: int) -> float:
        """The wait after failed try ``attempt`` without a ``Retry-After``: exponential, capped, with jitter."""
        ceiling = min(self.cap, self.base * 2.0 ** min(max(attempt - 1, 0), 64))
        return ceiling * self.jitter(0.5, 1.0)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """The wait after failed try ``attempt``: the backoff, and at least what ``Retry-After`` asked."""
        backoff = self.backoff(attempt)
        return backoff if retry_after is None else max(backoff, min(retry_after, self.max_retry_after))

    def wait(self, attempt: int, retry_after: float | None = None) -> float:
        """Sleep :meth:`delay` seconds (by the policy's ``sleep``) and answer them."""
        seconds = self.delay(attempt, retry_after)
        self.sleep(seconds)
        return seconds


def upload_retry() -> RetryPolicy:
    """What an upload uses for its session, its chunks and its follow-up steps."""
    return RetryPolicy(attempts=UPLOAD_TRIES)


def command_retry() -> RetryPolicy:
    """What a command that reads or updates videos uses: a 5xx is retried once, with backoff."""
    return RetryPolicy(attempts=COMMAND_TRIES)


def lookup_retry(sleep: Callable[[float], None] = time.sleep) -> RetryPolicy:
    """What one lookup of a record (doi.org, NCBI, Crossref) uses."""
    return RetryPolicy(attempts=LOOKUP_TRIES, sleep=sleep)
