"""``plan_import`` and ``apply_import``: descriptions into episode files, library entries and a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..workspace import Workspace


@dataclass(frozen=True)
class ImportSource:
    """One description to import: as typed on YouTube (or saved as text), with what the video knows."""

    title: str
    description: str
    video_id: str | None = None
    published_at: datetime | None = None  # aware; the release time of a published video
    tags: tuple[str, ...] = ()
    origin: str = ""  # how the report names it: a file's path or the video id


@dataclass
class EpisodePlan:
    """What one source becomes."""

    source: ImportSource
    slug: str
    path: Path
    text: str  # the episode file, as it will be written
    skipped: str | None = None  # why it is not written (an existing file), or None
    references: list = field(default_factory=list)
    round_trip: object | None = None


@dataclass
class ImportPlan:
    episodes: list[EpisodePlan]
    library: object | None = None
    boilerplate: object | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    plan: ImportPlan
    written: list[EpisodePlan] = field(default_factory=list)
    skipped: list[EpisodePlan] = field(default_factory=list)
    library_written: bool = False
    channel_written: bool = False


def plan_import(workspace: Workspace, sources: list[ImportSource], *, lookup: bool,
                adopt_boilerplate: bool = False, schedule: str | None = None) -> ImportPlan:
    """What importing ``sources`` would write (see the package's docstring); writes nothing."""
    raise NotImplementedError


def apply_import(workspace: Workspace, plan: ImportPlan) -> ImportReport:
    """Write ``plan``: new episode files, the library, channel.yaml if the boilerplate is adopted."""
    raise NotImplementedError
