"""The episode file an imported description becomes, as text (ruamel.yaml's writer) and as a loaded episode.

Where each part goes: the summary paragraphs verbatim; chapters, referenced videos (a link to a video this
channel already has, by the ledger's video ids or another description of the same import, written as
``episode: <slug>``) and citations by library key, each with the line as it was ``typed`` where the
channel's form would write it otherwise; the disclaimer only where it is not the channel's; the video's
tags, less the channel's own. The ``layout`` keeps the rest of the shape: the order of the pieces, their
own headings, the free text, the blank lines, the episode's own schedule sentence.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import EpisodeError
from ..files.load import LoadedEpisode, validate
from ..files.yamlsource import parse_yaml
from ..models.episode import Episode, video_url
from ..models.layout import BLANK_LINES, TEXT
from ..paths import shown_path
from ..references.libraryfile import round_trip_yaml
from .description import DISCLAIMER, SCHEDULE, SUMMARY, ParsedDescription, Piece, chapter_of, video_of

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/episode.schema.json\n"


@dataclass(frozen=True)
class Cite:
    """One citation of the references block: its library key, and its text as typed (None: the channel's style)."""

    key: str
    typed: str | None = None
    blank_line_after: bool = False


@dataclass(frozen=True)
class Parts:
    """What an episode is made of besides the parsed description."""

    title: str
    citations: list[Cite]  # one per item of the references block, in order
    disclaimer: str  # "inherit" or the episode's own text
    schedule: str | None  # a local "YYYY-MM-DD HH:MM", "next", or None
    tags: list[str]
    slug_of_video: dict[str, str]  # video id -> slug of this channel's episode
    titles: dict[str, str]  # slug -> title of this channel's episodes
    channel_schedule: str = ""  # the channel's schedule sentence as it renders
    layout: bool = True  # False: the channel's order, no layout
    review: str | None = None  # why the episode needs a look: the parts kept as typed text (``doubtful``)


def episode_data(parsed: ParsedDescription, parts: Parts) -> dict[str, Any]:
    """The episode's fields, in the order an episode file is written."""
    data: dict[str, Any] = {"title": parts.title}
    if parts.schedule:
        data["schedule"] = parts.schedule
    data["summary"] = _summary(parsed) or [parts.title]
    if parsed.chapters:
        data["chapters"] = [_chapter(item.typed, item.blank_line_after) for item in parsed.chapters]
    if parsed.videos:
        data["videos"] = [_video(item, parts) for item in parsed.videos]
    if parts.citations:
        data["citations"] = [_citation(cite) for cite in parts.citations]
    if parts.disclaimer != "inherit":
        data["disclaimer"] = parts.disclaimer
    if parts.tags:
        data["tags"] = list(parts.tags)
    if parts.layout:
        data["layout"] = layout_of(parsed, parts)
    if parts.review:
        data["review"] = parts.review
    return data


def _summary(parsed: ParsedDescription) -> list[str]:
    """The summary paragraphs; two typed with more than one blank line between are one, as typed."""
    paragraphs: list[str] = []
    for piece in (p for p in parsed.pieces if p.kind == SUMMARY):
        if paragraphs and piece.gap != 1:
            paragraphs[-1] += "\n" * (piece.gap + 1) + piece.text
        else:
            paragraphs.append(piece.text)
    return paragraphs


def _with_spacing(item: dict[str, Any], typed: str | None, shown: str, blank_line_after: bool) -> dict[str, Any]:
    if typed is not None and typed != shown:
        item["typed"] = typed
    if blank_line_after:
        item["blank_line_after"] = True
    return item


def _chapter(typed: str, blank_line_after: bool) -> dict[str, Any]:
    found = chapter_of(typed)
    assert found is not None  # the parser filed only chapter lines here
    at, title = found
    return _with_spacing({"at": at, "title": title}, typed, f"{at} {title}", blank_line_after)


def _video(item: Any, parts: Parts) -> dict[str, Any]:
    line = video_of(item)
    assert line is not None  # the parser filed only lines with a video link here
    slug = parts.slug_of_video.get(line.video_id)
    if slug is None:  # a link typed without a title fails check: ``doubtful`` keeps the block as text
        video: dict[str, Any] = {"title": line.title, "url": video_url(line.video_id)}
        shown_title = video["title"]
    elif line.title and line.title != parts.titles.get(slug):
        video, shown_title = {"episode": slug, "title": line.title}, line.title
    else:
        video, shown_title = {"episode": slug}, parts.titles.get(slug, slug)
    return _with_spacing(video, item.typed, f"{shown_title} {video_url(line.video_id)}", item.blank_line_after)


def _citation(cite: Cite) -> Any:
    if cite.typed is None:
        return cite.key
    return _with_spacing({"key": cite.key, "typed": cite.typed}, None, "", cite.blank_line_after)


def layout_of(parsed: ParsedDescription, parts: Parts) -> list[Any]:
    """The layout that lays ``parsed``'s pieces out again as they were typed."""
    items: list[Any] = []
    for index, piece in enumerate(parsed.pieces):
        if piece.kind == SUMMARY and index and parsed.pieces[index - 1].kind == SUMMARY:
            continue  # one block with the paragraphs before it
        if piece.kind == TEXT and items and isinstance(items[-1], dict) and TEXT in items[-1]:
            items[-1][TEXT] += "\n" * (piece.gap + 1) + piece.text  # text after text: one item, as typed
            continue
        _space(items, piece.gap, first=not index)
        items += _items_of(piece, parts)
    return items


def _space(items: list[Any], gap: int, first: bool) -> None:
    if gap != (0 if first else 1):
        items.append({BLANK_LINES: gap})


def _items_of(piece: Piece, parts: Parts) -> list[Any]:
    """The layout items of one piece: its block, with its heading; or text."""
    if piece.kind == SUMMARY:
        return [SUMMARY]
    if piece.kind == DISCLAIMER:
        return [DISCLAIMER]
    if piece.kind == SCHEDULE:
        return [SCHEDULE] if piece.text == parts.channel_schedule else [{SCHEDULE: piece.text}]
    if piece.kind == TEXT:
        return [{TEXT: piece.text}]
    if piece.heading is None or not piece.heading_gap:
        return [{piece.kind: piece.heading or ""}]
    heading: list[Any] = [{TEXT: piece.heading}]  # a blank line under the heading: the heading is text
    _space(heading, piece.heading_gap, first=False)
    return [*heading, {piece.kind: ""}]


def whole_data(description: str, parts: Parts) -> dict[str, Any]:
    """The episode of a description kept whole, as one text: what is left when its pieces do not render back.
    It cites the references (bare keys, not shown) and keeps no chapters or videos: the text holds them."""
    from ..models.ledger import shown_text

    text = shown_text(description)
    data: dict[str, Any] = {"title": parts.title, **({"schedule": parts.schedule} if parts.schedule else {}),
                            "summary": [parts.title]}
    if parts.citations:
        data["citations"] = list(dict.fromkeys(cite.key for cite in parts.citations))
    if parts.tags:
        data["tags"] = list(parts.tags)
    data["layout"] = [{TEXT: text}] if text else []
    if parts.review:
        data["review"] = parts.review
    return data


def episode_text(data: dict[str, Any]) -> str:
    """The episode file: the schema line for editors, then ``data`` as ruamel.yaml writes it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    def node(value: Any, flow: bool = False) -> Any:
        if isinstance(value, dict):
            mapping = CommentedMap((k, node(v, flow=True)) for k, v in value.items())
            if flow and "typed" not in value and not any(isinstance(v, str) and "\n" in v for v in value.values()):
                mapping.fa.set_flow_style()  # an item with typed text: one key a line, to read
            return mapping
        if isinstance(value, list):
            return CommentedSeq(node(item, flow=True) for item in value)
        if isinstance(value, str) and "\n" in value and value == value.strip():
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
