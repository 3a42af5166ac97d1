"""One episode file: ``episodes/<slug>.yaml``."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .base import Privacy, StrictModel, YesNo
from .captionsettings import CaptionSettings
from .layout import LayoutItem, LayoutPart, TypedOneLine, TypedText, layout_problem
from .reference import DATE_SHAPE, CitationKey, Reference
from .slot import HHMM
from .slug import SLUG_PATTERN as SLUG
from .slug import slug_problem
from .text import (
    TITLE_MAX_CHARS,
    Language,
    Line,
    Paragraph,
    PublicLine,
    PublicParagraph,
    check_paragraph,
    pattern_schema,
    text_schema,
)

_ID = r"[A-Za-z0-9_-]{11}"  # a YouTube video id, as in youtu.be/ID
_VIDEO_PAGE = (
    r"https?://(?:www\.|m\.)?(?:youtu\.be/|youtube\.com/(?:watch\?(?:[^#\s]*&)?v=|shorts/|live/|embed/))"
)
VIDEO_ID = re.compile(f"^{_ID}$")
_VIDEO_URL = re.compile(f"^{_VIDEO_PAGE}(?P<id>{_ID})(?:[?&#]\\S*)?$")
VIDEO_URL_PATTERN = f"^(?:{_ID}|{_VIDEO_PAGE}{_ID}(?:[?&#]\\S*)?)$"  # the same, for the JSON Schema
TIMESTAMP_PATTERN = r"^(?:([0-9]+):)?([0-5]?[0-9]):([0-5][0-9])$"
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
LOCAL_TIME_PATTERN = rf"^[0-9]{{4}}-(?:0?[1-9]|1[0-2])-{_DAY}[ T]{HHMM.pattern}(?::[0-5][0-9])?$"
_VIDEO_URL_SCHEMA = pattern_schema(VIDEO_URL_PATTERN, "a YouTube video URL or 11-character video id")
_DATE_TIME_SHAPE = re.compile(DATE_SHAPE.pattern + r"[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?")  # a real one or not
LOCAL_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
# years a release time may have: Python's datetime ends in 9999, and a zone's offset must not push it past
RELEASE_YEARS = range(1970, 9999)


def release_year_problem(moment: datetime) -> str | None:
    """Why ``moment`` cannot be a release time (a year no time zone can convert), or None."""
    if moment.year in RELEASE_YEARS:
        return None
    return f"the year {moment.year} is out of range; a release time is in the years 1970 to 9998"


def video_id_from(value: str) -> str:
    """The 11-character id in a YouTube URL or a bare id; ``ValueError`` otherwise."""
    value = value.strip()
    if VIDEO_ID.fullmatch(value):
        return value
    match = _VIDEO_URL.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a YouTube video URL or 11-character video id")
    return match.group("id")


def video_url(video_id: str) -> str:
    """The short link of a YouTube video: ``https://youtu.be/<id>``."""
    return f"https://youtu.be/{video_id}"


def parse_timestamp(value: str) -> int:
    """Seconds in a chapter timestamp such as ``0:00``, ``12:34`` or ``1:02:03``."""
    match = _TIMESTAMP.fullmatch(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a timestamp like 0:00, 4:05 or 1:02:03")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


class InlineReference(Reference):
    """A reference written inside the episode file; it needs its own id."""

    id: CitationKey


BLANK_LINE_AFTER = Field(False, description="A blank line follows it in its block, as it was typed")


class TypedCitation(StrictModel):
    """A key of references.yaml shown as it was typed in this description; ``refs restyle`` (or ``refs
    verify --fix``) drops ``typed``, and the channel's citation style writes the entry from then on."""

    key: CitationKey
    typed: TypedText = Field(description="The citation as typed in the description, shown exactly")
    blank_line_after: YesNo = BLANK_LINE_AFTER


def _citation_kind(value: object) -> str:
    if isinstance(value, TypedCitation) or isinstance(value, dict) and "key" in value and "id" not in value:
        return "typed"
    return "entry" if isinstance(value, dict | InlineReference) else "key"


Citation = Annotated[
    Annotated[CitationKey, Tag("key")] | Annotated[InlineReference, Tag("entry")]
    | Annotated[TypedCitation, Tag("typed")],
    Discriminator(_citation_kind),
]


def citation_key(citation: str | InlineReference | TypedCitation) -> str:
    """The key an item of ``citations`` cites."""
    if isinstance(citation, InlineReference):
        return citation.id
    return citation.key if isinstance(citation, TypedCitation) else citation


class ScriptSection(StrictModel):
    """A part of the spoken script; ``[@key]`` in the body becomes a numbered cue."""

    heading: Line
    body: Paragraph


class ReferencedVideo(StrictModel):
    """A video mentioned in this one: a YouTube URL or id with its title, or another episode."""

    model_config = ConfigDict(json_schema_extra={
        "oneOf": [{"required": ["url", "title"]}, {"required": ["episode"]}],
        "not": {"required": ["url", "episode"]},
    })

    title: PublicLine | None = Field(
        None, description="Required with url; defaults to the episode's title"
    )
    url: Annotated[str, WithJsonSchema(_VIDEO_URL_SCHEMA)] | None = Field(
        None,
        description="A YouTube URL or 11-character video id",
        examples=["https://youtu.be/2z5krS51pNg", "2z5krS51pNg"],
    )
    episode: Annotated[str, Field(pattern=SLUG)] | None = Field(
        None, description="Slug of another episode of this channel"
    )

    @field_validator("episode", mode="before")
    @classmethod
    def _slug(cls, value: object) -> object:
        message = slug_problem(value.strip()) if isinstance(value, str) else None
        if message:  # the pattern above stays for the JSON Schema; this says it in words
            raise ValueError(message)
        return value

    @field_validator("url")
    @classmethod
    def _youtube_video(cls, value: str | None) -> str | None:
        if value is not None:
            video_id_from(value)
        return value

    @model_validator(mode="after")
    def _one_target(self) -> ReferencedVideo:
        if bool(self.url) == bool(self.episode):
            raise ValueError("give either 'url' (with 'title') or 'episode', not both or neither")
        if self.url and not self.title:
            raise ValueError("a video given by 'url' needs a 'title'")
        return self

    typed: TypedText | None = Field(None, description="The line(s) as typed in the description, shown instead "
                                    "of 'title link'; delete it for the channel's form")
    blank_line_after: YesNo = BLANK_LINE_AFTER

    @property
    def video_id(self) -> str | None:
        """The id in the video's link, or None without a link."""
        return video_id_from(self.url) if self.url else None


class Chapter(StrictModel):
    """A chapter marker shown in the description (YouTube builds chapters from these)."""

    at: str = Field(
        description="Start time, e.g. 0:00 or 12:34",
        examples=["0:00", "1:05", "1:02:03"],
        json_schema_extra=pattern_schema(TIMESTAMP_PATTERN, "a timestamp like 0:00, 4:05 or 1:02:03"),
    )
    title: PublicLine
    typed: TypedOneLine | None = Field(None, description="The line as typed in the description, shown instead of "
                                    "'at title'; delete it for the channel's form")
    blank_line_after: YesNo = BLANK_LINE_AFTER

    @field_validator("at")
    @classmethod
    def _valid_timestamp(cls, value: str) -> str:
        parse_timestamp(value)
        return value

    @property
    def seconds(self) -> int:
        """The chapter's start in seconds."""
        return parse_timestamp(self.at)


class UploadSettings(StrictModel):
    """How the video is uploaded; unset values come from the channel's defaults."""

    privacy: Privacy | None = None
    category: int | None = Field(None, description="YouTube category id, e.g. 27 = Education")
    made_for_kids: YesNo | None = None
    language: Language | None = Field(None, description="BCP-47 language of title and description")
    playlist: str | None = Field(None, description="Playlist id to add the video to")
    thumbnail: str | None = Field(None, description="Image path, relative to the channel folder")
    video: str | None = Field(None, description="Video file path, relative to the channel folder")


SCHEDULE_SCHEMA = {
    "anyOf": [
        {"const": "next"},
        pattern_schema(LOCAL_TIME_PATTERN, "next, or a local date-time like 2026-12-02 09:00"),
        {"type": "null"},
    ],
    "examples": ["next", "2026-12-02 09:00"],
}
DISCLAIMER_SCHEMA = {
    "anyOf": [
        {"enum": ["inherit", "none"]},
        {"type": "boolean"},  # `disclaimer: no` is none, `yes` the channel's
        text_schema(one_line=False, public=True),
    ],
    "examples": ["inherit", "none"],
}


def disclaimer_choice(value: object) -> object:
    """``disclaimer: no`` (or false, off) means none; ``yes`` (true, on) the channel's."""
    return {True: "inherit", False: "none"}[value] if isinstance(value, bool) else value


def disclaimer_text(value: str | None) -> str | None:
    """``inherit``, ``none`` or a paragraph of the episode's own."""
    return value if value in ("inherit", "none", None) else check_paragraph(value)


class Localization(StrictModel):
    """The title and description of an episode in another language; what it leaves out stays as in the
    episode: the chapter times, the references, the videos' links and the tags."""

    title: PublicLine = Field(json_schema_extra={"maxLength": TITLE_MAX_CHARS})
    summary: list[PublicParagraph] = Field(
        default_factory=list, description="The description's first paragraphs (needed unless 'description' is given)"
    )
    description: PublicParagraph | None = Field(
        None, description="The whole description in this language as typed, sent as it is instead of one made from "
        "the summary, chapters and the channel's text (import writes it when that would not give the same text)"
    )
    chapters: list[PublicLine] | None = Field(
        None, description="One title per chapter of the episode, in order (the times are the episode's)"
    )
    script: list[ScriptSection] | None = Field(
        None, description="The spoken script in this language (its own script file and captions)"
    )
    disclaimer: Annotated[str, WithJsonSchema(DISCLAIMER_SCHEMA)] | None = Field(
        None, description="'inherit' (the channel's in this language), 'none', or this language's text; "
        "default: as the episode's disclaimer says"
    )

    _choice = field_validator("disclaimer", mode="before")(disclaimer_choice)
    _text = field_validator("disclaimer")(disclaimer_text)

    @model_validator(mode="after")
    def _summary_or_description(self) -> Localization:
        if not self.summary and self.description is None:
            raise ValueError("give the summary in this language (or the whole description, as typed)")
        if self.description is not None and (self.summary or self.chapters or self.disclaimer):
            raise ValueError("'description' is the whole text as typed: give it instead of summary, chapters and "
                             "disclaimer, not with them")
        return self


class Episode(StrictModel):
    """Everything one video publishes: script, description, references, upload settings."""

    title: PublicLine = Field(
        examples=["Why Sleep Matters"], json_schema_extra={"maxLength": TITLE_MAX_CHARS}
    )
    schedule: Annotated[Literal["next"] | datetime | None, WithJsonSchema(SCHEDULE_SCHEMA)] = Field(
        None, description="'next' (first free release slot) or a local date-time 'YYYY-MM-DD HH:MM'"
    )
    extra: YesNo = Field(False, description="Published outside the weekly slots on purpose")
    summary: list[PublicParagraph] = Field(
        min_length=1, description="Paragraphs at the top of the description"
    )
    script: list[ScriptSection] = Field(default_factory=list)
    videos: list[ReferencedVideo] = Field(default_factory=list, description="Videos referenced")
    citations: list[Citation] = Field(
        default_factory=list, description="Keys of references.yaml, or entries written here with an id"
    )
    disclaimer: Annotated[str, WithJsonSchema(DISCLAIMER_SCHEMA)] = Field(
        "inherit", description="'inherit' (the channel's), 'none', or the text to use instead"
    )
    tags: list[PublicLine] = Field(
        default_factory=list, description="Added to the channel's default tags"
    )
    chapters: list[Chapter] = Field(default_factory=list)
    words_per_minute: int | None = Field(
        None, ge=60, le=400, description="This episode's speaking rate, instead of the channel's"
    )
    layout: list[LayoutItem] | None = Field(
        None, description="The description's blocks in order (summary, chapters, videos, references, disclaimer, "
        "schedule), with own headings and text; without it, the channel's order")
    upload: UploadSettings = Field(default_factory=UploadSettings)
    localizations: dict[Language, Localization] = Field(
        default_factory=dict, description="The title and description in other languages, by BCP-47 code "
        "(pt-BR); the episode's own text is in its upload.language (else the channel's)"
    )
    captions: CaptionSettings = Field(default_factory=CaptionSettings, description="How this episode's caption "
                                      "track goes to YouTube, instead of the channel's captions settings")
    review: Line | None = Field(
        None, description="Why this episode needs a look (import writes it when a part of a typed description "
        "is kept as text, such as a link without a title); check the description, then delete this line"
    )

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
            if _DATE_TIME_SHAPE.fullmatch(value.strip()):  # 2026-02-30 09:00, 2026-02-03 25:00
                raise ValueError(
                    f"{value!r} is not a date and time that exists; check the month (1-12), "
                    "the day of that month and the time (00:00 to 23:59)"
                )
            raise ValueError(f"{value!r} is not 'next' or a local date-time like '2026-12-02 09:00'")
        if isinstance(value, datetime) and value.tzinfo is not None:
            raise ValueError("write the local time without a zone; the channel's time zone applies")
        if isinstance(value, (bool, int, float)):  # pydantic would read a number as seconds since 1970
            raise ValueError(f"{value!r} is not 'next' or a local date-time like '2026-12-02 09:00'")
        return value

    @field_validator("schedule")
    @classmethod
    def _in_range(cls, value: object) -> object:
        if isinstance(value, datetime) and (problem := release_year_problem(value)):
            raise ValueError(problem)
        return value

    @field_validator("layout")
    @classmethod
    def _each_block_once(cls, value: list[str | LayoutPart] | None) -> list[str | LayoutPart] | None:
        problem = layout_problem(value) if value else None
        if problem:
            raise ValueError(problem)
        return value

    _choice = field_validator("disclaimer", mode="before")(disclaimer_choice)
    _text = field_validator("disclaimer")(disclaimer_text)
