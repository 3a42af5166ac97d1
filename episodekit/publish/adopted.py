"""Videos brought in from YouTube (``import --channel-uploads``, ``import --video``): what the live
video says, and the ledger entry that makes its new episode "published, in sync" from the start.

Pure data and plans, no Google import: the wire (``youtube.lister``) reads the videos into
:class:`LiveVideo`; :func:`imported_into` is the ledger with one entry per episode the import wrote, never
replacing an entry that is there (``youtube.importer`` writes it under the ledger's lock).

An episode file the import writes for a video says which video it is, in a comment under its first
line (``# imported from YouTube: https://youtu.be/<id>``), so an import stopped between writing the
episodes and writing the ledger (killed, even) is finished by the next one: :func:`unrecorded_files`
finds the file of each video the ledger lacks, and its entry is recorded then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..models.episode import VIDEO_ID, video_url
from ..models.ledger import LOCALIZED_FIELDS, OWNED_FIELDS, Ledger, LedgerEntry, SentHashes, same_value
from ..pipeline.build import EpisodeBuild, build_episodes
from ..workspace import Workspace
from .difference import REFERENCES, description_causes
from .fingerprint import CITATION_STYLE, digest, input_fingerprints

AS_TYPED = "as typed on YouTube"
SOURCE_LINE = "# imported from YouTube: "  # + the video's youtu.be link: the comment naming an imported file's video
_SOURCE = re.compile(r"^# imported from YouTube: https://youtu\.be/([A-Za-z0-9_-]{11})\s*$", re.MULTILINE)
_HEAD = 1024  # how much of an episode file is read for its source line (it is the second line)


@dataclass(frozen=True)
class LiveVideo:
    """One video as ``videos.list part=snippet,status`` shows it."""

    video_id: str
    title: str
    description: str
    tags: tuple[str, ...] = ()
    published_at: datetime | None = None  # snippet.publishedAt
    publish_at: datetime | None = None  # status.publishAt: a scheduled release
    privacy: str = "private"
    channel_id: str = ""
    default_language: str | None = None  # snippet.defaultLanguage
    localizations: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> title, description
    has_captions: bool = False  # contentDetails.caption: the video has caption tracks besides automatic ones

    @classmethod
    def from_resource(cls, item: dict[str, Any]) -> LiveVideo:
        """A video as ``videos.list`` returns it."""
        snippet, status = item.get("snippet") or {}, item.get("status") or {}
        return cls(video_id=item["id"], title=snippet.get("title", ""), description=snippet.get("description", ""),
                   tags=tuple(snippet.get("tags") or ()), published_at=_instant(snippet.get("publishedAt")),
                   publish_at=_instant(status.get("publishAt")), privacy=status.get("privacyStatus", "private"),
                   channel_id=snippet.get("channelId", ""), default_language=snippet.get("defaultLanguage"),
                   localizations=localizations_of(item),
                   has_captions=(item.get("contentDetails") or {}).get("caption") == "true")

    @property
    def release(self) -> datetime | None:
        """When the video goes (or went) public: its ``publishAt``, else ``publishedAt`` unless it is private."""
        if self.publish_at is not None:
            return self.publish_at
        return None if self.privacy == "private" else self.published_at

    def as_sent(self) -> dict[str, Any]:
        """Title, description and tags in the shape the ledger hashes (``SentHashes.of``)."""
        sent = {"title": self.title, "description": self.description, "tags": list(self.tags)}
        return {**sent, "localizations": self.localizations} if self.localizations else sent


def localizations_of(item: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The live ``localizations`` of a ``videos.list`` item: language -> title and description."""
    found = item.get("localizations") or {}
    return {language: {name: str((entry or {}).get(name, "")) for name in LOCALIZED_FIELDS}
            for language, entry in found.items() if isinstance(entry, dict)}


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None


def with_source_line(text: str, video_id: str) -> str:
    """``text`` of an episode file with the comment naming its video under its first line (the schema's)."""
    first, newline, rest = text.partition("\n")
    return f"{first}{newline}{SOURCE_LINE}{video_url(video_id)}\n{rest}"


def source_video(text: str) -> str | None:
    """The video an episode file says it was imported from (its source line), or None."""
    found = _SOURCE.search(text[:_HEAD])
    return found.group(1) if found else None


def unrecorded_files(ws: Workspace, video_ids: list[str]) -> dict[str, Path]:
    """The episode file of each of ``video_ids`` that an earlier import wrote and whose ledger entry is missing
    (video id -> file): named by its source line, its slug not in the ledger (under any video)."""
    wanted, found = set(video_ids), {}
    for path in ws.episode_paths():
        if path.stem in ws.ledger.episodes:
            continue
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                video_id = source_video(handle.read(_HEAD))
        except OSError:
            continue
        if video_id in wanted and video_id not in found:
            found[video_id] = path
    return found


def bad_video_ids(given: list[str]) -> list[str]:
    """The arguments of ``--video`` that are not an 11-character video id."""
    return [value for value in given if not VIDEO_ID.fullmatch(value)]


@dataclass
class LedgerOutcome:
    """What :func:`imported_into` did: slugs recorded, and (slug, reason) of each entry left alone."""

    recorded: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def imported_entries(ws: Workspace, written: list[tuple[str, Path, LiveVideo]]) -> dict[str, LedgerEntry]:
    """The ledger entry of each (slug, episode file, video) the import wrote, from a fresh build of the file;
    that build sees the new entries in a copy of ``ws``'s ledger (nothing is written).

    The inputs recorded are the episode's as it now stands, except where its render differs from the live
    video: there the input is recorded as "as typed on YouTube", so ``status`` names it (``citation style``
    when only the references block differs) until ``sync`` sends the render.
    """
    entries = {slug: imported_entry(video, {}) for slug, _, video in written}
    ledger = ws.ledger
    for slug, entry in entries.items():  # in memory only: a link between imported episodes renders with its video
        if slug not in ledger.episodes:
            ledger = ledger.with_entry(slug, entry)
    ws = replace(ws, ledger=ledger)
    report = build_episodes(ws, [path for _, path, _ in written])
    for (slug, _, video), build in zip(written, report.builds, strict=True):
        entries[slug] = imported_entry(video, _inputs(ws, build, video) if build.ok else {})
    return entries


def _inputs(ws: Workspace, build: EpisodeBuild, video: LiveVideo) -> dict[str, str]:
    rendered = build.rendered
    assert rendered is not None
    inputs, sent = input_fingerprints(ws, build), rendered.as_sent()
    live = video.as_sent()
    for name in OWNED_FIELDS:
        if same_value(name, live[name], sent[name]):
            continue
        causes = description_causes(live[name], sent[name], rendered.references.rstrip("\n"),
                                    ws.channel.citation_style) if name == "description" else []
        restyled = any(cause.startswith(REFERENCES.split("{", 1)[0]) for cause in causes)
        inputs[CITATION_STYLE if restyled else f"{name} {AS_TYPED}"] = digest(AS_TYPED)
    return inputs


def imported_entry(video: LiveVideo, inputs: dict[str, str]) -> LedgerEntry:
    """The ledger entry of an imported video: its id, release time and the hashes of its LIVE fields,
    so the episode starts as published with exactly what YouTube shows recorded as sent."""
    return LedgerEntry(video_id=video.video_id, publish_at=video.release, sent=SentHashes.of(video.as_sent()),
                       inputs=inputs)


def imported_into(ledger: Ledger, entries: dict[str, LedgerEntry], outcome: LedgerOutcome) -> Ledger:
    """``ledger`` with ``entries`` (slug -> entry) added; an entry already there for the slug, or for the video
    under another slug, stays as it is and is reported skipped in ``outcome`` (which says only what this
    call did: a change made again under the lock is told once)."""
    outcome.recorded.clear(), outcome.skipped.clear()
    episodes = dict(ledger.episodes)
    known = {entry.video_id: slug for slug, entry in episodes.items() if entry.video_id}
    for slug, entry in entries.items():
        if slug in episodes:
            outcome.skipped.append((slug, f"the ledger already has an entry for {slug}; it was kept"))
        elif entry.video_id in known:
            outcome.skipped.append((slug, f"video {entry.video_id} is already recorded for episode "
                                          f"{known[entry.video_id]}; that entry was kept"))
        else:
            episodes[slug] = entry
            outcome.recorded.append(slug)
    return Ledger(episodes=dict(sorted(episodes.items())))
