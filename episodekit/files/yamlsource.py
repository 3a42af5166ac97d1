"""Read one YAML file safely, keeping the line of every key.

Plain ``yaml.safe_load`` is not enough for user files: it keeps the last of two
duplicate keys without a word, loses line numbers, and expands alias bombs.
Here the parser's events are built into plain Python values by a small walker
(``yamlbuild``, which never holds the node graph ``yaml.compose`` would make) that

* allows only YAML's standard tags, so ``!!python/object`` is refused, never run;
* reports a duplicate key at both lines;
* stops after a fixed number of expanded nodes, so an alias bomb costs nothing;
* stops at a fixed nesting depth (merges and aliases counted), so no input recurses without end;
* names the line of a character YAML does not allow (a NUL byte, a control character);
* records ``path tuple -> line`` for every key and list item;
* records the text of every unquoted value that YAML 1.1 turned into something
  else than a string (``no`` -> False, ``1:05`` -> 65, ``3.10`` -> 3.1), so a text
  field can take the words as written (see ``files.load.validate``);
* keeps an unquoted value shaped like a YAML 1.1 timestamp that is no real date or
  time (``2026-02-30``, ``2026-02-03T25:00:00Z``) as its text, so a text field takes
  it and a date field says what is wrong with it.

Every failure is an :class:`~episodekit.errors.InputError` carrying one
:class:`~episodekit.errors.Problem` that names the file (and line when known).
"""

from __future__ import annotations

import gc
import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem
from .yamlbuild import MAX_DEPTH, Builder, too_deep  # noqa: F401  (MAX_DEPTH: read here by tests and callers)

MAX_FILE_BYTES = 512 * 1024  # about a thousand references; keeps the worst case near 1 s
MAX_EPISODE_BYTES = 256 * 1024  # an episode is a few KiB; this keeps rejection fast
MAX_DESCRIPTION_BYTES = 64 * 1024  # `import --from-file`: a YouTube description is at most 5,000 bytes
MAX_NODES = 200_000
# references.yaml: a Zotero library of 10,000 items is about 6 MB and 520,000 values as the library writes
# it (benchmarks/RESULTS.md); these limits hold about 40,000 such entries, read in about 15 s
MAX_LIBRARY_BYTES = 24 * 1024 * 1024
MAX_LIBRARY_NODES = 2_500_000
log = logging.getLogger(__name__)

try:  # libyaml parses ~10x faster; the pure-Python loader gives the same nodes
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Location = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """The data of one YAML file and the line where each part of it starts."""

    path: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)
    written: dict[Location, str] = field(default_factory=dict)  # unquoted non-strings, as written

    def line_of(self, loc: Location) -> int | None:
        """Line of ``loc``, or of its nearest enclosing key when it is missing."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def read_yaml(path: Path, display: str | None = None, max_bytes: int = MAX_FILE_BYTES,
              max_nodes: int = MAX_NODES) -> YamlDocument:
    """Parse ``path`` into a :class:`YamlDocument`; raise ``InputError`` on any bad input."""
    shown = display or str(path)
    return parse_yaml(read_text(path, shown, max_bytes), shown, max_nodes)


def is_blank(text: str) -> bool:
    """Whether ``text`` holds nothing but blank lines and comments (a YAML file that says nothing)."""
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a large file becomes objects, then as it was.

    Reading a library of 10,000 entries makes a million objects that all live on; the collector
    walks them again and again as they are made (8 of the 10 s it takes to read it). They hold no
    cycles, so reference counting frees them all the same.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def parse_yaml(text: str, shown: str, max_nodes: int = MAX_NODES, *, keep_lines: bool = True) -> YamlDocument:
    """Parse the text of the file ``shown`` (as :func:`read_text` gave it); ``InputError`` on any bad input.
    Without ``keep_lines`` the document knows no line but the one of a problem (a writer's check of a
    large library, which needs a line only when it fails and then reads it again with them)."""
    with collector_paused():
        return _parse_yaml(text, shown, max_nodes, keep_lines)


def _parse_yaml(text: str, shown: str, max_nodes: int, keep_lines: bool) -> YamlDocument:
    if is_blank(text):
        raise _error(shown, None, "the file is empty; expected a mapping of keys to values")
    _refuse_tab_indentation(text, shown)
    builder = Builder(shown, max_nodes, keep_lines)
    loader = None
    try:  # the parser's events as ``yaml.parse`` yields them, without a generator's step at each
        loader = _Loader(text)  # the pure-Python one reads the text (and refuses a NUL) here
        data = builder.document(iter(loader.get_event, None))
    except yaml.reader.ReaderError as exc:
        raise _character_error(shown, text, exc) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "nesting depth" in str(exc.problem):  # libyaml's own limit, far beyond ours
            raise _error(shown, line, too_deep()) from None
        raise _error(shown, line, f"YAML syntax error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise _error(shown, None, f"YAML syntax error: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        raise _error(shown, None, "the file is empty; expected a mapping of keys to values")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r:.40})"
        raise _error(shown, builder.lines.get((), None), f"expected a mapping of keys to values, found {kind}")
    return YamlDocument(shown, data, builder.lines, builder.written)


def read_text(path: Path, shown: str, max_bytes: int = MAX_FILE_BYTES, kind: str = "a YAML file") -> str:
    """The UTF-8 text of ``path`` (``kind`` of file), read once and at most ``max_bytes`` of it;
    ``InputError`` else.

    The size a file says it has is not trusted (``/dev/zero`` says 0, a growing file more than it
    had): at most ``max_bytes + 1`` bytes are ever read. Only a regular file is read: a FIFO, a
    device or a socket is refused before it is opened, so nothing waits for a writer.
    """
    raw = _read_capped(path, shown, max_bytes, kind)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(shown, *not_utf8(raw, exc)) from None


def _read_capped(path: Path, shown: str, max_bytes: int, kind: str) -> bytes:
    try:
        _refuse_special(os.stat(path).st_mode, shown, kind)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            facts = os.fstat(handle.fileno())
            _refuse_special(facts.st_mode, shown, kind)  # swapped for something else after the stat
            if facts.st_size > max_bytes:
                raise _too_big(shown, f"{facts.st_size:,} bytes", max_bytes)
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise _error(shown, None, "no such file") from None
    except IsADirectoryError:
        raise _error(shown, None, f"is a folder, not {kind}") from None
    except OSError as exc:
        raise _error(shown, None, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:  # it said it was smaller (a file still growing, a special file system)
        raise _too_big(shown, f"more than {max_bytes:,} bytes", max_bytes)
    log.debug("read %s (%d bytes)", shown, len(raw))
    return raw


def _too_big(shown: str, size: str, max_bytes: int) -> InputError:
    return _error(shown, None, f"the file is {size}; the limit is {max_bytes:,} bytes")


def _refuse_special(mode: int, shown: str, kind: str) -> None:
    """Refuse anything but a regular file: a folder, a FIFO, a device, a socket."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise _error(shown, None, f"is a folder, not {kind}")
    what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a special file")
    raise _error(shown, None, f"is {what}, not {kind}; save the data to a regular file and give that")


def not_utf8(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, str]:
    """The line of the byte ``raw`` cannot be decoded at, and what to do about it."""
    line = raw[: exc.start].count(b"\n") + 1
    return line, f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"


def _character_error(shown: str, text: str, exc: yaml.reader.ReaderError) -> InputError:
    """A character YAML does not allow (a NUL byte, a control character), at its line."""
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    index = text.find(character)
    line = text.count("\n", 0, index) + 1 if index >= 0 else None
    name = "NUL" if character == "\0" else "a control character"
    return _error(
        shown, line,
        f"contains the character U+{ord(character):04X} ({name}), which a YAML file may not contain; "
        "remove it",
    )


def _refuse_tab_indentation(text: str, shown: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            raise _error(shown, number, "a tab is used for indentation; YAML needs spaces")


def _error(shown: str, line: int | None, message: str) -> InputError:
    return InputError([Problem(shown, line, "", message)])
