"""Read one YAML file safely, keeping the line of every key.

Plain ``yaml.safe_load`` is not enough for user files: it keeps the last of two
duplicate keys without a word, loses line numbers, and expands alias bombs.
Here the file is *composed* (parsed into nodes, aliases still shared) and then
built into plain Python values by a small walker that

* allows only YAML's standard tags, so ``!!python/object`` is refused, never run;
* reports a duplicate key at both lines;
* stops after a fixed number of expanded nodes, so an alias bomb costs nothing;
* stops at a fixed nesting depth (merges and aliases counted), so no input recurses without end;
* names the line of a character YAML does not allow (a NUL byte, a control character);
* records ``path tuple -> line`` for every key and list item;
* records the text of every unquoted value that YAML 1.1 turned into something
  else than a string (``no`` -> False, ``1:05`` -> 65, ``3.10`` -> 3.1), so a text
  field can take the words as written (see ``pipeline.load.validate``);
* keeps an unquoted value shaped like a YAML 1.1 timestamp that is no real date or
  time (``2026-02-30``, ``2026-02-03T25:00:00Z``) as its text, so a text field takes
  it and a date field says what is wrong with it.

Every failure is an :class:`~episodekit.errors.InputError` carrying one
:class:`~episodekit.errors.Problem` that names the file (and line when known).
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem

MAX_FILE_BYTES = 512 * 1024  # about a thousand references; keeps the worst case near 1 s
MAX_EPISODE_BYTES = 256 * 1024  # an episode is a few KiB; this keeps rejection fast
MAX_DESCRIPTION_BYTES = 64 * 1024  # `import --from-file`: a YouTube description is at most 5,000 bytes
MAX_NODES = 200_000
MAX_DEPTH = 50  # collections inside collections; an episode file needs about 6
log = logging.getLogger(__name__)

try:  # libyaml parses ~10x faster; the pure-Python loader gives the same nodes
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge", "binary")
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
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


def read_yaml(path: Path, display: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> YamlDocument:
    """Parse ``path`` into a :class:`YamlDocument`; raise ``InputError`` on any bad input."""
    shown = display or str(path)
    return parse_yaml(read_text(path, shown, max_bytes), shown)


def is_blank(text: str) -> bool:
    """Whether ``text`` holds nothing but blank lines and comments (a YAML file that says nothing)."""
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def parse_yaml(text: str, shown: str) -> YamlDocument:
    """Parse the text of the file ``shown`` (as :func:`read_text` gave it); ``InputError`` on any bad input."""
    if is_blank(text):
        raise _error(shown, None, "the file is empty; expected a mapping of keys to values")
    _refuse_tab_indentation(text, shown)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        raise _character_error(shown, text, exc) from None
    except RecursionError:  # the pure-Python composer recurses once per level
        raise _error(shown, _line_too_deep(text), _too_deep()) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "nesting depth" in str(exc.problem):  # libyaml's own limit, far beyond ours
            raise _error(shown, line, _too_deep()) from None
        raise _error(shown, line, f"YAML syntax error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise _error(shown, None, f"YAML syntax error: {exc}") from None
    if node is None:
        raise _error(shown, None, "the file is empty; expected a mapping of keys to values")
    builder = _Builder(shown)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r:.40})"
        raise _error(shown, node.start_mark.line + 1, f"expected a mapping of keys to values, found {kind}")
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


def _too_deep() -> str:
    return f"the data is nested more than {MAX_DEPTH} levels deep (merges and aliases included); flatten it"


def _line_too_deep(text: str) -> int | None:
    """Line of the first collection deeper than ``MAX_DEPTH``, found from the event stream."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _refuse_tab_indentation(text: str, shown: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            raise _error(shown, number, "a tab is used for indentation; YAML needs spaces")


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording lines."""

    def __init__(self, shown: str):
        self.shown = shown
        self.lines: dict[Location, int] = {}
        self.written: dict[Location, str] = {}
        self.count = 0
        self.depth = 0
        self.scalars = yaml.SafeLoader("")  # only used to construct standard scalars

    def build(self, node: yaml.Node, loc: Location) -> Any:
        if not isinstance(node, yaml.CollectionNode):
            return self._node(node, loc)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _error(self.shown, node.start_mark.line + 1, _too_deep())
            return self._node(node, loc)
        finally:
            self.depth -= 1

    def _node(self, node: yaml.Node, loc: Location) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _error(
                self.shown, node.start_mark.line + 1,
                f"the document expands to more than {MAX_NODES:,} values (an alias bomb?)",
            )
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if node.tag not in _STANDARD_TAGS:
            raise _error(
                self.shown, node.start_mark.line + 1,
                f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        value = self._scalar(node)
        if not node.style and value is not None and not isinstance(value, str):  # plain: None or ""
            self.written[loc] = node.value
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Location) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen: dict[Any, int] = {}
        merged: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.update(self._merge_sources(value_node, loc))
                continue
            key = self._key(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _error(
                    self.shown, line, f"duplicate key {key!r} (first at line {seen[key]}); remove one"
                )
            seen[key] = line
            self.lines[loc + (key,)] = line
            result[key] = self.build(value_node, loc + (key,))
        return {**merged, **result}

    def _key(self, node: yaml.Node) -> Any:
        if node.tag not in _STANDARD_TAGS:
            raise _error(self.shown, node.start_mark.line + 1, f"the YAML tag {node.tag} is not allowed")
        if not isinstance(node, yaml.ScalarNode):
            raise _error(self.shown, node.start_mark.line + 1, "a key must be a plain value")
        self.count += 1
        key = self._scalar(node)
        # every key of a channel file is a name: `no:` or `2008:` means the word as written
        return node.value if not node.style and not isinstance(key, str) else key

    def _scalar(self, node: yaml.Node) -> Any:
        """The value of a scalar node; an unquoted date that does not exist (``2026-02-30``) is its text."""
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value  # what SafeConstructor gives a string, without its dispatch (most values)
        try:
            return self.scalars.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise _error(self.shown, node.start_mark.line + 1, f"bad value: {exc}") from None
        except (ValueError, OverflowError) as exc:  # datetime() refused the parts of a timestamp
            if not node.style and isinstance(node, yaml.ScalarNode):
                return node.value  # a text field takes it as written; a date field says it is no date
            raise _error(self.shown, node.start_mark.line + 1, f"{node.value!r} is not a real date: {exc}") from None

    def _merge_sources(self, node: yaml.Node, loc: Location) -> dict[Any, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[Any, Any] = {}
        for source in reversed(sources):
            value = self.build(source, loc)
            if not isinstance(value, dict):
                raise _error(self.shown, source.start_mark.line + 1, "'<<' must merge a mapping")
            merged.update(value)
        return merged


def _error(shown: str, line: int | None, message: str) -> InputError:
    return InputError([Problem(shown, line, "", message)])
