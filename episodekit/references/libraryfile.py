"""``references.yaml`` changed in place: the user's comments, key order and formatting stay.

The file is edited through ruamel.yaml's round-trip mode, which keeps what PyYAML's dump
loses (comments, folded titles, flow-style authors, quotes). A new entry goes at the end, in
the field order of the sample library; an added field goes after the field that precedes it
in that order. The text is validated as the library is read everywhere else before it is
written, and written atomically: a reader sees the old library or the new one.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..atomic import write_text_atomic
from ..errors import ChannelError
from ..models import ReferenceLibrary
from ..pipeline.load import shown_path, validate
from ..pipeline.yamlsource import parse_yaml
from .fields import FIELD_ORDER
from .merge import Merge

HEADER = (
    "# yaml-language-server: $schema=schema/references.schema.json\n"
    "# The channel's reference library: cite an entry from any episode by its key.\n"
)
NUMBERS = ("volume", "issue", "PMID")  # written as YAML numbers when they are digits, as the sample does


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


class LibraryFile:
    """The library's text as a document that can be changed and written back."""

    def __init__(self, path: Path):
        self.path = path
        self._yaml = _yaml()
        self.original = path.read_text(encoding="utf-8") if path.exists() else ""
        self.doc = self._yaml.load(self.original) if self.original else _new_library()

    def apply(self, merge: Merge, replace: bool) -> None:
        """Write what ``merge`` changes into the document (its conflicts only with ``replace``)."""
        if merge.new:
            self._append(merge.key, merge.fields)
            return
        entry = self.doc[merge.key]
        for change in merge.changes:
            if change.kind != "added" and not replace:
                continue
            self._set(entry, change.field, merge.fields[change.field])
            if change.field == "author" and "authors-incomplete" in entry and not merge.fields.get("authors-incomplete"):
                self._delete(entry, "authors-incomplete")
        for name in merge.dropped:
            if name in entry:
                self._delete(entry, name)

    def text(self) -> str:
        out = io.StringIO()
        self._yaml.dump(self.doc, out)
        return out.getvalue()

    def write(self) -> bool:
        """Write the library if it changed (checked as every command reads it first); whether it was written."""
        text = self.text()
        if text == self.original:
            return False
        shown = shown_path(self.path)
        validate(parse_yaml(text, shown), ReferenceLibrary, ChannelError)
        write_text_atomic(self.path, text)
        return True

    def _append(self, key: str, fields: dict[str, Any]) -> None:
        from ruamel.yaml.comments import CommentedMap

        entry = CommentedMap()
        for name in FIELD_ORDER:
            if name in fields:
                entry[name] = _node(name, fields[name])
        self.doc[key] = entry
        if len(self.doc) > 1:
            self.doc.yaml_set_comment_before_after_key(key, before="\n")

    def _set(self, entry: Any, name: str, value: Any) -> None:
        if name in entry:
            entry[name] = _node(name, value)
            return
        before = [other for other in FIELD_ORDER[: FIELD_ORDER.index(name)] if other in entry]
        position = list(entry).index(before[-1]) + 1 if before else 0
        last = list(entry)[-1] if len(entry) else None
        entry.insert(position, name, _node(name, value))
        if last is not None and position == len(entry) - 1:
            _move_trailing_comment(entry, last, name)  # the blank line after the entry stays after it

    def _delete(self, entry: Any, name: str) -> None:
        keys = list(entry)
        if keys[-1] == name and len(keys) > 1:
            _move_trailing_comment(entry, name, keys[-2])
        del entry[name]


def _new_library() -> Any:
    from ruamel.yaml.comments import CommentedMap

    library = CommentedMap()
    library.yaml_set_start_comment(HEADER.replace("# ", "") + "\n")
    return library


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
