"""``new``: start an episode file on the next free release slot, with the channel's defaults."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from ..atomic import write_text_atomic
from ..errors import RefusedError, ScheduleError, UsageError, command_line
from ..workspace import Workspace
from . import schedule
from .build import schedule_requests

MAX_SLUG_LENGTH = 60


def slugify(title: str) -> str:
    """An ASCII file-name slug: ``"Ça va? Depression & Sleep"`` -> ``"ca-va-depression-sleep"``."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rsplit("-", 1)[0]
    return slug or "episode"


def unique_slug(base: str, taken: set[str]) -> str:
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


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


def new_episode(ws: Workspace, title: str, now: datetime | None = None) -> Path:
    """Write ``episodes/<slug>.yaml`` for ``title``; never overwrites an existing file."""
    title = " ".join(title.split())
    if not title:
        raise UsageError("give the episode a title, e.g. " + command_line('new "Why Sleep Matters"'))
    taken = {p.stem for p in ws.episode_paths()}
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
