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


@app.command()
def upload(
    episode: Annotated[Path, typer.Argument(help="Episode file or slug")],
    video: Annotated[Optional[Path], typer.Option("--video", help="Video file (default: upload.video)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the requests and their quota; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Upload without asking")] = False,
    restart: Annotated[bool, typer.Option("--restart", help="Start a new upload instead of resuming")] = False,
) -> None:
    """Upload an episode as a private video scheduled for its release slot."""
    from .upload import CHUNK_BYTES, dry_run as describe_requests, plan_upload, upload_episode

    ws = _workspace()
    plan = plan_upload(ws, ws.select([episode])[0], video)
    if dry_run:
        report = describe_requests(plan, CHUNK_BYTES)
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        quota = report["quota"]
        _echo_err(f"dry run: nothing sent; quota: {quota['units']} units and {quota['upload_calls']} upload call(s)")
        for note in report["notes"]:
            _echo_err(f"note: {note}")
        return
    when = f" scheduled for {plan.publish_at:%Y-%m-%d %H:%M}Z" if plan.publish_at else ""
    _confirm(yes, f"Upload {plan.title!r} as a {plan.body['status']['privacyStatus']} video{when}?")
    from .console import upload_progress

    with upload_progress() as progress:
        outcome = upload_episode(plan, ws, restart=restart, progress=progress)
    typer.echo(f"uploaded {plan.slug}: https://youtu.be/{outcome.video_id}")
    for warning in outcome.warnings:
        _echo_err(f"warning: {warning}")


@app.command()
def release(
    apply: Annotated[bool, typer.Option("--apply", help="Really upload (default: a dry run)")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", help="Render folder (default: build/)")] = None,
) -> None:
    """Weekly run: check, render, and upload the next due episode whose video file exists."""
    from .release import prepare_release

    ws = _workspace()
    found = prepare_release(ws, out or ws.root / "build")
    for problem in found.problems:
        _echo_err(str(problem))
    for reason in found.skipped:
        _echo_err(f"skipped: {reason}")
    typer.echo(f"rendered {len(found.rendered) // 3} episode(s)")
    if found.plan is None:
        typer.echo("nothing is due: every upcoming episode is uploaded, invalid or without its video")
        return
    if not apply:
        typer.echo(f"due next: {found.due.shown}; dry run (pass --apply to upload):")
        from .upload import CHUNK_BYTES, dry_run as describe_requests

        typer.echo(json.dumps(describe_requests(found.plan, CHUNK_BYTES), indent=2, ensure_ascii=False))
        return
    from .upload import upload_episode

    outcome = upload_episode(found.plan, ws)
    typer.echo(f"uploaded {found.plan.slug}: https://youtu.be/{outcome.video_id}")
    for warning in outcome.warnings:
        _echo_err(f"warning: {warning}")


@auth_app.command("login")
def auth_login(
    client_secrets: Annotated[
        Optional[Path], typer.Option("--client-secrets", help="OAuth client file (default: channel.yaml's)")
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the sign-in address instead")] = False,
) -> None:
    """Sign in with Google in the browser and save the token (mode 0600)."""
    from .youtube.auth import login

    if client_secrets is None:
        channel_secrets = _workspace().channel.client_secrets
        if not channel_secrets:
            raise EpisodekitError("no OAuth client file: pass --client-secrets or set client_secrets in channel.yaml")
        client_secrets = Path(channel_secrets).expanduser()
    typer.echo(f"saved the token to {login(client_secrets, open_browser=not no_browser)}")


@auth_app.command("status")
def auth_status() -> None:
    """Show the token file, its scopes and expiry (never the token itself)."""
    from .youtube.auth import status

    for key, value in status().items():
        shown = ", ".join(value) if isinstance(value, list) else value
        typer.echo(f"{key.replace('_', ' ')}: {shown}")


@auth_app.command("logout")
def auth_logout() -> None:
    """Delete the saved token."""
    from .youtube.auth import logout, token_path

    removed = logout()
    typer.echo(f"removed {token_path()}" if removed else f"no token at {token_path()}")


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
