"""What the channel-wide checks need of each episode, small enough to keep in the build manifest.

The schedule (slot collisions, ``next``), the links between episodes and the titles a link shows are
decided over every episode of the channel, also when a run builds only some of them. An
:class:`EpisodeSummary` holds what they read of one episode file, so an incremental run answers them
without parsing the files that did not change: :func:`summarize` makes one from a loaded episode,
:func:`from_record` from the manifest, and :func:`schedule_catalog` places every release from them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from ..errors import Problem
from ..files.load import LoadedEpisode
from ..models.reference import KEY
from ..paths import shown_path
from ..workspace import Workspace
from . import schedule

_MENTION = re.compile(rf"@\s*({KEY})")


@dataclass(frozen=True)
class EpisodeSummary:
    """One valid episode file as the channel-wide checks see it."""

    slug: str
    shown: str
    title: str
    schedule: str | None  # "next", an ISO date-time (naive, the channel's zone), or None
    schedule_line: int | None
    extra: bool
    links: tuple[str, ...]  # the slugs its videos link to
    mentioned: tuple[str, ...]  # every key it cites or names after an '@': what it reads of the library

    @property
    def when(self) -> datetime | str | None:
        """``schedule`` as the episode model has it."""
        if self.schedule is None or self.schedule == "next":
            return self.schedule
        return datetime.fromisoformat(self.schedule)

    def record(self) -> dict[str, Any]:
        """The summary as JSON data (see :func:`from_record`)."""
        data = asdict(self)
        del data["shown"]
        return data


def from_record(data: Mapping[str, Any], shown: str) -> EpisodeSummary:
    """The summary :meth:`EpisodeSummary.record` wrote, of the file messages name ``shown`` (which depends
    on the folder a run starts in, so it is not kept); ``KeyError``/``TypeError``/``ValueError`` when
    ``data`` is not one."""
    summary = EpisodeSummary(
        slug=str(data["slug"]), shown=shown, title=str(data["title"]),
        schedule=None if data["schedule"] is None else str(data["schedule"]),
        schedule_line=None if data["schedule_line"] is None else int(data["schedule_line"]),
        extra=bool(data["extra"]), links=tuple(map(str, data["links"])),
        mentioned=tuple(map(str, data["mentioned"])),
    )
    summary.when  # noqa: B018 - a date that does not parse is a bad record
    return summary


def summarize(loaded: LoadedEpisode, text: str = "") -> EpisodeSummary:
    """The summary of ``loaded``, whose file says ``text`` (the keys named there are ``mentioned``)."""
    from .resolve import cited_keys  # not for a summary read from the manifest

    model = loaded.model
    when = model.schedule
    mentioned = dict.fromkeys(key for key, _ in cited_keys(loaded))
    for key in _MENTION.findall(text):  # a key named anywhere in the file (a marker, a localization)
        mentioned.update(dict.fromkeys([key, key.rstrip(".:")]))
    return EpisodeSummary(
        slug=loaded.slug, shown=loaded.shown, title=model.title,
        schedule=when if when is None or isinstance(when, str) else when.isoformat(),
        schedule_line=loaded.line_of("schedule"), extra=bool(model.extra),
        links=tuple(v.episode for v in model.videos if v.episode),
        mentioned=tuple(mentioned),
    )


def summaries_of(ws: Workspace) -> dict[str, EpisodeSummary | None]:
    """The summary of every episode of ``ws``'s catalog (which loads them all), None where one does not load."""
    return {slug: summarize(entry) if isinstance(entry, LoadedEpisode) else None for slug, entry in ws.catalog.items()}


def schedule_catalog(ws: Workspace, summaries: Mapping[str, EpisodeSummary | None], now: datetime
                     ) -> tuple[dict[str, schedule.ResolvedSlot], list[Problem]]:
    """Release times of every scheduled episode of the channel, and the schedule's problems.

    ``summaries`` has every episode file of the channel by slug, None for one that does not load."""
    requests = schedule_requests(ws, summaries)
    slots, problems = schedule.resolve_schedule(requests, ws.channel.weekly_slots, ws.channel.zone, now)
    return slots, problems + live_schedule_warnings(ws, summaries)


def live_schedule_warnings(ws: Workspace, summaries: Mapping[str, EpisodeSummary | None]) -> list[Problem]:
    """An uploaded episode whose ``schedule`` now differs from the time YouTube was given: that one wins."""
    problems = []
    for slug, entry in summaries.items():
        live = live_release(ws, slug)
        if entry is None or live is None or entry.when in ("next", live):
            continue
        problems.append(Problem(entry.shown, entry.schedule_line, "schedule", (
            f"already uploaded: YouTube has {live:%Y-%m-%d %H:%M} ({ws.channel.timezone}), the time sent with the "
            "upload, and a schedule edited since is not sent; to move the video, change its time in YouTube "
            f"Studio (Visibility > Schedule) and write the new time here and as publish_at in "
            f"{shown_path(ws.ledger_path)}"), "warning"))
    return problems


def schedule_requests(ws: Workspace, summaries: Mapping[str, EpisodeSummary | None]
                      ) -> list[schedule.ScheduleRequest]:
    """What each valid, scheduled episode of the channel asks for, and the slot of every uploaded video.

    A video YouTube was given a ``publish_at`` for holds that slot whatever has become of its episode's
    file (invalid, gone, or without ``schedule`` now), so no other episode is ever placed there.
    """
    requests = {}
    for slug, entry in summaries.items():
        if entry is None or entry.schedule is None:
            continue
        when = live_release(ws, slug) or entry.when  # once uploaded, what YouTube has, whatever the file says
        requests[slug] = schedule.ScheduleRequest(
            slug=slug, path=entry.shown, line=entry.schedule_line,
            when=None if when == "next" else when,  # type: ignore[arg-type]
            extra=entry.extra, links=entry.links, published=bool(ws.ledger.video_id(slug)),
        )
    for slug in ws.ledger.episodes:
        live = live_release(ws, slug)
        if slug not in requests and live is not None:
            requests[slug] = _held_slot(ws, summaries, slug, live)
    return list(requests.values())


def _held_slot(ws: Workspace, summaries: Mapping[str, EpisodeSummary | None], slug: str,
               live: datetime) -> schedule.ScheduleRequest:
    """The slot an uploaded video holds when its episode file cannot say so (invalid, gone, unscheduled)."""
    entry = summaries.get(slug)
    if entry is not None:
        path, line = entry.shown, entry.schedule_line
    elif slug in summaries:
        path, line = shown_path(ws.episodes_dir / f"{slug}.yaml"), None
    else:
        path, line = shown_path(ws.ledger_path), ws.ledger.line_of("episodes", slug, "publish_at")
    return schedule.ScheduleRequest(
        slug=slug, path=path, line=line, when=live, extra=True, published=True,
        shown=f"the uploaded video of {slug} ({shown_path(ws.ledger_path)})",
    )


def live_release(ws: Workspace, slug: str) -> datetime | None:
    """The local release time YouTube was sent for an uploaded episode (naive, in the channel's zone)."""
    entry = ws.ledger.episodes.get(slug)
    if entry is None or not entry.video_id or entry.publish_at is None:
        return None
    return entry.publish_at.astimezone(ws.channel.zone).replace(tzinfo=None)
