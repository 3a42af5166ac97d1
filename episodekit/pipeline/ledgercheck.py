"""The ledger and the episode files agree, or ``check`` says why; ``ledger move`` puts a renamed episode right.

The ledger (``published.yaml``) is keyed by slug, the name of the episode's
file. Renaming or deleting that file leaves an *orphan* entry: a video whose
episode episodekit no longer knows, so uploading the renamed file would make a
second video. Two entries with one video id would let ``sync`` overwrite one
video with the other episode. ``check`` reports both at their line of the ledger;
``upload`` refuses an episode that looks like an orphan (the same title or
description as was sent for it); :func:`move_entry` gives the entry to the
episode's new slug and keeps its video id.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MissingFileError, Problem, RefusedError, UsageError, command_line, did_you_mean
from ..files.load import LoadedEpisode
from ..ledger import LedgerStore
from ..models.ledger import Ledger, LedgerEntry
from ..models.slug import EPISODE_SUFFIXES, check_slug, suggest_slug
from ..paths import shown_path
from ..workspace import Workspace
from .render import RenderedEpisode


@dataclass(frozen=True)
class LookAlike:
    """An orphan entry whose video was sent the same title or description as an episode renders now."""

    slug: str
    entry: LedgerEntry
    same: list[str]  # "title", "description"


@dataclass(frozen=True)
class Move:
    """What ``ledger move`` did (or, in a dry run, would do)."""

    old: str
    new: str
    entry: LedgerEntry
    linking: list[str] = field(default_factory=list)  # episode files whose videos link to the old slug
    applied: bool = False


def orphans(ws: Workspace, ledger: Ledger | None = None) -> dict[str, LedgerEntry]:
    """Ledger entries whose episode file is gone (renamed or deleted)."""
    slugs = {path.stem for path in ws.episode_paths()}
    return {slug: entry for slug, entry in (ledger or ws.ledger).episodes.items() if slug not in slugs}


def look_alike(ws: Workspace, rendered: RenderedEpisode) -> LookAlike | None:
    """The orphan entry that ``rendered`` looks like: sent the same title or the same description."""
    return _look_alike(orphans(ws), rendered)


def _look_alike(candidates: Mapping[str, LedgerEntry], rendered: RenderedEpisode) -> LookAlike | None:
    fresh = rendered.sent_hashes() if candidates else None
    for slug, entry in candidates.items():
        if entry.sent is None or fresh is None or slug == rendered.slug:
            continue
        same = [name for name in ("title", "description") if getattr(entry.sent, name) == getattr(fresh, name)]
        if same:
            return LookAlike(slug, entry, same)
    return None


def ledger_problems(ws: Workspace, rendered: Mapping[str, RenderedEpisode]) -> list[Problem]:
    """Orphan entries and video ids recorded for two episodes, each at its line of the ledger.

    ``rendered`` (slug -> render) lets an orphan's message name the episode it seems to have become.
    """
    shown, ledger, gone = shown_path(ws.ledger_path), ws.ledger, orphans(ws)
    renamed_to: dict[str, str] = {}
    for slug, render in rendered.items():
        found = _look_alike(gone, render) if slug not in ledger.episodes else None
        if found is not None:
            renamed_to.setdefault(found.slug, slug)
    problems = [
        Problem(shown, ledger.line_of("episodes", slug), f"episodes.{slug}",
                _orphan_message(ws, slug, entry, renamed_to.get(slug)))
        for slug, entry in gone.items()
    ]
    for video_id, (first, *others) in ledger.shared_video_ids().items():
        for slug in others:
            problems.append(Problem(
                shown, ledger.line_of("episodes", slug, "video_id"), f"episodes.{slug}.video_id",
                f"video {video_id} is also recorded for episode {first!r} (line {ledger.line_of('episodes', first)}); "
                f"a video belongs to one episode, and {command_line('sync')} would overwrite it with the other one's "
                "description: "
                "keep the id only at the episode it belongs to",
            ))
    return problems


def _orphan_message(ws: Workspace, slug: str, entry: LedgerEntry, renamed_to: str | None) -> str:
    gone = f"{ws.episodes_dir.name}/{slug}.yaml"
    if entry.video_id is None:
        return (f"an upload of {gone} started, but the file is gone; put it back and run {command_line('upload ' + slug)} "
                "to finish it, or delete this entry")
    new = renamed_to or "NEW-SLUG"
    looks = f"; episode {renamed_to!r} looks like it (same title or description)" if renamed_to else ""
    return (f"video {entry.video_id} has no episode file: {gone} is gone{looks}. If you renamed the "
            f"file, run {move_command(slug, new)} so the episode keeps its video; if you deleted the "
            "episode, delete this entry as well")


def move_command(old: str, new: str) -> str:
    """The ``ledger move`` a message suggests, each argument quoted for the shell."""
    return command_line(f"ledger move {shlex.quote(old)} {shlex.quote(new)}")


def move_entry(ws: Workspace, old: str, new: str, *, dry_run: bool = False, ledger: LedgerStore | None = None) -> Move:
    """Give the ledger entry of ``old`` (a renamed episode) to ``new``, keeping its video id, written through
    ``ledger`` (a store over ``ws`` when none is given).

    Refused, with nothing written, unless ``old`` has an entry and no file, and ``new`` has a file and no
    entry. The check is made again under the ledger's lock, on the ledger as it is on disk then.
    """
    old, new = _slug(old, "OLD"), _slug(new, "NEW")
    if dry_run:
        return Move(old, new, _moved(ws, ws.ledger, old, new)[1], _linking(ws, old))
    moved: list[LedgerEntry] = []

    def change(ledger: Ledger) -> Ledger:
        updated, entry = _moved(ws, ledger, old, new)
        moved.append(entry)
        return updated

    (ledger or LedgerStore(ws)).change(change)
    return Move(old, new, moved[0], _linking(ws, old), applied=True)


def _moved(ws: Workspace, ledger: Ledger, old: str, new: str) -> tuple[Ledger, LedgerEntry]:
    shown, folder = shown_path(ws.ledger_path), ws.episodes_dir.name
    if old == new:
        raise RefusedError(f"ledger move: OLD and NEW are the same slug, {old!r}")
    entry = ledger.episodes.get(old)
    if entry is None:
        hint = did_you_mean(old, orphans(ws, ledger), f"; its entries: {', '.join(ledger.episodes) or 'none'}")
        raise RefusedError(f"{shown}: no entry for episode {old!r}{hint}")
    if entry.video_id is None:
        raise RefusedError(f"{shown}: the upload of {old!r} has not finished; finish it ({command_line('upload ' + old)}) "
                           "before moving its entry")
    files = {path.stem: path for path in ws.episode_paths()}
    if old in files:
        raise RefusedError(f"{shown_path(files[old])} is still there, so its entry stays with it; rename the file "
                           f"first (`git mv {folder}/{old}.yaml {folder}/{new}.yaml`), then move the entry")
    if new not in files:
        raise MissingFileError(f"{folder}/{new}.yaml: no such episode file; the entry moves to an existing episode "
                               f"file (the renamed {old!r}){did_you_mean(new, files)}")
    taken = ledger.episodes.get(new)
    if taken is not None:
        what = f"video {taken.video_id}" if taken.video_id else "an unfinished upload"
        raise RefusedError(f"{shown}: episode {new!r} already has an entry ({what}); nothing was moved")
    return ledger.with_entry(old, None).with_entry(new, entry), entry


def _linking(ws: Workspace, old: str) -> list[str]:
    """Episode files whose ``videos:`` still link to the old slug."""
    return [loaded.shown for loaded in ws.catalog.values()
            if isinstance(loaded, LoadedEpisode) and any(v.episode == old for v in loaded.model.videos)]


def _slug(given: str, argument: str) -> str:
    """The slug ``given`` on the command line names (``x`` or ``x.yaml``); ``UsageError`` when it is none."""
    path = Path(given)
    slug = path.stem if path.suffix in EPISODE_SUFFIXES else given
    message = check_slug(slug)
    if message:
        raise UsageError(f"ledger move: {argument}: {message}; give the episode's slug, the name of its file "
                         f"without .yaml (such as {suggest_slug(slug)!r})")
    return slug

