"""``references.yaml`` changed in place: the user's comments, key order and formatting stay.

Only what changes is rewritten. A new entry is appended as text (:mod:`yamltext`), in the field
order and layout of the sample library. An entry that gets a field is edited through ruamel.yaml's
round-trip mode, which keeps what PyYAML's dump loses (comments, folded titles, flow-style authors,
quotes): the entry alone, its lines cut out of the file and put back, so a library of 10,000 entries
costs what one entry costs. When an entry cannot be cut out on its own (an alias to another entry, a
library written as one flow mapping), the whole file goes through the round trip instead.

Before anything is written, the new text is read back as every command reads the library
(``files.load.parse_library``: its size and number of values within the limits, every entry
valid) and compared with what the records made of each entry; a problem is reported at the record
it came from, never at a line of a file that was not written. The text is then written atomically,
through a symbolic link to the file it names (a library shared between channels stays shared).
"""

from __future__ import annotations

import bisect
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_text_atomic
from ..errors import InputError, Problem
from ..files.load import library_entries_of, library_too_big
from ..paths import shown_path
from .fields import FIELD_ORDER, entry_of
from .merge import ADDED, Merge
from .sources import Incoming
from .yamltext import NUMBERS, entry_text

HEADER = (
    "# yaml-language-server: $schema=schema/references.schema.json\n"
    "# The channel's reference library: cite an entry from any episode by its key.\n"
)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    handler = YAML()  # round-trip
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.width = 4096  # never re-wrap a line
    handler.preserve_quotes = True
    return handler


def round_trip_yaml() -> Any:
    """The writer this module edits the library with (indents, no re-wrapping, quotes kept), for other files."""
    return _yaml()


@dataclass
class _Applied:
    merge: Merge
    replace: bool
    record: Incoming | None


@dataclass
class LibraryFile:
    """The library's text as entries that can be added or changed, and written back."""

    path: Path
    lines: dict[str, int] = field(default_factory=dict)  # key -> its line in the file as read (to cut entries)
    original: str = ""
    _applied: list[_Applied] = field(default_factory=list)
    _pieces: dict[str, Any] | None = None  # key -> ruamel document of that entry alone; None: the whole file
    _whole: Any = None
    _new: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> the fields of a new entry
    _rows: list[str] = field(default_factory=list)  # the lines of the file as read
    _starts: list[int] = field(default_factory=list)  # the first line of each entry, in order

    def __post_init__(self) -> None:
        self.original = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        self._rows = self.original.splitlines(keepends=True)
        self._starts = sorted(self.lines.values())
        self._pieces = {} if self._cuttable() else None

    def apply(self, merge: Merge, replace: bool, record: Incoming | None = None) -> None:
        """Write what ``merge`` changes into the text (its conflicts only with ``replace``)."""
        self._applied.append(_Applied(merge, replace, record))
        if merge.key in self._new:
            self._new[merge.key] = merge.fields  # a paper twice in one file: its new entry gets it all
        elif merge.new:
            self._new[merge.key] = merge.fields
        elif merge.dropped or any(change.kind == ADDED or replace for change in merge.changes):
            self._edit(merge, replace)

    def text(self) -> str:
        """The library as it would be written."""
        body = self._edited()
        if not self._new:
            return body
        parts = [_opening(body)]
        parts += ["\n" + entry_text(key, fields) for key, fields in self._new.items()]
        parts[1] = parts[1][1:] if parts[0].endswith("\n\n") else parts[1]  # one blank line, not two
        return "".join(parts)

    def checked_text(self, expected: dict[str, dict[str, Any]]) -> str:
        """The library as it would be written, read back as every command reads it (:meth:`checked`). When
        entries edited alone do not read back (an anchor another entry's alias needs was in one), the
        whole file goes through the round trip instead."""
        text = self.text()
        if text == self.original:
            return text
        try:
            self.checked(text, expected)
        except (InputError, _Unfaithful):
            if not self._pieces:
                raise
            self._whole_file()
            text = self.text()
            self.checked(text, expected)
        return text

    def checked(self, text: str, expected: dict[str, dict[str, Any]]) -> None:
        """``InputError`` unless ``text`` reads back as the library every command reads, holding exactly the
        ``expected`` entries (key -> the entry as the model writes it); each problem at the record it
        came from."""
        shown = shown_path(self.path)
        too_big = library_too_big(text, shown, len(self._new))
        if too_big is not None:
            raise InputError([too_big])
        merged = dict(expected)
        try:
            for key, reference in library_entries_of(text, shown):
                fields = merged.pop(key, None)
                if fields is not None and entry_of(reference) != fields:
                    raise _Unfaithful(f"references.yaml would not hold {key} as merged (a bug in writing it)")
        except InputError as exc:
            raise InputError(self._placed(exc.problems, text)) from None
        if merged:
            raise _Unfaithful(f"references.yaml would not hold {', '.join(merged)} (a bug in writing it)")

    def write(self, text: str) -> bool:
        """Write ``text`` if it differs from the file (through a link to its target); whether it was written."""
        if text == self.original:
            return False
        write_text_atomic(self.path, text, through_links=True)
        return True

    # --- entries changed in place -------------------------------------------------------------------

    def _cuttable(self) -> bool:
        """Whether each entry starts on a line of its own, in the order of the file (block style)."""
        order = self._starts
        return bool(order) and len(set(order)) == len(order) and all(
            0 < line <= len(self._rows) and self._rows[line - 1][:1] not in ("", " ", "\t", "{", "#", "\n")
            for line in order)

    def _edit(self, merge: Merge, replace: bool) -> None:
        if self._pieces is not None:
            try:
                piece = self._pieces.get(merge.key) or self._cut(merge.key)
                _change(piece[merge.key], merge, replace)
                self._pieces[merge.key] = piece
                return
            except Exception:  # noqa: BLE001 - ruamel's errors for a piece that is not a document alone
                self._whole_file(but_the_last=True)
        _change(self._document()[merge.key], merge, replace)

    def _whole_file(self, but_the_last: bool = False) -> None:
        """Edit the whole file from now on, with every edit so far made again in it."""
        self._pieces = None
        for applied in self._applied[:-1] if but_the_last else self._applied:
            if applied.merge.key not in self._new and not applied.merge.new:
                _change(self._document()[applied.merge.key], applied.merge, applied.replace)

    def _cut(self, key: str) -> Any:
        start, end = self._span(key)
        piece = _yaml().load("".join(self._rows[start:end]))
        if list(piece) != [key]:
            raise ValueError(f"the lines of {key} are not that entry alone")
        return piece

    def _span(self, key: str) -> tuple[int, int]:
        """The lines of entry ``key``: from its own to the next entry's (comments after it included)."""
        start = self.lines[key] - 1
        after = bisect.bisect_right(self._starts, start + 1)
        return start, self._starts[after] - 1 if after < len(self._starts) else len(self._rows)

    def _document(self) -> Any:
        if self._whole is None:
            self._whole = _yaml().load(self.original)
        return self._whole

    def _edited(self) -> str:
        if self._whole is not None:
            return _dumped(self._whole)
        if not self._pieces:
            return self.original
        lines = list(self._rows)
        for key in sorted(self._pieces, key=lambda k: self.lines[k], reverse=True):
            start, end = self._span(key)
            lines[start:end] = [_dumped(self._pieces[key])]
        return "".join(lines)

    def _placed(self, problems: list[Problem], text: str) -> list[Problem]:
        """Problems of the text that was not written, each moved to the record whose entry it is in (a
        problem elsewhere is named without a line: that line was never written)."""
        records = {applied.merge.key: applied.record for applied in self._applied if applied.record is not None}
        starts: list[tuple[int, str]] = []
        if any(problem.line for problem in problems):
            for number, row in enumerate(text.splitlines(), 1):
                if row[:1] not in ("", " ", "\t", "#", "-") and ":" in row:
                    starts.append((number, row.split(":", 1)[0].strip("'\"")))
        placed = []
        for problem in problems:
            at = bisect.bisect_right(starts, (problem.line or 0, "\uffff")) - 1
            record = records.get(starts[at][1]) if problem.line and at >= 0 else None
            message = f"the library would not be valid with it: {problem}"
            placed.append(Problem(record.shown, record.line, "", message) if record else
                          Problem(problem.path, None, problem.field, f"{problem.message}; nothing was written"))
        return placed


class _Unfaithful(RuntimeError):
    """The text would not hold an entry as merged: a bug in writing it (the whole file is tried instead)."""


def _opening(body: str) -> str:
    """What new entries go after: the file (ending in a line break), or the header of a new library."""
    if not body:
        return HEADER
    return body if body.endswith("\n") else body + "\n"


def _dumped(document: Any) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


def _change(entry: Any, merge: Merge, replace: bool) -> None:
    for change in merge.changes:
        if change.kind != ADDED and not replace:
            continue
        _set(entry, change.field, merge.fields[change.field])
        if change.field == "author" and "authors-incomplete" in entry and not merge.fields.get("authors-incomplete"):
            _delete(entry, "authors-incomplete")
    for name in merge.dropped:  # marks the work's record settled
        if name in entry:
            _delete(entry, name)


def _set(entry: Any, name: str, value: Any) -> None:
    if name in entry:
        entry[name] = _node(name, value)
        return
    before = [other for other in FIELD_ORDER[: FIELD_ORDER.index(name)] if other in entry]
    position = list(entry).index(before[-1]) + 1 if before else 0
    last = list(entry)[-1] if len(entry) else None
    entry.insert(position, name, _node(name, value))
    if last is not None and position == len(entry) - 1:
        _move_trailing_comment(entry, last, name)  # the blank line after the entry stays after it


def _delete(entry: Any, name: str) -> None:
    keys = list(entry)
    if keys[-1] == name and len(keys) > 1:
        _move_trailing_comment(entry, name, keys[-2])
    del entry[name]


def _move_trailing_comment(entry: Any, source: str, target: str) -> None:
    comment = entry.ca.items.pop(source, None)
    if comment is not None:
        entry.ca.items[target] = comment


def _node(name: str, value: Any) -> Any:
    """``value`` as the sample library writes it: one flow-style line per author, numbers unquoted."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if name == "author":
        people = CommentedSeq()
        for person in value:
            shown = CommentedMap(person)
            shown.fa.set_flow_style()
            people.append(shown)
        return people
    if name == "issued" and isinstance(value, dict):
        date = CommentedMap({"date-parts": [list(value["date-parts"][0])]})
        date.fa.set_flow_style()
        return date
    if name in NUMBERS and isinstance(value, str) and value.isdigit() and not value.startswith("0"):
        return int(value)
    return value
