"""Resolve: an episode plus its channel becomes everything the templates need.

Citation keys are looked up in the episode and in the reference library and
numbered in order of first citation (script first, then the ``citations``
list); links to other episodes get their titles and, once uploaded, their
URLs; the disclaimer and the schedule sentence come from the channel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, did_you_mean
from ..files.load import LoadedEpisode
from ..models import Channel
from ..models.episode import InlineReference, citation_key, video_url
from ..models.reference import KEY
from ..paths import LIBRARY_FILE
from ..workspace import Workspace
from . import reflint, schedule
from .cite import FormattedReferences, format_references

CITATION_MARKER = re.compile(rf"\[(@{KEY}(?:\s*[;,]\s*@{KEY})*)\]")
_KEY_IN_MARKER = re.compile(rf"@({KEY})")
# what a creator may have meant as a marker: [@ key], [see @key], [@key, p. 5]; not me@example.org
_MARKER_LIKE = re.compile(r"\[[^\[\]]*(?<![\w.])@[^\[\]]*\]")
_AT_KEY = re.compile(rf"@\s*({KEY})")
_BARE_KEY = re.compile(r"(?<![\w.@\[])" + _AT_KEY.pattern)


@dataclass(frozen=True)
class VideoLink:
    """A referenced video as the description shows it."""

    title: str
    url: str | None  # None while a linked episode has no video yet
    typed: str | None = None  # the line(s) as typed in the description, shown instead
    blank_line_after: bool = False


@dataclass(frozen=True)
class Section:
    heading: str
    body: str  # with citation markers replaced by cues


@dataclass(frozen=True)
class ResolvedEpisode:
    """An episode with every reference, link and channel default filled in."""

    episode: LoadedEpisode
    channel: Channel
    references: FormattedReferences
    sections: list[Section]
    videos: list[VideoLink]
    disclaimer: str | None
    schedule_line: str
    tags: list[str]
    cited_authors: tuple[tuple[str, str], ...] = ()  # (family or literal, full name) of the cited works' authors
    headings: Mapping[str, str] = field(default_factory=dict)  # the description's headings: chapters, videos, references

    @property
    def title(self) -> str:
        """The episode's title."""
        return self.episode.model.title

    @property
    def words_per_minute(self) -> int:
        """The speaking rate of this episode: its own ``words_per_minute``, else the channel's."""
        return self.episode.model.words_per_minute or self.channel.words_per_minute


def resolve_episode(ws: Workspace, loaded: LoadedEpisode) -> tuple[ResolvedEpisode | None, list[Problem]]:
    """Resolve ``loaded``; ``None`` with the problems when a reference or link is broken."""
    problems: list[Problem] = []
    items = _citation_items(ws, loaded, problems)
    videos = _video_links(ws, loaded, problems)
    problems.extend(marker_problems(loaded, {*ws.library.root, *_inline_entries(loaded)}))
    if any(p.is_error for p in problems):
        return None, problems
    references = format_references(
        list(items.values()), ws.channel.citation_style, ws.channel.reference_identifier
    )
    sections = [
        Section(s.heading, replace_markers(s.body, references)) for s in loaded.model.script
    ]
    resolved = ResolvedEpisode(
        episode=loaded,
        channel=ws.channel,
        references=references,
        sections=sections,
        videos=videos,
        disclaimer=_disclaimer(ws.channel, loaded),
        schedule_line=schedule_line(ws.channel),
        tags=_merged_tags(ws.channel.tags, loaded.model.tags),
        cited_authors=author_names(items.values()),
        headings=ws.channel.default_headings,
    )
    return resolved, problems


def author_names(items: Any) -> tuple[tuple[str, str], ...]:
    """Each author of the CSL ``items`` once: the family name (or ``literal``) and the full name."""
    names: dict[tuple[str, str], None] = {}
    for item in items:
        for author in item.get("author", []):
            family = author.get("family") or author.get("literal")
            if family:
                names[(family, " ".join(filter(None, (author.get("given"), family))))] = None
    return tuple(names)


def schedule_line(channel: Channel) -> str:
    """The channel's schedule sentence with its release slots and subscribe link filled in."""
    return channel.schedule_line.format(
        slots=schedule.describe_slots(channel.weekly_slots), subscribe_url=str(channel.subscribe_url), channel=channel.name
    )


def cited_keys(loaded: LoadedEpisode) -> list[tuple[str, tuple[str | int, ...]]]:
    """Citation keys in order of first use, each with where it first appears."""
    seen: dict[str, tuple[str | int, ...]] = {}
    for index, section in enumerate(loaded.model.script):
        for marker in CITATION_MARKER.finditer(section.body):
            for key in _KEY_IN_MARKER.findall(marker.group(1)):
                seen.setdefault(key, ("script", index, "body"))
    for index, entry in enumerate(loaded.model.citations):
        seen.setdefault(citation_key(entry), ("citations", index))
    return list(seen.items())


def _inline_entries(
    loaded: LoadedEpisode, problems: list[Problem] | None = None
) -> dict[str, tuple[int, InlineReference]]:
    """Entries written in the episode, by id, with their place in ``citations``.

    A second entry with a taken id is left out, and an error when ``problems`` is given.
    """
    inline: dict[str, tuple[int, InlineReference]] = {}
    for index, entry in enumerate(loaded.model.citations):
        if not isinstance(entry, InlineReference):
            continue
        if entry.id in inline:
            if problems is not None:
                problems.append(loaded.problem(
                    f"id {entry.id!r} is already used by an entry above; give each entry its own id",
                    "citations", index, "id",
                ))
            continue
        inline[entry.id] = (index, entry)
    return inline


def _citation_items(ws: Workspace, loaded: LoadedEpisode, problems: list[Problem]) -> dict[str, Any]:
    written_here = _inline_entries(loaded, problems)
    inline = {key: entry for key, (_, entry) in written_here.items()}
    library = ws.library.root
    items: dict[str, dict[str, Any]] = {}
    for key, loc in cited_keys(loaded):
        if key in inline and key in library:
            problems.append(loaded.problem(
                f"id {key!r} is also a key of {LIBRARY_FILE}; cite that entry or choose another id", *loc
            ))
        entry = inline.get(key) or library.get(key)
        if entry is None:
            hint = did_you_mean(key, [*inline, *library], f" (not in {LIBRARY_FILE} or this episode)")
            problems.append(loaded.problem(f"unknown citation key {key!r}{hint}", *loc))
            continue
        if entry.issued is None:
            problems.append(_no_year(ws, loaded, key, written_here))
        if key in inline:
            problems.extend(reflint.inline_entry_problems(loaded, written_here[key][0], entry))
        else:
            problems.extend(reflint.library_entry_problems(ws, key))
        items[key] = entry.to_csl(key)
    return items


def _no_year(
    ws: Workspace, loaded: LoadedEpisode, key: str, written_here: dict[str, tuple[int, InlineReference]]
) -> Problem:
    """A warning where the entry ``key`` is written: it has no ``issued`` year."""
    message = "has no year: add `issued: YYYY` (the reference list shows it without one, APA says 'n.d.')"
    if key in written_here:
        return loaded.problem(message, "citations", written_here[key][0], severity="warning")
    path, line = ws.library.where(key)
    return Problem(path, line, key, message, "warning")


def marker_problems(loaded: LoadedEpisode, keys: set[str]) -> list[Problem]:
    """Citation markers that would stay in the text as written instead of becoming cues.

    In the script, a bracket with an ``@`` that is not ``[@key]`` or ``[@key1; @key2]`` is an
    error when it names a known key (the citation is lost), else a warning; ``@key`` outside
    brackets is a warning. In the summary, markers are never replaced, so any is an error.
    """
    problems = []
    for index, section in enumerate(loaded.model.script):
        body = section.body
        for match in _MARKER_LIKE.finditer(body):
            if CITATION_MARKER.fullmatch(match.group()):
                continue
            named = [k for k in _named_keys(match.group()) if k in keys]
            fix = f"[@{'; @'.join(named)}]" if named else "[@key]"
            problems.append(loaded.problem(
                f"{match.group()!r} is not a citation marker and stays in the script as written; "
                f"write {fix}: no space after @, keys separated by ';', "
                "words and page numbers outside the brackets",
                "script", index, "body", severity="error" if named else "warning",
            ))
        inside = [m.span() for m in _MARKER_LIKE.finditer(body)]
        for match in _BARE_KEY.finditer(body):
            key = next((k for k in _named_keys(match.group()) if k in keys), None)
            if key and not any(start <= match.start() < end for start, end in inside):
                problems.append(loaded.problem(
                    f"{match.group()!r} outside brackets is not a citation; write [@{key}]",
                    "script", index, "body", severity="warning",
                ))
    for index, paragraph in enumerate(loaded.model.summary):
        for match in _MARKER_LIKE.finditer(paragraph):
            problems.append(loaded.problem(
                f"{match.group()!r}: citation markers work in the script only; the summary is "
                "published as written, so cite in the script or list the key under citations",
                "summary", index,
            ))
    return problems + literal_marker_warnings(loaded)


def literal_marker_warnings(loaded: LoadedEpisode) -> list[Problem]:
    """A marker in a title or a heading, which are shown as written (only a script body gets cues)."""
    model = loaded.model
    places: list[tuple[str, tuple[str | int, ...]]] = [(model.title, ("title",))]
    places += [(section.heading or "", ("script", i, "heading")) for i, section in enumerate(model.script)]
    places += [(chapter.title, ("chapters", i, "title")) for i, chapter in enumerate(model.chapters)]
    places += [(video.title or "", ("videos", i, "title")) for i, video in enumerate(model.videos)]
    return [
        loaded.problem(f"{match.group()!r} stays as written here: citation markers become cues in a script "
                       "section's body only, so move it into the body", *loc, severity="warning")
        for text, loc in places for match in _MARKER_LIKE.finditer(text)
    ]


def _named_keys(text: str) -> list[str]:
    """Keys after an ``@`` in ``text`` (a space after it allowed), each also without a final '.' or ':'."""
    found: dict[str, None] = {}
    for key in _AT_KEY.findall(text):
        found.update(dict.fromkeys([key, key.rstrip(".:")]))
    return list(found)


def _video_links(ws: Workspace, loaded: LoadedEpisode, problems: list[Problem]) -> list[VideoLink]:
    links = []
    for index, video in enumerate(loaded.model.videos):
        shown = {"typed": video.typed, "blank_line_after": video.blank_line_after}
        if video.url:
            links.append(VideoLink(video.title or "", video_url(video.video_id or ""), **shown))
            continue
        slug = video.episode or ""
        if slug == loaded.slug:
            problems.append(loaded.problem("an episode cannot reference itself", "videos", index))
            continue
        if slug not in ws.catalog:
            problems.append(loaded.problem(
                f"no episode {slug!r} in {ws.episodes_dir.name}/", "videos", index, "episode"
            ))
            continue
        video_id = ws.ledger.video_id(slug)
        title = video.title or ws.title_of.get(slug, slug)
        links.append(VideoLink(title, video_url(video_id) if video_id else None, **shown))
        if not video_id:
            problems.append(loaded.problem(
                f"episode {slug!r} is not uploaded yet, so its link is left out until it is",
                "videos", index, "episode", severity="warning",
            ))
    return links


def replace_markers(body: str, references: FormattedReferences) -> str:
    """The citation markers of ``body`` replaced by their cues in the channel's style."""
    def cue(match: re.Match[str]) -> str:
        keys = _KEY_IN_MARKER.findall(match.group(1))
        cues = [references.cues[k] for k in keys]
        if references.numeric:
            return "[" + ", ".join(c.strip("[]") for c in cues) + "]"
        return "(" + "; ".join(c.strip("()") for c in cues) + ")"

    return CITATION_MARKER.sub(cue, body)


def _disclaimer(channel: Channel, loaded: LoadedEpisode) -> str | None:
    choice = loaded.model.disclaimer
    if choice == "inherit":
        return channel.disclaimer
    if choice == "none":
        return None
    return choice


def _merged_tags(channel_tags: list[str], episode_tags: list[str]) -> list[str]:
    merged: dict[str, str] = {}
    for tag in [*channel_tags, *episode_tags]:
        merged.setdefault(tag.casefold(), tag)
    return list(merged.values())
