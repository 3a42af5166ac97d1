"""``status``: each episode's state, and whether its live description is stale and why.

Offline, from the ledger: a fresh render is compared with the hashes of what
was last sent (``LedgerEntry.sent``); when they differ, the fingerprints of
the inputs (``LedgerEntry.inputs``, see ``episodekit.fingerprint``) name the
shared input that changed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime

from ..errors import command_line
from ..models.ledger import LedgerEntry, SentHashes
from ..pipeline.build import EpisodeBuild, build_episodes
from ..pipeline.schedule import to_rfc3339_utc
from ..workspace import Workspace
from .fingerprint import input_fingerprints
from .upload import sent_fields

NO_FINGERPRINTS = "unknown (no fingerprints recorded)"
OUTPUT_CHANGED = "episodekit's output changed"


@dataclass(frozen=True)
class EpisodeStatus:
    """One row of ``status``."""

    slug: str
    path: str  # the episode file as messages show it
    state: str  # "draft", "scheduled", "published", "invalid" or "uploading"
    video_id: str | None
    release: datetime | None  # UTC
    stale: bool  # uploaded, and a fresh render differs from what was last sent
    causes: list[str] = field(default_factory=list)  # the inputs that changed since then
    pending: list[str] = field(default_factory=list)  # follow-up steps of the upload still to do
    shared_with: list[str] = field(default_factory=list)  # other episodes the ledger gives the same video id
    same_time: list[str] = field(default_factory=list)  # other published episodes that came out at this instant

    @property
    def note(self) -> str:
        """The end of the row: steps still to do, and whether the live description is up to date."""
        notes = []
        if self.shared_with:
            others = ", ".join(map(repr, self.shared_with))
            notes.append(f"video {self.video_id} is also recorded for {others}: keep it at one episode "
                         f"(run {command_line('check')})")
        if self.pending:
            notes.append(f"pending: {', '.join(self.pending)} (run {command_line('upload ' + self.slug)} to finish)")
        if self.same_time:
            notes.append(f"came out at the same time as {', '.join(map(repr, self.same_time))} (a warning: "
                         "a published video keeps its time)")
        if self.video_id and self.state == "invalid":
            notes.append(f"not compared with the live video: the file is invalid (run {command_line('check')})")
        elif self.stale:
            notes.append(f"stale: {', '.join(self.causes)}")
        elif self.video_id:
            notes.append("up to date")
        return "; ".join(notes)

    def as_json(self) -> dict[str, object]:
        """The row as JSON, its release in UTC."""
        data = asdict(self)
        data["release"] = to_rfc3339_utc(self.release) if self.release else None
        return data


def episode_statuses(ws: Workspace, now: datetime | None = None) -> list[EpisodeStatus]:
    """Every episode of the channel, by release time then slug; episodes without one last."""
    now = now or datetime.now(UTC)
    report = build_episodes(ws, ws.episode_paths(), now)
    rows = _same_time([_status(ws, build, now) for build in report.builds])
    return sorted(rows, key=lambda r: (r.release is None, r.release or now, r.slug))


def _same_time(rows: list[EpisodeStatus]) -> list[EpisodeStatus]:
    """Each published row, with the other published episodes that came out at its instant (history: kept)."""
    out: dict[datetime, list[str]] = {}
    for row in rows:
        if row.state == "published" and row.release is not None:
            out.setdefault(row.release, []).append(row.slug)
    return [replace(row, same_time=[other for other in out.get(row.release, []) if other != row.slug])
            if row.state == "published" and row.release is not None else row for row in rows]


def _status(ws: Workspace, build: EpisodeBuild, now: datetime) -> EpisodeStatus:
    slug = build.slug
    entry = ws.ledger.episodes.get(slug)
    release = _release(build, entry)
    stale, causes = _staleness(ws, build, entry)
    return EpisodeStatus(
        slug=slug,
        path=build.shown,
        state=_state(build, entry, release, now),
        video_id=entry.video_id if entry else None,
        release=release,
        stale=stale,
        causes=causes,
        pending=list(entry.pending) if entry else [],
        shared_with=[other for other in ws.ledger.shared_video_ids().get(entry.video_id or "", []) if other != slug]
        if entry else [],
    )


def _state(build: EpisodeBuild, entry: LedgerEntry | None, release: datetime | None, now: datetime) -> str:
    if not build.ok:
        return "invalid"
    if entry is not None and entry.uploading:
        return "uploading"
    if entry is not None and entry.video_id:
        return "scheduled" if entry.publish_at is not None and entry.publish_at > now else "published"
    return "draft" if release is None else "scheduled"


def _release(build: EpisodeBuild, entry: LedgerEntry | None) -> datetime | None:
    """What YouTube has once uploaded, else the episode's release slot (UTC)."""
    if entry is not None and entry.publish_at is not None:
        return entry.publish_at.astimezone(UTC)
    if build.slot is not None:
        return build.slot.utc.astimezone(UTC)
    if entry is not None and entry.video_id and entry.uploaded_at is not None:
        return entry.uploaded_at.astimezone(UTC)
    return None


def _staleness(ws: Workspace, build: EpisodeBuild, entry: LedgerEntry | None) -> tuple[bool, list[str]]:
    """Whether the fresh render differs from what was last sent, and the inputs that changed."""
    rendered = build.rendered
    if entry is None or not entry.video_id or entry.sent is None or rendered is None or not build.ok:
        return False, []
    if SentHashes.of(sent_fields(build)) == entry.sent:
        return False, []
    if not entry.inputs:
        return True, [NO_FINGERPRINTS]
    return True, changed_inputs(entry.inputs, input_fingerprints(ws, build)) or [OUTPUT_CHANGED]


def changed_inputs(recorded: dict[str, str], current: dict[str, str]) -> list[str]:
    """Names of inputs whose fingerprint differs, was added or was removed (current order first)."""
    changed = [name for name, value in current.items() if recorded.get(name) != value]
    return changed + [name for name in recorded if name not in current]
