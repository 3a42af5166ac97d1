"""``import --channel-uploads`` and ``import --video``: live videos into episodes, library and ledger.

The videos are read first (``lister``); a video the ledger already knows is left out, named with its
episode. The rest go through the offline import (``adopt.plan_import``), which is shown; a dry run stops
there, having spent only list units. Otherwise ``adopt.apply_import`` writes the episodes and the
library, and each episode it wrote gets its ledger entry (``publish.adopted``): the video id, its release
time and the hashes of its live title, description and tags, in one write under the ledger's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..adopt import ImportPlan, ImportReport, ImportSource, apply_import, import_document, plan_import
from ..publish.adopted import LedgerOutcome, LiveVideo, imported_entries, record_imported
from ..publish.quota import Cost
from ..workspace import Workspace
from .auth import MANAGE_SCOPES
from .connect import youtube_service
from .lister import list_uploads, videos_by_id
from .retry import command_retry


@dataclass
class YouTubeImport:
    """What an import from YouTube did: the videos read, the units spent, what was planned and written."""

    videos: list[LiveVideo]
    spent: Cost
    known: list[tuple[str, str]] = field(default_factory=list)  # (video id, slug) already in the ledger
    plan: ImportPlan | None = None
    report: ImportReport | None = None
    ledger: LedgerOutcome = field(default_factory=LedgerOutcome)

    def document(self, dry_run: bool) -> dict[str, Any]:
        """The JSON document of ``import --json`` from YouTube: the import's, with the videos read, the quota
        spent and the ledger entries written."""
        assert self.plan is not None
        return {**import_document(self.plan, self.report, dry_run=dry_run),
                "videos_read": len(self.videos), "quota_units": self.spent.units,
                "known": [{"video_id": video_id, "episode": slug} for video_id, slug in self.known],
                "ledger": {"recorded": self.ledger.recorded,
                           "skipped": [{"episode": slug, "reason": why} for slug, why in self.ledger.skipped]}}


def import_from_youtube(ws: Workspace, *, video_ids: list[str] | None = None, limit: int | None = None,
                        dry_run: bool, on_total: Callable[[int], None] | None = None,
                        show: Callable[[YouTubeImport], None] | None = None,
                        **options: Any) -> YouTubeImport:
    """Import ``video_ids``, or (None) the channel's newest ``limit`` uploads (all without a limit).

    ``on_total(n)`` hears how many uploads will be read, once YouTube has said; ``show`` gets the plan
    before anything is written; ``options`` go to ``plan_import`` (``lookup``, ``adopt_boilerplate``, ``restyle``).
    """
    retry = command_retry()
    with youtube_service(MANAGE_SCOPES) as service:
        listing = (videos_by_id(service, video_ids, retry) if video_ids is not None
                   else list_uploads(service, limit=limit, retry=retry, on_total=on_total))
    done = YouTubeImport(listing.videos, listing.spent)
    recorded = {entry.video_id: slug for slug, entry in ws.ledger.episodes.items() if entry.video_id}
    done.known = [(v.video_id, recorded[v.video_id]) for v in listing.videos if v.video_id in recorded]
    new = [v for v in listing.videos if v.video_id not in recorded]
    done.plan = plan_import(ws, [source_of(video) for video in new], **options)
    _skip_ledger_slugs(ws, done.plan)
    if show is not None:
        show(done)
    if dry_run:
        return done
    done.report = apply_import(ws, done.plan)
    live = {video.video_id: video for video in new}
    written = [(p.slug, p.path, live[p.source.video_id]) for p in done.report.written if p.source.video_id in live]
    fresh = Workspace.open(ws.root)  # the episodes and the library as the import left them
    fresh.on_lock_wait = ws.on_lock_wait
    done.ledger = record_imported(fresh, imported_entries(fresh, written))
    return done


def source_of(video: LiveVideo) -> ImportSource:
    return ImportSource(title=video.title, description=video.description, video_id=video.video_id,
                        published_at=video.release, tags=video.tags, origin=video.video_id)


def _skip_ledger_slugs(ws: Workspace, plan: ImportPlan) -> None:
    """An episode whose slug the ledger already has (a file renamed or deleted since) is not written: the
    entry belongs to another video, and an episode file beside it would take that video."""
    for episode in plan.episodes:
        entry = ws.ledger.episodes.get(episode.slug)
        if episode.skipped is None and entry is not None:
            episode.skipped = (f"the ledger already has an entry for {episode.slug} (video {entry.video_id}); "
                               f"rename that entry with `ledger move`, or import again once it is gone")
