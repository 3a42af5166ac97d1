"""References shown as typed, until the creator acts: ``refs restyle`` and ``refs verify --fix`` drop them.

An imported episode cites each library entry as ``{key: K, typed: "..."}``, the text typed in that video's
description, which it shows as typed. Dropping ``typed`` (the item becomes the bare key ``K``) hands the
entry to the channel's citation style, in every episode that cites it: "fix once, update every video" then
reaches the back catalogue too, and ``sync --dry-run`` shows each description that changes. The episode
files are edited in place (ruamel.yaml's round trip: comments, order and quotes stay), each new text read
back as ``check`` reads it before anything is written, each file written atomically.

An entry marked as a suspected misattribution (``misattribution:``) keeps its typed texts: restyling it
would show the fields as typed, which its record says are wrong, in the channel's style. ``refs verify
--fix KEY`` takes its record, removes the mark and then restyles it (``settled``).
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_failure, write_text_atomic
from ..errors import InputError, OutputError, UsageError, did_you_mean
from ..files.load import LoadedEpisode
from ..models.episode import TypedCitation
from ..paths import LIBRARY_FILE, shown_path
from ..references.libraryfile import round_trip_yaml
from ..workspace import Workspace
from .episodefile import loaded_episode


@dataclass
class Restyled:
    """One episode file whose typed references are dropped: which, and the change as a unified diff."""

    path: Path
    keys: list[str]
    text: str
    diff: str

    @property
    def shown(self) -> str:
        """The episode file as messages show it."""
        return shown_path(self.path)


@dataclass
class Restyle:
    """What dropping the typed texts of ``keys`` does (or, in a dry run, would do) to the episode files."""

    keys: list[str]
    episodes: list[Restyled] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # episode files that are not valid: left as they are
    held: list[str] = field(default_factory=list)  # keys kept as typed: suspected misattributions
    dry_run: bool = False
    written: bool = False

    @property
    def diff(self) -> str:
        """The changes to every episode file, as one unified diff."""
        return "".join(episode.diff for episode in self.episodes)

    @property
    def count(self) -> int:
        """How many references are restyled, over all episodes."""
        return sum(len(episode.keys) for episode in self.episodes)


def typed_keys(ws: Workspace) -> dict[str, list[str]]:
    """Each library key some episode shows as typed, with the slugs of those episodes."""
    found: dict[str, list[str]] = {}
    for slug, loaded in ws.catalog.items():
        if isinstance(loaded, LoadedEpisode):
            for citation in loaded.model.citations:
                if isinstance(citation, TypedCitation):
                    found.setdefault(citation.key, []).append(slug)
    return found


def restyle(ws: Workspace, keys: Sequence[str] = (), *, dry_run: bool, known: bool = True,
            settled: bool = False) -> Restyle:
    """Drop the typed texts of ``keys`` (all typed ones without) from every episode that cites them.

    ``known``: each key must be an entry of the library (a ``UsageError`` with a "did you mean" otherwise).
    ``settled``: the caller has applied the records of ``keys``, so a misattribution mark no longer holds one back.
    """
    if known:
        for key in keys:
            if key not in ws.library.root:
                raise UsageError(f"{key!r} is not an entry of {LIBRARY_FILE}" + did_you_mean(key, ws.library.root))
    wanted = set(keys) if keys else set(typed_keys(ws))
    held = set() if settled else {key for key in wanted if suspected(ws, key)}
    done = Restyle(sorted(wanted - held), held=sorted(held), dry_run=dry_run)
    wanted -= held
    for slug, loaded in sorted(ws.catalog.items()):
        if not isinstance(loaded, LoadedEpisode):
            done.unread.append(shown_path(ws.episodes_dir / f"{slug}.yaml"))
            continue
        dropped = [c.key for c in loaded.model.citations if isinstance(c, TypedCitation) and c.key in wanted]
        if dropped:
            done.episodes.append(_without_typed(loaded, set(dropped)))
    if not dry_run:
        for episode in done.episodes:
            _write(episode)
        done.written = bool(done.episodes)
    return done


def suspected(ws: Workspace, key: str) -> bool:
    """Whether library entry ``key`` is marked as a suspected misattribution (its typed texts then stay)."""
    entry = ws.library.root.get(key)
    return entry is not None and bool(entry.misattribution)


def _without_typed(loaded: LoadedEpisode, keys: set[str]) -> Restyled:
    """``loaded``'s file with each typed citation of ``keys`` made its bare key; checked as ``check`` reads it."""
    original = loaded.path.read_text(encoding="utf-8")
    writer = round_trip_yaml()
    doc: Any = writer.load(original)
    citations = doc["citations"]
    dropped = []
    for index, item in enumerate(citations):
        if hasattr(item, "get") and item.get("key") in keys and "typed" in item:
            citations[index] = str(item["key"])
            dropped.append(str(item["key"]))
    out = io.StringIO()
    writer.dump(doc, out)
    text = out.getvalue()
    try:
        loaded_episode(loaded.path, text)
    except InputError as exc:  # never expected: the bare key is what the typed item cited
        raise OutputError(f"{loaded.shown}: the typed references could not be dropped ({exc}); nothing was "
                          "written") from None
    diff = "".join(difflib.unified_diff(original.splitlines(keepends=True), text.splitlines(keepends=True),
                                        f"{loaded.shown} (now)", f"{loaded.shown} (restyled)"))
    return Restyled(loaded.path, dropped, text, diff)


def _write(episode: Restyled) -> None:
    try:
        write_text_atomic(episode.path, episode.text, through_links=True)  # a linked episode file stays a link
    except OSError as exc:
        where, why = write_failure(exc, episode.path)
        raise OutputError(f"{shown_path(where)}: {why}; {episode.shown} was left as it was") from None
