"""Load: YAML files into validated models, every problem located at ``file:line``.

Validation collects all problems of a file at once (pydantic reports them
together) and turns each into ``path:line: field: message``, with a
"did you mean" hint for unknown keys.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, RootModel, ValidationError

from ..errors import ChannelError, EpisodeError, InputError, Problem, did_you_mean
from ..models import Channel, Episode, Reference, ReferenceLibrary
from ..models.episode import InlineReference, TypedCitation
from ..models.layout import LayoutPart
from ..models.reference import KEY_PATTERN
from ..models.slug import check_slug, episode_slug, suggest_slug
from ..paths import shown_path
from . import librarycache, yamlsource
from .yamlsource import (
    MAX_EPISODE_BYTES,
    YamlDocument,
    collector_paused,
    parse_yaml,
    read_text,
    read_yaml,
)

M = TypeVar("M", bound=BaseModel)
# pydantic's tags for the kinds of an item of these lists (a key, an entry or a typed citation; a block's
# name or a mapping), and the model a mapping of each tag is
_UNION_TAGS = {"citations": {"key", "entry", "typed"}, "layout": {"name", "part"}}
_TAGGED_MODELS: dict[str, type[BaseModel]] = {"entry": InlineReference, "typed": TypedCitation, "part": LayoutPart}


@dataclass(frozen=True)
class LoadedEpisode:
    """An episode file that passed model validation."""

    slug: str
    path: Path
    shown: str  # the path as messages show it
    doc: YamlDocument
    model: Episode

    def located(self, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
        """Where the model's field ``loc`` is written in the file (a localized episode's title is under
        ``localizations``)."""
        return loc

    def line_of(self, *loc: str | int) -> int | None:
        """The line of the field at ``loc`` in the episode file, or None."""
        return self.doc.line_of(self.located(loc))

    def problem(self, message: str, *loc: str | int, severity: str = "error") -> Problem:
        """A problem at the line of ``loc`` in this file."""
        where = self.located(loc)
        return Problem(self.shown, self.doc.line_of(where), field_name(where), message, severity)


def load_channel_source(path: Path) -> tuple[Channel, YamlDocument]:
    """``channel.yaml`` as a model, and its document (the line of each key)."""
    doc = read_yaml(path, shown_path(path))
    return validate(doc, Channel, ChannelError), doc


def load_library_source(path: Path) -> tuple[ReferenceLibrary, YamlDocument | None]:
    """The reference library and its document; ``None`` for the document when there is no file."""
    if not path.exists():
        return ReferenceLibrary({}), None
    shown = shown_path(path)
    text = read_text(path, shown, yamlsource.MAX_LIBRARY_BYTES)
    _library_size(text, shown)
    kept = librarycache.cached(path, text)  # the same text read before, by the same code: what it gave
    if kept is not None:
        library, lines = kept
        return library.located(shown, library.lines()), YamlDocument(shown, None, lines)
    library, doc = parse_library(text, shown)
    librarycache.keep(path, text, library, doc.lines)
    return library, doc


def parse_library(text: str, shown: str) -> tuple[ReferenceLibrary, YamlDocument]:
    """The library in ``text`` (as :func:`load_library_source` reads it, and as a writer checks what it
    would write): the size, the number of values, the YAML, every entry; ``ChannelError`` else."""
    _library_size(text, shown)
    with collector_paused():
        doc = parse_yaml(text, shown, yamlsource.MAX_LIBRARY_NODES)
        keys = {loc[0]: line for loc, line in doc.lines.items() if len(loc) == 1}
        library = validate(doc, ReferenceLibrary, ChannelError).located(doc.path, keys)
    return library, YamlDocument(doc.path, None, doc.lines)  # the lines; the data lives on in the models


def library_entries_of(text: str, shown: str) -> Iterator[tuple[str, Reference]]:
    """Each entry of the library in ``text``, validated one at a time and then let go: a writer's check of
    what it would write, in a fraction of the memory of :func:`parse_library`, which it calls (to say
    where) once anything is wrong. ``ChannelError`` as :func:`parse_library` raises it."""
    _library_size(text, shown)
    with collector_paused():
        try:
            data = parse_yaml(text, shown, yamlsource.MAX_LIBRARY_NODES, keep_lines=False).data
            while data:
                key, entry = data.popitem()
                yield _citation_key(key), Reference.model_validate(entry)
        except (ValueError, InputError):  # pydantic's ValidationError is a ValueError
            parse_library(text, shown)  # the same problems, at their lines
            raise


def _citation_key(key: Any) -> str:
    if not isinstance(key, str) or not re.fullmatch(KEY_PATTERN, key):
        raise ValueError(f"{key!r} is not a citation key")
    return key


def _library_size(text: str, shown: str) -> None:
    problem = library_too_big(text, shown)
    if problem is not None:
        raise ChannelError([problem])


def library_too_big(text: str, shown: str, new_entries: int | None = None) -> Problem | None:
    """The library's size limit (one place: ``yamlsource.MAX_LIBRARY_BYTES``), for the library as it is or,
    with ``new_entries``, as a writer would make it; None within it."""
    size, limit = len(text.encode("utf-8")), yamlsource.MAX_LIBRARY_BYTES
    if size <= limit:
        return None
    if new_entries is None:
        return Problem(shown, None, "", f"the library is {size:,} bytes; the limit is {limit:,} bytes "
                                        "(about 40,000 entries)")
    return Problem(shown, None, "", f"with {new_entries:,} new entries the library would be {size:,} bytes, "
                                    f"over its limit of {limit:,} bytes (about 40,000 entries); nothing was written")


def load_episode(path: Path, text: str | None = None) -> LoadedEpisode:
    """The episode file at ``path``, whose name (without ``.yaml``) is its slug; ``text``: what it says,
    already read (decoded, at most ``MAX_EPISODE_BYTES``)."""
    shown = shown_path(path)
    problems = file_name_problems(path, shown)
    try:
        doc = read_yaml(path, shown, MAX_EPISODE_BYTES) if text is None else parse_yaml(text, shown)
        model = validate(doc, Episode, EpisodeError)
    except InputError as exc:
        raise EpisodeError(problems + exc.problems) from None
    if problems:
        raise EpisodeError(problems)
    return LoadedEpisode(path.stem, path, shown, doc, model)


def file_name_problems(path: Path, shown: str) -> list[Problem]:
    """An episode file is ``<slug>.yaml``; anything else could not be linked or rendered safely."""
    slug = episode_slug(path.name)
    if slug is None:
        return [Problem(shown, None, "", "an episode file ends in .yaml")]
    message = check_slug(slug)
    if message is None:
        return []
    fixed = f"{suggest_slug(slug)}.yaml"
    if (path.parent / fixed).exists():
        advice = f"rename {path.name} to a free name ({fixed} exists already)"
    else:
        advice = f"rename {path.name} to {fixed}"
    return [Problem(shown, None, "", f"the file name is the episode's slug, and {message}; {advice}")]


def validate(doc: YamlDocument, model: type[M], error: type[InputError] = InputError) -> M:
    """``doc.data`` as ``model``; raise ``error`` listing every problem found.

    Where a text field got a value that YAML 1.1 read as a number, a date or yes/no
    (``tags: [no, on]``, ``title: 3.10``, ``at: 1:05``), it gets the text as written instead.
    """
    try:
        return _validated(model, doc.data)
    except ValidationError as exc:
        items = exc.errors()
    wanted_text = (_doc_loc(item) for item in items if item["type"] == "string_type")
    as_text = {loc: doc.written[loc] for loc in wanted_text if loc in doc.written}
    if as_text:
        try:
            return _validated(model, _with_values(doc.data, as_text))
        except ValidationError as exc:
            items = exc.errors()
    raise error([_problem(doc, model, item) for item in items])


def _validated(model: type[M], data: Any) -> M:
    return model(data) if issubclass(model, RootModel) else model.model_validate(data)


def _doc_loc(item: Any) -> tuple[Any, ...]:
    """Where a validation error is in the file: its location without pydantic's union tags (and without
    the ``[key]`` it adds after a mapping's key that is refused: the key's own line is the place)."""
    loc = _without_union_tags(tuple(item["loc"]))
    return loc[:-1] if loc and loc[-1] == "[key]" else loc


def _with_values(data: Any, values: dict[tuple[Any, ...], str], loc: tuple[Any, ...] = ()) -> Any:
    """A copy of ``data`` with the value at each location of ``values`` replaced."""
    if loc in values:
        return values[loc]
    if not any(where[: len(loc)] == loc for where in values):
        return data
    if isinstance(data, dict):
        return {key: _with_values(value, values, loc + (key,)) for key, value in data.items()}
    if isinstance(data, list):
        return [_with_values(value, values, loc + (i,)) for i, value in enumerate(data)]
    return data


def _problem(doc: YamlDocument, model: type[BaseModel], item: Any) -> Problem:
    loc = _doc_loc(item)
    line = doc.line_of(loc)
    kind = item["type"]
    if kind == "extra_forbidden":
        unknown = str(loc[-1])
        choices = _keys_at(model, tuple(item["loc"])[:-1])
        allowed = f"; allowed here: {', '.join(sorted(choices))}" if choices else ""
        message = f"unknown key {unknown!r}" + did_you_mean(unknown, choices, allowed)
        return Problem(doc.path, line, field_name(loc[:-1]), message)
    if kind == "missing":
        return Problem(doc.path, line, field_name(loc), "is required but missing")
    message = item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_type" and item.get("input", "") is None:  # `title:` with nothing after it
        return Problem(doc.path, line, field_name(loc), "is empty (nothing, ~ and null mean no value); write the text")
    if kind.endswith("_type") and "input" in item:
        message += f" (got {_describe(item['input'])})"
    return Problem(doc.path, line, field_name(loc), message)


def _without_union_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """``loc`` without the tag pydantic adds after ``citations, <index>`` (or ``layout, <index>``); a key
    named so stays."""
    return tuple(part for i, part in enumerate(loc) if not _is_union_tag(loc, i))


def _is_union_tag(loc: tuple[Any, ...], i: int) -> bool:
    return i >= 2 and isinstance(loc[i - 1], int) and loc[i] in _UNION_TAGS.get(loc[i - 2], ())


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The key names a mapping at ``loc`` inside ``model`` accepts."""
    current: Any = model
    keyed = False  # the part after a mapping field (``localizations``) is a key of it, not a field name
    for i, part in enumerate(loc):
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        if _is_union_tag(loc, i):  # the kind of item pydantic tried: its own model
            current = _TAGGED_MODELS.get(part)
            continue
        if isinstance(current, type) and issubclass(current, RootModel):
            current = _model_in(current.model_fields["root"].annotation, skip_keys=True)
            continue
        fields = current.model_fields
        match = next((f for n, f in fields.items() if part in (n, f.alias)), None)
        if match is None:
            return []
        keyed = typing.get_origin(match.annotation) is dict
        current = _model_in(match.annotation)
        if current is None:
            return []
    if current is None or not isinstance(current, type):
        return []
    return [field.alias or name for name, field in current.model_fields.items()]


def _model_in(annotation: Any, skip_keys: bool = False) -> type[BaseModel] | None:
    """The first pydantic model inside a type such as ``list[X] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    args = typing.get_args(annotation)
    if skip_keys and typing.get_origin(annotation) is dict:
        args = args[1:]
    for arg in args:
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def field_name(loc: tuple[Any, ...]) -> str:
    """A location as messages name the field: ``script[0].body``."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r:.40}"


__all__ = [
    "LoadedEpisode",
    "load_channel_source",
    "load_episode",
    "load_library_source",
    "parse_library",
    "validate",
    "field_name",
]
