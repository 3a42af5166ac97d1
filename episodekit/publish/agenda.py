"""``calendar``: the coming release slots, which episode fills each, and where the gaps are."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from ..pipeline import schedule
from ..pipeline.build import build_episodes
from ..workspace import Workspace

GAP_ALERT_WEEKS = 4


@dataclass(frozen=True)
class CalendarRow:
    """One release time: a slot (filled or not) or an extra episode between slots."""

    local: datetime
    utc: datetime
    slug: str | None
    title: str | None
    status: str  # "gap", "invalid", "ready" or "uploaded"
    extra: bool  # an episode outside the weekly slots
    alert: bool  # a gap soon enough that the creator should act

    def as_json(self) -> dict[str, object]:
        """The row as JSON: the local time in ISO 8601 with its offset, the UTC one in RFC 3339."""
        data = asdict(self)
        data["local"] = self.local.isoformat()
        data["utc"] = schedule.to_rfc3339_utc(self.utc)
        return data


def calendar_rows(ws: Workspace, weeks: int = 8, now: datetime | None = None) -> list[CalendarRow]:
    """Every slot in the next ``weeks`` weeks, and every episode scheduled in that time."""
    now = now or datetime.now(UTC)
    end = now + timedelta(weeks=weeks)
    report = build_episodes(ws, ws.episode_paths(), now)
    builds = {b.slug: b for b in report.builds}
    # every release, also of an uploaded video whose episode file is gone (it holds its slot)
    by_instant = {slot.utc: slug for slug, slot in report.slots.items() if now < slot.utc <= end}
    found = schedule.slot_instants(ws.channel.weekly_slots, ws.channel.zone, now, end)
    instants = {t.astimezone(UTC): t for t in found}
    rows = []
    for utc in sorted(set(instants) | set(by_instant)):
        slug = by_instant.get(utc)
        local = utc.astimezone(ws.channel.zone)
        if slug is None:
            alert = utc <= now + timedelta(weeks=GAP_ALERT_WEEKS)
            rows.append(CalendarRow(local, utc, None, None, "gap", False, alert))
            continue
        build = builds.get(slug)
        status = _status(ws, slug, build is not None and build.ok)
        title = build.rendered.title if build and build.rendered else ws.title_of.get(slug)
        rows.append(CalendarRow(local, utc, slug, title, status, utc not in instants, False))
    return rows


def _status(ws: Workspace, slug: str, valid: bool) -> str:
    if ws.ledger.video_id(slug):
        return "uploaded"
    return "ready" if valid else "invalid"
