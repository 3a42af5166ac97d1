"""Restore: put videos back as a sync backup saved them, through the same read-modify-write path."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from googleapiclient.errors import HttpError

from ..errors import InputError, MissingFileError, Problem, YouTubeError
from ..ledger import LedgerStore
from ..models.ledger import OWNED_FIELDS, SentHashes, utc_now
from ..paths import shown_path
from ..publish.quota import cost_of
from ..publish.sync import WRITABLE_SNIPPET, live_value
from ..retrying import RetryPolicy, command_retry
from ..workspace import Workspace
from .auth import MANAGE_SCOPES
from .client import youtube_error
from .connect import folder_service
from .identity import ChannelIdentity
from .retry import with_retries
from .syncer import fetch_live

WRITABLE_STATUS = ("privacyStatus", "publishAt", "embeddable", "license", "publicStatsViewable",
                   "selfDeclaredMadeForKids", "containsSyntheticMedia")
Update = tuple[str, dict[str, Any]]  # (parts, body) of one videos.update


def restore_document(bodies: list[Update], channel: ChannelIdentity | None, *, dry_run: bool,
                     restored: list[str] | None = None) -> dict[str, Any]:
    """The JSON document of ``restore --json``: the updates, their quota, the channel they go to, and the ids
    of the videos restored."""
    return {"updates": [{"part": part, "body": body} for part, body in bodies], "quota_units": restore_units(bodies),
            "channel": None if channel is None else channel.as_json(), "dry_run": dry_run,
            "restored": list(restored or [])}


def run_restore(ws: Workspace, backup_dir: Path, *, dry_run: bool,
                show: Callable[[list[Update], ChannelIdentity | None], None],
                confirm: Callable[[list[Update]], None], ledger: LedgerStore | None = None) -> list[str]:
    """``show`` the updates that put each backed-up video back, with the signed-in channel they go to (checked
    to be the folder's); unless ``dry_run``, send them.

    Returns the ids of the videos restored; the ledger then records what was put back, through ``ledger`` (a
    store over ``ws`` when none is given).
    """
    if not backup_dir.is_dir():
        raise MissingFileError(f"{backup_dir}: no such backup folder (sync writes them under backups/)")
    retry = command_retry()
    with folder_service(ws, MANAGE_SCOPES) as connection:
        bodies = restore_bodies(connection.service, backup_dir, retry)
        show(bodies, connection.channel)
        if dry_run:
            return []
        confirm(bodies)
        done = send_restore(connection.service, bodies, retry, connection.wrote)
    record_restored(ledger or LedgerStore(ws), bodies)
    return done


def restore_bodies(service: Any, backup_dir: Path, retry: RetryPolicy) -> list[Update]:
    """For each backed-up video: the update (parts, body) that puts its snippet, status and localizations back."""
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
        if "localizations" in backup and backup["localizations"] != current.get("localizations", {}):
            body["localizations"] = backup["localizations"]  # the whole map, as it was (a backup before them: none)
            parts.append("localizations")
        bodies.append((",".join(parts), body))
    return bodies


def restore_units(bodies: list[Update]) -> int:
    """The quota units that sending ``bodies`` costs (the ``videos.list`` that read them is spent already)."""
    return cost_of("videos.update").units * len(bodies)


def send_restore(service: Any, bodies: list[Update], retry: RetryPolicy,
                 on_written: Callable[[], None] | None = None) -> list[str]:
    """Send each update, retried; the ids of the videos put back."""
    done = []
    for parts, body in bodies:
        try:
            with_retries(service.videos().update(part=parts, body=body).execute, retry)
        except HttpError as exc:
            raise youtube_error(exc, method="videos.update") from None
        if on_written is not None:
            on_written()
        done.append(body["id"])
    return done


def _read_backups(backup_dir: Path) -> dict[str, dict[str, Any]]:
    files = sorted(backup_dir.glob("*.json"))  # a folder: run_restore checked
    if not files:
        raise MissingFileError(f"{backup_dir}: no backups (<video id>.json) in that folder")
    saved = {}
    for path in files:
        data = _read_backup(path)
        saved[data["id"]] = data
    return saved


def _read_backup(path: Path) -> dict[str, Any]:
    """One backup file as sync wrote it: ``id``, a ``snippet`` mapping, maybe a ``status`` mapping."""
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad_backup(shown, None, f"cannot be read ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise _bad_backup(shown, exc.lineno, f"JSON syntax error: {exc.msg}") from None
    except RecursionError:
        raise _bad_backup(shown, 1, "the JSON is nested far too deep") from None
    if not isinstance(data, dict):
        raise _bad_backup(shown, 1, "expected a mapping with 'id', 'snippet' and 'status'")
    if not isinstance(data.get("id"), str) or not data["id"]:
        raise _bad_backup(shown, _line_of_key(text, "id"), "'id' (the video id) is missing or not text")
    for key, required in (("snippet", True), ("status", False), ("localizations", False)):
        if (required or key in data) and not isinstance(data.get(key), dict):
            state = "is missing" if key not in data else "is not a mapping"
            raise _bad_backup(shown, _line_of_key(text, key), f"{key!r} {state}")
    return data


def _line_of_key(text: str, key: str) -> int:
    """Line of ``"key":`` in a JSON text, or line 1 (the mapping that lacks it)."""
    match = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _bad_backup(shown: str, line: int | None, what: str) -> InputError:
    return InputError([Problem(shown, line, "", f"not a backup written by sync: {what}; nothing was restored")])


def record_restored(store: LedgerStore, bodies: list[Update]) -> None:
    """After a restore, the ledger's record of what was sent is what the backup put back."""
    by_video = {entry.video_id: slug for slug, entry in store.view.ledger.episodes.items() if entry.video_id}
    for _, body in bodies:
        slug = by_video.get(body["id"])
        if slug is None:
            continue
        snippet = body["snippet"]
        fields = {name: live_value(snippet, name, "") for name in OWNED_FIELDS}
        sent = SentHashes.of({**fields, "localizations": body.get("localizations", {})})
        before = store.view.ledger.episodes[slug].sent
        if "localizations" not in body and before is not None:  # the languages were not touched: their record stays
            sent = sent.model_copy(update={"localizations": before.localizations})
        store.update_entry(slug, sent=sent, updated_at=utc_now())
