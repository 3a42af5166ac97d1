"""The upload on the wire: send an upload plan to YouTube, crash-safe and without a second video.

Order of events: open the resumable session (the metadata ``POST``), keep its
URL in a private state file, mark the ledger "upload started" — and only then
send the first byte. Chunks that fail with 5xx, 429, a rate limit, a reset or a
timeout are retried with exponential backoff and jitter from the offset the
server acknowledges; every loop that talks to the server is bounded, so an
upload that makes no progress stops with a message instead of spinning. A
rerun after a crash resumes the recorded session; if it cannot, it stops and
asks, and never silently starts a second upload.

Once the video is up it is recorded and announced at once; the follow-up steps
(thumbnail, playlist, caption track) come after, each recorded as done when it succeeds. A
step that fails stays pending in the ledger, the others still run, and a rerun
sends only what is left, without needing the video file.
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

from ..errors import FollowUpFailed, RefusedError, UploadSessionLost, YouTubeError, command_line
from ..ledger import LedgerStore
from ..models.episode import video_url
from ..models.ledger import LedgerEntry, SentHashes, utc_now
from ..paths import shown_path
from ..publish.upload import UploadPlan, check_local_files
from ..retrying import RATE_LIMIT_REASONS, RetryPolicy, upload_retry
from ..workspace import Workspace
from . import sessions
from .auth import MANAGE_SCOPES, UPLOAD_SCOPES
from .captioner import caption_refusal, send_new_track
from .client import AUDIT_FORM, SIGN_IN_ERRORS, error_reason, is_quota, youtube_error
from .connect import folder_service
from .media import DEFAULT_CHUNKSIZE, OffsetFileUpload
from .requests import FOLLOW_UP_CALLS, follow_up_requests, playlist_items_of, video_request
from .retry import TRANSPORT_ERRORS, gives_up, with_retries

Progress = Callable[[int, int], None]
Announce = Callable[[str], None]
MAX_STALLS = 3  # answers in a row that acknowledge no new byte before the upload stops
log = logging.getLogger(__name__)


@dataclass
class UploadOutcome:
    video_id: str
    resource: dict[str, Any] | None  # the new video; None when it was uploaded by an earlier run
    warnings: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)  # the follow-up steps this run finished
    dropped: list[str] = field(default_factory=list)  # pending steps dropped because their setting is gone


def upload_document(plan: UploadPlan, outcome: UploadOutcome | FollowUpFailed) -> dict[str, Any]:
    """The JSON document of an upload (``upload --json``): the video, the steps done and those still
    pending (a :class:`FollowUpFailed` names them), the notes and warnings."""
    failed = isinstance(outcome, FollowUpFailed)
    publish_at = f"{plan.publish_at:%Y-%m-%dT%H:%M:%SZ}" if plan.publish_at else None
    return {"episode": plan.episode_file, "video_id": outcome.video_id, "url": video_url(outcome.video_id),
            "publish_at": publish_at, "done": list(outcome.done), "pending": list(outcome.pending) if failed else [],
            "notes": list(plan.dropped_notes), "warnings": [] if failed else list(outcome.warnings)}


def upload_episode(plan: UploadPlan, ws: Workspace, *, restart: bool = False, progress: Progress | None = None,
                   chunk_size: int = DEFAULT_CHUNKSIZE, announce: Announce | None = None,
                   ledger: LedgerStore | None = None) -> UploadOutcome:
    """Upload ``plan`` with the folder's sign-in, once YouTube has said it is the folder's channel (its
    local files are checked by :func:`run_upload`), recording each step through ``ledger`` (a store over
    ``ws`` when none is given).

    ``announce(video_id)`` is called the moment the video is up, before the follow-up steps.
    """
    store = ledger or LedgerStore(ws)
    if not plan.steps:  # only dropped steps were left: nothing to send
        assert plan.video_id is not None
        _drop_steps(store, plan)
        return UploadOutcome(plan.video_id, None, dropped=list(plan.dropped))
    scopes = (*UPLOAD_SCOPES, *MANAGE_SCOPES)  # the channel check (channels.list) needs more than youtube.upload
    with folder_service(ws, scopes) as connection:
        return run_upload(ws, plan, connection.service, chunk_size=chunk_size, retry=upload_retry(),
                          progress=progress, restart=restart, announce=announce, on_written=connection.wrote,
                          ledger=store)


def run_upload(ws: Workspace, plan: UploadPlan, service: Any, *, chunk_size: int, retry: RetryPolicy,
               progress: Progress | None = None, restart: bool = False,
               announce: Announce | None = None, on_written: Callable[[], None] | None = None,
               ledger: LedgerStore | None = None) -> UploadOutcome:
    """Upload ``plan`` with ``service`` (a built client), recording every step through ``ledger`` (a store
    over ``ws`` when none is given).

    The local files this run sends are checked first (the one check on the library's path),
    so a file that cannot be sent stops it before any request. ``on_written()`` hears of each
    write YouTube accepted (the folder's channel is pinned on the first).
    """
    written, store = on_written or (lambda: None), ledger or LedgerStore(ws)
    check_local_files(plan)
    entry = ws.ledger.episodes.get(plan.slug)
    warnings: list[str] = []
    if plan.video_id is not None:  # uploaded before; only follow-ups are left
        video_id, resource = plan.video_id, None
        _drop_steps(store, plan)
    elif entry is not None and entry.video_id:
        raise RefusedError(f"{plan.episode_file}: uploaded meanwhile as video {entry.video_id}; nothing was sent")
    else:
        assert plan.video is not None  # check_local_files refuses a plan without one
        media = OffsetFileUpload(plan.video, chunksize=chunk_size)
        request = video_request(service, plan, media)
        resource = _send_video(ws, store, plan, (request, media), retry, progress, restart)
        video_id = resource["id"]
        store.save_entry(plan.slug, LedgerEntry(
            video_id=video_id, publish_at=plan.publish_at, uploaded_at=utc_now(),
            sent=SentHashes.of(plan.sent), pending=plan.follow_ups, inputs=plan.inputs,
        ))
        sessions.forget_session(ws.root, plan.slug)
        written()
        if announce is not None:
            announce(video_id)
        warnings.extend(locked_private_warning(plan, resource))
    done = _follow_ups(store, plan, service, video_id, retry, written)
    return UploadOutcome(video_id, resource, warnings, done=done, dropped=list(plan.dropped))


def _drop_steps(store: LedgerStore, plan: UploadPlan) -> None:
    """Forget the pending steps whose setting was removed from the episode."""
    if plan.slug in store.view.ledger.episodes and plan.dropped:
        store.update_entry(plan.slug, pending=lambda entry: [s for s in entry.pending if s not in plan.dropped])


def _send_video(ws: Workspace, store: LedgerStore, plan: UploadPlan, sending: tuple[Any, OffsetFileUpload],
                retry: RetryPolicy, progress: Progress | None, restart: bool) -> dict[str, Any]:
    request, media = sending
    sessions.state_folder()  # where the session will wait: a folder that cannot be made stops it here
    session = _session_to_resume(ws, plan, media, restart)
    if session is None:
        log.info("videos.insert: opening a resumable upload of %s (%d bytes)", media.path, media.size())
        before = _claim_upload(store, plan)  # the ledger says "upload started" before the session opens
        try:
            url = with_retries(lambda: open_session(request, media), retry)
            session = sessions.UploadSession(url, str(media.path), media.size(), utc_now().isoformat())
            sessions.save_session(ws.root, plan.slug, session)  # before the first byte
        except BaseException:
            store.save_entry(plan.slug, before)  # no byte was sent, so no video can come of it
            raise
    request.resumable_uri = session.url
    started = time.perf_counter()
    done = with_retries(lambda: _acknowledged(request, media, plan), retry)
    log.info("YouTube has %d of %d bytes of this upload", media.size() if done else request.resumable_progress,
             media.size())
    done = done if done is not None else drive_chunks(request, media, retry, progress)
    log.info("uploaded video %s in %.1f s", done.get("id"), time.perf_counter() - started)
    return done


def _claim_upload(store: LedgerStore, plan: UploadPlan) -> LedgerEntry | None:
    """Mark the upload as started, under the ledger's lock, unless another run got there first.

    Two runs of ``upload`` for one episode at the same time would make two videos: the one
    that finds the entry changed since it read the ledger stops, having sent nothing.
    """
    seen = store.view.ledger.episodes.get(plan.slug)

    def claim(ledger: Any) -> Any:
        if ledger.episodes.get(plan.slug) != seen:
            raise RefusedError(
                f"{plan.episode_file}: another run has just started or finished an upload of this episode; "
                f"nothing was sent. Run {command_line('status')} to see where it is"
            )
        return ledger.with_entry(plan.slug, LedgerEntry(upload_started_at=utc_now()))

    store.change(claim)
    return seen


def _session_to_resume(ws: Workspace, plan: UploadPlan, media: OffsetFileUpload,
                       restart: bool) -> sessions.UploadSession | None:
    entry = ws.ledger.episodes.get(plan.slug)
    if entry is None or not entry.uploading or restart:
        return None
    try:
        session = sessions.load_session(ws.root, plan.slug)
    except sessions.UnreadableSession as exc:
        raise _lost(ws, plan, entry, f"its saved session {exc.path} {exc.why}") from None
    if session is None:
        raise _lost(ws, plan, entry, "its session is not on this machine")
    if session.size != media.size():
        raise UploadSessionLost(
            f"{media.path}: the video is {media.size()} bytes but the unfinished upload was {session.size}; "
            f"put the original file back, or start again with {_restart(plan)}"
        )
    return session


def _lost(ws: Workspace, plan: UploadPlan, entry: LedgerEntry, why: str) -> UploadSessionLost:
    """An unfinished upload that cannot be resumed (``why``), and what to do about it."""
    return UploadSessionLost(
        f"{plan.episode_file}: an upload started at {entry.upload_started_at:%Y-%m-%d %H:%M}Z but {why}, so it "
        "cannot be resumed. Look in YouTube Studio: if the video is there, add its id to "
        f"{shown_path(ws.ledger_path)}; if not, start again with {_restart(plan)}"
    )


def _restart(plan: UploadPlan) -> str:
    return command_line(f"upload {plan.slug} --restart")


def open_session(request: Any, media: OffsetFileUpload) -> str:
    """The metadata ``POST`` of a resumable upload; returns the session URL (sends no video bytes)."""
    headers = dict(request.headers)
    headers["X-Upload-Content-Type"] = media.mimetype()
    headers["X-Upload-Content-Length"] = str(media.size())
    resp, content = request.http.request(request.uri, method=request.method, body=request.body, headers=headers)
    if resp.status == 200 and "location" in resp:
        return resp["location"]
    raise HttpError(resp, content, uri=request.uri)


def _acknowledged(request: Any, media: OffsetFileUpload, plan: UploadPlan) -> dict[str, Any] | None:
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
            f"start again with {_restart(plan)}"
        )
    raise HttpError(resp, content, uri=request.uri)


def drive_chunks(request: Any, media: OffsetFileUpload, retry: RetryPolicy,
                 progress: Progress | None) -> dict[str, Any]:
    """Send the remaining chunks; after a failure the client asks for the acknowledged offset first.

    Bounded: ``retry.attempts`` failures in a row, or ``MAX_STALLS`` answers in a row that
    acknowledge no new byte, stop the upload (its session stays, so a rerun resumes it).
    """
    response, failures, stalls = None, 0, 0
    while response is None:
        before = request.resumable_progress
        try:
            status, response = request.next_chunk(num_retries=0)
        except Exception as exc:
            failures += 1
            last, asked = gives_up(exc, failures, retry)
            if last:
                raise
            log.warning("a chunk failed (%s); asking YouTube where to go on from", type(exc).__name__)
            retry.wait(failures, asked)
            continue
        failures = 0
        if response is None and request.resumable_progress <= before:
            stalls += 1
            if stalls >= MAX_STALLS:
                raise _stalled(request.resumable_progress, media.size())
            continue
        stalls = 0
        log.debug("sent %d of %d bytes", status.resumable_progress if status else media.size(), media.size())
        if progress is not None:
            progress(status.resumable_progress if status else media.size(), media.size())
    return response


def _stalled(offset: int, size: int) -> YouTubeError:
    return YouTubeError(
        f"YouTube acknowledged no new bytes of the video after {MAX_STALLS} tries (it holds {offset:,} of "
        f"{size:,}), so the upload stopped; nothing is lost: run the same `upload` again later to resume it, "
        "or add --restart to start a new upload"
    )


def _follow_ups(store: LedgerStore, plan: UploadPlan, service: Any, video_id: str, retry: RetryPolicy,
                written: Callable[[], None]) -> list[str]:
    """Send each follow-up step, recording each as done; a failed one stays pending for the rerun."""
    requests = follow_up_requests(service, plan, video_id)
    done, failures = [], []
    for step in plan.follow_ups:
        log.info("%s for video %s", FOLLOW_UP_CALLS[step], video_id)
        try:
            with_retries(_once(store, service, plan, step, video_id, requests[step]), retry)
        except (HttpError, YouTubeError, *SIGN_IN_ERRORS, *TRANSPORT_ERRORS) as exc:
            failures.append(_step_failure(plan, step, exc))
            if not isinstance(exc, (HttpError, YouTubeError)) or is_quota(exc):
                break  # every later step would fail the same way
            continue
        if step != "captions":  # the caption step records its track and itself in one write
            store.update_entry(plan.slug, pending=lambda entry, step=step: [p for p in entry.pending if p != step])
        written()
        done.append(step)
    if failures:
        pending = list(store.view.ledger.episodes[plan.slug].pending)
        raise FollowUpFailed(
            f"the video is uploaded ({video_url(video_id)}), but {'; '.join(failures)}. Still to do: "
            f"{', '.join(pending)}; once that is sorted out, run {command_line('upload ' + plan.slug)} again: it "
            "sends only the steps left and needs no video file",
            video_id=video_id, url=video_url(video_id), done=done, pending=pending,
        )
    return done


def _once(store: LedgerStore, service: Any, plan: UploadPlan, step: str, video_id: str,
          request: Any) -> Callable[[], Any]:
    """The step's call for ``with_retries``. Adding to a playlist is not idempotent: an answer lost on the
    way back (in this run, or in one before that left the step pending) may hide that YouTube acted, and
    httplib2 itself sends a request again on a dropped connection. So the video's items in the playlist
    are asked for first (1 unit) and after (1 unit), and any added twice is taken out again. A caption
    track is recorded with its step (see ``captioner.send_new_track``)."""
    if step == "captions":
        assert plan.captions is not None
        track = plan.captions
        return lambda: send_new_track(store, plan.slug, service, track, video_id, request)
    if step != "playlist":
        return request.execute
    playlist = str(plan.playlist)

    def call() -> Any:
        if not playlist_items_of(service, playlist, video_id):
            request.execute()
        for extra in playlist_items_of(service, playlist, video_id)[1:]:
            log.warning("video %s is in playlist %s twice (an answer was lost); removing the second item",
                        video_id, playlist)
            service.playlistItems().delete(id=extra).execute()
    return call


def _step_failure(plan: UploadPlan, step: str, exc: BaseException) -> str:
    """What went wrong with one follow-up step, in a creator's words."""
    what = plan.words(step).failed
    if isinstance(exc, HttpError):
        status, reason = exc.resp.status, error_reason(exc)
        if step == "thumbnail" and status == 403 and not is_quota(exc) and reason not in RATE_LIMIT_REASONS:
            return (f"{what}: YouTube refused it (403 {reason or 'forbidden'}): a channel may set custom thumbnails "
                    "only once it is verified; verify it at https://www.youtube.com/verify (with a phone number) "
                    "and wait until YouTube Studio offers custom thumbnails")
        if step == "playlist" and status == 404 and reason == "playlistNotFound":
            return (f"{what}: YouTube has no such playlist (404 playlistNotFound); correct upload.playlist "
                    f"in {plan.episode_file} or channel.yaml (the id starts with PL)")
        if step == "captions" and plan.captions and (why := caption_refusal(plan.captions, plan.episode_file,
                                                                              status, reason)):
            return f"{what}: {why}"
    if isinstance(exc, YouTubeError):
        return f"{what}: {str(exc).rstrip('.')}"
    if isinstance(exc, (HttpError, *SIGN_IN_ERRORS)):
        return f"{what}: {str(youtube_error(exc, method=FOLLOW_UP_CALLS[step])).rstrip('.')}"
    return f"{what}: YouTube could not be reached ({type(exc).__name__})"


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def locked_private_warning(plan: UploadPlan, resource: dict[str, Any]) -> list[str]:
    """YouTube keeps uploads of unaudited API projects private and drops their schedule: told by the status
    the upload answered, which is not what was asked."""
    status = resource.get("status", {})
    asked = plan.body["status"]
    if status.get("privacyStatus") == asked["privacyStatus"] and _instant(status.get("publishAt")) == _instant(
        asked.get("publishAt")
    ):
        return []
    wanted = f"a release at {asked['publishAt']}" if asked.get("publishAt") else asked["privacyStatus"]
    return [
        f"YouTube kept video {resource.get('id')} {status.get('privacyStatus', 'private')}, not {wanted} as the "
        "upload asked: YouTube locks uploads from an API project that Google has not audited (projects created "
        "after 2020-07-28) as private and drops their release time. The video is uploaded and recorded; set its "
        "visibility or release time in YouTube Studio, and request the audit of your API project at "
        f"{AUDIT_FORM} so later uploads keep their settings."
    ]
