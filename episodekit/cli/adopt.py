"""``import``: an existing channel's hand-typed descriptions brought in as episodes and library entries."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import MissingFileError, UsageError
from ._app import echo, say, workspace

if TYPE_CHECKING:
    from ..adopt import ImportPlan, ImportReport

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
AdoptOption = Annotated[bool, typer.Option(
    "--adopt-boilerplate", help="Write the disclaimer, schedule line and subscribe link the descriptions share "
    "into channel.yaml")]


def import_(
    from_file: FromFileOption = None,
    title: TitleOption = None,
    published_at: PublishedOption = None,
    schedule: ScheduleOption = None,
    dry_run: DryRunOption = False,
    no_lookup: NoLookupOption = False,
    adopt_boilerplate: AdoptOption = False,
) -> None:
    """Import hand-typed descriptions as episodes, their citations into references.yaml, with a round-trip report."""
    from ..adopt import ImportSource, apply_import, plan_import

    if from_file is None:
        raise UsageError("say what to import: --from-file DESCRIPTION.txt --title TITLE")
    if not title or not title.strip():
        raise UsageError("--from-file needs the video's title: --title TITLE")
    if published_at and schedule:
        raise UsageError("give --published-at (a video that is out) or --schedule (one to come), not both")
    ws = workspace()
    source = ImportSource(title=" ".join(title.split()), description=_read(from_file),
                          published_at=_instant(published_at) if published_at else None, origin=str(from_file))
    plan = plan_import(ws, [source], lookup=not no_lookup, adopt_boilerplate=adopt_boilerplate,
                       schedule=_schedule(schedule) if schedule else None)
    show_plan(plan, dry_run)
    if not dry_run:
        show_report(apply_import(ws, plan))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingFileError(f"{path}: no such file; save the description as text there first") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder; give the text file of one description") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: is not UTF-8 text; save the description as UTF-8") from None


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
        echo(f"{verb}: {episode.shown} (from {episode.source.origin or episode.source.video_id})")
        for cited in episode.citations:
            mark = " (marked for review)" if "review" in cited.fields else ""
            echo(f"  reference {cited.key}: {cited.how}{mark}")
        trip = episode.round_trip
        if trip is not None:
            echo("  round trip: exact" if trip.exact else f"  round trip: {len(trip.differences)} line(s) differ, "
                 f"{len(trip.unexpected)} not of an expected kind")
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
        say(f"dry run, nothing written: {len(plan.new)} episode(s), references.yaml: {len(library.new)} new, "
            f"{len(library.enriched)} enriched, {len(library.unchanged)} already there")


def show_report(report: ImportReport) -> None:
    for merge in report.plan.library.merges:
        for change in merge.conflicts:
            echo(f"conflict: {merge.key}: {change} (kept as the library has it)")
    library = "references.yaml written" if report.library_written else "references.yaml unchanged"
    channel = ", channel.yaml written" if report.channel_written else ""
    say(f"imported: {len(report.written)} episode(s) written, {len(report.skipped)} skipped; {library}{channel}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
