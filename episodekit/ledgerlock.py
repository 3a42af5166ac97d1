"""The ledger's lock: one writer of ``published.yaml`` at a time, across processes.

Every read-modify-write of the ledger holds a ``filelock`` on ``.published.lock`` next to it; who holds it
is written to ``.published.lock.holder``, so a writer that has to wait can say for whom. filelock is
imported by the commands that write the ledger, not by ``check`` or ``preview``.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import write_text_atomic
from .errors import OutputError, RefusedError, UsageError, program_name
from .files.load import shown_path

if TYPE_CHECKING:
    from filelock import FileLock

LOCK_FILE = ".published.lock"  # held by the one process writing the ledger (never committed)
LOCK_HOLDER_FILE = ".published.lock.holder"  # who holds it: pid, host, command, since when
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another one before it gives up
LOCK_TIMEOUT_ENV = "EPISODEKIT_LOCK_TIMEOUT"


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
