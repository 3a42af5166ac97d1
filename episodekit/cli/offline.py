"""The commands that work offline: check, render, preview, status, schema, new, calendar.

Each parses its arguments, calls the library, and prints. Library modules are
imported inside the commands, so ``--help`` and the other commands start fast.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import ExitCode, Interrupted, UsageError, command_line
from ..paths import BUILD_DIR
from ._app import (
    EpisodePaths,
    current_run,
    echo,
    echo_err,
    emit_json,
    json_option,
    out_option,
    say,
    workspace,
)

if TYPE_CHECKING:
    from ..pipeline.build import EpisodeBuild
    from ..workspace import Workspace


def no_episodes_yet() -> str:
    """What the overview commands say in a channel without episodes, naming ``new`` as the user runs it."""
    return f"no episodes yet: create one with {command_line('new TITLE')}"


class Part(str, Enum):
    description = "description"
    script = "script"
    references = "references"


def check(
    paths: EpisodePaths = None,
    as_json: Annotated[bool, json_option("Print the problems as a JSON list")] = False,
) -> None:
    """Validate episodes, references, links, the schedule and YouTube's limits."""
    from ..pipeline.build import build_episodes
    from .console import progress_bars

    ws = workspace()
    if _no_episodes_yet(ws, paths, as_json):
        if as_json:
            emit_json([])
        return
    with progress_bars() as bars:
        report = build_episodes(ws, ws.select(paths), progress=bars("checking"))
    problems = report.problems
    if as_json:
        emit_json([p.as_dict() for p in problems])
    else:
        for problem in problems:
            if problem.is_error or not current_run().quiet:
                echo_err(str(problem))
        errors = len(report.errors)
        verdict = "all valid" if report.ok else f"{errors} error(s)"
        say(f"checked {len(report.builds)} episode(s): {verdict}, {len(problems) - errors} warning(s)")
    if not report.ok:
        raise typer.Exit(ExitCode.INVALID)


def render(
    paths: EpisodePaths = None,
    out: Annotated[Optional[Path], out_option("Output folder (default: build/)")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Build and write every episode, reading and writing no cache")] = False,
) -> None:
    """Write script.md, description.txt and references.txt for each episode (all or nothing).

    Only the episodes whose inputs changed since the last render are built again."""
    from contextlib import nullcontext

    from ..paths import shown_path
    from ..pipeline.incremental import render_incremental
    from ..pipeline.manifest import turned_off
    from .console import progress_bars

    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} is a file, not a folder; give a folder (it is created when missing)")
    ws = workspace()
    if _no_episodes_yet(ws, paths):
        return
    target, selected = out or ws.root / BUILD_DIR, ws.select(paths)
    with progress_bars() as bars, turned_off() if no_cache else nullcontext():
        rendering, writing = bars("rendering"), bars("writing")
        try:
            result = render_incremental(ws, selected, target, progress=rendering, write_progress=writing)
        except KeyboardInterrupt as stop:
            if isinstance(stop, Interrupted):
                raise
            raise Interrupted(f"interrupted while checking the episodes: 0 of {len(selected)} episodes written",
                              0, len(selected)) from None
    episodes = len({*result.kept, *result.built})  # a folder each (counted, not made into 5,000 paths)
    say(f"rendered {episodes} episode(s) into {shown_path(target)}: {len(result.written)} files")


def preview(
    path: Annotated[Path, typer.Argument(readable=False, help="Episode file or slug")],
    part: Annotated[Part, typer.Option("--part", help="Which output to print")] = Part.description,
    html: Annotated[bool, typer.Option("--html", help="Write the watch page as HTML instead")] = False,
    teleprompter: Annotated[bool, typer.Option(
        "--teleprompter", help="Write the script as a teleprompter page instead")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", readable=False, help=(
        "With --html or --teleprompter: the page's file (default: build/<slug>/watch.html or teleprompter.html)"))] = None,
    open_page: Annotated[bool, typer.Option(
        "--open", help="With --html or --teleprompter: open the page in a browser")] = False,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", help="The episode in one of its localizations (a BCP-47 code such as pt-BR)")] = None,
) -> None:
    """Print one output of an episode; a summary of limits and warnings goes to stderr."""
    from ..pipeline.build import build_valid, in_language
    from ..pipeline.output import summary_lines

    page = "teleprompter.html" if teleprompter else "watch.html"
    if html and teleprompter:
        raise UsageError("--html and --teleprompter each write a page; give one of them")
    if not (html or teleprompter) and (out is not None or open_page):
        raise UsageError(f"{'--out' if out is not None else '--open'} goes with --html or --teleprompter; add one "
                         "to write a page")
    if out is not None and out.is_dir():
        raise UsageError(f"--out: {out} is a folder; give the page's file name, such as {out / page}")
    ws = workspace()
    episode = build_valid(ws, ws.select([path])[0])
    build = in_language(episode, lang)
    assert build.rendered is not None
    if html or teleprompter:
        _write_page(ws, episode, out, open_page, teleprompter, lang)
    else:
        typer.echo(build.rendered.part(part.value), nl=False)
    if not current_run().quiet:  # the limits and warnings; an error stopped build_valid above
        for line in summary_lines(build):
            echo_err(line)


def _write_page(ws: Workspace, build: EpisodeBuild, out: Path | None, open_page: bool, teleprompter: bool,
                lang: str | None) -> None:
    """``preview --html`` (a page per language) or ``--teleprompter``: write the page, say where, and open it
    when asked."""
    import webbrowser

    from ..paths import shown_path

    if teleprompter:
        from ..views.teleprompter import write_teleprompter
        target = write_teleprompter(ws, build, out, lang).resolve()
    else:
        from ..views.watchpage import write_watch_page
        target = write_watch_page(ws, build, out, lang).resolve()
    say(f"wrote {shown_path(target)}")
    if open_page and not webbrowser.open(target.as_uri()):
        echo_err(f"no browser could be started here; open {target.as_uri()} yourself")


def status(
    as_json: Annotated[bool, json_option("Print the rows as JSON")] = False,
) -> None:
    """Per episode: draft, scheduled or published, and whether its live description is stale, and why."""
    from ..publish.status import episode_statuses

    from ..pipeline.channelpin import pinned

    ws = workspace()
    rows = episode_statuses(ws)
    if as_json:
        emit_json([row.as_json() for row in rows])
        _no_episodes_yet(ws, None, as_json)
    else:
        _no_episodes_yet(ws, None)
        for row in rows:
            when = f"{row.release:%Y-%m-%d %H:%MZ}" if row.release else "-"
            echo(f"{row.path}  {row.state}  {when}  {row.video_id or '-'}  {row.note}".rstrip())
    channel = pinned(ws)
    if not current_run().quiet:  # on stderr: stdout keeps the rows (or the JSON list), which scripts read
        echo_err(f"YouTube channel: {channel}" if channel else "YouTube channel: none named yet (youtube_channel in "
                 "channel.yaml; `auth login` here, or the first upload, records it)")


def schema(
    out: Annotated[Optional[Path], out_option("Folder (default: schema/)")] = None,
) -> None:
    """Export the JSON Schemas of channel.yaml, episodes and references.yaml for editors."""
    from ..models.schema import export_schemas
    from ..paths import SCHEMA_DIR, shown_path

    folder = out or (workspace().root / SCHEMA_DIR)
    for path in export_schemas(folder):
        say(f"wrote {shown_path(path)}")


def new(
    title: Annotated[str, typer.Argument(help="The episode's title")],
    force: Annotated[bool, typer.Option("--force", help="Create it even if an episode has this title")] = False,
) -> None:
    """Create episodes/<slug>.yaml on the next free release slot (never overwrites)."""
    from ..paths import shown_path
    from ..pipeline.scaffold import create_episode

    created = create_episode(workspace(), title, force=force)
    slot = created.slot
    say(f"wrote {shown_path(created.path)}: release {slot.local:%a %Y-%m-%d %H:%M %Z} "
         f"({slot.utc:%Y-%m-%dT%H:%M:%SZ})")
    for move in created.moved:
        say(str(move))


def calendar(
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=520, help="How far ahead")] = 8,
    as_json: Annotated[bool, json_option("Print the rows as JSON (UTC instants)")] = False,
    ics: Annotated[Optional[Path], typer.Option("--ics", readable=False, help="Write them as an iCalendar file")] = None,
) -> None:
    """Show the coming release slots, the episode in each, and the gaps."""
    from ..publish.agenda import calendar_rows

    if ics is not None and ics.is_dir():
        raise UsageError(f"--ics: {ics} is a folder; give a file name, such as releases.ics")
    ws = workspace()
    rows = calendar_rows(ws, weeks)
    if ics is not None:
        from ..paths import shown_path
        from ..views.ics import write_release_calendar

        events = write_release_calendar(ws, rows, ics)
        say(f"wrote {shown_path(ics)}: {events} event(s), {sum(r.slug is None for r in rows)} of them free slots")
        if not as_json:
            return
    if as_json:
        emit_json([row.as_json() for row in rows])
        _no_episodes_yet(ws, None, as_json)
        return
    from .console import print_calendar

    print_calendar(rows)
    _no_episodes_yet(ws, None)


def _no_episodes_yet(ws: Workspace, paths: list[Path] | None, as_json: bool = False) -> bool:
    """A channel without episodes is a normal first state: say how to start (on stderr under --json)."""
    if paths or ws.episode_paths():
        return False
    (echo_err if as_json else echo)(no_episodes_yet())
    return True


def register(app: typer.Typer) -> None:
    """Add the offline commands to ``app``."""
    for command in (check, render, preview, status, schema, new, calendar):
        app.command()(command)
