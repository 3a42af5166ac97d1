"""Publish, step one: what uploading an episode will send, and its dry run.

``plan_upload`` turns a checked episode into the body of ``videos.insert``;
``upload_requests`` builds the very requests the Google client will send
(``videos.insert``, ``thumbnails.set``, ``playlistItems.insert``). A dry run
describes those request objects and stops; the real run (``episodekit.youtube
.uploader``) sends the same objects. The Google client is imported lazily.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import schedule
from .build import build_episodes
from .errors import EpisodekitError, UsageError
from .fingerprint import input_fingerprints
from .output import require_valid
from .workspace import Workspace

VIDEO_ID_PLACEHOLDER = "<id of the uploaded video>"
CHUNK_BYTES = 8 * 1024 * 1024  # a multiple of 256 KiB, as YouTube requires


@dataclass(frozen=True)
class UploadPlan:
    """Everything one upload sends, decided before any network call."""

    slug: str
    episode_file: str
    body: dict[str, Any]
    tags: list[str]
    video: Path | None
    thumbnail: Path | None
    playlist: str | None
    publish_at: datetime | None
    notes: list[str] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)  # fingerprints, for `status` to name causes

    @property
    def title(self) -> str:
        return self.body["snippet"]["title"]

    @property
    def description(self) -> str:
        return self.body["snippet"]["description"]


def plan_upload(
    ws: Workspace, path: Path, video: Path | None = None, now: datetime | None = None, resume: bool = False
) -> UploadPlan:
    """Check the episode and decide what to send; refuse what must not be uploaded."""
    now = now or datetime.now(UTC)
    report = build_episodes(ws, [path], now)
    require_valid(report)
    build = report.builds[0]
    rendered = build.rendered
    assert rendered is not None
    slug = rendered.slug
    entry = ws.ledger.episodes.get(slug)
    if entry is not None and entry.video_id and not entry.pending and not resume:
        raise EpisodekitError(
            f"{build.shown}: already uploaded as video {entry.video_id} (https://youtu.be/{entry.video_id}); "
            "to change its description use `publish.py sync`"
        )
    _refuse_missing_links(ws, build.shown, path)
    model = (ws.load(path)).model
    settings, defaults = model.upload, ws.channel.upload
    publish_at = build.slot.utc if build.slot is not None and build.slot.utc > now else None
    status: dict[str, Any] = {
        "privacyStatus": "private" if publish_at else (settings.privacy or defaults.privacy),
        "selfDeclaredMadeForKids": _first(settings.made_for_kids, defaults.made_for_kids),
    }
    if publish_at is not None:
        status["publishAt"] = schedule.to_rfc3339_utc(publish_at)
    snippet = {
        "title": rendered.title,
        "description": rendered.description.rstrip("\n"),
        "tags": rendered.tags,
        "categoryId": str(_first(settings.category, defaults.category)),
        "defaultLanguage": settings.language or defaults.language,
    }
    notes = [] if publish_at else ["no future release time: the video is not scheduled"]
    return UploadPlan(
        slug=slug,
        episode_file=build.shown,
        body={"snippet": snippet, "status": status},
        tags=rendered.tags,
        video=_channel_path(ws, video or settings.video),
        thumbnail=_channel_path(ws, settings.thumbnail),
        playlist=settings.playlist or defaults.playlist,
        publish_at=publish_at,
        notes=notes + [str(p) for p in build.problems if not p.is_error],
        inputs=input_fingerprints(ws, build),
    )


def _first(value: Any, default: Any) -> Any:
    return default if value is None else value


def _channel_path(ws: Workspace, value: str | Path | None) -> Path | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path if isinstance(value, Path) else ws.root / path)


def _refuse_missing_links(ws: Workspace, shown: str, path: Path) -> None:
    for video in ws.load(path).model.videos:
        if video.episode and not ws.ledger.video_id(video.episode):
            raise EpisodekitError(
                f"{shown}: links to episode {video.episode!r}, which has no video yet; upload it first"
            )


def upload_requests(service: Any, plan: UploadPlan, media: Any, video_id: str | None = None) -> dict[str, Any]:
    """The client's request objects for this plan; the follow-ups only once ``video_id`` is known."""
    requests = {
        "videos.insert": service.videos().insert(
            part="snippet,status", body=plan.body, media_body=media, notifySubscribers=True
        )
    }
    if video_id is None:
        return requests
    if plan.thumbnail is not None:
        from googleapiclient.http import MediaFileUpload

        thumb = MediaFileUpload(str(plan.thumbnail), resumable=False) if plan.thumbnail.exists() else None
        requests["thumbnails.set"] = service.thumbnails().set(videoId=video_id, media_body=thumb)
    if plan.playlist:
        body = {"snippet": {"playlistId": plan.playlist, "resourceId": {"kind": "youtube#video", "videoId": video_id}}}
        requests["playlistItems.insert"] = service.playlistItems().insert(part="snippet", body=body)
    return requests


def dry_run(plan: UploadPlan, chunk_size: int) -> dict[str, Any]:
    """The exact requests an upload would send, and their quota cost; needs no credentials."""
    from .youtube.client import build_service
    from .youtube.media import OffsetFileUpload
    from .youtube.quota import DAILY_UNITS, DAILY_UPLOADS, cost_of

    service = build_service(None)
    notes = list(plan.notes)
    if plan.video is not None and plan.video.is_file():
        media: Any = OffsetFileUpload(plan.video, chunksize=chunk_size)
    else:
        from googleapiclient.http import MediaInMemoryUpload

        media = MediaInMemoryUpload(b"", mimetype="video/*", chunksize=chunk_size, resumable=True)
        notes.append(f"video file {plan.video or '(none given)'} not found: the real run needs it")
    if plan.thumbnail is not None and not plan.thumbnail.is_file():
        notes.append(f"thumbnail {plan.thumbnail} not found: the real run needs it")
    requests = upload_requests(service, plan, media, VIDEO_ID_PLACEHOLDER)
    described = [_describe(name, request, media if name == "videos.insert" else None) for name, request in requests.items()]
    total = sum(cost_of(name) for name in requests)
    return {
        "episode": plan.episode_file,
        "requests": described,
        "quota": {
            "units": total.units,
            "upload_calls": total.uploads,
            "daily_units": DAILY_UNITS,
            "daily_upload_calls": DAILY_UPLOADS,
        },
        "notes": notes,
    }


def _describe(name: str, request: Any, media: Any) -> dict[str, Any]:
    described: dict[str, Any] = {"call": name, "method": request.method, "url": request.uri}
    if request.body:
        described["body"] = json.loads(request.body) if _is_json(request) else "(file contents)"
    if media is not None:
        chunks = -(-media.size() // media.chunksize()) if media.size() else 0
        described["media"] = {
            "file": str(getattr(media, "path", "(missing)")), "bytes": media.size(), "mimetype": media.mimetype(),
            "resumable_chunks": chunks, "chunk_bytes": media.chunksize(),
        }
    return described


def _is_json(request: Any) -> bool:
    return request.headers.get("content-type", "").startswith("application/json")


def upload_episode(plan: UploadPlan, ws: Workspace, *, restart: bool = False, progress: Any = None,
                   chunk_size: int = CHUNK_BYTES) -> Any:
    """Upload ``plan`` with the saved credentials; returns the uploader's outcome."""
    from .youtube.auth import MANAGE_SCOPES, UPLOAD_SCOPES
    from .youtube.connect import youtube_service
    from .youtube.uploader import RetryPolicy, run_upload

    require_video(plan)
    if plan.thumbnail is not None and not plan.thumbnail.is_file():
        raise UsageError(f"{plan.thumbnail}: no such thumbnail file")
    scopes = (*UPLOAD_SCOPES, *(MANAGE_SCOPES if plan.playlist else ()))
    with youtube_service(scopes) as service:
        return run_upload(ws, plan, service, chunk_size=chunk_size, retry=RetryPolicy(),
                          progress=progress, restart=restart)


def require_video(plan: UploadPlan) -> Path:
    if plan.video is None:
        raise UsageError(f"{plan.episode_file}: no video file: pass --video FILE or set upload.video")
    if not plan.video.is_file():
        raise UsageError(f"{plan.video}: no such video file")
    return plan.video
