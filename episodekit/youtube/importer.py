"""``import --channel-uploads`` and ``import --video``: live videos into episodes, library and ledger.

The videos are read first (``lister``); a video the ledger already knows is left out, named with its
episode. A video whose episode file an earlier import wrote, stopped (even killed) before the ledger, is
**completed**: its file is kept as it is and gets the ledger entry it lacks. The rest go through the
offline import (``adopt.plan_import``), each episode file naming its video in a comment, which is shown;
a dry run stops there, having spent only list units. Otherwise ``adopt.apply_import`` writes the
episodes and the library, and each episode it wrote or completed gets its ledger entry
(``publish.adopted.imported_into``, written through a ``LedgerStore``): the video id, its release time and the hashes of its live title, description and
tags, and the video's caption tracks, each recorded as the creator's (an imported episode has no script, so
episodekit has no track of its own to send, and keeps theirs), in one write under the ledger's lock. The
videos are read with ``contentDetails``, whose ``caption`` says which have tracks besides YouTube's
automatic ones; only those are asked for them (``captions.list``, 50 units a video). So an import stopped at any moment and run again ends with
each video once as an episode and once in the ledger, and a second import changes no file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from googleapiclient.errors import HttpError

from ..adopt import ImportPlan, ImportReport, ImportSource, apply_import, import_document, plan_import
from ..atomic import remove_stale_temps
from ..ledger import LedgerStore
from ..models.ledger import LedgerEntry
from ..models.slug import suggest_slug
from ..paths import LIBRARY_FILE, shown_path
from ..pipeline.scaffold import unique_slug
from ..publish.adopted import (
    LedgerOutcome,
    LiveVideo,
    imported_entries,
    imported_into,
    source_video,
    unrecorded_files,
    with_source_line,
)
from ..publish.quota import Cost, cost_of
from ..retrying import command_retry
from ..workspace import Workspace
from .auth import MANAGE_SCOPES
from .captioner import list_tracks, live_record
from .client import is_quota, youtube_error
from .connect import folder_service, wire_errors
from .lister import list_uploads, videos_by_id
from .retry import with_retries


@dataclass
class YouTubeImport:
    """What an import from YouTube did: the videos read, the units spent, what was planned and written."""

    videos: list[LiveVideo]
    spent: Cost
    known: list[tuple[str, str]] = field(default_factory=list)  # (video id, slug) already in the ledger
    completed: list[tuple[str, Path, LiveVideo]] = field(default_factory=list)  # files an earlier import wrote
    plan: ImportPlan | None = None
    report: ImportReport | None = None
    ledger: LedgerOutcome = field(default_factory=LedgerOutcome)
    tracks: int = 0  # caption tracks found on the imported videos
    tracks_unread: str | None = None  # why some videos' tracks were not read (the day's quota)

    def document(self, dry_run: bool) -> dict[str, Any]:
        """The JSON document of ``import --json`` from YouTube: the import's, with the videos read, the quota
        spent, the files an earlier import wrote that this one completed, the ledger entries written, and the caption
        tracks found on the imported videos (``unread``: why some were not read)."""
        assert self.plan is not None
        return {**import_document(self.plan, self.report, dry_run=dry_run),
                "videos_read": len(self.videos), "quota_units": self.spent.units,
                "known": [{"video_id": video_id, "episode": slug} for video_id, slug in self.known],
                "completed": [{"video_id": live.video_id, "episode": slug, "path": shown_path(path)}
                              for slug, path, live in self.completed],
                "ledger": {"recorded": self.ledger.recorded,
                           "skipped": [{"episode": slug, "reason": why} for slug, why in self.ledger.skipped]},
                "caption_tracks": {"found": self.tracks, "unread": self.tracks_unread}}


def import_from_youtube(ws: Workspace, *, video_ids: list[str] | None = None, limit: int | None = None,
                        dry_run: bool, on_total: Callable[[int], None] | None = None,
                        show: Callable[[YouTubeImport], None] | None = None,
                        on_lock_wait: Callable[[str], None] | None = None, **options: Any) -> YouTubeImport:
    """Import ``video_ids``, or (None) the channel's newest ``limit`` uploads (all without a limit).

    ``on_total(n)`` hears how many uploads will be read, once YouTube has said; ``show`` gets the plan
    before anything is written; ``on_lock_wait`` is told while the ledger's write waits for another writer;
    ``options`` go to ``plan_import`` (``lookup``, ``adopt_boilerplate``, ``restyle``).
    """
    retry = command_retry()
    with folder_service(ws, MANAGE_SCOPES) as connection:  # the channel checked: its channels.list is the listing's
        service, channel = connection.service, connection.channel
        listing = (videos_by_id(service, video_ids, retry, channel) if video_ids is not None
                   else list_uploads(service, limit=limit, retry=retry, on_total=on_total, channel=channel))
    done = YouTubeImport(listing.videos, listing.spent)
    recorded = {entry.video_id: slug for slug, entry in ws.ledger.episodes.items() if entry.video_id}
    done.known = [(v.video_id, recorded[v.video_id]) for v in listing.videos if v.video_id in recorded]
    new = [v for v in listing.videos if v.video_id not in recorded]
    files = unrecorded_files(ws, [v.video_id for v in new])
    done.completed = [(files[v.video_id].stem, files[v.video_id], v) for v in new if v.video_id in files]
    done.plan = plan_import(ws, [source_of(v) for v in new if v.video_id not in files], **options)
    _skip_ledger_slugs(ws, done.plan)
    _complete_unnamed(ws, done)
    if show is not None:
        show(done)
    if dry_run:
        return done
    _remove_leftovers(ws, done.plan)
    done.report = apply_import(ws, done.plan)
    live = {video.video_id: video for video in new}
    written = [(p.slug, p.path, live[p.source.video_id]) for p in done.report.written if p.source.video_id in live]
    fresh = Workspace.open(ws.root)  # the episodes and the library as the import left them
    imported = [*done.completed, *written]
    entries = imported_entries(fresh, imported)
    captioned = [slug for slug, _, video in imported if video.has_captions]
    done.ledger = record_imported(LedgerStore(fresh, on_lock_wait), _with_tracks(done, connection.service, entries, captioned, retry))
    if written or done.completed:
        connection.wrote()  # the folder now holds this channel's videos
    return done


def record_imported(store: LedgerStore, entries: dict[str, LedgerEntry]) -> LedgerOutcome:
    """Add ``entries`` (slug -> entry) to the ledger in one write under its lock (see
    ``publish.adopted.imported_into``: an entry already there stays)."""
    outcome = LedgerOutcome()
    if entries:
        store.change(lambda ledger: imported_into(ledger, entries, outcome))
    return outcome


def _with_tracks(done: YouTubeImport, service: Any, entries: dict[str, LedgerEntry], captioned: list[str],
                 retry: Any) -> dict[str, LedgerEntry]:
    """The entries, those of ``captioned`` videos (``contentDetails.caption``) with their caption tracks
    (``captions.list``); once the day's quota is spent, the rest go without (``sync`` reads a video's tracks
    before it adds one of its own)."""
    tracked = dict(entries)
    if not captioned:
        return tracked
    with wire_errors():  # the channel's client, checked above
        for slug in captioned:
            entry = entries[slug]
            assert entry.video_id is not None
            try:
                live = with_retries(lambda video_id=entry.video_id: list_tracks(service, video_id), retry)
            except HttpError as exc:
                if not is_quota(exc):
                    raise
                done.tracks_unread = str(youtube_error(exc, method="captions.list"))
                break
            done.spent += cost_of("captions.list")
            records = [live_record(item) for item in live if item.get("snippet", {}).get("trackKind") != "asr"]
            done.tracks += len(records)
            tracked[slug] = entry.model_copy(update={"captions": records})
    return tracked


def source_of(video: LiveVideo) -> ImportSource:
    """A live video as an import source."""
    return ImportSource(title=video.title, description=video.description, video_id=video.video_id,
                        published_at=video.release, tags=video.tags, origin=video.video_id,
                        localizations=video.localizations, language=video.default_language)


def _skip_ledger_slugs(ws: Workspace, plan: ImportPlan) -> None:
    """An episode whose slug the ledger already has (a file renamed or deleted since) is not written: the
    entry belongs to another video, and an episode file beside it would take that video."""
    for episode in plan.episodes:
        entry = ws.ledger.episodes.get(episode.slug)
        if episode.skipped is None and entry is not None:
            episode.skipped = (f"the ledger already has an entry for {episode.slug} (video {entry.video_id}); "
                               f"rename that entry with `ledger move`, or import again once it is gone")


def _complete_unnamed(ws: Workspace, done: YouTubeImport) -> None:
    """Each planned episode names its video in its file; one whose file is there already, as this import
    would write it, without that line (written before files named their video) and without a ledger
    entry, is completed instead of written twice."""
    assert done.plan is not None
    claimed = {path for _, path, _ in done.completed}
    for episode in done.plan.new:
        video_id = episode.source.video_id
        if not video_id:
            continue
        there = _written_before(ws, episode.source.title, episode.text, claimed)
        if there is not None:
            episode.skipped = f"{shown_path(there)} is there already: an import before this one wrote it"
            done.completed.append((there.stem, there, next(v for v in done.videos if v.video_id == video_id)))
            claimed.add(there)
            continue
        episode.text = with_source_line(episode.text, video_id)


def _written_before(ws: Workspace, title: str, text: str, claimed: set[Path]) -> Path | None:
    """The file of this title's slug (``-2`` ... too) holding ``text`` exactly, without a ledger entry."""
    base, tried = suggest_slug(title), set()
    while (path := ws.episodes_dir / f"{unique_slug(base, tried)}.yaml").exists():
        if path not in claimed and path.stem not in ws.ledger.episodes and _text_of(path) == text:
            return path
        tried.add(path.stem)
    return None


def _text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _remove_leftovers(ws: Workspace, plan: ImportPlan) -> None:
    """The temporary files a killed run left beside what this one writes (their writer is gone)."""
    for path in [ws.root / LIBRARY_FILE, ws.ledger_path, *(episode.path for episode in plan.episodes)]:
        remove_stale_temps(path)
