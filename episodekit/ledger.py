"""The ledger on disk (``published.yaml``): read, written atomically, and changed by one writer at a time.

The ledger is committed with the channel, so it is plain YAML a person can read; its data are the
models of ``models.ledger``. One writer at a time: every read-modify-write of the ledger holds a lock
(:func:`ledger_lock`, a ``filelock`` on ``.published.lock`` next to it), reads the file again under
it and changes only its own episode's entry, so two commands running at once both keep what they
did; :class:`LedgerStore` is the one way the commands write it. Who holds the lock is written to
``.published.lock.holder``, so a writer that has to wait can say for whom. Neither file is a ledger,
and neither is committed. filelock is imported by the commands that write the ledger, not by
``check`` or ``preview``.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from .atomic import write_text_atomic
from .errors import ChannelError, OutputError, Problem, RefusedError, UsageError, program_name
from .files.load import validate
from .files.yamlsource import YamlDocument, is_blank, parse_yaml, read_text
from .models.ledger import RESTORE_HINT, Ledger, LedgerEntry, key_problem
from .paths import LOCK_FILE, LOCK_HOLDER_FILE, shown_path

if TYPE_CHECKING:
    from filelock import FileLock

LOCK_TIMEOUT = 30.0  # seconds a writer waits for another one before it gives up
LOCK_TIMEOUT_ENV = "EPISODEKIT_LOCK_TIMEOUT"


LEDGER_HEADER = (
    "# The ledger: what episodekit has sent to YouTube for each episode.\n"
    "# episodekit writes this file; commit it with the channel.\n"
)

def load_ledger(path: Path) -> Ledger:
    """The ledger at ``path``; a missing file is an empty ledger (a new channel).

    A file that is there but empty, or cut off in the middle of a line, is an
    error: episodekit always writes ``episodes:`` and a final line end, so such
    a file lost what it said, and reading it as "nothing uploaded" would upload
    every episode a second time.
    """
    if not path.exists():
        return Ledger()
    shown = shown_path(path)
    if not path.is_file():
        raise ChannelError([Problem(shown, None, "", "is not a file; the ledger is a YAML file")])
    text = read_text(path, shown)
    if is_blank(text):
        raise ChannelError([Problem(shown, None, "", (
            "the ledger is empty, but episodekit always writes at least `episodes:` to it, so it has lost what "
            f"it recorded; {RESTORE_HINT}. If this channel has never uploaded anything, delete the file"
        ))])
    if not text.endswith("\n"):
        raise ChannelError([Problem(shown, text.count("\n") + 1, "", (
            f"the ledger ends in the middle of a line, so it looks cut short; {RESTORE_HINT}. "
            "If you edited it by hand, end its last line with a line break"
        ))])
    doc = parse_yaml(text, shown)
    if "episodes" not in doc.data:
        raise ChannelError([Problem(shown, None, "episodes", f"is required but missing; {RESTORE_HINT}")])
    return _validated(doc)


def _validated(doc: YamlDocument) -> Ledger:
    """The ledger in ``doc``: every problem at its line, a key that is not a slug at the key's own."""
    episodes = doc.data["episodes"]
    if not isinstance(episodes, dict):
        raise ChannelError([Problem(doc.path, doc.line_of(("episodes",)), "episodes", _not_a_mapping(episodes))])
    bad = [key for key in episodes if key_problem(str(key))] if isinstance(episodes, dict) else []
    problems = [Problem(doc.path, doc.line_of(("episodes", key)), "episodes", str(key_problem(str(key))))
                for key in bad]
    data = {**doc.data, "episodes": {k: v for k, v in episodes.items() if k not in bad}} if bad else doc.data
    try:
        ledger = validate(YamlDocument(doc.path, data, doc.lines, doc.written), Ledger, ChannelError)
    except ChannelError as exc:
        raise ChannelError(problems + exc.problems) from None
    if problems:
        raise ChannelError(problems)
    ledger._lines = doc.lines
    return ledger


def _not_a_mapping(value: Any) -> str:
    """Why ``episodes:`` holding ``value`` (no value, a list, a number) is not a ledger."""
    kind = "a list" if isinstance(value, list) else "text" if isinstance(value, str) else "a single value"
    got = "has no value" if value is None else f"holds {kind}"
    return (f"{got}, but it must map each uploaded episode's slug to its entry (episodekit writes `episodes: {{}}` "
            f"when nothing is uploaded); {RESTORE_HINT}")


def save_ledger(path: Path, ledger: Ledger) -> None:
    """Write the ledger atomically: a crash leaves the old file or the new one (the file a symbolic link
    names, when the ledger is one: the link stays)."""
    data = ledger.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data.setdefault("episodes", {})
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
    write_text_atomic(path, LEDGER_HEADER + body, through_links=True)


@contextmanager
def ledger_lock(ledger: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of the ledger at ``ledger``: one writer at a time, across processes.

    A second writer waits (``LOCK_TIMEOUT`` seconds, or ``$EPISODEKIT_LOCK_TIMEOUT``),
    telling ``on_wait`` who holds the lock, and then gives up with ``RefusedError``
    having written nothing. The lock is the operating system's, so a holder that
    crashed holds nothing.
    """
    from filelock import FileLock

    lock, holder, timeout = FileLock(ledger.with_name(LOCK_FILE)), ledger.with_name(LOCK_HOLDER_FILE), lock_timeout()
    if not os.access(ledger.parent, os.W_OK | os.X_OK):
        raise _not_writable(ledger, "no permission to write in it")
    try:
        if not _acquired(lock, 0):
            if on_wait is not None:
                on_wait(f"waiting up to {timeout:g} s for {shown_path(ledger)}: {lock_holder(holder)} is writing it")
            if not _acquired(lock, timeout):
                raise RefusedError(
                    f"{shown_path(ledger)}: {lock_holder(holder)} has held the ledger's lock for over {timeout:g} s, "
                    f"so nothing was written to the ledger; let it finish, then run this command again "
                    f"(set {LOCK_TIMEOUT_ENV} to wait longer)"
                )
    except PermissionError as exc:
        raise _not_writable(ledger, exc.strerror or "permission denied") from None
    except OSError as exc:
        raise RefusedError(f"{shown_path(lock.lock_file)}: cannot lock the ledger: {exc.strerror or exc}") from None
    try:
        try:
            write_text_atomic(holder, json.dumps(_this_process()) + "\n")
        except OSError as exc:
            raise _not_writable(ledger, exc.strerror or str(exc)) from None
        yield
    finally:
        holder.unlink(missing_ok=True)
        lock.release()


def _not_writable(ledger: Path, why: str) -> OutputError:
    return OutputError(
        f"{shown_path(ledger)}: cannot be changed, because the channel folder {ledger.parent} is not writable "
        f"({why}); nothing was written. Make the folder writable for you (or work in a copy you can write), "
        "then run this command again"
    )


def _acquired(lock: FileLock, timeout: float) -> bool:
    from filelock import Timeout

    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        return False
    return True


def lock_timeout() -> float:
    """Seconds a writer waits for the ledger's lock: ``$EPISODEKIT_LOCK_TIMEOUT``, else ``LOCK_TIMEOUT``."""
    value = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not value:
        return LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise UsageError(f"{LOCK_TIMEOUT_ENV}: expected a number of seconds, got {value!r}")
    return seconds


def lock_holder(holder: Path) -> str:
    """Who holds the ledger's lock, as its holder file says: ``pid 123 on host (`command`, since ...)``."""
    try:
        record = json.loads(holder.read_text(encoding="utf-8"))
        return f"pid {record['pid']} on {record['host']} (`{record['command']}`, since {record['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another episodekit process"


def _this_process() -> dict[str, Any]:
    program = program_name() or (Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python")  # a script
    command = " ".join([program, *sys.argv[1:]])
    return {"pid": os.getpid(), "host": socket.gethostname(), "command": command[:200],
            "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")}


class LedgerView(Protocol):
    """What a store keeps in step with the file: the ledger a view of the channel holds (``Workspace``)."""

    ledger: Ledger

    @property
    def ledger_path(self) -> Path:
        """The ledger file of the channel."""
        ...


@dataclass
class LedgerStore:
    """The one writer of a channel's ledger: each change is a read-modify-write of the file under its lock.

    After each write the ledger written is also ``view.ledger``, so what is planned next sees it.
    """

    view: LedgerView
    on_lock_wait: Callable[[str], None] | None = None  # told while this writer waits for another one

    @property
    def path(self) -> Path:
        """The ledger file this store writes."""
        return self.view.ledger_path

    def save_entry(self, slug: str, entry: LedgerEntry | None) -> None:
        """Replace (or, with None, drop) the ledger's entry for ``slug`` and save the ledger atomically.

        Every other entry stays as it is on disk now, also when another process wrote it after this one
        read the ledger (see :meth:`change`).
        """
        self.change(lambda ledger: ledger.with_entry(slug, entry))

    def update_entry(self, slug: str, **changes: Any) -> LedgerEntry:
        """Change some fields of ``slug``'s entry as it is on disk now, under the ledger's lock; the new entry.

        Each value replaces its field; a callable value gets the entry on disk and returns the field's
        new value (``pending=lambda entry: [...]``), so a change made meanwhile by another process to
        another field, or to the same list, is kept. ``RefusedError`` when the entry is gone.
        """
        updated: list[LedgerEntry] = []

        def change(ledger: Ledger) -> Ledger:
            entry = ledger.episodes.get(slug)
            if entry is None:
                raise RefusedError(f"{shown_path(self.path)}: the entry of episode {slug!r} is gone (moved or "
                                   f"deleted by another command meanwhile), so it was not updated")
            values = {name: value(entry) if callable(value) else value for name, value in changes.items()}
            updated.append(entry.model_copy(update=values))
            return ledger.with_entry(slug, updated[0])

        self.change(change)
        return updated[0]

    def change(self, change: Callable[[Ledger], Ledger]) -> Ledger:
        """Read-modify-write of the ledger under its lock: ``change`` gets the ledger as it is on disk now.

        The result is written atomically and becomes ``view.ledger``.
        """
        with ledger_lock(self.path, self.on_lock_wait):
            updated = change(load_ledger(self.path))
            save_ledger(self.path, updated)
        self.view.ledger = updated
        return updated
