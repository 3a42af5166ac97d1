"""Terminal output with rich: tables, diffs and progress bars a creator reads at a glance.

What goes to a pipe or a file stays plain: whole lines, no colour, no bars (a
diff a pipe receives is one ``patch`` accepts).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from ..errors import command_line
from ..publish.agenda import CalendarRow
from ..publish.sync import SyncPlan
from ._app import current_run

_STATUS_STYLE = {"gap": "bold red", "invalid": "red", "ready": "green", "uploaded": "cyan"}


def print_calendar(rows: list[CalendarRow]) -> None:
    """The release calendar as a table, the gaps of the next 4 weeks in red."""
    console = Console(width=None if Console().is_terminal else 140)
    table = Table(title="Release calendar", title_justify="left")
    for column in ("Local time", "UTC", "Episode", "Title", "Status"):
        table.add_column(column, no_wrap=column != "Title")
    for row in rows:
        style = _STATUS_STYLE[row.status]
        episode = row.slug or "— no episode —"
        status = "GAP" if row.alert else row.status
        if row.extra:
            status += " (extra)"
        table.add_row(
            f"{row.local:%a %Y-%m-%d %H:%M %Z}",
            f"{row.utc:%Y-%m-%d %H:%MZ}",
            episode,
            row.title or "",
            f"[{style}]{status}[/]",
            style="bold" if row.alert else None,
        )
    console.print(table)
    gaps = sum(row.alert for row in rows)
    if gaps:
        console.print(f"[bold red]{gaps} slot(s) in the next 4 weeks have no episode yet.[/]")


@contextmanager
def upload_progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A bar of the bytes sent, named ``label``, on stderr at a terminal; nothing in a log or with -q.

    It appears at the first report, when the size is known; a line printed meanwhile (the video's
    link) goes above it.
    """
    console = current_run().stderr_console()
    if current_run().quiet or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
               TimeRemainingColumn())
    display = Progress(*columns, console=console, transient=True)
    try:
        yield _bar(display, label)
    finally:
        _stop(display)


def _bar(display: Progress, label: str) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback for one bar of ``display``, shown from its first report."""
    task: list[TaskID] = []

    def update(done: int, total: int) -> None:
        if not task:
            _start(display)
            task.append(display.add_task(label, total=total))
        display.update(task[0], completed=done, total=total)

    return update


def _start(display: Progress) -> None:
    display.start()
    current_run().live = display  # the print helpers of _app write above it


def _stop(display: Progress) -> None:
    display.stop()
    current_run().live = None


@contextmanager
def progress_bars() -> Iterator[Callable[[str], Callable[[int, int], None] | None]]:
    """``bars("checking")`` is a ``progress(done, total)`` callback drawing one bar on stderr.

    Only at a terminal and without -q; elsewhere it is None, and the command prints one
    summary line instead. Each bar appears at its first report, so a question asked
    before it (a confirmation) is not drawn over.
    """
    console = current_run().stderr_console()
    if current_run().quiet or not console.is_terminal:
        yield lambda label: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn())
    display = Progress(*columns, console=console, transient=True)

    def bar(label: str) -> Callable[[int, int], None]:
        return _bar(display, label)

    try:
        yield bar
    finally:
        _stop(display)


def _terminal() -> Console | None:
    """A console on stdout when it is a terminal; None for a pipe or a file, which get plain lines."""
    console = Console(highlight=False, soft_wrap=True)  # soft wrap: the terminal folds, lines stay whole
    return console if console.is_terminal else None


def print_diff(diff: str) -> None:
    """A unified diff: as it is for a pipe (``patch`` takes it), coloured at a terminal."""
    console = _terminal()
    if console is None:
        typer.echo(diff)
    else:
        console.print(diff_text(diff))


def diff_text(diff: str) -> Text:
    """``diff`` styled: removed lines red, added green, and within a changed line the changed characters."""
    text = Text()
    lines = diff.splitlines()
    for header in lines[:2]:
        text.append(header + "\n", style="bold")
    removed: list[str] = []
    added: list[str] = []
    for line in lines[2:]:
        if line.startswith("-"):
            if added:
                _pairs(text, removed, added)
                removed, added = [], []
            removed.append(line)
        elif line.startswith("+"):
            added.append(line)
        elif line.startswith("\\") and (removed or added):  # "\ No newline at end of file" of the line above
            (added or removed).append(line)
        else:
            _pairs(text, removed, added)
            removed, added = [], []
            text.append(line + "\n", style="cyan" if line.startswith("@@") else "")
    _pairs(text, removed, added)
    text.rstrip()
    return text


def _pairs(text: Text, removed: list[str], added: list[str]) -> None:
    """A block of removed lines then added ones; the n-th of each are compared character by character."""
    old = [Text(line, style="dim" if line.startswith("\\") else "red") for line in removed]
    new = [Text(line, style="dim" if line.startswith("\\") else "green") for line in added]
    for before, after in zip(*([t for t in lines if not t.plain.startswith("\\")] for lines in (old, new))):
        for (i1, i2), (j1, j2) in changed_spans(before.plain[1:], after.plain[1:]):
            before.stylize(CHANGED_REMOVED, 1 + i1, 1 + i2)
            after.stylize(CHANGED_ADDED, 1 + j1, 1 + j2)
    for line in [*old, *new]:
        text.append_text(line)
        text.append("\n")


def changed_spans(a: str, b: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The character ranges of ``a`` and ``b`` that differ; a match of one or two characters
    between two changes counts as changed, so "André RB" to "Brunoni AR" is one change, not six."""
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal" and (i2 - i1 > 2 or not spans or i2 == len(a)):
            continue
        if spans and (spans[-1][1] == i1 or tag == "equal"):
            spans[-1][1], spans[-1][3] = i2, j2  # extend the change across a short match
        else:
            spans.append([i1, i2, j1, j2])
    return [((i1, i2), (j1, j2)) for i1, i2, j1, j2 in spans]


CHANGED_REMOVED = "bold white on red"
CHANGED_ADDED = "bold white on green"


def print_sync_plan(plan: SyncPlan, live: bool) -> None:
    """Each video's action and fields, the description diff, and the quota it will cost."""
    console = _terminal()

    def line(text: str) -> None:
        typer.echo(text) if console is None else console.print(text, markup=False)

    for change in plan.videos:
        fields = ", ".join([*change.changes, *(f"{name} (drift)" for name in change.drift)]) or "-"
        line(f"{change.wanted.shown}  {change.video_id}  {change.action}  {fields}")
        if change.drift:
            line(f"  edited in YouTube Studio since the last sync: {', '.join(change.drift)}; kept as it is "
                 "(--force overwrites it; the diff shows what that would lose)")
        if change.causes:
            line(f"  the description changes only in its references block: {'; '.join(change.causes)}")
        for diff in (change.description_diff(), *change.localized_diffs().values()):
            if diff:
                print_diff(diff)
    counts = ", ".join(f"{plan.count(a)} {a}" for a in ("update", "unchanged", "drift", "missing"))
    line(f"videos: {counts}")
    _print_caption_plan(plan, line)
    tracks = f" + {plan.caption_units} units for caption tracks" if plan.caption_units else ""
    line(f"quota: {plan.check_units} for the channel check + {plan.list_calls} videos.list call(s) + "
         f"{plan.update_units} units for {len(plan.updates)} update(s){tracks} = {plan.units} units")
    if not live:
        line("note: not signed in, so live videos were not fetched: the plan compares with the "
             f"ledger only (no diffs, no drift check); {command_line('auth login')} for the full plan")


def _print_caption_plan(plan: SyncPlan, line: Callable[[str], None]) -> None:
    """Each caption track that changes, is kept or waits (with its cue diff), and how many are unchanged."""
    for change in plan.captions:
        if change.action == "unchanged":
            continue
        line(change.summary())
        for found in change.found:
            if found.language != change.track.language:
                line(f"  also on the video, kept as it is: a track in {found.language}, {found.name!r} ({found.id})")
        diff = change.cue_diff()
        if diff:
            print_diff(diff)
    counts = [f"{n} {action}" for action in ("insert", "update", "unchanged", "kept", "held", "deferred")
              if (n := sum(c.action == action for c in plan.captions))]
    if counts:
        line(f"caption tracks: {', '.join(counts)}")
