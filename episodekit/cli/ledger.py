"""``ledger move``: the commands that put the ledger (``published.yaml``) right by name, never by hand."""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import echo, echo_err, ledger_store, workspace


def move(
    old: Annotated[str, typer.Argument(help="The slug the ledger has (the episode's old file name)")],
    new: Annotated[str, typer.Argument(help="The episode's new slug (its file must exist)")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing")] = False,
) -> None:
    """Give a renamed episode its ledger entry back, keeping its video id (no YouTube call)."""
    from ..pipeline.ledgercheck import move_entry

    ws = workspace()
    done = move_entry(ws, old, new, dry_run=dry_run, ledger=ledger_store(ws))
    verb = "moved" if done.applied else "would move (dry run, nothing written)"
    echo(f"{verb}: {done.old} -> {done.new}, video {done.entry.video_id}, in {ws.ledger_path.name}")
    for shown in done.linking:
        echo_err(f"note: {shown} still links to episode {done.old!r}; change it to `episode: {done.new}`")


def register(app: typer.Typer) -> None:
    """Add the ``ledger`` group (``move``) to ``app``."""
    group = typer.Typer(help="Keep the ledger (published.yaml) in step with the episode files.", no_args_is_help=True)
    group.command("move")(move)
    app.add_typer(group, name="ledger")
