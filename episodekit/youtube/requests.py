"""The Google client's request objects for an upload plan, and the dry run that describes them.

A dry run builds the very requests the real run sends (``videos.insert``,
``thumbnails.set``, ``playlistItems.insert``), from a client that has no
credentials, describes them and stops; ``episodekit.youtube.uploader`` sends
the same objects.
"""

from __future__ import annotations

import json
from typing import Any

from googleapiclient.http import MediaFileUpload, MediaInMemoryUpload

from ..publish.quota import DAILY_UNITS, DAILY_UPLOADS, cost_of
from ..publish.upload import UploadPlan
from .client import build_service
from .media import DEFAULT_CHUNKSIZE, OffsetFileUpload

VIDEO_ID_PLACEHOLDER = "<id of the uploaded video>"
FOLLOW_UP_CALLS = {"thumbnail": "thumbnails.set", "playlist": "playlistItems.insert"}


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
        thumb = MediaFileUpload(str(plan.thumbnail), resumable=False) if plan.thumbnail.exists() else None
        requests["thumbnails.set"] = service.thumbnails().set(videoId=video_id, media_body=thumb)
    if plan.playlist:
        body = {"snippet": {"playlistId": plan.playlist, "resourceId": {"kind": "youtube#video", "videoId": video_id}}}
        requests["playlistItems.insert"] = service.playlistItems().insert(part="snippet", body=body)
    return requests


def dry_run(plan: UploadPlan, chunk_size: int = DEFAULT_CHUNKSIZE) -> dict[str, Any]:
    """The exact requests an upload would send, and their quota cost; needs no credentials."""
    service = build_service(None)
    notes = list(plan.notes)
    if plan.video is not None and plan.video.is_file():
        media: Any = OffsetFileUpload(plan.video, chunksize=chunk_size)
    else:
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
