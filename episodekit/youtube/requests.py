"""The Google client's request objects for an upload plan, and the dry run that describes them.

A dry run builds the very requests the real run sends (``videos.insert``,
``thumbnails.set``, ``playlistItems.insert``, ``captions.insert``), from a client that has no
credentials, describes them and stops; ``episodekit.youtube.uploader`` sends
the same objects.
"""

from __future__ import annotations

import json
from typing import Any

from googleapiclient.http import MediaFileUpload, MediaInMemoryUpload

from ..publish.localfiles import thumbnail_type
from ..publish.quota import DAILY_UNITS, DAILY_UPLOADS, Cost, cost_of
from ..publish.upload import VIDEO, UploadPlan, check_local_files
from ..workspace import Workspace
from . import captioner
from .client import build_service
from .connect import planned_channel
from .identity import channel_request
from .media import DEFAULT_CHUNKSIZE, OffsetFileUpload

VIDEO_ID_PLACEHOLDER = "<id of the uploaded video>"
FOLLOW_UP_CALLS = {"thumbnail": "thumbnails.set", "playlist": "playlistItems.insert", "captions": "captions.insert"}


def video_request(service: Any, plan: UploadPlan, media: Any) -> Any:
    """``videos.insert`` of the plan's body, with ``media`` as its resumable body."""
    return service.videos().insert(part=plan.parts, body=plan.body, media_body=media, notifySubscribers=True)


def follow_up_requests(service: Any, plan: UploadPlan, video_id: str) -> dict[str, Any]:
    """The follow-up steps this run sends (step -> request), for the video ``video_id``."""
    requests: dict[str, Any] = {}
    if "thumbnail" in plan.steps and plan.thumbnail is not None:
        thumb = None
        if plan.thumbnail.is_file():  # its type by content, as checked, not by its name
            thumb = MediaFileUpload(str(plan.thumbnail), mimetype=thumbnail_type(plan.thumbnail), resumable=False)
        requests["thumbnail"] = service.thumbnails().set(videoId=video_id, media_body=thumb)
    if "playlist" in plan.steps and plan.playlist:
        body = {"snippet": {"playlistId": plan.playlist, "resourceId": {"kind": "youtube#video", "videoId": video_id}}}
        requests["playlist"] = service.playlistItems().insert(part="snippet", body=body)
    if "captions" in plan.steps and plan.captions is not None:
        requests["captions"] = captioner.insert_request(service, plan.captions, video_id)
    return requests


def upload_requests(service: Any, plan: UploadPlan, media: Any, video_id: str) -> dict[str, Any]:
    """Every request of this run by API call name: ``videos.insert`` unless the video is up, then the follow-ups."""
    requests = {"videos.insert": video_request(service, plan, media)} if VIDEO in plan.steps else {}
    for step, request in follow_up_requests(service, plan, video_id).items():
        requests[FOLLOW_UP_CALLS[step]] = request
    return requests


def dry_run(plan: UploadPlan, ws: Workspace | None = None, chunk_size: int = DEFAULT_CHUNKSIZE) -> dict[str, Any]:
    """The exact requests an upload would send, the check of the signed-in channel first, and their quota
    cost; needs no credentials and sends nothing. With ``ws``, ``channel`` says where it would go
    (``connect.planned_channel``).

    The local files are checked as the real run checks them; one that is not there yet is a note.
    """
    service = build_service(None)
    notes = [*plan.notes, *plan.dropped_notes, *check_local_files(plan, allow_missing=True)]
    media: Any = None
    if VIDEO in plan.steps:
        if plan.video is not None and plan.video.is_file():
            media = OffsetFileUpload(plan.video, chunksize=chunk_size)
        else:
            media = MediaInMemoryUpload(b"", mimetype="video/*", chunksize=chunk_size, resumable=True)
    video_id = plan.video_id or VIDEO_ID_PLACEHOLDER
    requests = {"channels.list": channel_request(service), **upload_requests(service, plan, media, video_id)}
    described = [captioner.describe(request, {"snippet": plan.captions.snippet(video_id)}, plan.captions)
                 if name == "captions.insert" and plan.captions is not None
                 else _describe(name, request, media if name == "videos.insert" else None)
                 for name, request in requests.items()]
    total = sum((cost_of(name) for name in requests), Cost())
    if "playlistItems.insert" in requests:  # see uploader._once: asked before and after the insert
        total = total + cost_of("playlistItems.list") + cost_of("playlistItems.list")
        notes.append("the playlist is asked for the video before and after playlistItems.insert (playlistItems.list, "
                     "1 unit each), so a lost answer never leaves it in the playlist twice")
    channel = None
    if ws is not None:
        channel = planned_channel(ws)
        notes.insert(0, channel["note"])
    return {
        "episode": plan.episode_file,
        "channel": channel,
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



def playlist_items_of(service: Any, playlist_id: str, video_id: str) -> list[str]:
    """The ids of the playlist's items that are ``video_id`` (``playlistItems.list``, 1 unit)."""
    page = service.playlistItems().list(part="id", playlistId=playlist_id, videoId=video_id, maxResults=50).execute()
    return [item["id"] for item in page.get("items", [])]
