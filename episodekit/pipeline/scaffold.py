"""``new``: start an episode file on the next free release slot, with the channel's defaults."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ..atomic import write_text_atomic
from ..errors import InputError, RefusedError, ScheduleError, UsageError
from ..models.slug import MAX_SLUG_LENGTH, suggest_slug
from ..workspace import Workspace
from . import schedule
from .build import schedule_requests
from .load import LoadedEpisode, shown_path
from .yamlsource import MAX_EPISODE_BYTES, read_yaml


def slugify(title: str) -> str:
    """An ASCII file-name slug, transliterated: ``"Депрессия и сон"`` -> ``"depressiia-i-son"``."""
    return suggest_slug(title)


def unique_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... when taken, never longer than ``MAX_SLUG_LENGTH``."""
    slug, number = base, 2
    while slug in taken:
        suffix = f"-{number}"
        slug, number = base[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix, number + 1
    return slug


def same_title(ws: Workspace, title: str) -> Path | None:
    """The episode file whose title is ``title`` (ignoring case and spaces), valid or not."""
    wanted = _title_key(title)
    for path in ws.episode_paths():
        entry = ws.catalog.get(path.stem)
        found = entry.model.title if isinstance(entry, LoadedEpisode) else _written_title(path)
        if isinstance(found, str) and _title_key(found) == wanted:
            return path
    return None


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _written_title(path: Path) -> object:
    """The ``title:`` of an episode file that does not pass ``check`` yet, if it can be read."""
    try:
        data = read_yaml(path, shown_path(path), MAX_EPISODE_BYTES).data
    except InputError:
        return None
    return data.get("title")


def next_free_slot(ws: Workspace, slug: str, now: datetime) -> schedule.ResolvedSlot:
    """The first release slot after ``now`` and after every episode already scheduled."""
    slots = ws.channel.weekly_slots
    taken, _ = schedule.resolve_schedule(schedule_requests(ws), slots, ws.channel.zone, now)
    after = max([now, *(slot.utc for slot in taken.values())])
    probe = schedule.ScheduleRequest(slug=slug, path=slug, line=None, when=None)
    resolved, _ = schedule.resolve_schedule([probe], slots, ws.channel.zone, after)
    if slug not in resolved:
        raise ScheduleError("no free release slot found; check the slots in channel.yaml")
    return resolved[slug]


def new_episode(ws: Workspace, title: str, now: datetime | None = None, force: bool = False) -> Path:
    """Write ``episodes/<slug>.yaml`` for ``title``; never overwrites an existing file.

    An episode of the same title is refused unless ``force``.
    """
    title = " ".join(title.split())
    if not title:
        raise UsageError("give the episode a title, e.g. publish.py new \"Why Sleep Matters\"")
    existing = None if force else same_title(ws, title)
    if existing is not None:
        raise RefusedError(
            f"{shown_path(existing)} already has the title {title!r}; pass --force to start another episode with it"
        )
    taken = {p.stem.lower() for p in ws.episode_paths()}
    slug = unique_slug(slugify(title), taken)
    target = ws.episodes_dir / f"{slug}.yaml"
    if target.exists():  # pragma: no cover - unique_slug already avoided it
        raise RefusedError(f"{target} exists; not overwriting it")
    slot = next_free_slot(ws, slug, now or datetime.now(UTC))
    write_text_atomic(target, episode_text(title, slot, ws))
    return target


def episode_text(title: str, slot: schedule.ResolvedSlot, ws: Workspace) -> str:
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
