"""Restore: put videos back as a sync backup saved them, through the same read-modify-write path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from googleapiclient.errors import HttpError

from ..errors import InputError, MissingFileError, Problem, YouTubeError
from ..ledger import SentHashes, utc_now
from ..pipeline.load import shown_path
from ..publish.sync import WRITABLE_SNIPPET
from ..workspace import Workspace
from .auth import MANAGE_SCOPES
from .client import youtube_error
from .connect import youtube_service
from .retry import RetryPolicy, command_retry, with_retries
from .syncer import fetch_live

WRITABLE_STATUS = ("privacyStatus", "publishAt", "embeddable", "license", "publicStatsViewable",
                   "selfDeclaredMadeForKids", "containsSyntheticMedia")
Update = tuple[str, dict[str, Any]]  # (parts, body) of one videos.update


def run_restore(ws: Workspace, backup_dir: Path, *, dry_run: bool, show: Callable[[list[Update]], None],
                confirm: Callable[[list[Update]], None]) -> list[str]:
    """``show`` the updates that put each backed-up video back; unless ``dry_run``, send them.

    Returns the ids of the videos restored; the ledger then records what was put back.
    """
    if not backup_dir.is_dir():
        raise MissingFileError(f"{backup_dir}: no such backup folder (sync writes them under backups/)")
    retry = command_retry()
    with youtube_service(MANAGE_SCOPES) as service:
        bodies = restore_bodies(service, backup_dir, retry)
        show(bodies)
        if dry_run:
            return []
        confirm(bodies)
        done = send_restore(service, bodies, retry)
    record_restored(ws, bodies)
    return done


def restore_bodies(service: Any, backup_dir: Path, retry: RetryPolicy) -> list[Update]:
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


def send_restore(service: Any, bodies: list[Update], retry: RetryPolicy) -> list[str]:
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
        raise MissingFileError(f"{backup_dir}: no backups (<video id>.json) in that folder")
    saved = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            saved[data["id"]] = data
        except (OSError, ValueError, KeyError, TypeError):
            raise InputError([Problem(shown_path(path), None, "", "not a backup written by sync")]) from None
    return saved


def record_restored(ws: Workspace, bodies: list[Update]) -> None:
    """After a restore, the ledger's record of what was sent is what the backup put back."""
    by_video = {entry.video_id: slug for slug, entry in ws.ledger.episodes.items() if entry.video_id}
    for _, body in bodies:
        slug = by_video.get(body["id"])
        if slug is None:
            continue
        snippet = body["snippet"]
        fields = {"title": snippet.get("title", ""), "description": snippet.get("description", ""),
                  "tags": snippet.get("tags", [])}
        entry = ws.ledger.episodes[slug].model_copy(update={"sent": SentHashes.of(fields), "updated_at": utc_now()})
        ws.save_entry(slug, entry)
