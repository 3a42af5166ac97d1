"""YAML's events built into plain Python values, with the line of every key (``yamlsource`` reads through it).

The builder walks the parser's event stream (libyaml's when PyYAML has it) once, and never holds
the node graph that ``yaml.compose`` would build first: a library of 10,000 entries took 200 MB as
nodes alone, here only the values it becomes. The rules are ``yamlsource``'s: standard tags only,
a duplicate key at both lines, at most ``max_nodes`` values (an alias counts every value it
repeats, so an alias bomb stops early), at most ``MAX_DEPTH`` levels (merges and aliases counted),
one document; every failure is an ``InputError`` at its line. An alias gives a copy of its anchor's
value, with the lines (and the words as written) of everything under it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import InputError, Problem

MAX_DEPTH = 50  # collections inside collections; an episode file needs about 6
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge", "binary")
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_IMPLICIT = {yaml.MappingStartEvent: yaml.MappingNode, yaml.SequenceStartEvent: yaml.SequenceNode}
Location = tuple[Any, ...]


def too_deep() -> str:
    """The message for data nested past the depth limit."""
    return f"the data is nested more than {MAX_DEPTH} levels deep (merges and aliases included); flatten it"


@dataclass
class _Anchored:
    value: Any
    line: int
    count: int  # values it holds, counted again at each alias
    depth: int  # levels it holds
    lines: list[tuple[Location, int]]  # under it, relative to where it is
    written: list[tuple[Location, str]]


class Builder:
    """One document's events as values; ``lines`` and ``written`` as ``yamlsource.YamlDocument`` keeps them."""

    def __init__(self, shown: str, max_nodes: int, keep_lines: bool = True):
        self.shown, self.max_nodes, self.keep_lines = shown, max_nodes, keep_lines
        self.lines: dict[Location, int] = {}
        self.written: dict[Location, str] = {}
        self.count = self.depth = self.deepest = 0
        self.anchors: dict[str, _Anchored] = {}
        self.open: dict[str, int] = {}  # anchors whose value is being built -> their line
        self._order: list[Location] = []  # keys of ``lines`` in the order they came
        self._written_order: list[Location] = []
        self.scalars = yaml.SafeLoader("")  # only used to construct standard scalars
        self.resolver = yaml.resolver.Resolver()
        # the first characters of a plain scalar that YAML 1.1 may read as something else than a string
        self._typed_first = frozenset(self.resolver.yaml_implicit_resolvers)
        self._key_tags: dict[tuple[str, tuple[bool, bool]], str] = {}  # keys repeat: "family", "title" ...
        self.events: Iterator[yaml.Event] = iter(())

    def document(self, events: Iterator[yaml.Event]) -> Any:
        """The value of the one document of ``events`` (the parser's), None for an empty stream."""
        self.events = events
        next(self.events)  # StreamStartEvent
        start = next(self.events)
        if isinstance(start, yaml.StreamEndEvent):
            return None
        value = self.value(next(self.events), ())
        next(self.events)  # DocumentEndEvent
        after = next(self.events)
        if not isinstance(after, yaml.StreamEndEvent):
            raise self.error(after, "YAML syntax error: expected a single document in the stream, "
                                    "but found another document (a second '---')")
        return value

    def error(self, event: yaml.Event, message: str) -> InputError:
        """An InputError at the event's line."""
        return InputError([Problem(self.shown, event.start_mark.line + 1, "", message)])

    def value(self, event: yaml.Event, loc: Location) -> Any:
        """The value that starts at ``event``, its nodes counted and its lines kept."""
        kind = type(event)
        if kind is yaml.AliasEvent:
            return self._alias(event, loc)
        self.count += 1
        if self.count > self.max_nodes:
            self._counted(event, 0)
        if self.keep_lines and loc not in self.lines:
            self._line(loc, event.start_mark.line + 1)
        anchor = self._open(event) if event.anchor is not None else None
        if kind is yaml.ScalarEvent:
            if event.tag is None and event.style:  # quoted: a string as written (most values of a library)
                result = event.value
            else:
                result = self._scalar_value(event, loc)
        else:
            result = self._collection(event, loc)
        if anchor is not None:
            self._close(*anchor, loc, result)
        return result

    def _counted(self, event: yaml.Event, times: int = 1) -> None:
        self.count += times
        if self.count > self.max_nodes:
            raise self.error(event, f"the document expands to more than {self.max_nodes:,} values (an alias bomb?)")

    def _line(self, loc: Location, line: int) -> None:
        if self.keep_lines and loc not in self.lines:
            self.lines[loc] = line
            self._order.append(loc)

    def _collection(self, event: yaml.Event, loc: Location) -> Any:
        kind = _IMPLICIT.get(type(event))
        if kind is None:
            raise self.error(event, "YAML syntax error: expected a value")
        tag = self.resolver.resolve(kind, None, event.implicit) if event.tag in (None, "!") else event.tag
        self._refuse_tag(event, tag)
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        try:
            if self.depth > MAX_DEPTH:
                raise self.error(event, too_deep())
            return self._mapping(loc) if kind is yaml.MappingNode else self._sequence(loc)
        finally:
            self.depth -= 1

    def _refuse_tag(self, event: yaml.Event, tag: str, key: bool = False) -> None:
        if tag not in _STANDARD_TAGS:
            shown = tag if key else tag.replace("tag:yaml.org,2002:", "!!")
            raise self.error(event, f"the YAML tag {shown} is not allowed")

    def _sequence(self, loc: Location) -> list[Any]:
        items: list[Any] = []
        for event in self.events:
            if isinstance(event, yaml.SequenceEndEvent):
                return items
            items.append(self.value(event, loc + (len(items),)))
        return items

    def _mapping(self, loc: Location) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen: dict[Any, int] = {}
        merged: dict[Any, Any] = {}
        for event in self.events:
            kind = type(event)
            if kind is yaml.MappingEndEvent:
                break
            if kind is yaml.ScalarEvent and event.value == "<<" and self._is_merge(event):
                merged.update(self._merge_sources(next(self.events), loc))
                continue
            key, line = self._key(event), event.start_mark.line + 1
            if key in seen:
                raise self.error(event, f"duplicate key {key!r} (first at line {seen[key]}); remove one")
            seen[key] = line
            where = loc + (key,)
            if self.keep_lines:
                if where not in self.lines:
                    self._order.append(where)
                self.lines[where] = line
            result[key] = self.value(next(self.events), where)
        return {**merged, **result} if merged else result

    def _is_merge(self, event: yaml.Event) -> bool:
        return (isinstance(event, yaml.ScalarEvent) and event.tag in (None, "!") and event.value == "<<"
                and self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit) == _MERGE_TAG)

    def _merge_sources(self, event: yaml.Event, loc: Location) -> dict[Any, Any]:
        """What ``<<`` merges: a mapping, or each mapping of a list (the first wins), its keys at ``loc``."""
        sources: list[Any] = []
        written: list[list[tuple[Location, str]]] = []  # each one's words as written: the one that wins keeps its own

        def source(item: yaml.Event) -> None:
            start = len(self._written_order)
            sources.append(self.value(item, loc))
            written.append([(where, self.written[where]) for where in self._written_order[start:]])

        if isinstance(event, yaml.SequenceStartEvent):
            for item in self.events:
                if isinstance(item, yaml.SequenceEndEvent):
                    break
                source(item)
        else:
            source(event)
        merged: dict[Any, Any] = {}
        for source, words in zip(reversed(sources), reversed(written)):
            if not isinstance(source, dict):
                raise self.error(event, "'<<' must merge a mapping")
            merged.update(source)
            self.written.update(words)
        return merged

    def _key(self, event: yaml.Event) -> Any:
        if type(event) is yaml.ScalarEvent and event.tag is None and event.anchor is None and (
                self._key_tags.get((event.value, event.implicit)) == _STR_TAG):  # a name, as most keys are
            self._counted(event)
            return event.value
        if isinstance(event, yaml.AliasEvent):
            anchored = self.anchors.get(event.anchor)
            if anchored is None or isinstance(anchored.value, (dict, list)):
                raise self.error(event, "a key must be a plain value")
            self._counted(event)
            return anchored.value
        if not isinstance(event, yaml.ScalarEvent):
            raise self.error(event, "a key must be a plain value")
        known = (event.value, event.implicit)
        tag = self._key_tags.get(known) if event.tag is None else None
        if tag is None:
            tag = self._tag(event)
            if event.tag is None and len(self._key_tags) < 10_000:
                self._key_tags[known] = tag
        self._refuse_tag(event, tag, key=True)
        self._counted(event)
        anchor = self._open(event)
        key = self._scalar(event, tag)
        # every key of a channel file is a name: `no:` or `2008:` means the word as written
        key = event.value if not event.style and not isinstance(key, str) else key
        if anchor is not None:
            self._close(*anchor, (), key)
        return key

    def _tag(self, event: yaml.ScalarEvent) -> str:
        if event.tag in (None, "!"):
            if event.implicit[0] and event.value[:1] not in self._typed_first:  # no implicit type starts so
                return _STR_TAG
            return self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        return event.tag

    def _scalar_value(self, event: yaml.ScalarEvent, loc: Location) -> Any:
        tag = self._tag(event)
        self._refuse_tag(event, tag)
        value = self._scalar(event, tag)
        if not event.style and value is not None and not isinstance(value, str):  # plain: None or ""
            self.written[loc] = event.value
            self._written_order.append(loc)
        return value

    def _scalar(self, event: yaml.ScalarEvent, tag: str) -> Any:
        """The value of a scalar; an unquoted date that does not exist (``2026-02-30``) is its text."""
        if tag == _STR_TAG:
            return event.value  # what SafeConstructor gives a string, without its dispatch (most values)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.scalars.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.error(event, f"bad value: {exc}") from None
        except (ValueError, OverflowError) as exc:  # datetime() refused the parts of a timestamp
            if not event.style:
                return event.value  # a text field takes it as written; a date field says it is no date
            raise self.error(event, f"{event.value!r} is not a real date: {exc}") from None

    # --- anchors and aliases --------------------------------------------------------------------

    def _open(self, event: yaml.Event) -> tuple[str, int, int, int, int, int] | None:
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            return None
        if anchor in self.anchors or anchor in self.open:
            first = self.anchors[anchor].line if anchor in self.anchors else self.open[anchor]
            raise self.error(event, f"YAML syntax error: found duplicate anchor {anchor!r} (first at line {first})")
        self.open[anchor] = event.start_mark.line + 1
        state = (anchor, self.count, self.deepest, self.depth, len(self._order), len(self._written_order))
        self.deepest = self.depth
        return state

    def _close(self, anchor: str, count: int, deepest: int, depth: int, lines_from: int, written_from: int,
               loc: Location, value: Any) -> None:
        size = len(loc)
        lines = [(where[size:], self.lines[where]) for where in self._order[lines_from:] if where[:size] == loc]
        written = [(where[size:], self.written[where]) for where in self._written_order[written_from:]
                   if where[:size] == loc and where in self.written]
        self.anchors[anchor] = _Anchored(value, self.open[anchor], self.count - count, self.deepest - depth, lines, written)
        self.deepest = max(deepest, self.deepest)
        del self.open[anchor]

    def _alias(self, event: yaml.AliasEvent, loc: Location) -> Any:
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            if event.anchor in self.open:  # an alias inside what it names: it would never end
                raise self.error(event, too_deep())
            raise self.error(event, f"YAML syntax error: found undefined alias {event.anchor!r}")
        self._counted(event, max(anchored.count, 1))
        if self.depth + anchored.depth > MAX_DEPTH:
            raise self.error(event, too_deep())
        self.deepest = max(self.deepest, self.depth + anchored.depth)
        self._line(loc, event.start_mark.line + 1)
        for where, line in anchored.lines:
            self._line(loc + where, line)
        for where, text in anchored.written:
            self.written[loc + where] = text
            self._written_order.append(loc + where)
        return copy.deepcopy(anchored.value) if isinstance(anchored.value, (dict, list)) else anchored.value
