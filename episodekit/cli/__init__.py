"""The command line: each command parses its arguments, calls one library function, prints.

Exit codes (also in the README): 0 success; 1 invalid input, a failed check or
a refused action; 2 wrong usage; 3 YouTube refused a request; 130 interrupted.
Errors are handled in one place, :func:`main`; no traceback reaches the user
unless ``EPISODEKIT_DEBUG=1`` is set.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import EpisodekitError, ExitCode, InputError

app = typer.Typer(
    name="episodekit",
    help="Turn one YAML file per episode into its script, YouTube description and references.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # locals may hold tokens
)

ChannelOption = Annotated[
    Optional[Path],
    typer.Option("--channel", help="channel.yaml or its folder (default: found in . or a parent)"),
]
EpisodePaths = Annotated[
    Optional[list[Path]], typer.Argument(help="Episode files or slugs (default: every episodes/*.yaml)")
]


auth_app = typer.Typer(help="Sign in to YouTube, see the saved token, or sign out.", no_args_is_help=True)
app.add_typer(auth_app, name="auth")


class Part(str, Enum):
    description = "description"
    script = "script"
    references = "references"


_state: dict[str, Path | None] = {"channel": None}


@app.callback()
def _options(channel: ChannelOption = None) -> None:
    _state["channel"] = channel


def _workspace():  # noqa: ANN202 - imported lazily to keep --help fast
    from .workspace import Workspace

    return Workspace.open(Path.cwd(), _state["channel"])


def _echo_err(line: str) -> None:
    typer.echo(line, err=True)


@app.command()
def check(
    paths: EpisodePaths = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the problems as a JSON list")] = False,
) -> None:
    """Validate episodes, references, links, the schedule and YouTube's limits."""
    from .build import build_episodes

    ws = _workspace()
    report = build_episodes(ws, ws.select(paths))
    problems = report.problems
    if as_json:
        typer.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            _echo_err(str(problem))
        errors = sum(p.is_error for p in problems)
        warnings = len(problems) - errors
        verdict = "all valid" if report.ok else f"{errors} error(s)"
        typer.echo(f"checked {len(report.builds)} episode(s): {verdict}, {warnings} warning(s)")
    if not report.ok:
        raise typer.Exit(ExitCode.INVALID)


@app.command()
def render(
    paths: EpisodePaths = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Output folder (default: build/)")] = None,
) -> None:
    """Write script.md, description.txt and references.txt for each episode (all or nothing)."""
    from .output import render_to

    ws = _workspace()
    for path in render_to(ws, ws.select(paths), out or ws.root / "build"):
        typer.echo(f"wrote {os.path.relpath(path)}")


@app.command()
def preview(
    path: Annotated[Path, typer.Argument(help="Episode file or slug")],
    part: Annotated[Part, typer.Option("--part", help="Which output to print")] = Part.description,
) -> None:
    """Print one output of an episode; a summary of limits and warnings goes to stderr."""
    from .output import preview_build, summary_lines

    ws = _workspace()
    build = preview_build(ws, ws.select([path])[0])
    assert build.rendered is not None
    typer.echo(build.rendered.part(part.value), nl=False)
    for line in summary_lines(build):
        _echo_err(line)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON")] = False,
) -> None:
    """Per episode: draft, scheduled or published, and whether its live description is stale, and why."""
    from .status import episode_statuses

    rows = episode_statuses(_workspace())
    if as_json:
        typer.echo(json.dumps([_status_json(row) for row in rows], indent=2, ensure_ascii=False))
        return
    for row in rows:
        when = f"{row.release:%Y-%m-%d %H:%MZ}" if row.release else "-"
        stale = f"stale: {', '.join(row.causes)}" if row.stale else ("up to date" if row.video_id else "")
        typer.echo(f"{row.path}  {row.state}  {when}  {row.video_id or '-'}  {stale}".rstrip())


def _status_json(row) -> dict[str, object]:  # noqa: ANN001
    data = dict(row.__dict__)
    data["release"] = row.release.strftime("%Y-%m-%dT%H:%M:%SZ") if row.release else None
    return data


@app.command()
def schema(
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder (default: schema/)")] = None,
) -> None:
    """Export the JSON Schemas of channel.yaml, episodes and references.yaml for editors."""
    from .schema import SCHEMA_DIR, export_schemas

    folder = out or (_workspace().root / SCHEMA_DIR)
    for path in export_schemas(folder):
        typer.echo(f"wrote {os.path.relpath(path)}")


@app.command()
def new(title: Annotated[str, typer.Argument(help="The episode's title")]) -> None:
    """Create episodes/<slug>.yaml on the next free release slot (never overwrites)."""
    from .scaffold import new_episode

    path = new_episode(_workspace(), title)
    typer.echo(f"wrote {os.path.relpath(path)}")


@app.command()
def calendar(
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=520, help="How far ahead")] = 8,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON (UTC instants)")] = False,
) -> None:
    """Show the coming release slots, the episode in each, and the gaps."""
    from .agenda import calendar_rows

    rows = calendar_rows(_workspace(), weeks)
    if as_json:
        typer.echo(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
        return
    from .console import print_calendar

    print_calendar(rows)


def _confirm(yes: bool, question: str) -> None:
    """Go ahead with --yes or a "yes" at a terminal; otherwise stop with exit 1, having sent nothing."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise EpisodekitError("not a terminal, so nothing was sent: pass --yes to go ahead without a prompt")
    if not typer.confirm(question, default=False, err=True):
        raise EpisodekitError("nothing was sent")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and map every outcome to a documented exit code."""
    try:
        app(args=argv, prog_name="publish.py")  # typer handles usage errors (exit 2) itself
    except SystemExit as exc:
        return _exit_status(exc.code)
    except KeyboardInterrupt:
        _echo_err("interrupted")
        return ExitCode.INTERRUPTED
    except InputError as exc:
        for problem in exc.problems:
            _echo_err(str(problem))
        return exc.exit_code
    except EpisodekitError as exc:
        _echo_err(f"error: {exc}")
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, no locals
        if os.environ.get("EPISODEKIT_DEBUG"):
            raise
        _echo_err(f"internal error: {type(exc).__name__}: {exc} (set EPISODEKIT_DEBUG=1 for details)")
        return 70
    return ExitCode.OK


def _exit_status(code: object) -> int:
    if code is None:
        return ExitCode.OK
    return code if isinstance(code, int) else ExitCode.INVALID


from . import cli_youtube  # noqa: E402,F401  (registers the YouTube commands)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
