"""``new``: start an episode file on the next free release slot, with the channel's defaults."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..atomic import write_failure, write_text_atomic
from ..errors import InputError, OutputError, RefusedError, ScheduleError, UsageError, command_line
from ..files.load import LoadedEpisode
from ..files.yamlsource import MAX_EPISODE_BYTES, YamlDocument, read_yaml
from ..models.slug import MAX_SLUG_LENGTH, suggest_slug
from ..models.text import public_line_problem, title_problems
from ..paths import shown_path
from ..workspace import Workspace
from . import schedule
from .summary import schedule_requests, summaries_of


def unique_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... when taken, never longer than ``MAX_SLUG_LENGTH``."""
    slug, number = base, 2
    while slug in taken:
        suffix = f"-{number}"
        slug, number = base[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix, number + 1
    return slug


def same_title(ws: Workspace, title: str) -> tuple[str, str] | None:
    """``("episodes/x.yaml:LINE", its title)`` of the episode whose title is ``title`` (ignoring case and
    spaces), valid or not."""
    wanted = _title_key(title)
    for path in ws.episode_paths():
        entry = ws.catalog.get(path.stem)
        doc = entry.doc if isinstance(entry, LoadedEpisode) else _written(path)
        found = doc.data.get("title") if doc is not None and isinstance(doc.data, dict) else None
        if isinstance(found, str) and _title_key(found) == wanted:
            line = doc.line_of(("title",)) if doc is not None else None
            return (f"{shown_path(path)}:{line}" if line else shown_path(path)), found
    return None


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _written(path: Path) -> YamlDocument | None:
    """An episode file that does not pass ``check`` yet, if it can be read as YAML."""
    try:
        return read_yaml(path, shown_path(path), MAX_EPISODE_BYTES)
    except InputError:
        return None


@dataclass(frozen=True)
class ReleaseMove:
    """An episode whose release time changes because a new episode came in."""

    path: str
    before: schedule.ResolvedSlot
    after: schedule.ResolvedSlot | None

    def __str__(self) -> str:
        was = f"{self.before.local:%a %Y-%m-%d %H:%M %Z}"
        if self.after is None:
            return f"{self.path}: no longer has a release time (was {was}); run check"
        return (f"{self.path}: moves from {was} to {self.after.local:%a %Y-%m-%d %H:%M %Z}, "
                "to stay after the episodes it links to")


@dataclass(frozen=True)
class NewEpisode:
    """What ``new`` did: the file, the slot it took, and any other episode's release it changed."""

    path: Path
    slot: schedule.ResolvedSlot
    moved: list[ReleaseMove]


def next_free_slot(ws: Workspace, slug: str, now: datetime,
                   taken: Mapping[str, schedule.ResolvedSlot]) -> schedule.ResolvedSlot:
    """The first release slot after ``now`` that none of ``taken`` (the schedule as it stands) is in.

    A slot whose local time cannot be written unambiguously (doubled by a DST change)
    is passed over, since the new file names the slot by its local time.
    """
    zone = ws.channel.zone

    def unwritable(instant: datetime) -> bool:
        try:
            return schedule.localize(instant.replace(tzinfo=None), zone) != instant
        except ScheduleError:
            return True

    found = schedule.first_free_slot(
        ws.channel.weekly_slots, zone, now, (slot.utc for slot in taken.values()), skip=unwritable
    )
    if found is None:
        raise ScheduleError("no free release slot found; check the slots in channel.yaml")
    return schedule.ResolvedSlot(slug, found, found.astimezone(UTC), from_next=False)


def release_moves(requests: list[schedule.ScheduleRequest], before: Mapping[str, schedule.ResolvedSlot],
                  after: Mapping[str, schedule.ResolvedSlot]) -> list[ReleaseMove]:
    """The episodes of ``requests`` whose release time is not the same ``after`` as ``before``."""
    paths = {req.slug: req.path for req in requests}
    return [
        ReleaseMove(paths[slug], slot, after.get(slug))
        for slug, slot in before.items()
        if slug not in after or after[slug].utc != slot.utc
    ]


def new_episode(ws: Workspace, title: str, now: datetime | None = None, force: bool = False) -> Path:
    """Write ``episodes/<slug>.yaml`` for ``title``; never overwrites an existing file."""
    return create_episode(ws, title, now, force).path


def create_episode(ws: Workspace, title: str, now: datetime | None = None, force: bool = False) -> NewEpisode:
    """Write ``episodes/<slug>.yaml`` on the next free slot; say which other releases that changes.

    An episode of the same title is refused unless ``force``. A file that cannot be written
    (``episodes`` is a file, no permission) is ``OutputError``, and nothing is written.
    """
    title = " ".join(title.split())
    if not title:
        raise UsageError("give the episode a title, e.g. " + command_line('new "Why Sleep Matters"'))
    for problem in [public_line_problem(title), *title_problems(title)]:
        if problem:  # `check` would refuse the file: say so before writing it
            raise UsageError(f"the title {problem}")
    existing = None if force else same_title(ws, title)
    if existing is not None:
        where, written = existing
        raise RefusedError(
            f"{where}: this episode already has the title {written!r}, the same as {title!r} (ignoring case and "
            "spaces); give the new episode another title, or pass --force to start another episode with it"
        )
    taken = {p.stem.lower() for p in ws.episode_paths()}
    slug = unique_slug(suggest_slug(title), taken)
    target = ws.episodes_dir / f"{slug}.yaml"
    if target.exists():  # pragma: no cover - unique_slug already avoided it
        raise RefusedError(f"{shown_path(target)} exists; not overwriting it")
    now = now or datetime.now(UTC)
    requests = schedule_requests(ws, summaries_of(ws))
    slots, zone = ws.channel.weekly_slots, ws.channel.zone
    before, _ = schedule.resolve_schedule(requests, slots, zone, now)
    slot = next_free_slot(ws, slug, now, before)
    request = schedule.ScheduleRequest(slug, shown_path(target), None, slot.local.replace(tzinfo=None))
    after, _ = schedule.resolve_schedule([*requests, request], slots, zone, now)
    try:
        write_text_atomic(target, episode_text(title, slot, ws))
    except OSError as exc:
        where, why = write_failure(exc, target)
        raise OutputError(f"{shown_path(where)}: {why}; {shown_path(target)} was not created") from None
    return NewEpisode(target, slot, release_moves(requests, before, after))


def episode_text(title: str, slot: schedule.ResolvedSlot, ws: Workspace) -> str:
    """The YAML of a new episode: its title, release slot, TODO placeholders and the channel's upload defaults."""
    defaults = ws.channel.upload
    when = slot.local.strftime("%Y-%m-%d %H:%M")
    zone = f"{slot.local:%A} in {ws.channel.timezone}"
    return f"""\
# yaml-language-server: $schema=../schema/episode.schema.json
title: {json.dumps(title, ensure_ascii=False)}
schedule: "{when}"  # the next free slot: {zone}
summary:
  - TODO the first paragraph of the description.
script:
  - heading: Introduction
    body: TODO what you will say.  # cite an entry of references.yaml with [@its-key]
videos: []      # - {{title: ..., url: https://youtu.be/...}}  or  - episode: other-slug
citations: []   # keys of references.yaml
tags: []        # added to the channel's tags: {', '.join(ws.channel.tags) or 'none'}
disclaimer: inherit
upload:
  privacy: {defaults.privacy}
  category: {defaults.category}
  made_for_kids: {str(defaults.made_for_kids).lower()}
  language: {defaults.language}
"""
