"""``import``: an existing channel's hand-typed descriptions brought in as episodes and library entries:
from a text file, or from YouTube (``--channel-uploads``, ``--video``) with a ledger entry per video."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import MissingFileError, UsageError, command_line
from ._app import echo, echo_err, emit_json, json_option, say, workspace

if TYPE_CHECKING:
    from ..adopt import ImportPlan, ImportReport
    from ..youtube.importer import YouTubeImport

FromFileOption = Annotated[Path | None, typer.Option(
    "--from-file", metavar="DESCRIPTION.txt", help="A description saved as text (offline: no video, no ledger entry)")]
TitleOption = Annotated[str | None, typer.Option("--title", help="The video's title (with --from-file)")]
PublishedOption = Annotated[str | None, typer.Option(
    "--published-at", help="When the video went public, with its zone: 2024-03-06T14:00:00Z")]
ScheduleOption = Annotated[str | None, typer.Option(
    "--schedule", help="The episode's release: a local date-time '2026-12-02 09:00', or next")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Print what would be written; write nothing")]
NoLookupOption = Annotated[bool, typer.Option(
    "--no-lookup", help="Read citations as typed; look nothing up (Crossref, doi.org, NCBI)")]
ChannelUploadsOption = Annotated[bool, typer.Option(
    "--channel-uploads", help="Import every upload of the signed-in channel (newest first)")]
VideoOption = Annotated[list[str] | None, typer.Option(
    "--video", metavar="ID", help="Import this video of the channel (an id or a youtu.be link); once per video")]
LimitOption = Annotated[int | None, typer.Option(
    "--limit", min=1, help="With --channel-uploads: only the newest N uploads")]
AdoptOption = Annotated[bool, typer.Option(
    "--adopt-boilerplate", help="Write the disclaimer, schedule line and subscribe link the descriptions share "
    "into channel.yaml")]
RestyleOption = Annotated[bool, typer.Option(
    "--restyle", help="Write the references in the channel's citation style, not as typed (sync then sends them)")]
JsonOption = Annotated[bool, json_option("Print one JSON document: each video's result, references and round trip")]


def import_(
    from_file: FromFileOption = None,
    channel_uploads: ChannelUploadsOption = False,
    video: VideoOption = None,
    limit: LimitOption = None,
    title: TitleOption = None,
    published_at: PublishedOption = None,
    schedule: ScheduleOption = None,
    dry_run: DryRunOption = False,
    no_lookup: NoLookupOption = False,
    adopt_boilerplate: AdoptOption = False,
    restyle: RestyleOption = False,
    as_json: JsonOption = False,
) -> None:
    """Import hand-typed descriptions as episodes, their citations into references.yaml, with a round-trip report."""
    from ..adopt import ImportSource, import_sources

    if [from_file is not None, channel_uploads, bool(video)].count(True) != 1:
        raise UsageError("say what to import, one of: --from-file DESCRIPTION.txt --title TITLE, "
                         "--channel-uploads, --video ID")
    if limit is not None and not channel_uploads:
        raise UsageError("--limit goes with --channel-uploads")
    if from_file is None and (title or published_at or schedule):
        raise UsageError("--title, --published-at and --schedule go with --from-file; a video brings its own")
    options = {"lookup": not no_lookup, "adopt_boilerplate": adopt_boilerplate, "restyle": restyle}
    if from_file is None:
        _from_youtube(_video_ids(video), limit, dry_run, as_json, **options)
        return
    if not title or not title.strip():
        raise UsageError("--from-file needs the video's title: --title TITLE")
    if published_at and schedule:
        raise UsageError("give --published-at (a video that is out) or --schedule (one to come), not both")
    ws = workspace()
    source = ImportSource(title=" ".join(title.split()), description=_read(from_file),
                          published_at=_instant(published_at) if published_at else None, origin=str(from_file))
    done = import_sources(ws, [source], dry_run=dry_run, show=lambda plan: show_plan(plan, dry_run),
                          schedule=_schedule(schedule) if schedule else None, **options)
    if done.report is not None:
        show_report(done.report)
    if as_json:
        emit_json(done.document())
    refuse_not_imported(done.plan)


def _video_ids(video: list[str] | None) -> list[str] | None:
    """The ids of ``--video`` (None for ``--channel-uploads``); ``UsageError`` for one that is no id or link."""
    from ..models.episode import video_id_from

    ids = []
    for value in video or ():
        try:
            ids.append(video_id_from(value))
        except ValueError:
            raise UsageError(f"--video {value}: not a YouTube video id (11 letters, digits, - or _) "
                             "or a youtu.be / youtube.com link") from None
    return ids or None


def _from_youtube(video_ids: list[str] | None, limit: int | None, dry_run: bool, as_json: bool,
                  **options: bool) -> None:
    """Read the videos (the quota said before, and again once YouTube has counted them), then import."""
    from ..publish.quota import LISTING_FORMULA, cost_of, listing_cost, lookup_cost
    from ..youtube.importer import import_from_youtube

    ws = workspace()
    if video_ids is None:
        say(f"quota: reading the channel's uploads costs {LISTING_FORMULA}")
    else:
        say(f"quota: reading {len(video_ids)} video(s) costs {lookup_cost(len(video_ids)).units} units")
    if not dry_run:
        say(f"quota: and {cost_of('captions.list').units} units for each imported video that has caption tracks "
            "of its own, to record them (captions.list)")

    def on_total(count: int) -> None:
        say(f"{count} upload(s) to read: {listing_cost(count).units} units")

    def show(done: YouTubeImport) -> None:
        from ..paths import shown_path

        for video_id, slug in done.known:
            echo(f"skipped: video {video_id}: already in the ledger as episode {slug}")
        for _, path, live in done.completed:
            echo(f"{'would complete' if dry_run else 'complete'}: {shown_path(path)} (video {live.video_id}): "
                 "an earlier import wrote it and stopped before its ledger entry; the file is kept as it is")
        show_plan(done.plan, dry_run)

    done = import_from_youtube(ws, video_ids=video_ids, limit=limit, dry_run=dry_run, on_total=on_total,
                               show=show, on_lock_wait=echo_err, **options)
    if done.report is not None:
        show_report(done.report)
        for slug, reason in done.ledger.skipped:
            echo(f"skipped: ledger entry of {slug}: {reason}")
        say(f"ledger: {len(done.ledger.recorded)} video(s) recorded as published, in sync with YouTube; "
            f"{done.tracks} caption track(s) found on them, recorded as the creator's (sync keeps them)")
        if done.tracks_unread:
            echo_err(f"note: the caption tracks of some videos were not read ({done.tracks_unread}); sync reads a "
                     "video's tracks before it adds one of its own")
    say(f"quota: {done.spent.units} units spent reading YouTube (no video was changed)")
    if as_json:
        emit_json(done.document(dry_run))
    refuse_not_imported(done.plan)


def _read(path: Path) -> str:
    """The description file, through the one text reader (a hard size cap; no FIFO or device is read)."""
    from ..files.yamlsource import MAX_DESCRIPTION_BYTES, read_text

    if not path.exists() and not path.is_symlink():
        raise MissingFileError(f"{path}: no such file; save the description as text there first")
    return read_text(path, str(path), MAX_DESCRIPTION_BYTES, kind="a description saved as text")


def _instant(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        when = None
    if when is None or when.utcoffset() is None:
        raise UsageError(f"--published-at {text!r}: give the instant with its zone, e.g. 2024-03-06T14:00:00Z")
    return when


def _schedule(text: str) -> str:
    from ..models.episode import LOCAL_TIME_FORMATS

    text = text.strip()
    for fmt in LOCAL_TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            continue
    if text == "next":
        return text
    raise UsageError(f"--schedule {text!r}: give next, or a local date-time like '2026-12-02 09:00'")


def show_plan(plan: ImportPlan, dry_run: bool) -> None:
    """Each episode with its references and round trip, the misattributions, the boilerplate proposed."""
    verb = "would create" if dry_run else "create"
    for episode in plan.episodes:
        if episode.skipped:
            echo(f"skipped: {episode.shown}: {episode.skipped}")
            continue
        if episode.failed:
            echo(f"not imported: {episode.shown} (from {episode.source.origin}): {episode.failed}")
            continue
        echo(f"{verb}: {episode.shown} (from {episode.source.origin or episode.source.video_id})")
        for review in episode.reviews:
            echo(f"  marked for review: {review}")
        for cited in episode.citations:
            mark = " (marked for review)" if "review" in cited.fields else ""
            if "misattribution" in cited.fields:
                mark += f" (its DOI kept, not applied: {command_line(f'refs verify --fix {cited.key}')} takes the record)"
            kept = ", kept as typed" if cited.key in episode.kept_typed else ""
            echo(f"  reference {cited.key}: {cited.how}{kept}{mark}")
        trip = episode.round_trip
        if trip is not None:
            whole = " (kept as one text: its parts did not render back)" if trip.kept_whole else ""
            echo(f"  round trip: exact{whole}" if trip.exact else f"  round trip: {len(trip.differences)} line(s) "
                 f"differ, {len(trip.unexpected)} not of an expected kind")
            for difference in trip.differences:
                echo(f"    {difference}")
    for note in plan.notes:
        echo(f"note: {note}")
    for proposal in plan.boilerplate:
        taken = "adopted" if plan.adopt_boilerplate else "proposed (write it with --adopt-boilerplate)"
        echo(f"channel default {taken}: {proposal}")
    trips = [e.round_trip for e in plan.new if e.round_trip is not None]
    if trips:
        exact = sum(1 for trip in trips if trip.exact)
        say(f"round trip: {exact} of {len(trips)} exact ({100 * exact // len(trips)}%)")
    library = plan.library
    if dry_run:
        if library.diff:
            echo(library.diff.rstrip("\n"))
        say(f"dry run, nothing written: {len(plan.new)} episode(s), {len(plan.not_imported)} not imported, "
            f"references.yaml: {len(library.new)} new, {len(library.enriched)} enriched, "
            f"{len(library.unchanged)} already there")


def show_report(report: ImportReport) -> None:
    """The conflicts kept, then one line of what the import wrote."""
    for merge in report.plan.library.merges:
        for change in merge.conflicts:
            echo(f"conflict: {merge.key}: {change} (kept as the library has it)")
    library = "references.yaml written" if report.library_written else "references.yaml unchanged"
    channel = ", channel.yaml written" if report.channel_written else ""
    failing = f", {len(report.not_imported)} not imported (they would fail check)" if report.not_imported else ""
    say(f"imported: {len(report.written)} episode(s) written, {len(report.skipped)} skipped{failing}; "
        f"{library}{channel}")


def refuse_not_imported(plan: ImportPlan | None) -> None:
    """Exit 1, naming each source, when an episode was not imported because it would fail check (in JSON
    mode the document names them: ``not_imported``, and each episode's ``failed``)."""
    from ..errors import EpisodeError, ExitCode, Problem
    from ._app import current_run

    if plan is not None and plan.not_imported:
        if current_run().json:
            raise typer.Exit(ExitCode.INVALID)
        raise EpisodeError([Problem(episode.source.origin or episode.slug, None, "",
                                    "not imported: its episode would fail check (see above)")
                            for episode in plan.not_imported])


def register(app: typer.Typer) -> None:
    """Add ``import`` to ``app``."""
    app.command("import")(import_)
