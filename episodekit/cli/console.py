"""Terminal output with rich: tables a creator reads at a glance."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from ..publish.agenda import CalendarRow
from ..publish.sync import SyncPlan

_STATUS_STYLE = {"gap": "bold red", "invalid": "red", "ready": "green", "uploaded": "cyan"}


def print_calendar(rows: list[CalendarRow]) -> None:
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
def upload_progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr at a terminal; nothing when the output is a log."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("upload", total=None)

        def update(sent: int, total: int) -> None:
            bar.update(task, completed=sent, total=total)

        yield update


def print_sync_plan(plan: SyncPlan, live: bool) -> None:
    """Each video's action and fields, the description diff, and the quota it will cost."""
    console = Console(width=None if Console().is_terminal else 140, highlight=False)
    for change in plan.videos:
        fields = ", ".join([*change.changes, *(f"{name} (drift)" for name in change.drift)]) or "-"
        console.print(f"{change.wanted.shown}  {change.video_id}  [bold]{change.action}[/]  {fields}", markup=True)
        if change.drift:
            console.print(
                f"  edited in YouTube Studio since the last sync: {', '.join(change.drift)}; kept as it is "
                "(--force overwrites it; the diff shows what that would lose)", markup=False
            )
        diff = change.description_diff()
        if diff:
            console.print(diff, markup=False)
    counts = ", ".join(f"{plan.count(a)} {a}" for a in ("update", "unchanged", "drift", "missing"))
    console.print(f"videos: {counts}", markup=False)
    console.print(
        f"quota: {plan.list_calls} videos.list call(s) + {plan.update_units} units for "
        f"{len(plan.updates)} update(s) = {plan.units} units", markup=False
    )
    if not live:
        console.print("note: not signed in, so live videos were not fetched: the plan compares with the "
                      "ledger only (no diffs, no drift check); `publish.py auth login` for the full plan", markup=False)
