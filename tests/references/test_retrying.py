"""The one retry policy (``episodekit.retrying``), which the YouTube client and the reference lookups share:
``Retry-After`` in each form RFC 9110 gives it and in forms it does not, which answers are retried, the
backoff and its jitter, when the policy stops. Nothing here sleeps: every policy gets a sleep that only
writes the waits down, and the default sleep is made to fail if anything reaches it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from episodekit.retrying import (
    COMMAND_TRIES,
    LOOKUP_TRIES,
    MAX_RETRY_AFTER,
    UPLOAD_TRIES,
    RetryPolicy,
    command_retry,
    http_date,
    is_retryable,
    lookup_retry,
    retry_after_seconds,
    upload_retry,
)

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def no_real_sleep(monkeypatch):
    def refuse(seconds):
        raise AssertionError(f"a test slept for real ({seconds} s)")
    monkeypatch.setattr(time, "sleep", refuse)


def policy(**changes) -> tuple[RetryPolicy, list[float]]:
    waits: list[float] = []
    return RetryPolicy(**{"sleep": waits.append, "jitter": lambda low, high: high, "clock": lambda: NOW,
                          **changes}), waits


# --- Retry-After: delay-seconds ------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "seconds"), [
    ("0", 0.0),
    ("1", 1.0),
    ("120", 120.0),
    ("007", 7.0),  # 1*DIGIT: leading zeros are digits too
    (" 5", 5.0), ("5\t", 5.0),  # the whitespace around a field value is not part of it
    ("99999999999999999999", 1e20),  # read whole; whether it is waited for is the policy's call
])
def test_delay_seconds_is_a_non_negative_whole_number(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


@pytest.mark.parametrize("value", [
    None, "", " ",
    "1.5", "0.5", "1,5",  # no fractions
    "-5", "-0", "+5",  # no sign
    "5 s", "5s", "1e3", "0x10", "inf", "nan", "five",
    "\u0663", "\uff11\uff12",  # digits of other scripts are not DIGIT
    "5 5",
])
def test_anything_else_that_is_not_a_date_is_no_retry_after(value):
    assert retry_after_seconds(value, NOW) is None


# --- Retry-After: HTTP-date in its three forms ---------------------------------------------------------

@pytest.mark.parametrize(("value", "seconds"), [
    ("Mon, 23 Nov 2026 12:00:30 GMT", 30.0),  # IMF-fixdate
    ("Monday, 23-Nov-26 12:00:30 GMT", 30.0),  # RFC 850, obsolete
    ("Mon Nov 23 12:00:30 2026", 30.0),  # asctime, obsolete: no zone written, UTC
    ("Tue, 24 Nov 2026 12:00:00 GMT", 86_400.0),
    ("Tue Dec  1 12:00:00 2026", 8 * 86_400.0),  # asctime pads a one-digit day with a space
    ("Tue Dec 01 12:00:00 2026", 8 * 86_400.0),  # ... or writes two digits
    ("Mon, 23 Nov 2026 12:00:60 GMT", 60.0),  # a leap second is the next second
    ("Fri, 23 Nov 2026 12:00:30 GMT", 30.0),  # the weekday is not checked against the date
    ("  Mon, 23 Nov 2026 12:00:30 GMT ", 30.0),
])
def test_an_http_date_in_each_form_is_the_seconds_until_it(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


@pytest.mark.parametrize("value", [
    "Mon, 23 Nov 2026 12:00:00 GMT",  # now
    "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    "Wed, 21 Oct 2015 07:28:00 GMT",
])
def test_a_date_now_or_in_the_past_asks_for_no_wait(value):
    assert retry_after_seconds(value, NOW) == 0.0


@pytest.mark.parametrize("value", [
    "Mon, 23 Nov 2026 12:00:30",  # IMF-fixdate without its zone
    "Mon, 23 Nov 2026 12:00:30 UTC", "Mon, 23 Nov 2026 12:00:30 +0000", "Mon, 23 Nov 2026 12:00:30 EST",
    "Mon, 23 Nov 2026 12:00:30 gmt", "mon, 23 Nov 2026 12:00:30 GMT", "Mon, 23 nov 2026 12:00:30 GMT",
    "Mon 23 Nov 2026 12:00:30 GMT",  # no comma
    "Mon, 23 Nov 26 12:00:30 GMT",  # a two-digit year belongs to RFC 850's form only
    "Mon, 3 Nov 2026 12:00:30 GMT",  # IMF-fixdate's day has two digits
    "Monday, 23-Nov-2026 12:00:30 GMT", "Mon, 23-Nov-26 12:00:30 GMT",  # RFC 850: long weekday, two-digit year
    "Monday, 23-Nov-26 12:00:30",
    "Mon Nov 23 12:00:30 2026 GMT", "Mon Nov 23 12:00:30 26",  # asctime has no zone and a four-digit year
    "Mon, 30 Feb 2026 12:00:30 GMT", "Mon, 23 Nov 2026 24:00:00 GMT", "Mon, 23 Nov 2026 12:60:00 GMT",
    "Mon, 23 Nov 2026 12:00:61 GMT", "Mon, 00 Nov 2026 12:00:30 GMT",
    "Mon, 23 Nov 2026 12:00 GMT", "Mon, 23 Nov 2026 1:00:30 GMT",
    "2026-11-23T12:00:30Z", "Mon, \uff12\uff13 Nov 2026 12:00:30 GMT",
])
def test_a_date_outside_the_three_forms_is_no_retry_after(value):
    assert http_date(value.strip(), NOW) is None
    assert retry_after_seconds(value, NOW) is None


@pytest.mark.parametrize(("yy", "now_year", "year"), [
    ("26", 2026, 2026), ("25", 2026, 2025), ("76", 2026, 2076),  # at most 50 years ahead: as is
    ("77", 2026, 1977), ("99", 2026, 1999), ("94", 2026, 1994),  # more than 50 ahead: the last century
    ("00", 2026, 2000),
    ("05", 2099, 2105), ("49", 2099, 2149), ("50", 2099, 2050),  # near a century's end the next one is near
])
def test_a_two_digit_year_is_the_one_within_fifty_years(yy, now_year, year):
    when = http_date(f"Sunday, 06-Nov-{yy} 08:49:37 GMT", NOW.replace(year=now_year))
    assert when == datetime(year, 11, 6, 8, 49, 37, tzinfo=UTC)


def test_the_seconds_count_from_now_in_any_zone():
    elsewhere = NOW.astimezone(timezone(timedelta(hours=-3)))
    assert retry_after_seconds("Mon, 23 Nov 2026 12:01:00 GMT", elsewhere) == 60.0


# --- which answers are retried ---------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "reason", "retried"), [
    (429, None, True), (500, None, True), (502, None, True), (503, None, True), (504, None, True),
    (403, "rateLimitExceeded", True), (403, "userRateLimitExceeded", True),
    (403, "quotaExceeded", False), (403, "forbidden", False), (403, None, False),
    (429, "rateLimitExceeded", True),
    (200, None, False), (400, None, False), (401, None, False), (404, None, False), (410, None, False),
    (501, None, False), (505, None, False), (400, "rateLimitExceeded", False),
])
def test_the_retryable_answers(status, reason, retried):
    assert is_retryable(status, reason) is retried


# --- backoff, jitter, Retry-After, tries ---------------------------------------------------------------

def test_the_backoff_doubles_from_the_base_up_to_the_cap():
    retry, _ = policy()
    assert [retry.backoff(n) for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 64, 64, 64]
    assert retry.backoff(100_000) == 64  # no overflow however many tries


def test_the_jitter_takes_between_half_and_all_of_the_backoff():
    asked = []
    retry, _ = policy(jitter=lambda low, high: asked.append((low, high)) or low)
    assert retry.backoff(3) == 2.0 and asked == [(0.5, 1.0)]
    real = RetryPolicy(base=1.0, cap=64.0)  # the default jitter, random.uniform
    draws = {real.backoff(4) for _ in range(200)}
    assert all(4.0 <= d <= 8.0 for d in draws) and len(draws) > 100


@pytest.mark.parametrize(("attempt", "asked", "seconds"), [
    (1, None, 1.0), (3, None, 4.0),
    (1, 7.0, 7.0),  # Retry-After is a floor under the backoff
    (4, 3.0, 8.0),  # ... not a ceiling: the backoff is longer
    (1, 0.0, 1.0),  # a date in the past: the backoff alone
    (1, MAX_RETRY_AFTER, MAX_RETRY_AFTER),
])
def test_the_wait_is_the_backoff_and_at_least_what_retry_after_asks(attempt, asked, seconds):
    retry, waits = policy()
    assert retry.wait(attempt, asked) == seconds
    assert waits == [seconds]


@pytest.mark.parametrize(("attempt", "asked", "last"), [
    (1, None, False), (3, None, False), (4, None, True), (5, None, True),
    (1, 60.0, False),  # as long as the policy waits: waited
    (1, 60.5, True), (1, 3600.0, True), (1, 1e20, True),  # longer: not waited for, not cut short
])
def test_the_policy_stops_when_the_tries_are_spent_or_the_wait_asked_is_too_long(attempt, asked, last):
    retry, waits = policy(attempts=4)
    assert retry.gives_up(attempt, asked) is last
    assert waits == []


def test_a_retry_after_header_is_dated_by_the_policys_clock():
    retry, _ = policy(clock=lambda: NOW - timedelta(seconds=10))
    assert retry.retry_after("Mon, 23 Nov 2026 12:00:30 GMT") == 40.0
    assert retry.retry_after("12") == 12.0
    assert retry.retry_after("1.5") is None and retry.retry_after(None) is None


def test_each_use_has_its_number_of_tries_and_the_same_waits():
    assert (upload_retry().attempts, command_retry().attempts, lookup_retry().attempts) == (8, 2, 4)
    assert (UPLOAD_TRIES, COMMAND_TRIES, LOOKUP_TRIES) == (8, 2, 4)
    for made in (upload_retry(), command_retry(), lookup_retry()):
        assert (made.base, made.cap, made.max_retry_after) == (1.0, 64.0, MAX_RETRY_AFTER)
    waits: list[float] = []
    lookup_retry(waits.append).wait(1, 5.0)
    assert waits == [5.0]


def test_the_default_clock_is_now_in_utc():
    made = RetryPolicy().clock()
    assert made.tzinfo is not None and abs(made - datetime.now(UTC)) < timedelta(seconds=5)
