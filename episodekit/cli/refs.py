"""``refs import``, ``refs add``, ``refs verify``: the reference library (references.yaml) kept from its sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ConflictError
from ._app import echo, say, workspace

if TYPE_CHECKING:
    from ..references.update import Update

ReplaceOption = Annotated[bool, typer.Option("--replace", help="Take the record's value where it differs (the key stays)")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing")]


def import_(
    file: Annotated[Path, typer.Argument(readable=False, help="A CSL-JSON file (Zotero's CSL JSON export) or a BibTeX file")],
    replace: ReplaceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Import a CSL-JSON or BibTeX file into references.yaml: new entries, added fields, conflicts shown."""
    from ..references.update import import_file

    ws = workspace()
    report(import_file(ws.root, ws.library, file, replace=replace, dry_run=dry_run))


def report(done: Update) -> None:
    """What an update did, entry by entry, then one summary line; exit 1 while a conflict is left."""
    for merge in done.merges:
        if merge.new:
            echo(f"new: {merge.key}")
        for change in merge.added:
            echo(f"added: {merge.key}: {change}")
        for change in merge.conflicts:
            mark = "replaced" if done.replace else "conflict"
            echo(f"{mark}: {merge.key}: {change}")
    if done.dry_run and done.diff:
        echo(done.diff.rstrip("\n"))
    verb = "would change (dry run, nothing written)" if done.dry_run else "wrote" if done.written else "unchanged"
    say(f"{verb}: references.yaml: {len(done.new)} new, {len(done.enriched)} enriched, "
        f"{len(done.conflicting)} with conflicts, {len(done.unchanged)} already there")
    if done.conflicts_left:
        raise ConflictError(
            f"{done.conflicts_left} field(s) differ from the library and were kept as the library has them; "
            "check them, then run again with --replace to take the record's values (the keys stay)")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Keep the reference library (references.yaml) right from its sources.", no_args_is_help=True)
    group.command("import")(import_)
    app.add_typer(group, name="refs")
