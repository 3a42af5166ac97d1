"""Sync, the run: fetch live videos, back them up, update only what changed, and restore.

Each update is recorded in the ledger the moment YouTube accepts it, so a run
stopped by quota, an error or a kill leaves a ledger that says exactly what was
done; the next run finds those videos unchanged and continues with the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from googleapiclient.errors import HttpError

from ..atomic import write_text_atomic
from ..errors import UsageError, YouTubeError
from ..record import save_ledger, sent_hashes, utc_now
from ..sync import LIST_BATCH, UPDATE_UNITS, WRITABLE_SNIPPET, SyncPlan, VideoChange, Wanted, plan_video, sent_after_update, update_body
from ..workspace import Workspace
from .client import youtube_error
from .uploader import RetryPolicy, with_retries

WRITABLE_STATUS = ("privacyStatus", "publishAt", "embeddable", "license", "publicStatsViewable",
                   "selfDeclaredMadeForKids", "containsSyntheticMedia")
BACKUPS_DIR = "backups"


@dataclass
class SyncResult:
    updated: list[str] = field(default_factory=list)  # video ids
    deferred: list[str] = field(default_factory=list)  # left for tomorrow's quota
    backup: Path | None = None
    stopped: str | None = None  # why the run stopped early


def fetch_live(service: Any, video_ids: list[str], retry: RetryPolicy) -> dict[str, dict[str, Any]]:
    """``videos.list`` in batches of 50 ids, ``part=snippet,status``."""
    live: dict[str, dict[str, Any]] = {}
    for start in range(0, len(video_ids), LIST_BATCH):
        batch = video_ids[start:start + LIST_BATCH]
        request = service.videos().list(part="snippet,status", id=",".join(batch), maxResults=LIST_BATCH)
        for item in with_retries(request.execute, retry).get("items", []):
            live[item["id"]] = item
    return live


def plan_with_live(service: Any, wanted: list[Wanted], force: bool, retry: RetryPolicy) -> SyncPlan:
    live = fetch_live(service, [w.video_id for w in wanted], retry)
    return SyncPlan([plan_video(w, live.get(w.video_id), force) for w in wanted])


def apply_sync(ws: Workspace, service: Any, plan: SyncPlan, *, budget: int, retry: RetryPolicy) -> SyncResult:
    """Back up, then update the changed videos within ``budget`` units, recording each one."""
    result = SyncResult()
    _record_unchanged(ws, plan)
    affordable = max(0, budget - plan.list_calls) // UPDATE_UNITS
    todo, result.deferred = plan.updates[:affordable], [c.video_id for c in plan.updates[affordable:]]
    if not todo:
        return result
    result.backup = write_backups(ws.root, [c.live for c in todo if c.live is not None])
    for change in todo:
        try:
            with_retries(service.videos().update(part="snippet", body=update_body(change)).execute, retry)
        except HttpError as exc:
            error = youtube_error(exc, method="videos.update")
            if _stops_the_run(exc):
                result.stopped = str(error)
                result.deferred = [c.video_id for c in todo[todo.index(change):]] + result.deferred
                return result
            raise error from None
        _record(ws, change)
        result.updated.append(change.video_id)
    return result


def _stops_the_run(exc: HttpError) -> bool:
    return exc.resp.status == 403 and b"quotaExceeded" in (exc.content or b"")


def _record(ws: Workspace, change: VideoChange) -> None:
    entry = change.wanted.entry.model_copy(
        update={"sent": sent_after_update(change), "updated_at": utc_now(), "inputs": change.wanted.inputs}
    )
    ws.ledger = ws.ledger.with_entry(change.wanted.slug, entry)
    save_ledger(ws.ledger_path, ws.ledger)


def _record_unchanged(ws: Workspace, plan: SyncPlan) -> None:
    """A video already showing our render (say, updated just before a crash): bring the ledger up to date."""
    stale = [c for c in plan.videos if c.action == "unchanged" and not _ledger_matches(c)]
    for change in stale:
        _record(ws, change)


def _ledger_matches(change: VideoChange) -> bool:
    fields = change.wanted.fields
    return change.wanted.entry.sent == sent_hashes(fields["title"], fields["description"], fields["tags"])


def write_backups(channel_root: Path, videos: list[dict[str, Any]], now: datetime | None = None) -> Path:
    """``backups/<UTC timestamp>/<video id>.json``: the live snippet and status, before any write."""
    stamp = (now or utc_now()).strftime("%Y%m%dT%H%M%SZ")
    folder = channel_root / BACKUPS_DIR / stamp
    for video in videos:
        saved = {"id": video["id"], "snippet": video.get("snippet", {}), "status": video.get("status", {})}
        write_text_atomic(folder / f"{video['id']}.json", json.dumps(saved, indent=2, ensure_ascii=False) + "\n")
    return folder


def restore_bodies(service: Any, backup_dir: Path, retry: RetryPolicy) -> list[tuple[str, dict[str, Any]]]:
    """For each backed-up video: the update (parts, body) that puts its snippet and status back."""
    saved = _read_backups(backup_dir)
    live = fetch_live(service, list(saved), retry)
    bodies = []
    for video_id, backup in saved.items():
        if video_id not in live:
            raise YouTubeError(f"{backup_dir / (video_id + '.json')}: video {video_id} is not on YouTube any more")
        current = live[video_id]
        snippet = {k: backup["snippet"][k] for k in WRITABLE_SNIPPET if k in backup["snippet"]}
        body: dict[str, Any] = {"id": video_id, "snippet": snippet}
        parts = ["snippet"]
        wanted_status = {k: backup["status"][k] for k in WRITABLE_STATUS if k in backup.get("status", {})}
        if wanted_status != {k: current["status"][k] for k in WRITABLE_STATUS if k in current.get("status", {})}:
            body["status"], parts = wanted_status, ["snippet", "status"]  # status goes whole, or not at all
        bodies.append((",".join(parts), body))
    return bodies


def send_restore(service: Any, bodies: list[tuple[str, dict[str, Any]]], retry: RetryPolicy) -> list[str]:
    done = []
    for parts, body in bodies:
        try:
            with_retries(service.videos().update(part=parts, body=body).execute, retry)
        except HttpError as exc:
            raise youtube_error(exc, method="videos.update") from None
        done.append(body["id"])
    return done


def _read_backups(backup_dir: Path) -> dict[str, dict[str, Any]]:
    files = sorted(backup_dir.glob("*.json")) if backup_dir.is_dir() else []
    if not files:
        raise UsageError(f"{backup_dir}: no backups (<video id>.json) in that folder")
    saved = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            saved[data["id"]] = data
        except (OSError, ValueError, KeyError, TypeError):
            raise UsageError(f"{path}: not a backup written by sync") from None
    return saved


def record_restored(ws: Workspace, bodies: list[tuple[str, dict[str, Any]]]) -> None:
    """After a restore, the ledger's record of what was sent is what the backup put back."""
    by_video = {entry.video_id: slug for slug, entry in ws.ledger.episodes.items() if entry.video_id}
    for _, body in bodies:
        slug = by_video.get(body["id"])
        if slug is None:
            continue
        snippet = body["snippet"]
        sent = sent_hashes(snippet.get("title", ""), snippet.get("description", ""), snippet.get("tags", []))
        entry = ws.ledger.episodes[slug].model_copy(update={"sent": sent, "updated_at": utc_now()})
        ws.ledger = ws.ledger.with_entry(slug, entry)
    save_ledger(ws.ledger_path, ws.ledger)
