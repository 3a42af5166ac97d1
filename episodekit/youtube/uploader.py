"""The upload on the wire: send an upload plan to YouTube, crash-safe and without a second video.

Order of events: open the resumable session (the metadata ``POST``), keep its
URL in a private state file, mark the ledger "upload started" — and only then
send the first byte. Chunks that fail with 5xx, a reset or a timeout are
retried with exponential backoff and jitter from the offset the server
acknowledges. A rerun after a crash resumes the recorded session; if it cannot,
it stops and asks, and never silently starts a second upload.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from googleapiclient.errors import HttpError

from ..errors import UploadSessionLost
from ..ledger import LedgerEntry, SentHashes, utc_now
from ..publish.upload import UploadPlan, require_thumbnail, require_video
from ..workspace import Workspace
from . import sessions
from .auth import MANAGE_SCOPES, UPLOAD_SCOPES
from .connect import youtube_service
from .media import DEFAULT_CHUNKSIZE, OffsetFileUpload
from .requests import FOLLOW_UP_CALLS, upload_requests
from .retry import RetryPolicy, is_retriable, with_retries

Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)


@dataclass
class UploadOutcome:
    video_id: str
    resource: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)


def upload_episode(plan: UploadPlan, ws: Workspace, *, restart: bool = False, progress: Progress | None = None,
                   chunk_size: int = DEFAULT_CHUNKSIZE) -> UploadOutcome:
    """Upload ``plan`` with the saved credentials, checking its local files first."""
    require_video(plan)
    require_thumbnail(plan)
    scopes = (*UPLOAD_SCOPES, *(MANAGE_SCOPES if plan.playlist else ()))
    with youtube_service(scopes) as service:
        return run_upload(ws, plan, service, chunk_size=chunk_size, retry=RetryPolicy(),
                          progress=progress, restart=restart)


def run_upload(ws: Workspace, plan: UploadPlan, service: Any, *, chunk_size: int, retry: RetryPolicy,
               progress: Progress | None = None, restart: bool = False) -> UploadOutcome:
    """Upload ``plan`` with ``service`` (a built client), recording every step in the ledger."""
    entry = ws.ledger.episodes.get(plan.slug)
    warnings: list[str] = []
    if entry is not None and entry.video_id:
        video_id, resource = entry.video_id, None  # uploaded before; only follow-ups are left
    else:
        media = OffsetFileUpload(require_video(plan), chunksize=chunk_size)
        request = upload_requests(service, plan, media)["videos.insert"]
        resource = _send_video(ws, plan, request, media, retry, progress, restart)
        video_id = resource["id"]
        ws.save_entry(plan.slug, LedgerEntry(
            video_id=video_id, publish_at=plan.publish_at, uploaded_at=utc_now(),
            sent=SentHashes.of(plan.sent), pending=plan.follow_ups, inputs=plan.inputs,
        ))
        sessions.forget_session(ws.root, plan.slug)
        warnings.extend(locked_private_warning(plan, resource))
    _follow_ups(ws, plan, service, video_id, retry)
    return UploadOutcome(video_id, resource, warnings)


def _send_video(ws: Workspace, plan: UploadPlan, request: Any, media: OffsetFileUpload, retry: RetryPolicy,
                progress: Progress | None, restart: bool) -> dict[str, Any]:
    session = _session_to_resume(ws, plan, media, restart)
    if session is None:
        log.info("videos.insert: opening a resumable upload of %s (%d bytes)", media.path, media.size())
        url = with_retries(lambda: open_session(request, media), retry)
        session = sessions.UploadSession(url, str(media.path), media.size(), utc_now().isoformat())
        sessions.save_session(ws.root, plan.slug, session)
        ws.save_entry(plan.slug, LedgerEntry(upload_started_at=utc_now()))  # before the first byte
    request.resumable_uri = session.url
    started = time.perf_counter()
    done = with_retries(lambda: _acknowledged(request, media), retry)
    log.info("YouTube has %d of %d bytes of this upload", media.size() if done else request.resumable_progress,
             media.size())
    done = done if done is not None else drive_chunks(request, media, retry, progress)
    log.info("uploaded video %s in %.1f s", done.get("id"), time.perf_counter() - started)
    return done


def _session_to_resume(ws: Workspace, plan: UploadPlan, media: OffsetFileUpload,
                       restart: bool) -> sessions.UploadSession | None:
    entry = ws.ledger.episodes.get(plan.slug)
    if entry is None or not entry.uploading or restart:
        return None
    session = sessions.load_session(ws.root, plan.slug)
    if session is None:
        raise UploadSessionLost(
            f"{plan.episode_file}: an upload started at {entry.upload_started_at:%Y-%m-%d %H:%M}Z but its session "
            "is not on this machine, so it cannot be resumed. Look in YouTube Studio: if the video is there, "
            f"add its id to {ws.ledger_path.name}; if not, start again with `upload --restart`"
        )
    if session.size != media.size():
        raise UploadSessionLost(
            f"{media.path}: the video is {media.size()} bytes but the unfinished upload was {session.size}; "
            "put the original file back, or start again with `upload --restart`"
        )
    return session


def open_session(request: Any, media: OffsetFileUpload) -> str:
    """The metadata ``POST`` of a resumable upload; returns the session URL (sends no video bytes)."""
    headers = dict(request.headers)
    headers["X-Upload-Content-Type"] = media.mimetype()
    headers["X-Upload-Content-Length"] = str(media.size())
    resp, content = request.http.request(request.uri, method=request.method, body=request.body, headers=headers)
    if resp.status == 200 and "location" in resp:
        return resp["location"]
    raise HttpError(resp, content, uri=request.uri)


def _acknowledged(request: Any, media: OffsetFileUpload) -> dict[str, Any] | None:
    """Ask the server how much of this session it has; the video when it has all of it."""
    headers = {"Content-Range": f"bytes */{media.size()}", "Content-Length": "0"}
    resp, content = request.http.request(request.resumable_uri, method="PUT", headers=headers)
    if resp.status in (200, 201):
        return json.loads(content)
    if resp.status == 308:
        received = resp.get("range")
        request.resumable_progress = int(received.split("-")[1]) + 1 if received else 0
        return None
    if resp.status in (404, 410):
        raise UploadSessionLost(
            "the unfinished upload's session has expired on YouTube's side (no video was made from it); "
            "start again with `upload --restart`"
        )
    raise HttpError(resp, content, uri=request.uri)


def drive_chunks(request: Any, media: OffsetFileUpload, retry: RetryPolicy,
                 progress: Progress | None) -> dict[str, Any]:
    """Send the remaining chunks; after a failure the client asks for the acknowledged offset first."""
    response, attempt = None, 0
    while response is None:
        try:
            status, response = request.next_chunk(num_retries=0)
        except Exception as exc:
            attempt += 1
            if not is_retriable(exc) or attempt >= retry.attempts:
                raise
            log.warning("a chunk failed (%s); asking YouTube where to go on from", type(exc).__name__)
            retry.wait(attempt)
            continue
        attempt = 0
        log.debug("sent %d of %d bytes", status.resumable_progress if status else media.size(), media.size())
        if progress is not None:
            progress(status.resumable_progress if status else media.size(), media.size())
    return response


def _follow_ups(ws: Workspace, plan: UploadPlan, service: Any, video_id: str, retry: RetryPolicy) -> None:
    entry = ws.ledger.episodes.get(plan.slug)
    if entry is None or not entry.pending:
        return
    requests = upload_requests(service, plan, None, video_id)
    for step in list(entry.pending):
        log.info("%s for video %s", FOLLOW_UP_CALLS[step], video_id)
        with_retries(requests[FOLLOW_UP_CALLS[step]].execute, retry)
        entry = entry.model_copy(update={"pending": [p for p in entry.pending if p != step]})
        ws.save_entry(plan.slug, entry)


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def locked_private_warning(plan: UploadPlan, resource: dict[str, Any]) -> list[str]:
    """YouTube keeps uploads of unaudited API projects private and drops their schedule."""
    status = resource.get("status", {})
    asked = plan.body["status"]
    if status.get("privacyStatus") == asked["privacyStatus"] and _instant(status.get("publishAt")) == _instant(
        asked.get("publishAt")
    ):
        return []
    return [
        "YouTube locked this video as private: uploads from an API project that Google has not audited stay "
        "private (and lose their release time) until the project passes the audit. Set the release time in "
        "YouTube Studio, or request the audit for your API project."
    ]
