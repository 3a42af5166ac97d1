"""The caption track an episode sends to YouTube, decided before any network call.

A published track is SubRip (``srt``), made from the script as ``captions`` makes it: timed from the
audio when there is a video to align it to (``upload``'s video, else ``upload.video``) and the ``align``
extra, else by the estimate. What was sent is kept in the ledger as hashes (``CaptionRecord``): of its
cues as sent (times and text), and of its spoken words alone, so a track timed from the audio is compared
by its words (a published video's audio never changes) and an estimated one by its cues.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import AlignmentError
from ..models.captionsettings import caption_setting
from ..models.ledger import CaptionRecord, sha256_text
from ..pipeline.build import EpisodeBuild
from ..pipeline.captionfile import measure
from ..pipeline.captions import Measured, caption_track, spoken_of, srt_cue_lines
from ..workspace import Workspace

Timing = Literal["estimate", "audio"]
SUBRIP_TYPE = "application/octet-stream"  # captions.insert takes text/xml, application/octet-stream or */*


@dataclass(frozen=True)
class TrackToSend:
    """One caption track as it goes to YouTube: the SubRip file and the snippet of ``captions.insert``."""

    slug: str
    language: str
    name: str
    draft: bool
    srt: str
    lines: tuple[str, ...]  # its cues as sent, one line each (``srt_cue_lines``): what is hashed and diffed
    spoken: str
    timing: Timing
    notes: tuple[str, ...] = ()

    @property
    def sent_hash(self) -> str:
        """The hash of the cues sent, as the ledger keeps it."""
        return lines_hash(self.lines)

    @property
    def words_hash(self) -> str:
        """The hash of the spoken words."""
        return sha256_text(self.spoken)

    @property
    def data(self) -> bytes:
        """The SubRip file as bytes."""
        return self.srt.encode("utf-8")

    def snippet(self, video_id: str) -> dict[str, Any]:
        """The ``snippet`` part of ``captions.insert`` for the video ``video_id``."""
        return {"videoId": video_id, "language": self.language, "name": self.name, "isDraft": self.draft}

    def record(self, caption_id: str, name: str, last_updated: str | None) -> CaptionRecord:
        """What the ledger keeps once YouTube holds this track as ``caption_id`` (named ``name`` there)."""
        return CaptionRecord(id=caption_id, language=self.language, name=name, sent=self.sent_hash,
                             words=self.words_hash, timing=self.timing, last_updated=last_updated or None)

    def state(self) -> str:
        """``a draft`` or ``published``, as messages say what a new track becomes."""
        return "a draft to review and publish in YouTube Studio" if self.draft else "published"


def lines_hash(lines: tuple[str, ...] | list[str]) -> str:
    """The hash the ledger keeps of a track's cues (``CaptionRecord.sent``)."""
    return sha256_text("".join(f"{line}\n" for line in lines))


def wants_track(ws: Workspace, build: EpisodeBuild) -> bool:
    """Whether the episode sends a caption track: its script has spoken words and ``captions.upload`` is on."""
    assert build.resolved is not None and build.loaded is not None
    if not caption_setting(build.loaded.model.captions, ws.channel.captions, "upload"):
        return False
    return bool(spoken_of(build.resolved))


def track_to_send(ws: Workspace, build: EpisodeBuild, audio: Path | None) -> TrackToSend | None:
    """The track of ``build`` (a valid episode), timed from ``audio`` when it can be, else by the estimate;
    None when the episode sends none (see :func:`wants_track`)."""
    if not wants_track(ws, build):
        return None
    assert build.resolved is not None and build.loaded is not None
    measured, notes = _measured(build, audio) if audio is not None else (None, [])
    track = caption_track(build.resolved, measured, notes)
    text = track.as_format("srt")
    own, channel = build.loaded.model.captions, ws.channel.captions
    return TrackToSend(
        slug=build.slug, language=track.language or "en", name=str(caption_setting(own, channel, "name")),
        draft=bool(caption_setting(own, channel, "draft")), srt=text, lines=tuple(srt_cue_lines(text) or ()),
        spoken=track.spoken(), timing="audio" if measured is not None else "estimate", notes=tuple(track.timing.notes),
    )


def video_file(ws: Workspace, build: EpisodeBuild) -> Path | None:
    """The episode's ``upload.video`` when that file is there (the audio to time a new track from)."""
    assert build.loaded is not None
    given = build.loaded.model.upload.video
    path = ws.root / given if given else None
    return path if path is not None and path.is_file() else None


def _measured(build: EpisodeBuild, audio: Path) -> tuple[Measured | None, list[str]]:
    """Word times from ``audio``; a video that cannot be aligned (no ``align`` extra, audio ffmpeg cannot read,
    another language) is timed by the estimate, and the note says why: a caption track never stops an upload."""
    try:
        return measure(build, audio)
    except AlignmentError as exc:
        return None, [f"{str(exc).rstrip('.')}; the caption times are estimated"]
