"""Atomic file writes: a reader sees the old file or the new one, never half of either.

The text goes to a hidden temporary file in the same folder, ``.<name>.<pid>-<random>.tmp``,
which then replaces the target by a rename. The new file gets the mode of the file it
replaces, or for a new file the mode the umask gives (0644 under umask 022); a secret passes
``mode=0o600``, which it has from the moment it exists. ``durable`` writes (the ledger,
backups, tokens) are flushed to the disk and so is the folder after the rename, so they
survive a power cut; a file that can be made again (a build output) may skip both.
The process id in the temporary name tells a temporary file left by a killed run
(:func:`remove_stale_temps`) from one another process is writing now.

A file the user keeps and episodekit edits in place (``references.yaml``, ``channel.yaml``,
``published.yaml``) may be a symbolic link, e.g. to a library shared between channels: written
``through_links``, the new text replaces the file the link names, atomically in that file's folder,
and the link stays. Anything else (a build output) is replaced by a file of its own, as a rename does.
"""

from __future__ import annotations

import glob
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

_NEW_FILE = 0o666  # what the umask takes bits away from, like any program creating a file


def write_text_atomic(path: Path, text: str, mode: int | None = None, *, durable: bool = True,
                      through_links: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder and a rename;
    with ``through_links``, to the file a symbolic link at ``path`` names (the link stays)."""
    if through_links:
        path = link_target(path)
    _write_atomic(path, text, mode, durable)


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` as :func:`write_text_atomic` writes a text (a cache file's bytes)."""
    _write_atomic(path, data, None, durable)


def _write_atomic(path: Path, data: str | bytes, mode: int | None, durable: bool) -> None:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    temp = _written_temp(path, data, mode, durable)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if durable:
        _fsync_folder(folder)


def write_texts_atomic(texts: Mapping[Path, str], *, durable: bool = True) -> None:
    """Write every one of ``texts`` (path -> text) or none: each goes to its temporary file first, and
    only once all of them are written are they renamed into place (a failure removes the temporary files)."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, text in texts.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temps.append((_written_temp(path, text, None, durable), path))
    except BaseException:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        raise
    for temp, path in temps:
        os.replace(temp, path)
    if durable:
        for folder in {path.parent for path in texts}:
            _fsync_folder(folder)


def link_target(path: Path) -> Path:
    """The file ``path`` names once every symbolic link on the way is followed (``path`` itself if it is none)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _written_temp(path: Path, text: str | bytes, mode: int | None, durable: bool) -> Path:
    """A temporary file beside ``path`` holding ``text`` (UTF-8, or bytes as they are), with the mode
    ``path`` has (or ``mode``)."""
    keep = _mode_of(path) if mode is None else mode
    temp, fd = _create_temp(path, _NEW_FILE if mode is None else 0o600)
    try:
        opened = os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        with opened as handle:
            if keep is not None:
                os.chmod(temp, keep)
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def write_failure(exc: OSError, target: Path, *, folder: bool = False) -> tuple[Path, str]:
    """Where and why writing ``target`` (a file, or with ``folder`` a folder) failed, for a message.

    ``(path, reason)``: a file standing where a folder should be, a folder where the file should
    be, or the system's reason (``cannot write: Permission denied``).
    """
    home = target if folder else target.parent
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        in_the_way = next((p for p in (home, *home.parents) if p.exists() and not p.is_dir()), None)
        if in_the_way is not None:
            return in_the_way, "is a file, not a folder"
    if not folder and target.is_dir():
        return target, "is a folder, not a file"
    return target, f"cannot write: {exc.strerror or exc}"


def temp_pattern(path: Path, pid: int | None = None) -> str:
    """The glob of the temporary files of ``path`` (of process ``pid`` only, when given)."""
    middle = f"{pid}-*" if pid is not None else "*"
    return f"{glob.escape(str(path.parent))}/.{glob.escape(path.name)}.{middle}.tmp"


def remove_own_temps(path: Path) -> None:
    """Remove the temporary files this process left for ``path`` (after an interrupt)."""
    for leftover in glob.glob(temp_pattern(path, os.getpid())):
        Path(leftover).unlink(missing_ok=True)


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` whose writer is gone (a run that was killed)."""
    removed = []
    for leftover in map(Path, glob.glob(temp_pattern(path))):
        writer = _writer_pid(leftover, path.name)
        if writer is not None and writer != os.getpid() and _alive(writer):
            continue
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


def _create_temp(path: Path, permissions: int) -> tuple[Path, int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    while True:
        temp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            return temp, os.open(temp, flags, permissions)
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue


def _mode_of(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; a system that cannot open a folder (Windows) skips it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse to fsync a folder
        pass
    finally:
        os.close(fd)


def _writer_pid(temp: Path, name: str) -> int | None:
    """The process id in ``.<name>.<pid>-<random>.tmp``; None for a name without one."""
    middle = temp.name[len(name) + 2:-len(".tmp")]
    pid, _, _ = middle.partition("-")
    return int(pid) if pid.isdigit() else None


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there: never treat a writer as gone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True
