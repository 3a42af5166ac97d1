"""What each YouTube Data API call costs, and when the quota comes back.

Plain data, no network: the plans (``publish.sync``, the upload dry run) count
their cost with it, and the wire (``youtube.client``) words quota errors with it.

Figures from Google's "Quota Calculator" page
(developers.google.com/youtube/v3/determine_quota_cost) and the method reference
pages, as checked in 2026 and summarised in the docstring of the tests' fake
server (``tests/fake_youtube``): a project gets 10,000 units a day shared by
``videos.list``, ``channels.list`` and ``playlistItems.list`` (1 each),
``videos.update``, ``videos.delete``, ``thumbnails.set``, ``playlistItems.insert`` and ``playlistItems.delete`` (50 each);
caption tracks cost more: ``captions.insert`` 400, ``captions.update`` 450, ``captions.list`` and
``captions.delete`` 50, ``captions.download`` 200 (the method pages under developers.google.com/youtube/v3/docs/captions).
Uploads (``videos.insert``) no longer spend units: they count in their own daily bucket of 100 calls.  (Older copies
of those pages say an upload costs 1,600 units.)  Every request, even a
rejected one, costs its units; both buckets reset at midnight Pacific time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

DAILY_UNITS = 10_000
DAILY_UPLOADS = 100
RESET_ZONE = ZoneInfo("America/Los_Angeles")


@dataclass(frozen=True)
class Cost:
    """Units from the shared daily bucket, and calls from the daily upload bucket."""

    units: int = 0
    uploads: int = 0

    def __add__(self, other: "Cost") -> "Cost":
        if not isinstance(other, Cost):
            return NotImplemented
        return Cost(self.units + other.units, self.uploads + other.uploads)

    def __radd__(self, other: object) -> "Cost":
        if other == 0:  # lets sum() start from 0
            return self
        return NotImplemented


COSTS: dict[str, Cost] = {
    "videos.list": Cost(units=1),
    "channels.list": Cost(units=1),
    "videos.insert": Cost(uploads=1),
    "videos.update": Cost(units=50),
    "videos.delete": Cost(units=50),
    "thumbnails.set": Cost(units=50),
    "playlistItems.insert": Cost(units=50),
    "playlistItems.list": Cost(units=1),
    "playlistItems.delete": Cost(units=50),
    "captions.insert": Cost(units=400),
    "captions.update": Cost(units=450),
    "captions.list": Cost(units=50),
    "captions.delete": Cost(units=50),
    "captions.download": Cost(units=200),
}
PAGE_SIZE = 50  # items per playlistItems.list page and ids per videos.list call, the API's maximum
LISTING_FORMULA = "1 + 2 x ceil(N/50) units for N videos"


def cost_of(method: str) -> Cost:
    """The cost of one call of ``method`` (``"videos.update"``); ValueError for an unknown one."""
    try:
        return COSTS[method]
    except KeyError:
        known = ", ".join(sorted(COSTS))
        raise ValueError(f"no quota cost known for {method!r} (known: {known})") from None


def listing_cost(videos: int) -> Cost:
    """Reading ``videos`` uploads of the signed-in channel: ``channels.list`` once, then
    ``playlistItems.list`` and ``videos.list`` once per 50 videos each (``LISTING_FORMULA``)."""
    pages = math.ceil(max(0, videos) / PAGE_SIZE)
    return cost_of("channels.list") + Cost(units=pages * cost_of("playlistItems.list").units) \
        + videos_list_cost(videos)


def lookup_cost(videos: int) -> Cost:
    """Reading ``videos`` videos of the signed-in channel by id: ``channels.list`` once (whose channel the
    videos must be), then ``videos.list`` once per 50 ids."""
    return cost_of("channels.list") + videos_list_cost(videos)


def videos_list_cost(videos: int) -> Cost:
    """``videos.list`` of ``videos`` ids, 50 a call."""
    return Cost(units=math.ceil(max(0, videos) / PAGE_SIZE) * cost_of("videos.list").units)


def next_reset(now: datetime) -> datetime:
    """The next midnight in America/Los_Angeles strictly after ``now``, as an aware UTC datetime.

    ``now`` must be timezone-aware.  Midnight always exists in that zone (its DST
    changes happen at 02:00), so the day after ``now``'s Pacific date is enough.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("next_reset needs a timezone-aware datetime")
    local_day = now.astimezone(RESET_ZONE).date() + timedelta(days=1)
    midnight = datetime.combine(local_day, time(0), tzinfo=RESET_ZONE)
    return midnight.astimezone(timezone.utc)
