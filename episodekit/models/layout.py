"""An episode's ``layout``: the blocks of its description in order, with the headings and text typed there.

An episode without ``layout`` gets the channel's: summary, chapters, videos, references, disclaimer,
schedule sentence, each block with the template's heading and a blank line between two. An imported
description keeps its own shape in a layout, so it renders back as it was typed::

    layout:
      - chapters: ""            # its chapters first, without a heading
      - summary
      - references: "Sources:"  # its own heading
      - text: Thanks for watching!
      - blank lines: 2          # two blank lines here instead of one
      - schedule: New videos every Friday. Subscribe: https://example.org/sub

A block not in the layout is not shown. Text typed in a layout (a heading, ``text``, the episode's own
``schedule`` sentence) is kept exactly, spaces included, and is never a template.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)

from ..errors import did_you_mean
from .base import StrictModel
from .text import check_paragraph, line_problem, text_schema

BLOCKS = ("summary", "chapters", "videos", "references", "disclaimer", "schedule")
DEFAULT_LAYOUT = BLOCKS  # the order of an episode without a layout
HEADED = ("chapters", "videos", "references")  # the blocks with a heading line
TEXT = "text"
BLANK_LINES = "blank lines"
MAX_BLANK_LINES = 20


def _heading(value: str) -> str:
    problem = line_problem(value) if value else None  # "" is a block without a heading line
    if problem:
        raise ValueError(problem)
    return value


def _typed_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("is one line as typed but contains a line break; write it on one line")
    return check_paragraph(value)  # a tab typed in it is kept


def _block_name(value: str) -> str:
    if value not in BLOCKS:
        hint = did_you_mean(value, BLOCKS, f"; a block is one of {', '.join(BLOCKS)}")
        raise ValueError(f"{value!r} is not a block of a description{hint}")
    return value


# typed text, kept exactly as written: the model strips no space from it
TypedText = Annotated[str, StringConstraints(strip_whitespace=False), AfterValidator(check_paragraph),
                      WithJsonSchema(text_schema(one_line=False, public=True))]
TypedLine = Annotated[str, StringConstraints(strip_whitespace=False), AfterValidator(_heading),
                      WithJsonSchema({"anyOf": [{"const": ""}, text_schema(one_line=True, public=True)]})]
TypedOneLine = Annotated[str, StringConstraints(strip_whitespace=False), AfterValidator(_typed_line),
                         WithJsonSchema(text_schema(one_line=True, public=True))]
BlockName = Annotated[str, AfterValidator(_block_name), WithJsonSchema({"enum": list(BLOCKS)})]


class LayoutPart(StrictModel):
    """A layout item written as a mapping of one key: a block with its own heading, text, or spacing."""

    chapters: TypedLine | None = Field(None, description="The chapters, under this heading ('' for none)")
    videos: TypedLine | None = Field(None, description="The referenced videos, under this heading ('' for none)")
    references: TypedLine | None = Field(None, description="The references, under this heading ('' for none)")
    text: TypedText | None = Field(None, description="Text shown as written")
    schedule: TypedText | None = Field(None, description="This episode's own schedule sentence, shown as written")
    blank_lines: int | None = Field(None, alias=BLANK_LINES, ge=0, le=MAX_BLANK_LINES,
                                    description="Blank lines between the items around it (1 without this)")

    @model_validator(mode="before")
    @classmethod
    def _one_key(cls, value: Any) -> Any:
        if isinstance(value, dict) and len(value) != 1:
            names = ", ".join([*HEADED, TEXT, "schedule", BLANK_LINES])
            raise ValueError(f"a layout item is a block's name, or a mapping of one key ({names}); "
                             f"this one has {len(value) or 'no'} keys")
        return value

    @property
    def kind(self) -> str:
        """``chapters``, ``videos``, ``references``, ``text``, ``schedule`` or ``blank lines``."""
        name = next(iter(self.model_fields_set))
        return BLANK_LINES if name == "blank_lines" else name

    @property
    def value(self) -> Any:
        """The heading ("" for none), the text, or the number of blank lines."""
        found = getattr(self, "blank_lines" if self.kind == BLANK_LINES else self.kind)
        return "" if found is None else found


def _item_kind(value: object) -> str:
    return "part" if isinstance(value, dict | LayoutPart) else "name"


LayoutItem = Annotated[
    Annotated[BlockName, Tag("name")] | Annotated[LayoutPart, Tag("part")],
    Discriminator(_item_kind),
]


def item_kind(item: str | LayoutPart) -> str:
    """The block an item shows (``text`` and ``blank lines`` for those items)."""
    return item if isinstance(item, str) else item.kind


def layout_problem(items: list[str | LayoutPart]) -> str | None:
    """Why ``items`` cannot be a layout (a block shown twice), or None."""
    seen: set[str] = set()
    for item in items:
        kind = item_kind(item)
        if kind in BLOCKS and kind in seen:
            return f"{kind} is in the layout twice; a block is shown once (use text for more)"
        seen.add(kind)
    return None
