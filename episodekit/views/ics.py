"""``calendar --ics``: the coming release slots and the episodes in them as an iCalendar file (RFC 5545).

Each release is one event at its local time in the channel's zone (``DTSTART;TZID=...``), and the file
carries that zone's VTIMEZONE, so a calendar shows the right hour on both sides of a DST change. The
UID of an event stays the same from run to run, so importing the file again updates the events instead
of adding copies: a weekly slot is keyed by its instant, filled or not (an episode moved to another
slot changes two events, and leaves no stale one behind), and an extra episode between slots by its
slug. An empty slot is a free (``TRANSP:TRANSPARENT``) event, so it never shows as busy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from icalendar import Calendar, Event, vText
from slugify import slugify

from ..atomic import write_failure, write_text_atomic
from ..errors import OutputError
from ..models.episode import video_url
from ..paths import shown_path
from ..workspace import Workspace

PRODID = "-//episodekit//release calendar//EN"
EVENT_LENGTH = timedelta(minutes=30)  # a release is an instant; half an hour reads well in a day view


class Release(Protocol):
    """A row of the calendar (``publish.agenda.CalendarRow``): a slot, filled or not, or an extra episode."""

    local: datetime
    utc: datetime
    slug: str | None
    title: str | None
    status: str
    extra: bool


def release_calendar(ws: Workspace, rows: Sequence[Release], now: datetime | None = None) -> Calendar:
    """The iCalendar of ``rows``, with the VTIMEZONE of the channel's zone for the dates they span."""
    now = now or datetime.now(UTC)
    channel = ws.channel
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # icalendar gives a property it does not know (the X-WR- ones) no type, so nothing in it is escaped: as
    # TEXT (RFC 5545 3.3.11) a comma, semicolon, backslash or line break in the channel's name is escaped
    calendar.add("x-wr-calname", vText(f"{channel.name}: releases"))
    calendar.add("x-wr-timezone", vText(channel.timezone))
    domain = f"{slugify(channel.name) or 'channel'}.episodekit"
    for row in rows:
        calendar.add_component(_event(ws, row, now, domain))
    if rows:
        first, last = min(r.local for r in rows), max(r.local for r in rows)
        calendar.add_missing_timezones(first_date=first.date() - timedelta(days=1),
                                       last_date=last.date() + timedelta(days=2))
    return calendar


def event_uid(row: Release, domain: str) -> str:
    """The UID that stays with a slot (or an extra episode) from run to run."""
    if row.extra and row.slug:
        return f"episode-{row.slug}@{domain}"
    return f"slot-{row.utc.astimezone(UTC):%Y%m%dT%H%M%SZ}@{domain}"


def _event(ws: Workspace, row: Release, now: datetime, domain: str) -> Event:
    event = Event()
    event.add("uid", event_uid(row, domain))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", row.local)
    event.add("dtend", row.local + EVENT_LENGTH)
    if row.slug is None:
        event.add("summary", "Free release slot: no episode yet")
        event.add("description", "No episode is planned for this slot yet.")
        event.add("transp", "TRANSPARENT")
        event.add("status", "TENTATIVE")
        return event
    video_id = ws.ledger.video_id(row.slug)
    lines = [f"Episode: {shown_path(ws.episodes_dir / (row.slug + '.yaml'))}", f"Status: {row.status}"]
    if video_id:
        event.add("url", video_url(video_id))
        lines.append(f"Video: {video_url(video_id)}")
    if row.extra:
        lines.append("An extra episode, outside the weekly slots.")
    event.add("summary", f"Release: {row.title or row.slug}")
    event.add("description", "\n".join(lines))
    event.add("transp", "OPAQUE")
    event.add("status", "CONFIRMED" if video_id else "TENTATIVE")
    return event


def write_release_calendar(ws: Workspace, rows: Sequence[Release], path: Path,
                           now: datetime | None = None) -> int:
    """Write the calendar of ``rows`` to ``path`` atomically; the number of events. ``OutputError``
    names what cannot be written."""
    text = release_calendar(ws, rows, now).to_ical().decode("utf-8")  # CRLF line ends, as RFC 5545 asks
    try:
        write_text_atomic(path, text, durable=False)
    except OSError as exc:
        where, reason = write_failure(exc, path)
        raise OutputError(f"{shown_path(where)}: {reason}; the calendar was not written") from None
    return len(rows)
