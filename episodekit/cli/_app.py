"""The typer app, the options every command shares, and the helpers commands print with.

This module imports no command: the command modules register on ``app``
(``register(app)``), and ``episodekit.cli`` puts them together.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..errors import NotConfirmedError

if TYPE_CHECKING:
    from ..workspace import Workspace

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


@app.callback()
def _options(ctx: typer.Context, channel: ChannelOption = None) -> None:
    ctx.obj = {"channel": channel}


def workspace(ctx: typer.Context) -> Workspace:
    """The channel of this run: ``--channel``, else the nearest ``channel.yaml`` from the current folder."""
    from ..workspace import Workspace  # imported here to keep --help fast

    channel = (ctx.find_root().obj or {}).get("channel")
    ws = Workspace.open(Path.cwd(), channel)
    ws.on_lock_wait = echo_err  # a writer waiting for another one says so
    return ws


def echo(line: str = "") -> None:
    typer.echo(line)


def echo_err(line: str) -> None:
    typer.echo(line, err=True)


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def confirm(yes: bool, question: str) -> None:
    """Go ahead with --yes or a "yes" at a terminal; otherwise stop with exit 1, having sent nothing."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise NotConfirmedError("not a terminal, so nothing was sent: pass --yes to go ahead without a prompt")
    if not typer.confirm(question, default=False, err=True):
        raise NotConfirmedError("nothing was sent")
