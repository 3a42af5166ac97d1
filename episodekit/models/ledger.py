"""The ledger's data: what was sent to YouTube for each episode (``published.yaml``), as models.

An entry never holds a secret: an upload session's URL works as a credential, so while an upload
is under way the ledger records only that it started (and when); the URL itself waits in a 0600
file in the user's state folder (see ``episodekit.youtube.sessions``). Reading, writing and
locking the file are ``episodekit.ledger``'s.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, PrivateAttr, TypeAdapter, ValidationError, field_validator

from .base import StrictModel
from .episode import VIDEO_ID, release_year_problem
from .slug import check_slug, suggest_slug


RESTORE_HINT = (
    "restore it from git (`git checkout -- published.yaml`, or an older version from `git log -p published.yaml`)"
)
FollowUp = Literal["thumbnail", "playlist", "captions"]
OWNED_FIELDS = ("title", "description", "tags")  # the fields of a video that episodekit owns
LOCALIZED_FIELDS = ("title", "description")  # what a video's localizations hold for each language
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_INSTANT = TypeAdapter(datetime)


def _is_sha256(value: str) -> str:
    if not SHA256_HEX.fullmatch(value):
        raise ValueError(f"is not a SHA-256 (64 hex digits), so the ledger looks damaged; {RESTORE_HINT}")
    return value


class LocalizedHashes(StrictModel):
    """SHA-256 of the title and description last sent in one other language (``localizations``)."""

    title: str
    description: str

    _sha256 = field_validator("title", "description")(_is_sha256)

    @classmethod
    def of(cls, fields: Mapping[str, Any]) -> LocalizedHashes:
        """The hashes of one language's fields (a missing field counts as empty)."""
        return cls(**{name: field_hash(name, fields.get(name, "")) for name in LOCALIZED_FIELDS})


class SentHashes(StrictModel):
    """SHA-256 of what was last sent, to tell our changes from edits made in YouTube Studio: the owned
    fields, and the title and description of each language episodekit sent in ``localizations``."""

    title: str
    description: str
    tags: str
    localizations: dict[str, LocalizedHashes] = Field(default_factory=dict)

    _sha256 = field_validator("title", "description", "tags")(_is_sha256)

    @classmethod
    def of(cls, fields: Mapping[str, Any]) -> SentHashes:
        """The hashes of ``fields``' title, description (as sent), tags and localizations."""
        localized = {language: LocalizedHashes.of(text) for language, text in fields.get("localizations", {}).items()}
        return cls(**{name: field_hash(name, fields[name]) for name in OWNED_FIELDS}, localizations=localized)


class CaptionRecord(StrictModel):
    """A caption track of the video: one episodekit sent (``sent`` holds its hash), or one it found on
    YouTube (``sent`` empty: the creator's, which episodekit never overwrites unless forced)."""

    id: str = Field(min_length=1, description="The track's id on YouTube")
    language: str
    name: str = ""
    sent: str | None = Field(None, description="SHA-256 of the track's cues as sent; none for a track found on YouTube")
    words: str | None = Field(None, description="SHA-256 of its spoken words, whatever their times")
    timing: Literal["estimate", "audio"] | None = Field(None, description="How its cues were timed")
    last_updated: str | None = Field(None, description="YouTube's lastUpdated of the track after episodekit wrote it")

    @field_validator("sent", "words")
    @classmethod
    def _is_sha256(cls, value: str | None) -> str | None:
        if value is not None and not SHA256_HEX.fullmatch(value):
            raise ValueError(f"is not a SHA-256 (64 hex digits), so the ledger looks damaged; {RESTORE_HINT}")
        return value


class LedgerEntry(StrictModel):
    """What YouTube has for one episode, or an upload under way."""

    video_id: str | None = None
    publish_at: datetime | None = Field(None, description="UTC instant the video goes public")
    upload_started_at: datetime | None = Field(None, description="Set while an upload is unfinished")
    uploaded_at: datetime | None = None
    updated_at: datetime | None = None
    sent: SentHashes | None = None
    pending: list[FollowUp] = Field(default_factory=list, description="Steps still to do after upload")
    inputs: dict[str, str] = Field(
        default_factory=dict, description="Fingerprint of each input of the description last sent"
    )
    captions: list[CaptionRecord] = Field(default_factory=list, description="The video's caption tracks episodekit "
                                          "sent or found")

    @field_validator("video_id")
    @classmethod
    def _is_video_id(cls, value: str | None) -> str | None:
        if value is not None and not VIDEO_ID.fullmatch(value):
            raise ValueError(f"{value!r} is not a YouTube video id (11 letters, digits, - or _, as in youtu.be/ID)")
        return value

    @field_validator("publish_at", "upload_started_at", "uploaded_at", "updated_at", mode="before")
    @classmethod
    def _real_instant(cls, value: Any) -> Any:
        if isinstance(value, str):  # as episodekit writes it, or a date YAML could not read (2026-02-30)
            try:
                return _INSTANT.validate_python(value)
            except ValidationError:
                raise ValueError(
                    f"{value!r} is not a real date and time; write a UTC instant like "
                    f"2026-12-02T14:00:00Z (month 1-12, a day of that month, hours 00-23), or {RESTORE_HINT}"
                ) from None
        return value

    @field_validator("publish_at", "upload_started_at", "uploaded_at", "updated_at")
    @classmethod
    def _has_time_zone(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.utcoffset() is None:
            raise ValueError(
                f"{value.isoformat(sep=' ')} has no time zone, so the instant is unknown; "
                f"write it in UTC with a Z, e.g. {value.strftime('%Y-%m-%dT%H:%M:%S')}Z"
            )
        if value is not None and (problem := release_year_problem(value)):
            raise ValueError(problem)
        return value

    @property
    def uploading(self) -> bool:
        """Whether an upload started and has no video id yet."""
        return self.video_id is None and self.upload_started_at is not None


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot name a ledger entry (an entry is named by its episode's slug), or None."""
    message = check_slug(key)
    if message is None:
        return None
    return (f"{message}; an entry is named by the slug of its episode's file, so this one belongs to no episode: "
            f"rename it to that slug (such as {suggest_slug(key)!r}), or {RESTORE_HINT}")


def _slug_key(key: str) -> str:
    problem = key_problem(key)
    if problem:
        raise ValueError(problem)
    return key


class Ledger(StrictModel):
    """Episode slug -> what was uploaded for it."""

    episodes: dict[Annotated[str, AfterValidator(_slug_key)], LedgerEntry] = Field(default_factory=dict)
    _lines: dict[tuple[str | int, ...], int] = PrivateAttr(default_factory=dict)  # as read from the file

    def line_of(self, *loc: str | int) -> int | None:
        """The line of ``loc`` (such as ``"episodes", slug``) in the file this ledger was read from."""
        while loc and loc not in self._lines:
            loc = loc[:-1]
        return self._lines.get(loc)

    def video_id(self, slug: str) -> str | None:
        """The video id of ``slug``, or None when it is not uploaded."""
        entry = self.episodes.get(slug)
        return entry.video_id if entry else None

    def shared_video_ids(self) -> dict[str, list[str]]:
        """Video ids recorded for more than one episode -> those episodes' slugs, in ledger order."""
        slugs: dict[str, list[str]] = {}
        for slug, entry in self.episodes.items():
            if entry.video_id:
                slugs.setdefault(entry.video_id, []).append(slug)
        return {video_id: found for video_id, found in slugs.items() if len(found) > 1}

    def with_entry(self, slug: str, entry: LedgerEntry | None) -> Ledger:
        """A copy with ``slug``'s entry replaced (None: removed), sorted by slug."""
        episodes = dict(self.episodes)
        if entry is None:
            episodes.pop(slug, None)
        else:
            episodes[slug] = entry
        return Ledger(episodes=dict(sorted(episodes.items())))


def field_hash(name: str, value: Any) -> str:
    """The hash the ledger keeps of one owned field's value (tags joined by newlines; a description as
    YouTube shows it, see :func:`shown_text`)."""
    if name == "description":
        value = shown_text(value)
    return sha256_text("\n".join(value) if name == "tags" else value)


def same_value(name: str, live: Any, ours: Any) -> bool:
    """Whether a live field says what ours says (a description as YouTube shows it)."""
    if name == "description" and isinstance(live, str) and isinstance(ours, str):
        return shown_text(live) == shown_text(ours)
    return bool(live == ours)


def shown_text(text: str) -> str:
    """``text`` as YouTube shows it: line breaks as ``\n``, no spaces at the end of a line, nothing after the
    last visible line. Two descriptions that differ only there are the same description."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip()


def sha256_text(text: str) -> str:
    """The SHA-256 of ``text`` in UTF-8, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> datetime:
    """Now in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)
