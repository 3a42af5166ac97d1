"""Sync of caption tracks on the wire: read what a planned change needs, then send and record it.

Only a track the plan would change is read: ``captions.list`` (50 units) for each, and for an update
``captions.download`` (200) of the track to be replaced, for the cue diff and to tell an edit made in
YouTube Studio from what episodekit sent; a dry run reads the same. What the reads and the writes would
cost is reserved from the run's budget first, in plan order; a change that does not fit is deferred, as
is every change after a ``quotaExceeded``. Each track YouTube accepts is recorded in the ledger at once,
with any track found on YouTube that the ledger did not have (so the next run knows it without a read).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from googleapiclient.errors import HttpError

from ..ledger import LedgerStore
from ..models.ledger import CaptionRecord
from ..publish.captionsync import DEFERRED, INSERT, UNCHANGED, UPDATE, CaptionChange, settle_downloaded, settle_listed
from ..publish.quota import cost_of
from ..retrying import RetryPolicy
from .captioner import (
    download_lines,
    insert_request,
    insert_track,
    list_tracks,
    live_record,
    merged,
    update_request,
)
from .client import error_reason, is_quota, youtube_error
from .retry import with_retries

log = logging.getLogger(__name__)
# an insert with --force that finds a Studio track replaces it instead: a download and an update, not an insert
_UPGRADE = sum(cost_of(call).units for call in ("captions.download", "captions.update")) - cost_of("captions.insert").units


@dataclass
class CaptionsDone:
    """What the caption half of a sync did: the videos whose track was sent, and those left for later."""

    sent: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    stopped: str | None = None  # why it stopped early (the day's quota)


def read_live(service: Any, changes: list[CaptionChange], *, force: bool, retry: RetryPolicy, budget: int) -> None:
    """Read what each planned insert or update needs and judge it (``publish.captionsync``), within ``budget``
    units; what does not fit, or comes after the quota ran out, is deferred."""
    stopped = ""
    for change in changes:
        if change.action not in (INSERT, UPDATE):
            continue
        reserved = change.units + (_UPGRADE if change.action == INSERT and force else 0)
        if stopped or reserved > budget:
            _defer(change, stopped or f"left for the next run: this run's budget cannot pay its {reserved} units")
            continue
        budget -= reserved
        try:
            _read(service, change, force, retry)
        except HttpError as exc:
            if not is_quota(exc):
                raise
            stopped = str(youtube_error(exc, method="captions.list"))
            _defer(change, stopped)
            continue
        budget += reserved - change.units


def _defer(change: CaptionChange, why: str) -> None:
    change.action, change.why, change.reads = DEFERRED, why, []


def _read(service: Any, change: CaptionChange, force: bool, retry: RetryPolicy) -> None:
    live = with_retries(lambda: list_tracks(service, change.video_id), retry)
    found = [live_record(item) for item in live
             if item.get("id") not in change.known and item.get("snippet", {}).get("trackKind") != "asr"]
    settle_listed(change, live, force, found)
    if change.action != UPDATE:
        return
    assert change.target is not None
    caption_id = change.target.id
    try:
        lines = with_retries(lambda: download_lines(service, caption_id), retry)
    except HttpError as exc:
        if exc.resp.status != 403 or is_quota(exc):
            raise
        log.warning("YouTube did not let the track %s be downloaded (403 %s)", caption_id, error_reason(exc))
        lines = None
    settle_downloaded(change, lines, force)


def apply_captions(store: LedgerStore, service: Any, changes: list[CaptionChange], *, retry: RetryPolicy,
                   on_written: Callable[[], None] | None = None) -> CaptionsDone:
    """Send each planned track and record it in ``store``, with the tracks found on YouTube; stop cleanly at the quota.
    ``on_written()`` is called after each track YouTube accepted."""
    done = CaptionsDone(deferred=[c.video_id for c in changes if c.action == DEFERRED])
    for change in changes:
        if done.stopped and change.write:
            done.deferred.append(change.video_id)
            continue
        new: list[CaptionRecord] = list(change.found)
        try:
            new += _send(service, change, retry)
        except HttpError as exc:
            if not is_quota(exc):
                raise youtube_error(exc, method=change.write) from None
            done.stopped = str(youtube_error(exc, method=change.write))
            done.deferred.append(change.video_id)
        if new:
            store.update_entry(change.slug, captions=lambda entry, new=new: merged(entry.captions, new))
        if change.write and not done.stopped:
            done.sent.append(change.video_id)
            if on_written is not None:
                on_written()
    return done


def _send(service: Any, change: CaptionChange, retry: RetryPolicy) -> list[CaptionRecord]:
    """Send the change's track (or nothing), and the ledger's record of what YouTube then has."""
    track, target = change.track, change.target
    if change.action == UNCHANGED and change.record_only and target is not None:
        return [track.record(target.id, target.name, change.live_updated)]
    if change.action == INSERT:
        request = insert_request(service, track, change.video_id)
        made = with_retries(lambda: insert_track(service, track, change.video_id, request), retry)
    elif change.action == UPDATE and target is not None:
        draft = track.draft if change.live_draft is None else change.live_draft  # as the creator left it
        made = with_retries(update_request(service, track, target.id, draft).execute, retry)
    else:
        return []
    log.info("%s of the %s track of video %s", change.write, track.language, change.video_id)
    snippet = made.get("snippet", {})
    return [track.record(made.get("id") or (target.id if target else ""), snippet.get("name", target.name if target
                         else track.name), snippet.get("lastUpdated"))]
