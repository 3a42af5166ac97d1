"""Where each text that an episode sends to YouTube was written, so a problem is reported there.

A rendered description is made of the episode's text, the text of the episodes it links to,
the channel's text (``channel.yaml``) and the template's own words. :func:`description_places`
lists each with its file, line and field; :func:`tag_places` does the same for tags, and
:func:`reference_places` for the display text of the references an episode cites (inline
entries in the episode, the others in ``references.yaml``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

from ..files.load import LoadedEpisode, field_name
from ..models.episode import InlineReference, TypedCitation
from ..models.layout import LayoutPart
from ..models.text import has_forbidden
from ..paths import CHANNEL_FILE, LIBRARY_FILE, shown_path
from ..workspace import Workspace
from .cite import replaced_brackets
from .limits import Place
from .render import TEMPLATE_NAMES
from .resolve import ResolvedEpisode, cited_keys

Location = tuple[str | int, ...]
At = Callable[[str, Location], Place]  # a text at a location inside one entry -> its place
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


def episode_place(loaded: LoadedEpisode, text: str, *loc: str | int) -> Place:
    """A place in the episode file, at the field ``loc``, about ``text``."""
    return Place(loaded.shown, loaded.line_of(*loc), field_name(loaded.located(loc)), text)


def channel_place(ws: Workspace, text: str, *loc: str | int) -> Place:
    """A place in channel.yaml, at the field ``loc``, about ``text``."""
    doc = ws.channel_doc
    path = doc.path if doc is not None else CHANNEL_FILE
    return Place(path, doc.line_of(loc) if doc is not None else None, field_name(loc), text)


def description_places(ws: Workspace, resolved: ResolvedEpisode) -> list[Place]:
    """Every text that may be shown in ``resolved``'s description, at the place it was written."""
    loaded = resolved.episode
    model = loaded.model
    places = [episode_place(loaded, model.title, "title")]
    places += [episode_place(loaded, text, "summary", i) for i, text in enumerate(model.summary)]
    for i, (section, shown) in enumerate(zip(model.script, resolved.sections)):
        places.append(episode_place(loaded, section.heading, "script", i, "heading"))
        places.append(episode_place(loaded, shown.body, "script", i, "body"))  # with its cues
    places += [episode_place(loaded, c.title, "chapters", i, "title") for i, c in enumerate(model.chapters)]
    places += _video_places(ws, loaded)
    if model.disclaimer not in ("inherit", "none"):
        places.append(episode_place(loaded, model.disclaimer, "disclaimer"))
    places += _typed_places(loaded)
    language = getattr(loaded, "language", None)  # a localized episode shows the channel's text in its language
    return places + _channel_places(ws) + (_language_places(ws, language) if language else []) \
        + ws.memo("description template places", lambda: _template_places(ws))


def _typed_places(loaded: LoadedEpisode) -> list[Place]:
    """Text shown as typed: the typed lines of chapters, videos and citations, and the layout's own text."""
    model = loaded.model
    places = []
    for name, items in (("chapters", model.chapters), ("videos", model.videos), ("citations", model.citations)):
        places += [episode_place(loaded, item.typed, name, i, "typed") for i, item in enumerate(items)
                   if isinstance(item, TypedCitation) or getattr(item, "typed", None)]
    for i, item in enumerate(model.layout or ()):
        if isinstance(item, LayoutPart) and isinstance(item.value, str) and item.value:
            places.append(episode_place(loaded, item.value, "layout", i, item.kind))
    return places


def fallback_place(loaded: LoadedEpisode) -> Place:
    """Where a ``<`` that no known text explains is reported: the episode file itself."""
    return Place(loaded.shown, None, "", "")


def tag_places(ws: Workspace, loaded: LoadedEpisode) -> list[Place]:
    """The channel's tags in ``channel.yaml`` and the episode's own, each at its item's line."""
    return [
        *(channel_place(ws, tag, "tags", i) for i, tag in enumerate(ws.channel.tags)),
        *(episode_place(loaded, tag, "tags", i) for i, tag in enumerate(loaded.model.tags)),
    ]


def reference_places(ws: Workspace, loaded: LoadedEpisode) -> list[Place]:
    """Display text of the cited references whose ``<`` or ``>`` the references block changes."""
    inline = {e.id: i for i, e in enumerate(loaded.model.citations) if isinstance(e, InlineReference)}
    library = ws.library.root
    places = []
    for key, _ in cited_keys(loaded):
        if key in inline:
            entry = loaded.model.citations[inline[key]]
            assert isinstance(entry, InlineReference)
            at = _in_episode(loaded, ("citations", inline[key]))
            places += [at(text, loc) for loc, text in replaced_brackets(entry.to_csl(key))]
        elif key in library:
            at = _in_library(ws, key)
            places += [at(text, loc) for loc, text in _library_brackets(ws, key)]
    return places


def _library_brackets(ws: Workspace, key: str) -> list[tuple[Location, str]]:
    """``replaced_brackets`` of library entry ``key``, worked out once per workspace: the episodes
    citing an entry share it, so a channel of 1,000 episodes citing 300 entries looks at 300."""
    found: dict[str, tuple[object, list[tuple[Location, str]]]] = ws.memo("library brackets", dict)
    entry = ws.library.root[key]
    if key not in found or found[key][0] is not entry:  # a library read again is worked out again
        found[key] = (entry, list(replaced_brackets(entry.to_csl(key))))
    return found[key][1]


def _video_places(ws: Workspace, loaded: LoadedEpisode) -> list[Place]:
    places = []
    for i, video in enumerate(loaded.model.videos):
        if video.title:
            places.append(episode_place(loaded, video.title, "videos", i, "title"))
            continue
        linked = ws.catalog.get(video.episode or "")
        if isinstance(linked, LoadedEpisode):  # its title was written in its own file
            places.append(episode_place(linked, linked.model.title, "title"))
    return places


def _channel_places(ws: Workspace) -> list[Place]:
    channel = ws.channel
    places = [channel_place(ws, channel.name, "name")]
    if channel.disclaimer:
        places.append(channel_place(ws, channel.disclaimer, "disclaimer"))
    literals = [text for text, *_ in string.Formatter().parse(channel.schedule_line) if text]
    places += [channel_place(ws, text, "schedule_line") for text in literals]
    return places + [channel_place(ws, text, "headings", name)
                     for name, text in channel.headings.model_dump(exclude_none=True).items()]


def _language_places(ws: Workspace, language: str) -> list[Place]:
    """The channel's text in ``language`` (``languages:`` in ``channel.yaml``)."""
    own = ws.channel.languages.get(language)
    if own is None:
        return []
    at = ("languages", language)
    places = [channel_place(ws, own.disclaimer, *at, "disclaimer")] if isinstance(own.disclaimer, str) else []
    literals = [text for text, *_ in string.Formatter().parse(own.schedule_line or "") if text]
    places += [channel_place(ws, text, *at, "schedule_line") for text in literals]
    return places + [channel_place(ws, text, *at, "headings", name)
                     for name, text in own.headings.model_dump(exclude_none=True).items()]


def _template_places(ws: Workspace) -> list[Place]:
    """The channel's own description template: its words outside ``{{ }}``, ``{% %}`` and ``{# #}``.

    Read once per workspace (see :meth:`Workspace.memo`), not once per episode.
    """
    path = ws.templates_dir / TEMPLATE_NAMES["description"]
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    except (OSError, UnicodeDecodeError):
        return []
    shown = shown_path(path)
    places = []
    for number, line in enumerate(lines, start=1):
        words = _JINJA.sub(" ", line)
        if has_forbidden(words):
            places.append(Place(shown, number, "", words))
    return places


def _in_episode(loaded: LoadedEpisode, base: Location) -> At:
    def at(text: str, loc: Location) -> Place:
        return episode_place(loaded, text, *base, *loc)

    return at


def _in_library(ws: Workspace, key: str) -> At:
    doc = ws.library_doc
    path = doc.path if doc is not None else LIBRARY_FILE

    def at(text: str, loc: Location) -> Place:
        full = (key, *loc)
        return Place(path, doc.line_of(full) if doc is not None else None, field_name(full), text)

    return at
