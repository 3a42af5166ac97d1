"""Caption tracks on the wire: the requests (the same objects for a dry run and a real run), the upload's
follow-up step, and what the ledger records of each track YouTube accepted.

``captions.insert`` sends the SubRip file as a multipart upload with the snippet (``videoId``,
``language``, ``name``, ``isDraft``); ``sync`` is never sent (YouTube retired it). ``captions.update``
sends a new file with ``part=snippet`` and the track's draft state as YouTube has it, so a track the
creator published in Studio stays published; its answer carries the new ``lastUpdated``. Inserting is
not safe to repeat: a second insert of one language and name is ``409 captionExists``, which is what an
answer lost on the way back (or an insert already made before a crash) looks like, so the track of that
language and name is then read back (``captions.list``, ``captions.download``) and recorded when it holds
exactly these cues; any other such track is the creator's, and the step fails naming it.
"""

from __future__ import annotations

import logging
from typing import Any

from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from ..errors import YouTubeError, command_line
from ..ledger import LedgerStore
from ..models.captionsettings import CAPTION_NAME_MAX_CHARS
from ..models.ledger import CaptionRecord
from ..pipeline.captions import srt_cue_lines
from ..publish.captiontrack import SUBRIP_TYPE, TrackToSend
from .client import error_reason

log = logging.getLogger(__name__)


def _media(track: TrackToSend) -> MediaInMemoryUpload:
    return MediaInMemoryUpload(track.data, mimetype=SUBRIP_TYPE, resumable=False)


def insert_request(service: Any, track: TrackToSend, video_id: str) -> Any:
    """``captions.insert`` of ``track`` on the video ``video_id``."""
    return service.captions().insert(part="snippet", body={"snippet": track.snippet(video_id)}, media_body=_media(track))


def update_request(service: Any, track: TrackToSend, caption_id: str, draft: bool) -> Any:
    """``captions.update``: ``track``'s file replaces the track ``caption_id``, whose draft state stays ``draft``."""
    body = {"id": caption_id, "snippet": {"isDraft": draft}}
    return service.captions().update(part="snippet", body=body, media_body=_media(track))


def list_tracks(service: Any, video_id: str) -> list[dict[str, Any]]:
    """``captions.list`` of the video (50 units): each track's snippet, never its text."""
    return service.captions().list(part="snippet", videoId=video_id).execute().get("items", [])


def download_lines(service: Any, caption_id: str) -> list[str] | None:
    """``captions.download`` as SubRip (200 units), in the form of ``TrackToSend.lines``; None when YouTube's
    answer is not SubRip."""
    data = service.captions().download_media(id=caption_id, tfmt="srt").execute()
    text = data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else str(data)
    return srt_cue_lines(text)


def describe(request: Any, body: dict[str, Any], track: TrackToSend) -> dict[str, Any]:
    """A caption request as a dry run shows it: its call, method, address, the snippet and the file."""
    call = "captions.insert" if request.method == "POST" else "captions.update"
    return {"call": call, "method": request.method, "url": request.uri, "body": body,
            "media": {"file": f"(the caption track: {len(track.lines)} cues, SubRip)", "bytes": len(track.data),
                      "mimetype": SUBRIP_TYPE}}


def send_new_track(store: LedgerStore, slug: str, service: Any, track: TrackToSend, video_id: str,
                   request: Any) -> None:
    """The upload's ``captions`` step: insert ``track`` (``request``) and record it with the step done."""
    made = insert_track(service, track, video_id, request)
    record = track.record(made["id"], made.get("snippet", {}).get("name", track.name),
                          made.get("snippet", {}).get("lastUpdated"))
    store.update_entry(slug, captions=lambda entry: merged(entry.captions, [record]),
                       pending=lambda entry: [step for step in entry.pending if step != "captions"])


def insert_track(service: Any, track: TrackToSend, video_id: str, request: Any) -> dict[str, Any]:
    """Send ``request`` (the ``captions.insert`` of ``track``); after ``409 captionExists`` the track of that
    language and name, when it holds these very cues (see the module's docstring)."""
    try:
        return request.execute()
    except HttpError as exc:
        if exc.resp.status != 409 or error_reason(exc) != "captionExists":
            raise
        return _already_there(service, track, video_id)


def _already_there(service: Any, track: TrackToSend, video_id: str) -> dict[str, Any]:
    """The video's track of ``track``'s language and name, when it holds ``track``'s cues (a lost answer)."""
    same = [item for item in list_tracks(service, video_id)
            if item.get("snippet", {}).get("language") == track.language and item["snippet"].get("name") == track.name]
    if same and download_lines(service, same[0]["id"]) == list(track.lines):
        log.warning("video %s already had this caption track (an answer was lost): recorded", video_id)
        return same[0]
    raise YouTubeError(
        f"the video already has a {track.language} caption track named {track.name!r} that holds other cues "
        "(made in YouTube Studio, or sent from an older script); it was left as it is. Give the new track another "
        "name (captions.name), or delete that track in YouTube Studio, then run the upload again"
    )


def caption_refusal(track: TrackToSend, episode_file: str, status: int, reason: str) -> str | None:
    """What YouTube's refusal of a caption track means, for the errors that are the creator's to fix."""
    if status == 403 and reason == "forbidden":
        return ("YouTube refused it (403 forbidden): the signed-in account must own the video, and its sign-in "
                f"must allow managing captions ({command_line('auth login')} asks for that)")
    if status == 400 and reason in ("invalidMetadata", "nameTooLong"):
        return (f"YouTube refused the track's language {track.language!r} or its name {track.name!r} ({reason}); "
                f"set upload.language to a language code YouTube knows and captions.name to at most "
                f"{CAPTION_NAME_MAX_CHARS} characters, in {episode_file} or channel.yaml")
    return None


def merged(records: list[CaptionRecord], new: list[CaptionRecord]) -> list[CaptionRecord]:
    """The ledger's tracks with each of ``new`` in the place of the record of its id, or added at the end."""
    by_id = {record.id: record for record in new}
    kept = [by_id.pop(record.id, record) for record in records]
    return kept + list(by_id.values())


def live_record(item: dict[str, Any]) -> CaptionRecord:
    """A track found on YouTube (``captions.list``), as the ledger keeps one episodekit did not send."""
    snippet = item.get("snippet", {})
    return CaptionRecord(id=item["id"], language=str(snippet.get("language", "")), name=str(snippet.get("name", "")),
                         last_updated=snippet.get("lastUpdated") or None)
