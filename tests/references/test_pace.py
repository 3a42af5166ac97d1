"""NCBI's limit: at most 3 requests a second without an API key, 10 with one, on a clock of the test's own."""

from __future__ import annotations

import pytest

from episodekit.references.lookup import Lookup, fetch_doi, fetch_pmid, pmid_of_doi
from episodekit.references.pace import RateLimiter


class Clock:
    """Time that passes only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def most_in_a_second(starts: list[float]) -> int:
    return max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts)


def starts_of(limiter: RateLimiter, clock: Clock, requests: int, per_second: int) -> list[float]:
    starts = []
    for _ in range(requests):
        limiter.wait(per_second)
        starts.append(clock.now)
    return starts


def test_seven_requests_without_a_key_take_at_least_two_seconds():
    clock = Clock()
    starts = starts_of(RateLimiter(clock=clock, sleep=clock.sleep), clock, 7, 3)
    assert starts[-1] - starts[0] >= 2.0
    assert most_in_a_second(starts) == 3


def test_with_a_key_ten_go_at_once_and_the_eleventh_waits():
    clock = Clock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    starts = starts_of(limiter, clock, 10, 10)
    assert clock.slept == [] and starts[-1] == starts[0]
    limiter.wait(10)
    assert clock.slept == [pytest.approx(1.0)]


def test_requests_spread_out_in_time_never_wait():
    clock = Clock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    for _ in range(10):
        limiter.wait(3)
        clock.now += 0.4
    assert clock.slept == []


@pytest.mark.parametrize("key, per_second", [(None, 3), ("s3cret-key", 10)])
def test_fetch_pmid_keeps_ncbi_s_limit(lookup_services, key, per_second):
    clock = Clock()
    lookup = Lookup(clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(2 * per_second + 1):
        fetch_pmid("22885997", api_key=key, refresh=True, lookup=lookup)
        starts.append(clock.now)
    assert lookup_services.count("pubmed") == 2 * per_second + 1
    assert most_in_a_second(starts) == per_second
    assert starts[-1] - starts[0] >= 2.0


def test_doi_lookups_are_not_held_to_ncbi_s_limit(lookup_services):
    clock = Clock()
    lookup = Lookup(clock=clock, sleep=clock.sleep)
    for _ in range(5):
        fetch_doi("10.1038/nm.2886", refresh=True, lookup=lookup)
    assert clock.slept == []


def test_the_exporter_and_e_utilities_share_one_ncbi_limit(lookup_services):
    clock = Clock()
    lookup = Lookup(clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(4):  # 8 requests to NCBI, alternating between its two services
        pmid_of_doi("10.1038/nm.2886", refresh=True, lookup=lookup)
        starts.append(clock.now)
        fetch_pmid("22885997", refresh=True, lookup=lookup)
        starts.append(clock.now)
    assert lookup_services.count("esearch") == lookup_services.count("pubmed") == 4
    assert most_in_a_second(starts) == 3 and starts[-1] - starts[0] >= 2.0
