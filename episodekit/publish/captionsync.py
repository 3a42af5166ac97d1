"""Sync of caption tracks, the plan: which track changes, which is kept as YouTube Studio left it, and
at what quota.

Pure over the episode's track now (``captiontrack``), the ledger's record of the video's tracks
(``LedgerEntry.captions``) and, once read, the live tracks (``captions.list``: snippets, no text) and
the live file of the track to change (``captions.download``). From the ledger alone:

* a track episodekit sent whose cues (an estimated track) or words (one timed from the audio, whose
  video never changes) are what the episode makes now is **unchanged**: nothing is read or sent;
* one that differs is an **update** (``captions.list`` 50 + ``captions.download`` 200 to compare and
  diff, ``captions.update`` 450); a track timed from the audio whose words changed needs the video at
  ``upload.video`` to time the new words, and without it is **held** (``--force`` sends the estimate);
* no track of ours in the language: an **insert** (``captions.list`` 50 to look first, then
  ``captions.insert`` 400), unless the ledger knows a track there that episodekit did not send (found at
  ``import``): that one is the creator's and is **kept**.

Read live, a track added, edited or deleted in Studio since is drift: **kept** and reported, changed
only with ``--force``, and never deleted. A track that already shows exactly what would be sent is
unchanged and only recorded.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ..models.ledger import CaptionRecord, LedgerEntry
from ..pipeline.build import EpisodeBuild
from ..workspace import Workspace
from .captiontrack import TrackToSend, lines_hash, track_to_send, video_file
from .quota import cost_of

INSERT, UPDATE, UNCHANGED, KEPT, HELD, DEFERRED = "insert", "update", "unchanged", "kept", "held", "deferred"
LIST, DOWNLOAD = "captions.list", "captions.download"
WRITES = {INSERT: "captions.insert", UPDATE: "captions.update"}
FORCE = "--force replaces it with the script's track"


@dataclass
class CaptionChange:
    """The plan for the caption track of one video."""

    slug: str
    shown: str  # the episode file as messages name it
    video_id: str
    track: TrackToSend  # what the episode makes now
    action: str  # INSERT, UPDATE, UNCHANGED, KEPT, HELD or DEFERRED
    target: CaptionRecord | None = None  # the track an update writes over (or the unchanged one)
    why: str = ""  # why a track is kept, held or deferred
    reads: list[str] = field(default_factory=list)  # the calls that read before the write
    known: tuple[str, ...] = ()  # ids of the video's tracks the ledger has
    found: list[CaptionRecord] = field(default_factory=list)  # tracks on YouTube the ledger did not have
    live_lines: list[str] | None = None  # the target's cues as YouTube gave them back
    live_draft: bool | None = None  # the target's draft state on YouTube, kept by an update
    live_updated: str | None = None  # the target's lastUpdated on YouTube
    record_only: bool = False  # YouTube already shows the track: only the ledger is brought up to date

    @property
    def write(self) -> str | None:
        """The request that writes the track (``captions.insert`` or ``captions.update``), or None."""
        return WRITES.get(self.action)

    @property
    def units(self) -> int:
        """The quota the live check and the write cost."""
        calls = [*self.reads, *([self.write] if self.write else [])]
        return sum(cost_of(call).units for call in calls)

    def cue_diff(self) -> str:
        """The cues YouTube has (or, from the ledger, nothing to show) against the cues to send."""
        if self.action not in (UPDATE, KEPT) or self.live_lines is None:
            return ""
        lines = difflib.unified_diff([f"{line}\n" for line in self.live_lines], [f"{line}\n" for line in self.track.lines],
                                     f"{self.video_id} captions (live)", f"{self.slug} captions (new)")
        return "".join(lines).removesuffix("\n")

    def summary(self) -> str:
        """One line: the episode, the video, what happens to its track and why."""
        track = self.track
        what = {INSERT: f"insert the script's track ({track.language}, {_cues(len(track.lines))}, {track.state()})",
                UPDATE: f"update the {track.language} track {self.target.id if self.target else ''}".rstrip(),
                UNCHANGED: f"the {track.language} track is unchanged"}.get(self.action, self.action)
        return f"{self.shown}  {self.video_id}  captions: {what}" + (f": {self.why}" if self.why else "")

    def as_json(self) -> dict[str, Any]:
        """The change as ``sync --json`` shows it."""
        return {"episode": self.shown, "video_id": self.video_id, "action": self.action, "language": self.track.language,
                "track_id": self.target.id if self.target else None, "cues": len(self.track.lines),
                "timing": self.track.timing, "why": self.why, "units": self.units, "cue_diff": self.cue_diff(),
                "found": [{"id": r.id, "language": r.language, "name": r.name} for r in self.found]}


def _cues(count: int) -> str:
    return f"{count} cue" if count == 1 else f"{count} cues"


def plan_tracks(ws: Workspace, wanted: list[Any], force: bool) -> list[CaptionChange]:
    """The caption plan of each ``wanted`` video (``publish.sync.Wanted``) whose episode sends a track."""
    changes = []
    for item in wanted:
        change = plan_track(ws, item.build, item.entry, item.shown, item.video_id, force)
        if change is not None:
            changes.append(change)
    return changes


def plan_track(ws: Workspace, build: EpisodeBuild, entry: LedgerEntry, shown: str, video_id: str,
               force: bool) -> CaptionChange | None:
    """The plan for one video's track, from the ledger alone."""
    estimate = track_to_send(ws, build, None)
    if estimate is None:
        return None
    base = {"slug": build.slug, "shown": shown, "video_id": video_id, "known": tuple(r.id for r in entry.captions)}
    here = [record for record in entry.captions if record.language == estimate.language]
    ours = next((record for record in here if record.sent), None)
    theirs = next((record for record in here if not record.sent), None)
    if ours is not None:
        return _ours(ws, build, estimate, ours, force, base)
    if theirs is not None and not force:
        return CaptionChange(**base, track=estimate, action=KEPT, target=theirs, why=(
            f"the video has a track in {theirs.language} that episodekit did not send ({theirs.name!r}, found on YouTube); "
            f"it is kept, so the script's track is not sent ({FORCE})"))
    track = track_to_send(ws, build, video_file(ws, build)) or estimate
    if theirs is not None:
        return CaptionChange(**base, track=track, action=UPDATE, target=theirs, reads=[LIST, DOWNLOAD])
    return CaptionChange(**base, track=track, action=INSERT, reads=[LIST])


def _ours(ws: Workspace, build: EpisodeBuild, estimate: TrackToSend, ours: CaptionRecord, force: bool,
          base: dict[str, Any]) -> CaptionChange:
    """The plan for the track episodekit sent: unchanged, an update, or held for want of the audio."""
    if ours.timing == "audio":
        if ours.words == estimate.words_hash:
            return CaptionChange(**base, track=estimate, action=UNCHANGED, target=ours)
        track = track_to_send(ws, build, video_file(ws, build)) or estimate
        if track.timing != "audio" and not force:
            why = "; ".join(track.notes) or "the episode has no upload.video"
            return CaptionChange(**base, track=track, action=HELD, target=ours, why=(
                f"the words changed, but the track was timed from the video and they cannot be now ({why}); put "
                "the video at upload.video to time them from it, or pass --force to send them timed by the estimate"))
    elif ours.sent == estimate.sent_hash:
        return CaptionChange(**base, track=estimate, action=UNCHANGED, target=ours)
    else:
        track = estimate
    return CaptionChange(**base, track=track, action=UPDATE, target=ours, reads=[LIST, DOWNLOAD])


def settle_listed(change: CaptionChange, live: list[dict[str, Any]], force: bool,
                  found: list[CaptionRecord]) -> None:
    """Judge ``change`` against the video's tracks on YouTube (``captions.list``); ``found`` are those the
    ledger lacks, as records. An update whose track was deleted in Studio, or an insert beside a track
    added there, is kept (with ``force``: insert again, replace it)."""
    change.found = found
    language = change.track.language
    added = sorted((record for record in found if record.language == language),
                   key=lambda record: record.name != change.track.name)  # one of our name first: it may be ours
    if change.action == INSERT and added:
        if not force and added[0].name != change.track.name:
            change.action, change.target = KEPT, added[0]
            change.why = f"a track in {language}, {added[0].name!r}, was added in YouTube Studio; it is kept ({FORCE})"
            return
        change.action, change.target, change.reads = UPDATE, added[0], [LIST, DOWNLOAD]
    if change.action == UPDATE:
        assert change.target is not None
        item = next((item for item in live if item.get("id") == change.target.id), None)
        if item is None and not force:
            change.action = KEPT
            change.why = (f"its track {change.target.id} was deleted in YouTube Studio; it is not added again "
                          "(--force adds it)")
        elif item is None:
            change.action, change.target, change.reads = INSERT, None, [LIST]
        else:
            change.live_draft = bool(item.get("snippet", {}).get("isDraft", False))
            change.live_updated = item.get("snippet", {}).get("lastUpdated")


def settle_downloaded(change: CaptionChange, lines: list[str] | None, force: bool) -> None:
    """Judge an update against the target's cues as YouTube gives them back (None: not SubRip)."""
    assert change.target is not None
    change.live_lines = lines
    if lines is not None and lines_hash(lines) == change.track.sent_hash:
        change.action, change.record_only = UNCHANGED, True
        return
    target = change.target
    if force:
        return
    if not target.sent:  # a track of our name that episodekit did not record: the creator's, or older cues
        change.action = KEPT
        change.why = (f"the video has a track in {target.language} named {target.name!r} that episodekit did not "
                      f"record and that holds other cues; it is kept ({FORCE})")
        return
    edited = lines is None or lines_hash(lines) != target.sent
    touched = target.last_updated is None or change.live_updated != target.last_updated
    if edited and touched:
        change.action = KEPT
        change.why = ("it was edited in YouTube Studio since episodekit sent it; it is kept (--force overwrites it; "
                      "the cue diff shows what that would lose)")
