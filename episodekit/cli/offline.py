"""The commands that work offline: check, render, preview, status, schema, new, calendar.

Each parses its arguments, calls the library, and prints. Library modules are
imported inside the commands, so ``--help`` and the other commands start fast.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import ExitCode
from ._app import EpisodePaths, current_run, echo, echo_err, emit_json, json_option, say, workspace


class Part(str, Enum):
    description = "description"
    script = "script"
    references = "references"


def check(
    ctx: typer.Context,
    paths: EpisodePaths = None,
    as_json: Annotated[bool, json_option("Print the problems as a JSON list")] = False,
) -> None:
    """Validate episodes, references, links, the schedule and YouTube's limits."""
    from ..pipeline.build import build_episodes

    from .console import progress_bars

    ws = workspace(ctx)
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
    ctx: typer.Context,
    paths: EpisodePaths = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Output folder (default: build/)")] = None,
) -> None:
    """Write script.md, description.txt and references.txt for each episode (all or nothing)."""
    from ..pipeline.build import build_episodes
    from ..pipeline.output import render_to

    from .console import progress_bars

    ws = workspace(ctx)
    target = out or ws.root / "build"
    with progress_bars() as bars:
        builds = build_episodes(ws, ws.select(paths), progress=bars("rendering")).builds
        written = render_to(builds, target, progress=bars("writing"))
    episodes = len({path.parent for path in written})
    say(f"rendered {episodes} episode(s) into {os.path.relpath(target)}: {len(written)} files")


def preview(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Episode file or slug")],
    part: Annotated[Part, typer.Option("--part", help="Which output to print")] = Part.description,
) -> None:
    """Print one output of an episode; a summary of limits and warnings goes to stderr."""
    from ..pipeline.build import build_valid
    from ..pipeline.output import summary_lines

    ws = workspace(ctx)
    build = build_valid(ws, ws.select([path])[0])
    assert build.rendered is not None
    typer.echo(build.rendered.part(part.value), nl=False)
    for line in summary_lines(build):
        echo_err(line)


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, json_option("Print the rows as JSON")] = False,
) -> None:
    """Per episode: draft, scheduled or published, and whether its live description is stale, and why."""
    from ..publish.status import episode_statuses

    rows = episode_statuses(workspace(ctx))
    if as_json:
        emit_json([row.as_json() for row in rows])
        return
    for row in rows:
        when = f"{row.release:%Y-%m-%d %H:%MZ}" if row.release else "-"
        stale = f"stale: {', '.join(row.causes)}" if row.stale else ("up to date" if row.video_id else "")
        echo(f"{row.path}  {row.state}  {when}  {row.video_id or '-'}  {stale}".rstrip())


def schema(
    ctx: typer.Context,
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder (default: schema/)")] = None,
) -> None:
    """Export the JSON Schemas of channel.yaml, episodes and references.yaml for editors."""
    from ..models.schema import SCHEMA_DIR, export_schemas

    folder = out or (workspace(ctx).root / SCHEMA_DIR)
    for path in export_schemas(folder):
        say(f"wrote {os.path.relpath(path)}")


def new(ctx: typer.Context, title: Annotated[str, typer.Argument(help="The episode's title")]) -> None:
    """Create episodes/<slug>.yaml on the next free release slot (never overwrites)."""
    from ..pipeline.scaffold import new_episode

    path = new_episode(workspace(ctx), title)
    say(f"wrote {os.path.relpath(path)}")


def calendar(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=520, help="How far ahead")] = 8,
    as_json: Annotated[bool, json_option("Print the rows as JSON (UTC instants)")] = False,
) -> None:
    """Show the coming release slots, the episode in each, and the gaps."""
    from ..publish.agenda import calendar_rows

    rows = calendar_rows(workspace(ctx), weeks)
    if as_json:
        emit_json([row.as_json() for row in rows])
        return
    from .console import print_calendar

    print_calendar(rows)


def register(app: typer.Typer) -> None:
    for command in (check, render, preview, status, schema, new, calendar):
        app.command()(command)
