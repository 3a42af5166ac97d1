"""Sync on the wire: fetch live videos, back them up, and update only what changed.

Each update is recorded in the ledger the moment YouTube accepts it, so a run
stopped by quota, an error or a kill leaves a ledger that says exactly what was
done; the next run finds those videos unchanged and continues with the rest.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from googleapiclient.errors import HttpError

from ..atomic import write_failure, write_text_atomic
from ..errors import OutputError, RefusedError, WorkLeftError
from ..ledger import LedgerStore
from ..models.ledger import utc_now
from ..paths import BACKUPS_DIR, shown_path
from ..publish.captionsync import plan_tracks
from ..publish.quota import cost_of, next_reset
from ..publish.sync import (
    LIST_BATCH,
    SyncPlan,
    VideoChange,
    Wanted,
    plan_from_ledger,
    plan_video,
    sent_after_update,
    update_body,
    update_parts,
    wanted_videos,
)
from ..retrying import RetryPolicy, command_retry
from ..workspace import Workspace
from .auth import MANAGE_SCOPES
from .captionsyncer import CaptionsDone, apply_captions, read_live
from .client import is_quota, youtube_error
from .connect import folder_service, maybe_connection
from .identity import ChannelIdentity
from .retry import with_retries

LIVE_PARTS = "snippet,status,localizations"  # what sync reads of a live video
log = logging.getLogger(__name__)


@dataclass
class SyncResult:
    updated: list[str] = field(default_factory=list)  # video ids
    deferred: list[str] = field(default_factory=list)  # left for tomorrow's quota
    backup: Path | None = None
    stopped: str | None = None  # why the run stopped early
    captions: CaptionsDone = field(default_factory=CaptionsDone)

    def work_left(self, budget: int) -> WorkLeftError | None:
        """The error that says what is left for the next run, when something is."""
        left = list(dict.fromkeys([*self.deferred, *self.captions.deferred]))
        if not left:
            return None
        reset = next_reset(datetime.now(UTC))
        reason = self.stopped or self.captions.stopped or f"this run's budget of {budget} units is spent"
        return WorkLeftError(
            f"{reason}; {len(left)} video(s) left for the next run after the quota resets "
            f"({reset:%Y-%m-%d %H:%M}Z); the ledger keeps what was done"
        )


def sync_document(plan: SyncPlan | None, channel: ChannelIdentity | None, *, dry_run: bool,
                  result: SyncResult | None = None) -> dict[str, Any]:
    """The JSON document of ``sync --json``: the plan (None: nothing to sync), the signed-in channel it was
    checked against, and once applied what was updated, sent, deferred and backed up."""
    document: dict[str, Any] = {
        "videos": [], "captions": [], "quota_units": 0, "live": channel is not None,
        "channel": None if channel is None else channel.as_json(), "dry_run": dry_run,
        "updated": [], "captions_sent": [], "deferred": [], "backup": None}
    if plan is not None:
        document.update(videos=[v.as_json() for v in plan.videos], captions=[c.as_json() for c in plan.captions],
                        quota_units=plan.units)
    if result is not None:
        document.update(updated=list(result.updated), captions_sent=list(result.captions.sent),
                        deferred=list(dict.fromkeys([*result.deferred, *result.captions.deferred])),
                        backup=shown_path(result.backup) if result.backup is not None else None)
    return document


def run_sync(ws: Workspace, wanted: list[Wanted], *, dry_run: bool, force: bool, budget: int,
             show: Callable[[SyncPlan, ChannelIdentity | None], None], confirm: Callable[[SyncPlan], None],
             progress: Callable[[int, int], None] | None = None,
             ledger: LedgerStore | None = None) -> SyncResult | None:
    """Plan the sync of ``wanted`` (live when signed in), ``show`` it with the signed-in channel, and unless
    ``dry_run`` apply it, recording each update through ``ledger`` (a store over ``ws`` when none is given).

    A dry run without a token plans from the ledger only (and ``show`` gets no channel). ``confirm``
    is asked before any update and raises to stop. Returns None for a dry run.
    ``progress(done, total)`` is called after each update.
    """
    retry = command_retry()
    with maybe_connection(ws, MANAGE_SCOPES, offline_ok=dry_run) as connection:
        service = connection.service if connection is not None else None
        plan = plan_from_ledger(wanted) if service is None else plan_with_live(service, wanted, force, retry)
        plan.captions = plan_tracks(ws, wanted, force)
        if service is not None:  # what the planned tracks need read, within what the videos leave of the budget
            read_live(service, plan.captions, force=force, retry=retry, budget=budget - plan.video_units)
        show(plan, connection.channel if connection is not None else None)
        if dry_run or connection is None:
            return None
        if plan.updates or any(change.write for change in plan.captions):
            confirm(plan)
        store = ledger or LedgerStore(ws)
        result = apply_sync(ws, store, service, plan, budget=budget, retry=retry, progress=progress,
                            on_written=connection.wrote)
        result.captions = apply_captions(store, service, plan.captions, retry=retry, on_written=connection.wrote)
        return result


def live_diff(ws: Workspace, episode: Path) -> VideoChange:
    """How the live video of ``episode`` differs from a fresh render; sends no update."""
    wanted = wanted_videos(ws, [episode], refused="it was not compared with the live video")
    with folder_service(ws, MANAGE_SCOPES, check=False) as connection:  # reads one video: no check
        change = plan_with_live(connection.service, wanted, True, command_retry()).videos[0]
    if change.action == "missing":
        raise RefusedError(f"video {change.video_id} is not on YouTube (deleted, or another channel's)")
    return change


def fetch_live(service: Any, video_ids: list[str], retry: RetryPolicy,
               part: str = LIVE_PARTS) -> dict[str, dict[str, Any]]:
    """``videos.list`` in batches of 50 ids, ``part=snippet,status,localizations`` (or ``part``; 1 unit a call all the same)."""
    live: dict[str, dict[str, Any]] = {}
    for start in range(0, len(video_ids), LIST_BATCH):
        batch = video_ids[start:start + LIST_BATCH]
        request = service.videos().list(part=part, id=",".join(batch), maxResults=LIST_BATCH)
        started = time.perf_counter()
        for item in with_retries(request.execute, retry).get("items", []):
            live[item["id"]] = item
        log.info("videos.list part=%s of %d id(s): %.2f s", part, len(batch), time.perf_counter() - started)
    return live


def plan_with_live(service: Any, wanted: list[Wanted], force: bool, retry: RetryPolicy) -> SyncPlan:
    """The sync plan of ``wanted`` against the live videos."""
    live = fetch_live(service, [w.video_id for w in wanted], retry)
    return SyncPlan([plan_video(w, live.get(w.video_id), force) for w in wanted])


def apply_sync(ws: Workspace, store: LedgerStore, service: Any, plan: SyncPlan, *, budget: int, retry: RetryPolicy,
               progress: Callable[[int, int], None] | None = None,
               on_written: Callable[[], None] | None = None) -> SyncResult:
    """Back up, then update the changed videos within ``budget`` units, recording each one in ``store``.

    ``progress(done, total)`` is called after each update YouTube accepted, and ``on_written()`` too.
    """
    result = SyncResult()
    _record_unchanged(store, plan)
    affordable = max(0, budget - plan.check_units - plan.list_calls) // cost_of("videos.update").units
    todo, result.deferred = plan.updates[:affordable], [c.video_id for c in plan.updates[affordable:]]
    if not todo:
        return result
    result.backup = write_backups(ws.root, [c.live for c in todo if c.live is not None])
    for change in todo:
        started = time.perf_counter()
        try:
            body = update_body(change)
            with_retries(service.videos().update(part=update_parts(body), body=body).execute, retry)
        except HttpError as exc:
            error = youtube_error(exc, method="videos.update")
            if is_quota(exc):  # the day's quota is spent: stop cleanly, the rest waits for the next run
                result.stopped = str(error)
                result.deferred = [c.video_id for c in todo[todo.index(change):]] + result.deferred
                return result
            raise error from None
        log.info("videos.update %s (%s): %.2f s", change.video_id, ", ".join(change.changes),
                 time.perf_counter() - started)
        _record(store, change)
        if on_written is not None:
            on_written()
        result.updated.append(change.video_id)
        if progress is not None:
            progress(len(result.updated), len(todo))
    return result


def _record(store: LedgerStore, change: VideoChange) -> None:
    store.update_entry(change.wanted.slug, sent=sent_after_update(change), updated_at=utc_now(),
                       inputs=change.wanted.inputs)


def _record_unchanged(store: LedgerStore, plan: SyncPlan) -> None:
    """A video already showing our render (say, updated just before a crash), apart from what Studio changed
    (drift, whose record stays): bring the ledger up to date."""
    for change in plan.videos:
        if change.action in ("unchanged", "drift") and sent_after_update(change) != change.wanted.entry.sent:
            _record(store, change)


def write_backups(channel_root: Path, videos: list[dict[str, Any]], now: datetime | None = None) -> Path:
    """``backups/<UTC timestamp>/<video id>.json``: the live snippet, status and localizations, before any write.

    A backup that cannot be written (``backups`` is a file, no permission, a full disk) is
    ``OutputError``; the files this call wrote are removed again, so no half backup stays.
    """
    stamp = (now or utc_now()).strftime("%Y%m%dT%H%M%SZ")
    folder = channel_root / BACKUPS_DIR / stamp
    written: list[Path] = []
    for video in videos:
        saved = {"id": video["id"], "snippet": video.get("snippet", {}), "status": video.get("status", {}),
                 "localizations": video.get("localizations", {})}
        target = folder / f"{video['id']}.json"
        try:
            write_text_atomic(target, json.dumps(saved, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            _remove(written)
            where, why = write_failure(exc, target)
            raise OutputError(f"{shown_path(where)}: {why}; the backup could not be saved, so no video "
                              "was updated") from None
        written.append(target)
        log.debug("backed up %s to %s", video["id"], folder)
    return folder


def _remove(backups: list[Path]) -> None:
    """Take back the files of a backup that could not be finished (and its folder, once empty)."""
    for path in backups:
        path.unlink(missing_ok=True)
    if backups:
        with contextlib.suppress(OSError):  # not empty: another run's backups of the same second
            backups[0].parent.rmdir()
