"""What an import reads (:class:`ImportSource`) and what it plans for each source (:class:`EpisodePlan`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..paths import shown_path
from .cited import Cited
from .description import ParsedDescription
from .roundtrip import RoundTrip


@dataclass(frozen=True)
class ImportSource:
    """One description to import: as typed on YouTube (or saved as text), with what the video knows."""

    title: str
    description: str
    video_id: str | None = None
    published_at: datetime | None = None  # aware; the release time of a published video
    tags: tuple[str, ...] = ()
    origin: str = ""  # how the report names it: a file's path or the video id
    localizations: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> title, description
    language: str | None = None  # the video's snippet.defaultLanguage


@dataclass
class EpisodePlan:
    """What one source becomes: the file ``path`` with ``text``, unless ``skipped`` or ``failed`` says why not."""

    source: ImportSource
    slug: str
    path: Path
    text: str = ""
    skipped: str | None = None  # already imported (its video, its file): nothing to do
    failed: str | None = None  # not imported: the episode would fail check (see ``doubtful``)
    reviews: list[str] = field(default_factory=list)  # parts kept as typed text, for the episode's review:
    parsed: ParsedDescription | None = None
    citations: list[Cited] = field(default_factory=list)
    round_trip: RoundTrip | None = None
    kept_typed: list[str] = field(default_factory=list)  # the keys the episode shows as typed
    typed_languages: list[str] = field(default_factory=list)  # the localizations kept as typed

    @property
    def shown(self) -> str:
        """The episode file as messages show it."""
        return shown_path(self.path)
