"""``import``: an existing channel's videos brought in as episodes, library entries and ledger entries."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from ..errors import UsageError
from ._app import echo, say, workspace


def import_(
    channel_uploads: Annotated[bool, typer.Option(
        "--channel-uploads", help="Import every upload of the signed-in channel (newest first)")] = False,
    video: Annotated[Optional[list[str]], typer.Option(
        "--video", help="Import this video (an id or a youtu.be link); give it once per video")] = None,
    limit: Annotated[Optional[int], typer.Option(
        "--limit", min=1, help="With --channel-uploads: only the newest N uploads")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be written; write nothing (spends only list units)")] = False,
    no_lookup: Annotated[bool, typer.Option(
        "--no-lookup", help="Do not look the citations up (Crossref, doi.org); keep them as parsed")] = False,
) -> None:
    """Import videos from YouTube as episodes, with their references and their ledger entries."""
    video_ids = _video_ids(channel_uploads, video, limit)
    from ..publish.quota import LISTING_FORMULA, listing_cost, lookup_cost
    from ..youtube.importer import import_from_youtube

    ws = workspace()
    if video_ids is None:
        say(f"quota: reading the channel's uploads costs {LISTING_FORMULA}")
    else:
        say(f"quota: reading {len(video_ids)} video(s) costs {lookup_cost(len(video_ids)).units} units")

    def on_total(count: int) -> None:
        say(f"{count} upload(s) to read: {listing_cost(count).units} units")

    done = import_from_youtube(ws, video_ids=video_ids, limit=limit, dry_run=dry_run, on_total=on_total,
                               show=_show_plan, lookup=not no_lookup)
    _report(done, dry_run)


def _video_ids(channel_uploads: bool, video: list[str] | None, limit: int | None) -> list[str] | None:
    """The ids of ``--video`` (None for ``--channel-uploads``); ``UsageError`` for a wrong combination or id."""
    from ..models.episode import video_id_from

    if channel_uploads == bool(video):
        raise UsageError("import: give --channel-uploads or --video ID (one of them)")
    if limit is not None and not channel_uploads:
        raise UsageError("import: --limit goes with --channel-uploads")
    if not video:
        return None
    ids = []
    for value in video:
        try:
            ids.append(video_id_from(value))
        except ValueError:
            raise UsageError(f"--video {value}: not a YouTube video id (11 letters, digits, - or _) "
                             "or a youtu.be / youtube.com link") from None
    return ids


def _show_plan(done: Any) -> None:
    for video_id, slug in done.known:
        echo(f"skipped: {video_id}: already in the ledger as episode {slug}")
    for episode in done.plan.episodes:
        where = f"{episode.path.parent.name}/{episode.path.name}"
        if episode.skipped:
            echo(f"skipped: {episode.source.video_id}: {where}: {episode.skipped}")
        else:
            echo(f"new: {where}  {episode.source.video_id}  {episode.source.title}")


def _report(done: Any, dry_run: bool) -> None:
    if dry_run:
        planned = sum(1 for e in done.plan.episodes if not e.skipped)
        say(f"dry run, nothing written: {planned} episode(s) would be imported; "
            f"spent {done.spent.units} quota units on reading")
        return
    for slug, reason in done.ledger.skipped:
        echo(f"skipped: ledger: {slug}: {reason}")
    say(f"imported {len(done.report.written)} episode(s), {len(done.ledger.recorded)} ledger entr"
        f"{'y' if len(done.ledger.recorded) == 1 else 'ies'}; spent {done.spent.units} quota units on reading")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
