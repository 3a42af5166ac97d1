"""The episode file an imported description becomes, as text (ruamel.yaml's writer) and as a loaded episode.

Where each part goes: the summary paragraphs verbatim, then any paragraph that followed the known
blocks and the hashtags (YouTube reads hashtags anywhere in the description, so they stay in its
text rather than becoming tags); chapters; the referenced videos, a link to a video this channel
already has (the ledger's video ids, or another description of the same import) written as
``episode: <slug>``; the citations by library key; the disclaimer only where it is not the channel's;
the video's tags, less the channel's own.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import EpisodeError
from ..models.episode import Episode, video_url
from ..pipeline.load import LoadedEpisode, shown_path, validate
from ..pipeline.yamlsource import parse_yaml
from ..references.libraryfile import round_trip_yaml
from .description import ParsedDescription

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/episode.schema.json\n"


@dataclass(frozen=True)
class Parts:
    """What an episode is made of besides the parsed description."""

    title: str
    citations: list[str]  # library keys, in order
    disclaimer: str  # "inherit", "none" or the episode's own text
    schedule: str | None  # a local "YYYY-MM-DD HH:MM", "next", or None
    tags: list[str]
    slug_of_video: dict[str, str]  # video id -> slug of this channel's episode
    titles: dict[str, str]  # slug -> title of this channel's episodes


def episode_data(parsed: ParsedDescription, parts: Parts) -> dict[str, Any]:
    """The episode's fields, in the order an episode file is written."""
    summary = [*parsed.summary, *parsed.trailing]
    hashtags = " ".join(parsed.hashtags)
    if hashtags and not any(hashtags in paragraph for paragraph in summary):
        summary.append(hashtags)
    data: dict[str, Any] = {"title": parts.title}
    if parts.schedule:
        data["schedule"] = parts.schedule
    data["summary"] = summary or [parts.title]
    if parsed.chapters:
        data["chapters"] = [{"at": at, "title": title} for at, title in parsed.chapters]
    if parsed.videos:
        data["videos"] = [_video(line.title, line.video_id, parts) for line in parsed.videos]
    if parts.citations:
        data["citations"] = list(parts.citations)
    if parts.disclaimer != "inherit":
        data["disclaimer"] = parts.disclaimer
    if parts.tags:
        data["tags"] = list(parts.tags)
    return data


def _video(title: str, video_id: str, parts: Parts) -> dict[str, str]:
    slug = parts.slug_of_video.get(video_id)
    if slug is None:
        return {"title": title, "url": video_url(video_id)}
    if title and title != parts.titles.get(slug):
        return {"episode": slug, "title": title}
    return {"episode": slug}


def episode_text(data: dict[str, Any]) -> str:
    """The episode file: the schema line for editors, then ``data`` as ruamel.yaml writes it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    def node(value: Any, flow: bool = False) -> Any:
        if isinstance(value, dict):
            mapping = CommentedMap((k, node(v, flow=True)) for k, v in value.items())
            if flow:
                mapping.fa.set_flow_style()
            return mapping
        if isinstance(value, list):
            return CommentedSeq(node(item, flow=True) for item in value)
        if isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value)  # a paragraph with its line breaks, as typed
        return value

    def block(value: Any) -> Any:  # the localizations: block style all the way down, to read like the episode
        if isinstance(value, dict):
            return CommentedMap((k, block(v)) for k, v in value.items())
        return CommentedSeq(block(item) for item in value) if isinstance(value, list) else node(value)

    out = io.StringIO()
    round_trip_yaml().dump(CommentedMap((k, block(v) if k == "localizations" else node(v)) for k, v in data.items()), out)
    return SCHEMA_LINE + out.getvalue()


def loaded_episode(path: Path, text: str) -> LoadedEpisode:
    """``text`` read as the episode file ``path`` would be, without writing it; ``EpisodeError`` if invalid."""
    shown = shown_path(path)
    doc = parse_yaml(text, shown)
    return LoadedEpisode(path.stem, path, shown, doc, validate(doc, Episode, EpisodeError))


def local_time(instant: datetime, zone: Any) -> str:
    """``instant`` as the local date-time an episode's ``schedule`` holds."""
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")
