"""Caption tracks: ``captions.insert``, ``update``, ``list``, ``delete`` and ``download``.

As the method reference pages describe them (developers.google.com/youtube/v3/docs/captions, checked
2026): a track belongs to a video, has a ``snippet`` (``videoId``, ``language``, ``name`` of at most
150 characters, ``isDraft``, ``trackKind``, ``lastUpdated``, ``status`` ...) and a file; ``sync`` is
retired, so the file must carry its own times. Costs: insert 400, update 450, list 50, delete 50,
download 200.

* ``insert`` (``POST /upload/youtube/v3/captions``, multipart, resumable or media upload): the snippet
  must name ``videoId`` and ``language`` (else 400 ``invalidMetadata``), a ``name`` over 150
  characters is 400 ``nameTooLong``, no file is 400 ``contentRequired``, an unknown video 404
  ``videoNotFound``, another channel's video 403 ``forbidden``; a second track with the same language
  and name on one video is 409 ``captionExists`` (a video may have several tracks of one language,
  each with its own name).
* ``update`` (``PUT``, with a new file or without): the body's ``id`` must be a track (404
  ``captionNotFound``); with ``part=snippet`` only ``isDraft`` changes, with ``part=id`` the draft state
  is kept; a new file replaces the old one. Every write sets a new ``lastUpdated``.
* ``list`` (``GET /youtube/v3/captions?videoId=``) gives the snippets, never the text; ``id`` narrows it
  (404 ``captionNotFound`` for an unknown one).
* ``download`` (``GET /youtube/v3/captions/{id}``) gives the stored file; ``tfmt=srt`` or ``vtt``
  converts a SubRip file (the fake converts those two only).

A file the fake cannot read as SubRip or WebVTT is kept with ``status: failed`` and ``failureReason:
unknownFormat``, as YouTube does with a file it cannot process. The fake's own choices: the order of the
checks, and the reason for a ``tfmt`` it does not convert.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import timedelta

from .errors import ApiError, bad, json_response, not_found
from .videos import etag, parse_parts

CAPTION_COSTS = {"captions.insert": 400, "captions.update": 450, "captions.list": 50, "captions.delete": 50,
                 "captions.download": 200}
CAPTION_PARTS = frozenset({"id", "snippet"})
MAX_NAME_CHARS = 150
DOWNLOAD_PREFIX = "/youtube/v3/captions/"
INVALID_METADATA = ("The request contains invalid metadata values, which prevent the track from being created. "
                    "Confirm that the request specifies valid values for the snippet.language, snippet.name, and "
                    "snippet.videoId properties. The snippet.isDraft property can also be included, but it is not "
                    "required.")
NOT_FOUND = "The caption track could not be found. Check the value of the request's id parameter."


@dataclass
class StoredCaption:
    """One track: its full resource and the file as uploaded."""

    resource: dict
    content: bytes

    @property
    def snippet(self) -> dict:
        return self.resource["snippet"]


def caption_op(method: str, name: str) -> str:
    """The op of a request to a captions path (``name`` without ``/upload`` or ``/resumable``), else "unknown"."""
    if name == "/youtube/v3/captions":
        return {"POST": "captions.insert", "PUT": "captions.update", "GET": "captions.list",
                "DELETE": "captions.delete"}.get(method, "unknown")
    if method == "GET" and name.startswith(DOWNLOAD_PREFIX) and len(name) > len(DOWNLOAD_PREFIX):
        return "captions.download"
    return "unknown"


def _cues_in(content: bytes) -> int:
    """How many cues a SubRip or WebVTT file holds (0: not a caption file the fake reads)."""
    import srt

    text = content.decode("utf-8-sig", "replace")
    if text.lstrip().startswith("WEBVTT"):
        return text.count("-->")
    try:
        return len(list(srt.parse(text)))
    except (srt.SRTParseError, ValueError):
        return 0


def _as_vtt(content: bytes) -> bytes:
    import srt

    cues = srt.parse(content.decode("utf-8-sig"))
    stamp = lambda t: srt.timedelta_to_srt_timestamp(t).replace(",", ".")  # noqa: E731
    body = "".join(f"\n{stamp(c.start)} --> {stamp(c.end)}\n{c.content}\n" for c in cues)
    return ("WEBVTT\n" + body).encode("utf-8")


class CaptionsMixin:
    """The caption half of ``FakeYouTube``: its state is ``captions`` (id -> ``StoredCaption``)."""

    # ---- seeding and inspection (as if done in YouTube Studio) ----------------
    def add_caption(self, video_id: str, *, language: str = "en", name: str = "", content: bytes = b"",
                    draft: bool = False, kind: str = "standard") -> str:
        """Store a track on ``video_id`` as if made in YouTube Studio (``kind="asr"``: automatic captions)."""
        with self._lock:
            return self._store_caption(video_id, {"language": language, "name": name, "isDraft": draft}, content,
                                       kind=kind)

    def edit_caption(self, caption_id: str, *, content: bytes | None = None, draft: bool | None = None) -> None:
        """Change a track as a creator does in YouTube Studio: its text, or publish (draft=False) it."""
        with self._lock:
            stored = self.captions[caption_id]
            if content is not None:
                stored.content = content
            if draft is not None:
                stored.snippet["isDraft"] = draft
            self._touch(stored)

    def caption_text(self, caption_id: str) -> str:
        return self.captions[caption_id].content.decode("utf-8")

    def captions_of(self, video_id: str) -> list[StoredCaption]:
        return [c for c in self.captions.values() if c.snippet["videoId"] == video_id]

    def _with_caption_flag(self, item: dict, parts: list[str]) -> dict:
        """``contentDetails.caption`` of a listed video: "true" when it has a track besides automatic ones."""
        if "contentDetails" in parts:
            tracks = [c for c in self.captions_of(item["id"]) if c.snippet["trackKind"] != "asr"]
            item.setdefault("contentDetails", {})["caption"] = "true" if tracks else "false"
        return item

    # ---- the API methods ----------------------------------------------------
    def _captions_insert(self, entry, headers, body):
        parse_parts(entry["query"].get("part"), CAPTION_PARTS)
        metadata = (entry["body"] or {}) if entry["query"].get("uploadType") == "resumable" else {}
        if entry["query"].get("uploadType") == "resumable":
            self._check_caption_insert(metadata, entry["channel"])
        return self._start_upload("captions.insert", entry, headers, body, metadata)

    def _captions_update(self, entry, headers, body):
        parts = parse_parts(entry["query"].get("part"), CAPTION_PARTS)
        if entry["query"].get("uploadType"):  # a new file, with or without metadata
            metadata = (entry["body"] or {}) if entry["query"].get("uploadType") == "resumable" else {}
            return self._start_upload("captions.update", entry, headers, body, metadata)
        stored = self._caption_for_write((entry["body"] or {}).get("id"), entry["channel"])
        return self._write_caption(stored, entry["body"] or {}, parts, None)

    def _captions_list(self, entry, headers, body):
        query = entry["query"]
        parts = parse_parts(query.get("part"), CAPTION_PARTS)
        video_id = query.get("videoId")
        if not video_id:
            raise ApiError(400, "missingRequiredParameter", "No filter selected. Expected one of: videoId",
                           domain="youtube.parameter", location="videoId", location_type="parameter")
        self._owned_video(video_id, entry["channel"], "retrieve the caption tracks")
        items = self.captions_of(video_id)
        if query.get("id"):
            wanted = [i for i in query["id"].split(",") if i]
            items = [c for c in items if c.resource["id"] in wanted]
            if len(items) < len(wanted):
                raise not_found("captionNotFound", NOT_FOUND, domain="youtube.caption")
        shown = [_project(c.resource, parts) for c in items]
        return json_response(200, {"kind": "youtube#captionListResponse", "etag": etag({"i": shown}), "items": shown})

    def _captions_delete(self, entry, headers, body):
        stored = self._caption_for_write(entry["query"].get("id"), entry["channel"])
        del self.captions[stored.resource["id"]]
        return 204, {}, b""

    def _captions_download(self, entry, headers, body):
        caption_id = entry["path"].rstrip("/").rsplit("/", 1)[1]
        stored = self._caption_for_write(caption_id, entry["channel"], "download the caption track")
        fmt = entry["query"].get("tfmt")
        if entry["query"].get("tlang"):
            raise bad("invalidValue", "This fake does not translate caption tracks (tlang).", "tlang",
                      domain="youtube.parameter")
        if fmt not in (None, "srt", "vtt"):
            raise bad("invalidValue", f"This fake converts caption tracks to srt and vtt only, not {fmt!r}.",
                      "tfmt", domain="youtube.parameter")
        content = stored.content
        if fmt == "vtt" and not content.lstrip().startswith(b"WEBVTT"):
            content = _as_vtt(content)
        return 200, {"Content-Type": "application/octet-stream"}, content

    # ---- shared rules ---------------------------------------------------------
    def _check_caption_insert(self, metadata: dict, channel: str | None) -> None:
        snippet = metadata.get("snippet") if isinstance(metadata.get("snippet"), dict) else {}
        language, name = snippet.get("language"), snippet.get("name", "")
        if not isinstance(snippet.get("videoId"), str) or not isinstance(language, str) or not language.strip() \
                or not isinstance(name, str) or not isinstance(snippet.get("isDraft", False), bool):
            raise bad("invalidMetadata", INVALID_METADATA, domain="youtube.caption")
        if len(name) > MAX_NAME_CHARS:
            raise bad("nameTooLong", "The snippet.name specified in the request is too long. The maximum length "
                      f"supported is {MAX_NAME_CHARS} characters.", "body.snippet.name", domain="youtube.caption")
        self._owned_video(snippet["videoId"], channel, "upload the caption track")
        for other in self.captions_of(snippet["videoId"]):
            if other.snippet["language"] == language and other.snippet["name"] == name:
                raise ApiError(409, "captionExists", "The specified video already has a caption track with the "
                               "given snippet.language and snippet.name values. A video can have multiple tracks "
                               "for the same language, but each track must have a different name.",
                               domain="youtube.caption")

    def _owned_video(self, video_id: str, channel: str | None, what: str) -> dict:
        if video_id not in self.videos:
            raise not_found("videoNotFound", "The video identified by the videoId parameter could not be found.",
                            domain="youtube.caption")
        if not self._owns(channel, self.videos[video_id]):  # another channel's video (or marked not owned)
            raise ApiError(403, "forbidden", f"The permissions associated with the request are not sufficient to "
                           f"{what}. The request might not be properly authorized.", domain="youtube.caption")
        return self.videos[video_id]

    def _caption_for_write(self, caption_id: object, channel: str | None,
                           what: str = "update the caption track") -> StoredCaption:
        stored = self.captions.get(caption_id) if isinstance(caption_id, str) else None
        if stored is None:
            raise not_found("captionNotFound", NOT_FOUND, domain="youtube.caption")
        self._owned_video(stored.snippet["videoId"], channel, what)
        return stored

    def _finish_caption(self, op: str, query: dict, metadata: dict, data: bytes, channel: str | None):
        """The end of a caption upload (multipart, media or the last chunk of a resumable one)."""
        parts = parse_parts(query.get("part"), CAPTION_PARTS)
        if not data:
            raise bad("contentRequired", "The request does not contain the caption track contents.",
                      domain="youtube.caption")
        if op == "captions.insert":
            snippet = metadata["snippet"]
            caption_id = self._store_caption(snippet["videoId"], snippet, data)
            return json_response(200, _project(self.captions[caption_id].resource, parts))
        return self._write_caption(self._caption_for_write(metadata.get("id"), channel), metadata, parts, data)

    def _check_caption_metadata(self, op: str, metadata: dict, channel: str | None) -> None:
        if op == "captions.insert":
            self._check_caption_insert(metadata, channel)

    def _write_caption(self, stored: StoredCaption, sent: dict, parts: list[str], data: bytes | None):
        snippet = sent.get("snippet") if isinstance(sent.get("snippet"), dict) else {}
        if "snippet" in parts and "isDraft" in snippet:
            if not isinstance(snippet["isDraft"], bool):
                raise bad("invalidMetadata", INVALID_METADATA, domain="youtube.caption")
            stored.snippet["isDraft"] = snippet["isDraft"]
        if data is not None:
            stored.content = data
            self._set_status(stored)
        self._touch(stored)
        return json_response(200, _project(stored.resource, parts))

    def _store_caption(self, video_id: str, snippet: dict, content: bytes, kind: str = "standard") -> str:
        caption_id = "AUieDa" + self._new_id("caption", 38)
        resource = {"kind": "youtube#caption", "id": caption_id, "snippet": {
            "videoId": video_id, "lastUpdated": "", "trackKind": kind, "language": snippet["language"],
            "name": snippet.get("name", ""), "audioTrackType": "unknown", "isCC": False, "isLarge": False,
            "isEasyReader": False, "isDraft": bool(snippet.get("isDraft", False)), "isAutoSynced": False,
            "status": "serving"}}
        stored = StoredCaption(resource, content)
        self._set_status(stored)
        self._touch(stored)
        self.captions[caption_id] = stored
        return caption_id

    @staticmethod
    def _set_status(stored: StoredCaption) -> None:
        if stored.snippet["trackKind"] == "asr" or _cues_in(stored.content):
            stored.snippet["status"] = "serving"
            stored.snippet.pop("failureReason", None)
        else:
            stored.snippet.update(status="failed", failureReason="unknownFormat")

    def _touch(self, stored: StoredCaption) -> None:
        """A new ``lastUpdated``: the fake's clock, a millisecond later than any before (writes never tie)."""
        self._caption_writes = getattr(self, "_caption_writes", 0) + 1
        moment = self.now() + timedelta(milliseconds=self._caption_writes)
        stored.snippet["lastUpdated"] = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _project(resource: dict, parts: list[str]) -> dict:
    out = {"kind": resource["kind"], "etag": etag(resource), "id": resource["id"]}
    if "snippet" in parts:
        out["snippet"] = copy.deepcopy(resource["snippet"])
    return out
