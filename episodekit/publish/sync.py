"""Sync, the plan: which published videos must change, field by field, and at what quota.

Pure functions over what episodekit renders now, what the ledger says was
sent, and (when fetched) the live resources. ``videos.update`` replaces every
mutable field of each part it is sent, so an update body always starts from
the live resource and changes only the fields episodekit owns.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import RefusedError, command_line
from ..models.ledger import OWNED_FIELDS, LedgerEntry, SentHashes, field_hash, same_value
from ..paths import shown_path
from ..pipeline.build import EpisodeBuild, build_episodes, require_valid
from ..pipeline.localize import default_language
from ..workspace import Workspace
from . import localized
from .difference import description_causes
from .fingerprint import CITATION_STYLE, input_fingerprints
from .quota import PAGE_SIZE, cost_of
from .status import changed_inputs
from .upload import sent_fields, snippet_settings

WRITABLE_SNIPPET = ("title", "description", "tags", "categoryId", "defaultLanguage", "defaultAudioLanguage")
LIST_BATCH = PAGE_SIZE  # ids per videos.list call, the API's maximum


@dataclass(frozen=True)
class Wanted:
    """What one published episode should show on YouTube now."""

    slug: str
    shown: str
    video_id: str
    fields: dict[str, Any]  # title, description, tags, and categoryId/defaultLanguage when the episode sets them
    entry: LedgerEntry
    inputs: dict[str, str]
    references_block: str = ""  # as the description shows it, to name a change made only there
    citation_style: str = ""
    build: EpisodeBuild | None = field(default=None, repr=False, compare=False)  # for its caption track

    @property
    def hashes(self) -> SentHashes:
        """What the ledger will record once these fields are sent."""
        return SentHashes.of(self.fields)

    @property
    def recorded(self) -> bool:
        """The ledger already says exactly these fields were sent."""
        return self.entry.sent == self.hashes


@dataclass
class VideoChange:
    """The plan for one video."""

    wanted: Wanted
    action: str  # "update", "unchanged", "drift" (only Studio edits differ), "missing" (not on YouTube)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (live, new) to send
    drift: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # edited in Studio: kept unless --force
    live: dict[str, Any] | None = None

    @property
    def video_id(self) -> str:
        """The video's id."""
        return self.wanted.video_id

    @property
    def causes(self) -> list[str]:
        """Why the description changes, when only its references block does and the ledger says the
        citation style is what changed since (an imported video's typed references, or a new
        ``citation_style``); [] otherwise."""
        pair, recorded = self.changes.get("description"), self.wanted.entry.inputs
        if pair is None or not isinstance(pair[0], str) or not recorded \
                or CITATION_STYLE not in changed_inputs(recorded, self.wanted.inputs):
            return []
        return description_causes(pair[0], pair[1], self.wanted.references_block, self.wanted.citation_style)

    def description_diff(self, language: str | None = None) -> str:
        """A unified diff that ``patch`` applies to the live text: lines end at ``\\n`` only, and a last line
        without a line break (a description has none) is followed by ``\\ No newline at end of file``.
        ``language``: the description of that language's localization."""
        name = localized.change_name(language) if language else "description"
        pair = self.changes.get(name) or self.drift.get(name)
        if language and pair is not None:
            pair = tuple((entry or {}).get("description", "") for entry in pair)  # type: ignore[assignment]
        if pair is None or pair[0] is None:  # no live text to compare with (planned from the ledger)
            return ""
        live, new = (re.findall(r"[^\n]*\n|[^\n]+\Z", text) for text in pair)
        where = f" {language}" if language else ""
        lines = difflib.unified_diff(live, new, f"{self.video_id}{where} (live)", f"{self.wanted.slug}{where} (new)")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in lines).removesuffix("\n")

    def as_json(self) -> dict[str, Any]:
        """The change as ``sync --json`` and ``diff --json`` show it."""
        return {
            "episode": self.wanted.shown, "video_id": self.video_id, "action": self.action,
            "changes": {k: {"live": a, "new": b} for k, (a, b) in self.changes.items()},
            "drift": {k: {"live": a, "new": b} for k, (a, b) in self.drift.items()},
            "description_diff": self.description_diff(), "causes": self.causes,
            **({"localized_diffs": self.localized_diffs()} if self.languages else {}),
        }

    @property
    def languages(self) -> list[str]:
        """The languages of the localizations this plan changes or keeps as drift."""
        return [code for name in (*self.changes, *self.drift) if (code := localized.language_of(name))]

    def localized_diffs(self) -> dict[str, str]:
        """Language -> the diff of its description, for each localization that changes or drifted."""
        return {code: diff for code in self.languages if (diff := self.description_diff(code))}


@dataclass
class SyncPlan:
    videos: list[VideoChange]
    captions: list[Any] = field(default_factory=list)  # publish.captionsync.CaptionChange, one per track

    @property
    def updates(self) -> list[VideoChange]:
        """The videos to update."""
        return [v for v in self.videos if v.action == "update"]

    @property
    def list_calls(self) -> int:
        """How many ``videos.list`` calls read the live videos."""
        return math.ceil(len(self.videos) / LIST_BATCH)

    @property
    def update_units(self) -> int:
        """The quota units of the video updates."""
        return cost_of("videos.update").units * len(self.updates)

    @property
    def check_units(self) -> int:
        """The check of the signed-in channel that starts every run that talks to YouTube (``channels.list``);
        none when there is no video, as a sync of nothing asks nothing."""
        return cost_of("channels.list").units if self.videos else 0

    @property
    def video_units(self) -> int:
        """The channel check, ``ceil(N/50)`` for ``videos.list``, and the cost of each update."""
        return self.check_units + self.list_calls * cost_of("videos.list").units + self.update_units

    @property
    def caption_units(self) -> int:
        """The quota units of the caption tracks."""
        return sum(change.units for change in self.captions)

    @property
    def units(self) -> int:
        """The videos' units, and what the caption tracks' reads and writes cost."""
        return self.video_units + self.caption_units

    def count(self, action: str) -> int:
        """How many videos have ``action``."""
        return sum(v.action == action for v in self.videos)


def wanted_videos(ws: Workspace, paths: list[Any] | None, refused: str = "nothing was synced") -> list[Wanted]:
    """Fresh renders of the selected episodes that the ledger says are on YouTube (``refused``: what a
    video recorded for two episodes stops, in the refusal's words)."""
    candidates = ws.select(paths)
    published = [p for p in candidates if ws.ledger.video_id(p.stem)]
    if paths and not published:
        names = ", ".join(p.name for p in candidates)
        raise RefusedError(f"{names}: not uploaded yet ({shown_path(ws.ledger_path)} has no video for it)")
    _refuse_shared_videos(ws, [p.stem for p in published], refused)
    report = build_episodes(ws, published)
    require_valid(report.builds)
    wanted = []
    for build in report.builds:
        rendered, loaded, entry = build.rendered, build.loaded, ws.ledger.episodes[build.slug]
        assert rendered is not None and loaded is not None and entry.video_id is not None
        fields = {**sent_fields(build), **snippet_settings(loaded.model.upload, None)}
        if "localizations" in fields:  # YouTube takes localizations only from a video that says its language
            fields.setdefault("defaultLanguage", default_language(ws.channel, loaded.model))
        wanted.append(Wanted(rendered.slug, build.shown, entry.video_id, fields, entry, input_fingerprints(ws, build),
                             rendered.references.rstrip("\n"), ws.channel.citation_style, build))
    return wanted


def _refuse_shared_videos(ws: Workspace, slugs: list[str], refused: str) -> None:
    """One video, two episodes: syncing either would overwrite the video with the other one's description."""
    for video_id, sharing in ws.ledger.shared_video_ids().items():
        if any(slug in sharing for slug in slugs):
            line = ws.ledger.line_of("episodes", sharing[1], "video_id")
            where = f"{shown_path(ws.ledger_path)}:{line}" if line else shown_path(ws.ledger_path)
            raise RefusedError(
                f"{where}: video {video_id} is recorded for episodes "
                f"{', '.join(map(repr, sharing))}, so {refused}: a video belongs to one episode; keep its "
                f"id only at the episode it belongs to ({command_line('check')} lists every such entry)"
            )


def plan_video(wanted: Wanted, live: dict[str, Any] | None, force: bool = False) -> VideoChange:
    """Compare one live video with what it should show."""
    if live is None:
        return VideoChange(wanted, "missing")
    snippet = live.get("snippet", {})
    changes: dict[str, tuple[Any, Any]] = {}
    drift: dict[str, tuple[Any, Any]] = {}
    for name, new in wanted.fields.items():
        if name == "localizations":
            continue
        current = live_value(snippet, name)
        if same_value(name, current, new):
            continue
        if name in OWNED_FIELDS and not force and edited_in_studio(wanted.entry.sent, name, current):
            drift[name] = (current, new)
        else:
            changes[name] = (current, new)
    languages, kept = localized.plan_languages(wanted.fields.get("localizations", {}), live.get("localizations") or {},
                                               wanted.entry.sent, force)
    changes.update(languages)
    drift.update(kept)
    action = "update" if changes else ("drift" if drift else "unchanged")
    return VideoChange(wanted, action, changes, drift, live)


def live_value(snippet: dict[str, Any], name: str, missing: Any = None) -> Any:
    """A field of a live snippet; YouTube leaves ``tags`` out when a video has none."""
    return snippet.get(name, [] if name == "tags" else missing)


def plan_from_ledger(wanted: list[Wanted]) -> SyncPlan:
    """Without live data (no credentials): what changed since the ledger's record of what was sent."""
    videos = []
    for item in wanted:
        sent, fresh = item.entry.sent, item.hashes
        changed = {
            name: (None, item.fields[name])
            for name in OWNED_FIELDS if sent is None or getattr(sent, name) != getattr(fresh, name)
        }
        before = sent.localizations if sent is not None else {}
        changed.update({localized.change_name(code): (None, item.fields["localizations"].get(code))
                        for code in sorted({*before, *fresh.localizations})
                        if before.get(code) != fresh.localizations.get(code)})
        videos.append(VideoChange(item, "update" if changed else "unchanged", changed))
    return SyncPlan(videos)


def edited_in_studio(sent: SentHashes | None, name: str, live_value: Any) -> bool:
    """True when the live value is not what episodekit last sent (someone changed it since)."""
    if sent is None:
        return False  # nothing recorded: no way to tell, so not drift
    return field_hash(name, live_value) != getattr(sent, name)


def update_body(change: VideoChange) -> dict[str, Any]:
    """The ``videos.update`` body: the live snippet with only our changes (when a snippet field changes), and
    the live localizations with only our changes (when a language changes); one call either way, its
    ``part`` the parts the body holds (see :func:`update_parts`)."""
    assert change.live is not None
    body: dict[str, Any] = {"id": change.video_id}
    ours = {name: new for name, (_, new) in change.changes.items() if localized.language_of(name) is None}
    if ours:
        live = change.live["snippet"]
        body["snippet"] = {**{name: live[name] for name in WRITABLE_SNIPPET if name in live}, **ours}
    if change.languages and any(localized.language_of(name) for name in change.changes):
        body["localizations"] = localized.map_to_send(change.live.get("localizations") or {}, change.changes)
    return body


def update_parts(body: dict[str, Any]) -> str:
    """The ``part`` of a ``videos.update`` body: ``snippet``, ``localizations`` or both."""
    return ",".join(part for part in ("snippet", "localizations") if part in body)


def sent_after_update(change: VideoChange) -> SentHashes:
    """What the ledger records as sent: our values, but the old record for fields left as edited in Studio."""
    fresh = change.wanted.hashes
    old = change.wanted.entry.sent
    languages = localized.recorded_after(old, fresh, change.changes, change.drift)
    if old is None:
        return fresh.model_copy(update={"localizations": languages})
    owned = {name: getattr(old if name in change.drift else fresh, name) for name in OWNED_FIELDS}
    return SentHashes(**owned, localizations=languages)
