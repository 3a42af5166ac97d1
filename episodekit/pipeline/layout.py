"""What the description template lays out: the episode's blocks in order, and its references as shown.

The blocks come from the episode's ``layout`` (``models.layout``), or the channel's order without one.
A block with nothing to show (no chapters, no disclaimer ...) is left out with its blank line, so the
template never writes a heading over nothing. Each block says how many blank lines come before it:
one between two blocks, or what a ``blank lines: N`` item of the layout says.

The references are shown in the order of the style (numbered in citation order, or APA's sorted list),
each as the style writes it, except an entry the episode keeps as typed (``TypedCitation``): that one is
shown as typed, and while any entry is typed the block keeps the order they were typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models.episode import TypedCitation
from ..models.layout import BLANK_LINES, DEFAULT_LAYOUT, TEXT, LayoutPart, item_kind
from .resolve import ResolvedEpisode, cited_keys


@dataclass(frozen=True)
class Block:
    """One block of the description, as the template gets it."""

    block: str  # summary, chapters, videos, references, disclaimer, schedule or text
    heading: str | None  # the episode's own heading ("" for none); None: the template's
    text: str | None  # a text item's text, or the episode's own schedule sentence
    blank_lines: int  # blank lines before it (none before the first, unless the layout says so)


@dataclass(frozen=True)
class ShownReference:
    """One entry of the references block: the style's ``label`` and ``text``, or ``typed`` as typed."""

    id: str
    label: str
    text: str
    typed: str | None = None
    blank_line_after: bool = False


def typed_citations(resolved: ResolvedEpisode) -> dict[str, TypedCitation]:
    """The entries this episode shows as typed, by key."""
    return {c.key: c for c in resolved.episode.model.citations if isinstance(c, TypedCitation)}


def shown_references(resolved: ResolvedEpisode) -> list[ShownReference]:
    """The references block's entries, in the order shown (see the module's docstring)."""
    typed = typed_citations(resolved)
    entries = resolved.references.entries
    if typed:
        order = {key: n for n, (key, _) in enumerate(cited_keys(resolved.episode))}
        entries = sorted(entries, key=lambda entry: order.get(entry.id, len(order)))
    shown = []
    for entry in entries:
        mine = typed.get(entry.id)
        shown.append(ShownReference(entry.id, entry.label, entry.text, mine.typed if mine else None,
                                    bool(mine and mine.blank_line_after)))
    return shown


def description_layout(resolved: ResolvedEpisode, references: list[Any]) -> list[Block]:
    """The blocks the description shows, in order, each with the blank lines before it."""
    items = resolved.episode.model.layout
    blocks: list[Block] = []
    extra: int | None = None  # blank lines a ``blank lines`` item asks for before the next block
    for item in DEFAULT_LAYOUT if items is None else items:
        kind = item_kind(item)
        if kind == BLANK_LINES:
            extra = (extra or 0) + item.value  # type: ignore[union-attr]
            continue
        if not _shows(resolved, kind, references):
            continue
        part = item if isinstance(item, LayoutPart) else None
        heading = part.value if part is not None and kind not in (TEXT, "schedule") else None
        text = part.value if part is not None and kind in (TEXT, "schedule") else None
        before = extra if extra is not None else (1 if blocks else 0)
        blocks.append(Block(kind, heading, text, before))
        extra = None
    return blocks


def _shows(resolved: ResolvedEpisode, kind: str, references: list[Any]) -> bool:
    """Whether block ``kind`` has anything to show."""
    model = resolved.episode.model
    return {
        "chapters": bool(model.chapters), "videos": bool(resolved.videos), "references": bool(references),
        "disclaimer": bool(resolved.disclaimer),
    }.get(kind, True)
