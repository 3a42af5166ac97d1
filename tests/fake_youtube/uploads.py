"""Media uploads: resumable sessions, multipart bodies, the bytes received."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from . import errors
from .errors import bad, json_response, not_found
from .videos import check_writable, etag, new_video, parse_parts, project

DROP = object()  # a handler result meaning: close the socket without answering


@dataclass
class UploadRecord:
    """What the fake received for one upload: its size and SHA-256 (hex)."""

    size: int
    sha256: str
    content_type: str | None = None


@dataclass
class Session:
    """One resumable upload session, keyed by its ``upload_id``."""

    op: str  # "videos.insert" or "thumbnails.set"
    query: dict[str, str]
    metadata: dict
    content_type: str | None
    total: int | None
    channel: str | None = None  # the channel of the token that opened it: the video lands there
    data: bytearray = field(default_factory=bytearray)
    result: tuple | None = None  # the final response, once complete


def content_range(value: str | None, body_len: int) -> tuple[int | None, int | None, int | None]:
    """``bytes a-b/N`` -> (a, b, N); ``bytes */N`` -> (None, None, N); ``*`` total -> None."""
    if not value:
        return (0, body_len - 1, body_len) if body_len else (None, None, None)
    spec = value.strip().removeprefix("bytes").strip()
    span, _, total = spec.partition("/")
    size = int(total) if total.strip().isdigit() else None
    if span.strip() == "*":
        return None, None, size
    first, _, last = span.partition("-")
    return int(first), int(last), size


def multipart(body: bytes, content_type: str) -> tuple[dict, bytes, str | None]:
    """Split a multipart/related body into (metadata JSON, media bytes, media type)."""
    boundary = content_type.split("boundary=", 1)[1].strip().strip('"').encode()
    parts = []
    for chunk in body.split(b"--" + boundary)[1:-1]:
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk[1:] if chunk.startswith(b"\n") else chunk
        cut = min((i for i in (chunk.find(b"\r\n\r\n"), chunk.find(b"\n\n")) if i >= 0), default=-1)
        sep = 4 if chunk[cut:cut + 4] == b"\r\n\r\n" else 2
        head, content = chunk[:cut].decode("latin-1"), chunk[cut + sep:]
        content = content[:-2] if content.endswith(b"\r\n") else content[:-1] if content.endswith(b"\n") else content
        ctype = next((line.split(":", 1)[1].strip() for line in head.splitlines()
                      if line.lower().startswith("content-type:")), None)
        parts.append((ctype, content))
    (_, meta), (media_type, media) = parts[0], parts[1]
    return json.loads(meta or b"{}"), media, media_type


class UploadsMixin:
    """The upload half of ``FakeYouTube`` (uses its state and lock-held context)."""

    def _start_upload(self, op: str, entry: dict, headers, body: bytes, metadata: dict):
        """Shared by videos.insert and thumbnails.set: resumable, multipart or media."""
        upload_type = entry["query"].get("uploadType", "")
        media_type = headers.get("X-Upload-Content-Type") or headers.get("Content-Type")
        if upload_type == "resumable":
            length = headers.get("X-Upload-Content-Length")
            upload_id = "fake-" + self._new_id("upload", 24)
            self._sessions[upload_id] = Session(op, entry["query"], metadata, media_type,
                                                 int(length) if length else None, entry["channel"])
            part = f"&part={entry['query']['part']}" if entry["query"].get("part") else ""
            location = (f"{self.root_url}upload/youtube/v3/{entry['path'].split('/v3/', 1)[1]}"
                        f"?uploadType=resumable{part}&upload_id={upload_id}")
            return 200, {"Location": location, "X-GUploader-UploadID": upload_id}, b""
        if upload_type == "multipart":
            try:
                metadata, body, media_type = multipart(body, headers.get("Content-Type", ""))
            except (IndexError, ValueError):
                raise bad("badContent", "Unreadable multipart/related body.", domain="global") from None
            self._check_metadata(op, entry["query"], metadata, entry["channel"])
        if not body and not op.startswith("captions."):  # a caption upload says contentRequired (captions.py)
            raise bad("mediaBodyRequired", "The request does not include the media content.")
        return self._finish(op, entry["query"], metadata, bytes(body), media_type, entry["channel"])

    def _upload_put(self, entry: dict, headers, body: bytes):
        session = self._sessions.get(entry["query"]["upload_id"])
        if session is None:
            raise not_found("notFound", "No upload session with that upload_id.", domain="global")
        if session.result is not None:
            return session.result
        try:
            first, last, total = content_range(entry["content_range"], len(body))
        except ValueError:
            raise bad("badContent", "Unreadable Content-Range header.", domain="global") from None
        if total is not None:
            session.total = total
        if entry["op"].endswith(".status"):
            return self._resume_incomplete(session)
        self._chunks_seen += 1
        number = self._chunks_seen
        if number in self._chunk_fail:
            raise errors.injected(self._chunk_fail.pop(number))
        if self._stall_from is not None and number >= self._stall_from:
            return self._resume_incomplete(session)
        drop = self._chunk_drop.pop(number, None)
        if last - first + 1 != len(body):
            raise bad("badContent", "Content-Range does not match the body length.", domain="global")
        if first != len(session.data):  # not at the acknowledged offset: keep nothing
            return DROP if drop is not None else self._resume_incomplete(session)
        session.data += body if drop is None else body[:drop]
        if drop is not None:
            return DROP
        if session.total is not None and len(session.data) >= session.total:
            if len(session.data) > session.total:
                raise bad("badContent", "More bytes than the declared total.", domain="global")
            session.result = self._finish(session.op, session.query, session.metadata,
                                          bytes(session.data), session.content_type, session.channel)
            return session.result
        return self._resume_incomplete(session)

    @staticmethod
    def _resume_incomplete(session: Session):
        received = len(session.data)
        return 308, ({"Range": f"bytes=0-{received - 1}"} if received else {}), b""

    def _finish(self, op: str, query: dict, metadata: dict, data: bytes, media_type: str | None,
                channel: str | None):
        if op.startswith("captions."):
            return self._finish_caption(op, query, metadata, data, channel)
        record = UploadRecord(len(data), hashlib.sha256(data).hexdigest(), media_type)
        if op == "thumbnails.set":
            video_id = query["videoId"]
            self.thumbnails[video_id] = record
            url = f"{self.root_url}vi/{video_id}/"
            items = {"default": {"url": url + "default.jpg", "width": 120, "height": 90},
                     "medium": {"url": url + "mqdefault.jpg", "width": 320, "height": 180},
                     "high": {"url": url + "hqdefault.jpg", "width": 480, "height": 360}}
            self.videos[video_id]["snippet"]["thumbnails"] = items
            response = {"kind": "youtube#thumbnailSetResponse", "items": [items]}
            return json_response(200, {**response, "etag": etag(response)})
        video_id = self._new_id("video")
        channel = channel or self.channel_id
        self.videos[video_id] = new_video(video_id, metadata, channel_id=channel, channel_title=self._title_of(channel),
                                          now=self.now(), thumbnail_root=self.root_url)
        if self.unaudited:  # an unaudited API project: locked private, no schedule
            self.videos[video_id]["status"]["privacyStatus"] = "private"
            self.videos[video_id]["status"].pop("publishAt", None)
        self.uploads[video_id] = record
        return json_response(200, project(self.videos[video_id], parse_parts(query.get("part"))))

    def _check_metadata(self, op: str, query: dict, metadata: dict, channel: str | None) -> None:
        if op == "videos.insert":
            check_writable(metadata, parse_parts(query.get("part")), self.now(), updating=False)
        elif op.startswith("captions."):
            self._check_caption_metadata(op, metadata, channel)
