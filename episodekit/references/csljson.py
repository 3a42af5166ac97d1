"""The CSL-JSON reader of ``refs import``: Zotero's "CSL JSON" export, a list of items or one item.

The text is walked item by item (``json.JSONDecoder.raw_decode`` from where each starts), so an
item is decoded, checked and dropped before the next one is read, and each gets its line, counted
on from the one before (never from the start of the file again). A syntax error is reported at
its line and stops the walk, since nothing after it can be placed; an item that is no object,
nested deeper than any item is, or holds a number of thousands of digits is reported at its line
and the walk goes on, so one run lists every such item.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from .reading import Places, Problems, Raw

MAX_NUMBER_DIGITS = 20  # a longer integer stays text (and is then "not a year"); int() of 5,000 digits fails
_SPACE = re.compile(r"\s*")
_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')


def _number(text: str) -> int | str:
    return int(text) if len(text) <= MAX_NUMBER_DIGITS else text


_DECODER = json.JSONDecoder(parse_int=_number)


class _Lines:
    """The line of an offset of ``text``, for offsets that only grow: counted from the last one asked."""

    def __init__(self, text: str):
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        if offset >= self.offset:
            self.line += self.text.count("\n", self.offset, offset)
        else:
            self.line = self.text.count("\n", 0, offset) + 1
        self.offset = offset
        return self.line


def read_items(text: str, problems: Problems) -> Iterator[Raw]:
    """Each item of a CSL-JSON file with its line and the lines of its fields; problems go to ``problems``."""
    lines = _Lines(text)
    start = _SPACE.match(text).end()  # type: ignore[union-attr]
    first = text[start:start + 1]
    if first == "{":
        found = _one(text, start, lines, problems)
        if found is not None:
            _nothing_after(text, found[1], lines, problems, "the item")
            yield from _raw(found[0], text, start, found[1], lines, problems)
        return
    if first != "[":
        problems.add(1, "expected a CSL-JSON list of items ([{...}, ...]) or one item ({...})")
        return
    yield from _array(text, start, lines, problems)


def _array(text: str, start: int, lines: _Lines, problems: Problems) -> Iterator[Raw]:
    at = _SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
    if text[at:at + 1] == "]":
        problems.add(1, "the file has no items")
        _nothing_after(text, at + 1, lines, problems, "the list")
        return
    while True:
        found = _one(text, at, lines, problems)
        if found is None:
            return
        value, end = found
        yield from _raw(value, text, at, end, lines, problems)
        at = _SPACE.match(text, end).end()  # type: ignore[union-attr]
        mark = text[at:at + 1]
        if mark == "]":
            _nothing_after(text, at + 1, lines, problems, "the list")
            return
        if mark != ",":
            problems.add(lines.at(at), "not valid JSON: expected ',' or ']' after an item"
                         if mark else "not valid JSON: the list is not closed with ']'")
            return
        at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        if text[at:at + 1] == "]":
            problems.add(lines.at(at), "not valid JSON: a ',' before ']' (JSON allows no trailing comma)")
            return


def _one(text: str, at: int, lines: _Lines, problems: Problems) -> tuple[Any, int] | None:
    """The JSON value starting at ``at`` and where it ends; None (with the problem added) when it cannot be read."""
    try:
        return _DECODER.raw_decode(text, at)
    except json.JSONDecodeError as exc:
        problems.add(lines.at(exc.pos), f"not valid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        problems.add(lines.at(at), "the item is nested too deeply to read (thousands of levels); "
                                   "a CSL-JSON item needs four")
    return None


def _raw(value: Any, text: str, at: int, end: int, lines: _Lines, problems: Problems) -> Iterator[Raw]:
    line = lines.at(at)
    if not isinstance(value, dict):
        shown = "a list" if isinstance(value, list) else f"{type(value).__name__}"
        problems.add(line, f'expected an item ({{"title": ...}}), found {shown}')
        return
    yield Raw(line, value, _Places(text, at, end, line))


class _Places(Mapping[str, tuple[int, str]]):
    """The line of each key of the item written from ``at`` to ``end`` (a nested key counts when no outer
    one has its name); found only when a problem asks, so a good file costs nothing."""

    def __init__(self, text: str, at: int, end: int, line: int):
        self._where = (text, at, end, line)
        self._found: Places | None = None

    def _places(self) -> Places:
        if self._found is None:
            text, offset, end, line = self._where
            self._found = {}
            for match in _KEY.finditer(text, offset, end):
                line += text.count("\n", offset, match.start())
                offset = match.start()
                self._found.setdefault(match.group(1), (line, match.group(1)))
        return self._found

    def __getitem__(self, key: str) -> tuple[int, str]:
        return self._places()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._places())

    def __len__(self) -> int:
        return len(self._places())


def _nothing_after(text: str, at: int, lines: _Lines, problems: Problems, what: str) -> None:
    rest = _SPACE.match(text, at).end()  # type: ignore[union-attr]
    if rest < len(text):
        problems.add(lines.at(rest), f"not valid JSON: more text after {what} ends")
