"""One episode file: ``episodes/<slug>.yaml``."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from .base import StrictModel
from .reference import KEY_PATTERN, CitationKey, Reference
from .slug import SLUG_PATTERN as SLUG
from .slug import check_slug, suggest_slug

VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIDEO_URL = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtu\.be/|youtube\.com/(?:watch\?(?:.*&)?v=|shorts/|live/|embed/))"
    r"(?P<id>[A-Za-z0-9_-]{11})(?:[?&#].*)?$"
)
_TIMESTAMP = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)$")
LOCAL_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def video_id_from(value: str) -> str:
    """The 11-character id in a YouTube URL or a bare id; ``ValueError`` otherwise."""
    value = value.strip()
    if VIDEO_ID.fullmatch(value):
        return value
    match = _VIDEO_URL.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a YouTube video URL or 11-character video id")
    return match.group("id")


def parse_timestamp(value: str) -> int:
    """Seconds in a chapter timestamp such as ``0:00``, ``12:34`` or ``1:02:03``."""
    match = _TIMESTAMP.fullmatch(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a timestamp like 0:00, 4:05 or 1:02:03")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


class InlineReference(Reference):
    """A reference written inside the episode file; it needs its own id."""

    id: Annotated[str, Field(pattern=KEY_PATTERN)]


def _citation_kind(value: object) -> str:
    return "entry" if isinstance(value, dict | InlineReference) else "key"


Citation = Annotated[
    Annotated[CitationKey, Tag("key")] | Annotated[InlineReference, Tag("entry")],
    Discriminator(_citation_kind),
]


class ScriptSection(StrictModel):
    """A part of the spoken script; ``[@key]`` in the body becomes a numbered cue."""

    heading: str = Field(min_length=1)
    body: str = Field(min_length=1)


class ReferencedVideo(StrictModel):
    """A video mentioned in this one: a YouTube URL or id with its title, or another episode."""

    title: str | None = Field(None, description="Required with url; defaults to the episode's title")
    url: str | None = Field(None, description="A YouTube URL or 11-character video id")
    episode: Annotated[str, Field(pattern=SLUG)] | None = Field(
        None, description="Slug of another episode of this channel"
    )

    @field_validator("episode", mode="before")
    @classmethod
    def _slug(cls, value: object) -> object:
        message = check_slug(value.strip()) if isinstance(value, str) else None
        if message:  # the pattern above stays for the JSON Schema; this says it in words
            raise ValueError(f"{message}; did you mean {suggest_slug(value)!r}?")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> ReferencedVideo:
        if bool(self.url) == bool(self.episode):
            raise ValueError("give either 'url' (with 'title') or 'episode', not both or neither")
        if self.url:
            video_id_from(self.url)
            if not self.title:
                raise ValueError("a video given by 'url' needs a 'title'")
        return self

    @property
    def video_id(self) -> str | None:
        return video_id_from(self.url) if self.url else None


class Chapter(StrictModel):
    """A chapter marker shown in the description (YouTube builds chapters from these)."""

    at: str = Field(description="Start time, e.g. 0:00 or 12:34")
    title: str = Field(min_length=1)

    @field_validator("at", mode="before")
    @classmethod
    def _valid_timestamp(cls, value: object) -> object:
        if isinstance(value, str):
            parse_timestamp(value)
        return value

    @property
    def seconds(self) -> int:
        return parse_timestamp(self.at)


class UploadSettings(StrictModel):
    """How the video is uploaded; unset values come from the channel's defaults."""

    privacy: Literal["private", "unlisted", "public"] | None = None
    category: int | None = Field(None, description="YouTube category id, e.g. 27 = Education")
    made_for_kids: bool | None = None
    language: str | None = Field(None, description="BCP-47 language of title and description")
    playlist: str | None = Field(None, description="Playlist id to add the video to")
    thumbnail: str | None = Field(None, description="Image path, relative to the channel folder")
    video: str | None = Field(None, description="Video file path, relative to the channel folder")


class Episode(StrictModel):
    """Everything one video publishes: script, description, references, upload settings."""

    title: str = Field(min_length=1)
    schedule: Literal["next"] | datetime | None = Field(
        None, description="'next' (first free release slot) or a local date-time 'YYYY-MM-DD HH:MM'"
    )
    extra: bool = Field(False, description="Published outside the weekly slots on purpose")
    summary: list[str] = Field(min_length=1, description="Paragraphs at the top of the description")
    script: list[ScriptSection] = Field(default_factory=list)
    videos: list[ReferencedVideo] = Field(default_factory=list, description="Videos referenced")
    citations: list[Citation] = Field(
        default_factory=list, description="Keys of references.yaml, or entries written here with an id"
    )
    disclaimer: str = Field(
        "inherit", description="'inherit' (the channel's), 'none', or the text to use instead"
    )
    tags: list[str] = Field(default_factory=list, description="Added to the channel's default tags")
    chapters: list[Chapter] = Field(default_factory=list)
    upload: UploadSettings = Field(default_factory=UploadSettings)

    @field_validator("schedule", mode="before")
    @classmethod
    def _local_datetime(cls, value: object) -> object:
        if isinstance(value, date) and not isinstance(value, datetime):
            raise ValueError("give a time as well as a date, e.g. '2026-12-02 09:00'")
        if isinstance(value, str) and value != "next":
            for fmt in LOCAL_TIME_FORMATS:
                try:
                    return datetime.strptime(value.strip(), fmt)
                except ValueError:
                    continue
            raise ValueError(f"{value!r} is not 'next' or a local date-time like '2026-12-02 09:00'")
        if isinstance(value, datetime) and value.tzinfo is not None:
            raise ValueError("write the local time without a zone; the channel's time zone applies")
        return value

    @field_validator("summary", "tags")
    @classmethod
    def _no_blank_items(cls, items: list[str]) -> list[str]:
        if any(not item.strip() for item in items):
            raise ValueError("items may not be empty")
        return items
