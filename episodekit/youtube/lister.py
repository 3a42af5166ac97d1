"""Reading videos of the signed-in channel: all its uploads, page by page, or some by id.

Uploads: ``channels.list mine=true part=contentDetails`` names the channel's uploads playlist (1 unit),
``playlistItems.list`` reads it 50 items a page (1 unit a page), and ``videos.list`` reads the videos
50 ids a call (1 unit a call): ``publish.quota.listing_cost``. YouTube's count of the playlist
(``pageInfo.totalResults``) is known after the first page, so that is when ``on_total`` hears the
estimate. Every call goes through ``retry.with_retries``, as the rest of the wire does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import RefusedError, YouTubeError
from ..publish.adopted import LiveVideo
from ..publish.quota import PAGE_SIZE, Cost, cost_of, videos_list_cost
from ..retrying import RetryPolicy
from .identity import ChannelIdentity, read_channel
from .retry import with_retries
from .syncer import LIVE_PARTS, fetch_live

log = logging.getLogger(__name__)


@dataclass
class Listing:
    """The videos read, in the order YouTube gave them, and the units it took."""

    videos: list[LiveVideo]
    spent: Cost


def own_channel(service: Any, retry: RetryPolicy, known: ChannelIdentity | None = None) -> tuple[str, str]:
    """(channel id, uploads playlist id) of the signed-in account, asked for (``channels.list``) unless
    ``known`` (the run's check asked already); ``YouTubeError`` when it has no channel."""
    channel = known or read_channel(service, retry)
    if not channel.uploads:
        raise YouTubeError("YouTube did not name the channel's uploads playlist, so its videos cannot be listed")
    return channel.channel_id, channel.uploads


def list_uploads(service: Any, *, limit: int | None, retry: RetryPolicy,
                 on_total: Callable[[int], None] | None = None, channel: ChannelIdentity | None = None) -> Listing:
    """The newest ``limit`` uploads of the signed-in channel (all without a limit); ``channel`` when the
    run knows it already (its ``channels.list`` counts in the units spent either way).

    ``on_total(n)`` is told how many videos will be read once the first page gives YouTube's count.
    """
    _, playlist = own_channel(service, retry, channel)
    spent = cost_of("channels.list")
    ids: list[str] = []
    token = None
    while True:
        size = PAGE_SIZE if limit is None else max(1, min(PAGE_SIZE, limit - len(ids)))
        page = with_retries(service.playlistItems().list(part="contentDetails", playlistId=playlist,
                                                         maxResults=size, pageToken=token).execute, retry)
        spent += cost_of("playlistItems.list")
        if token is None:
            total = int((page.get("pageInfo") or {}).get("totalResults") or 0)
            if on_total is not None:
                on_total(total if limit is None else min(total, limit))
        ids += [item["contentDetails"]["videoId"] for item in page.get("items", [])]
        token = page.get("nextPageToken")
        if not token or (limit is not None and len(ids) >= limit):  # YouTube's count may be off: follow the pages
            break
    return _read(service, ids if limit is None else ids[:limit], retry, spent)


def videos_by_id(service: Any, video_ids: list[str], retry: RetryPolicy,
                 known: ChannelIdentity | None = None) -> Listing:
    """The videos ``video_ids`` (duplicates once), each the signed-in channel's own (``known``: see ``list_uploads``).

    ``RefusedError`` before anything is imported when one is not on YouTube or is another channel's.
    """
    channel = (known or read_channel(service, retry)).channel_id
    listing = _read(service, list(dict.fromkeys(video_ids)), retry, cost_of("channels.list"))
    found = {video.video_id for video in listing.videos}
    problems = [f"video {video_id}: YouTube has no such video (deleted, private to another account, or "
                "mistyped)" for video_id in dict.fromkeys(video_ids) if video_id not in found]
    problems += [f"video {video.video_id} ({video.title!r}) belongs to another channel, not the signed-in one"
                 for video in listing.videos if video.channel_id and video.channel_id != channel]
    if problems:
        raise RefusedError("; ".join(problems) + "; nothing was imported")
    return listing


def _read(service: Any, video_ids: list[str], retry: RetryPolicy, spent: Cost) -> Listing:
    live = fetch_live(service, video_ids, retry, part=f"{LIVE_PARTS},contentDetails")  # contentDetails.caption
    missing = [video_id for video_id in video_ids if video_id not in live]
    if missing:
        log.info("%d video(s) of the list are gone from videos.list: %s", len(missing), ", ".join(missing))
    videos = [LiveVideo.from_resource(live[video_id]) for video_id in video_ids if video_id in live]
    return Listing(videos, spent + videos_list_cost(len(video_ids)))
