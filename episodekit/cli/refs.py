"""``refs import``, ``refs add``, ``refs verify``: the reference library (references.yaml) kept from its sources;
``refs restyle``: references typed by hand handed to the channel's citation style."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import ConflictError, UsageError, command_line
from ._app import echo, emit_json, json_option, say, warn, workspace

if TYPE_CHECKING:
    from ..adopt.restyle import Restyle
    from ..references.update import Update
    from ..references.verify import Verification

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


def add(
    work: Annotated[str, typer.Argument(help="A DOI (10.1038/nm.2886, or its https://doi.org/ link) or a PMID (22885997)")],
    replace: ReplaceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Look a paper up by DOI or PMID and add it to references.yaml (or enrich the entry it already is)."""
    from ..references.verify import add as add_work

    report(add_work(workspace(), work, replace=replace, dry_run=dry_run), new_fields=True)


def verify(
    keys: Annotated[Optional[list[str]], typer.Argument(help="Entries to verify (default: all of them)")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Take the records' values where they differ (the keys stay)")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="With --fix: show what would be written; write nothing")] = False,
    as_json: Annotated[bool, json_option("Print each entry's differences as JSON")] = False,
) -> None:
    """Compare entries with the records of their DOI and PMID, field by field; exit 1 while any differ."""
    from ..references.verify import verify as verify_entries

    if dry_run and not fix:
        raise UsageError("--dry-run shows what --fix would write; give --fix too (refs verify alone writes nothing)")
    done = verify_entries(workspace(), keys or (), fix=fix, dry_run=dry_run)
    if as_json:
        emit_json(done.as_json())
    else:
        verified(done)
    if done.left:
        raise ConflictError(_still_wrong(done))


def verified(done: Verification) -> None:
    """Each difference at its line of references.yaml, then what --fix did, then one summary line."""
    from ..references.verify import summary

    for entry in done.checked:
        for problem in entry.problems():
            echo(str(problem))
    if done.fixed is not None:
        for merge in done.fixed.merges:
            marks = f"; {' and '.join(merge.dropped)} line removed" if merge.dropped else ""
            echo(f"{'would fix' if done.fixed.dry_run else 'fixed'}: {merge.key}: {len(merge.changes)} field(s){marks}")
        if done.fixed.dry_run and done.fixed.diff:
            echo(done.fixed.diff.rstrip("\n"))
    if done.restyled is not None and (done.restyled.episodes or done.restyled.unread):
        restyled(done.restyled, show_diff=done.restyled.dry_run)
    say(summary(done))


def restyle(
    keys: Annotated[Optional[list[str]], typer.Argument(help="Entries to restyle (default: every one kept as typed)")] = None,
    dry_run: DryRunOption = False,
) -> None:
    """Show references kept as typed in the channel's citation style, in every episode citing them (no lookup)."""
    from ..adopt.restyle import restyle as drop_typed

    restyled(drop_typed(workspace(), keys or (), dry_run=dry_run), show_diff=True)


def restyled(done: Restyle, show_diff: bool) -> None:
    """The change to each episode file as a diff (``show_diff``), one line per file, then a summary."""
    if show_diff and done.diff:
        echo(done.diff.rstrip("\n"))
    verb = "would restyle" if done.dry_run else "restyled"
    for episode in done.episodes:
        echo(f"{verb}: {episode.shown}: {', '.join(episode.keys)}")
    for shown in done.unread:
        warn(f"{shown}: not read (it does not pass check), so any reference it keeps as typed stays so")
    for key in done.held:
        echo(f"kept as typed: {key}: marked as a suspected misattribution; "
             f"{command_line('refs verify --fix ' + key)} takes its record, then restyles it")
    if done.episodes and not done.dry_run:
        say(f"restyled {done.count} reference(s) in {len(done.episodes)} episode(s); "
            f"{command_line('sync --dry-run')} shows each description that changes")
    elif not done.episodes:
        say("no episode keeps " + (", ".join(done.keys) if done.keys else "a reference") + " as typed")
    else:
        say(f"dry run, nothing written: {done.count} reference(s) in {len(done.episodes)} episode(s)")


def _still_wrong(done: Verification) -> str:
    from ..references.verify import DIFFERS, PROBLEM

    differing = [entry.key for entry in done.having(DIFFERS)]
    if done.fixed is not None and not done.fixed.dry_run:
        differing = []
    parts = []
    if differing:
        parts.append(f"{len(differing)} entr{'y differs' if len(differing) == 1 else 'ies differ'} from the "
                     f"records; check them, then run: {command_line('refs verify --fix ' + ' '.join(differing))}")
    problems = done.having(PROBLEM)
    if problems:
        parts.append(f"{len(problems)} entr{'y' if len(problems) == 1 else 'ies'} cannot be checked "
                     f"({', '.join(e.key for e in problems)}): correct the DOI or PMID by hand")
    return "; ".join(parts)


def report(done: Update, new_fields: bool = False) -> None:
    """What an update did, entry by entry (a new entry's fields too with ``new_fields``), then one summary
    line; exit 1 while a conflict is left."""
    for note in done.notes:
        echo(f"note: {note}")
    for merge in done.merges:
        if merge.new:
            echo(f"new: {merge.key}: {', '.join(merge.fields)}" if new_fields else f"new: {merge.key}")
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
    """Add the ``refs`` group (``import``, ``add``, ``verify``, ``restyle``) to ``app``."""
    group = typer.Typer(help="Keep the reference library (references.yaml) right from its sources.", no_args_is_help=True)
    group.command("import")(import_)
    group.command("add")(add)
    group.command("verify")(verify)
    group.command("restyle")(restyle)
    app.add_typer(group, name="refs")
