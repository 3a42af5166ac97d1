"""What ``import`` does with a description that would not make an episode ``check`` accepts.

The one rule: **an episode is written only when ``check`` would accept it** (no error; warnings are
fine), and the library takes the citations of the written episodes only, so an import never leaves an
orphan entry or a channel that fails ``check``. Before giving an episode up, the parts of the typed
description that make it fail and that can stay text are kept as the lines typed: a block of referenced
videos with a link that has no title, a list of chapters YouTube would not read (a time like ``99:99``,
a first chapter after ``0:00``, chapters under 10 s apart). Such a block becomes ``text`` of the
episode's layout where it was typed, heading, blank lines and all (so the round trip stays exact), and
the episode gets ``review:`` naming what to look at (``check`` warns until the line is deleted); the rest
of the episode is imported as usual. An episode that still fails (a title over
YouTube's 100 characters, a description over its 5,000 bytes, a ``<`` in the text) is **not imported**:
the report names why at its source, the summary line counts it, and the command exits 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import Problem
from .description import TEXT, ParsedDescription

KEPT_AS_TEXT = ("chapters", "videos")  # the blocks that can stay as typed text
_WHAT = {"chapters": "the chapter list", "videos": "the list of referenced videos"}


def failing_blocks(problems: Iterable[Problem], parsed: ParsedDescription) -> list[str]:
    """The blocks (of :data:`KEPT_AS_TEXT`) that errors of ``problems`` are in, and that ``parsed`` still has."""
    errors = [p for p in problems if p.is_error]
    return [kind for kind in KEPT_AS_TEXT if getattr(parsed, kind)
            and any(re.match(rf"{kind}\b", p.field) for p in errors)]


def keep_as_text(parsed: ParsedDescription, kind: str, problems: Iterable[Problem]) -> str:
    """Make block ``kind`` of ``parsed`` a piece of text, its lines as typed; the review note."""
    piece = next(piece for piece in parsed.pieces if piece.kind == kind)
    lines = [] if piece.heading is None else [piece.heading, *[""] * piece.heading_gap]
    for item in piece.items:
        lines += [*item.typed.split("\n"), *[""] * item.blank_line_after]
    while lines and not lines[-1]:
        lines.pop()
    piece.kind, piece.lines, piece.heading, piece.heading_gap, piece.items = TEXT, lines, None, 0, []
    why = "; ".join(dict.fromkeys(f"{p.field}: {p.message}" for p in problems
                                  if p.is_error and re.match(rf"{kind}\b", p.field)))
    return f"{_WHAT[kind]} is kept as typed text, since the episode would fail check with it ({why})"


def not_imported(origin: str, problems: Iterable[Problem]) -> str:
    """Why an episode is not imported: the errors ``check`` would give it, without the file it would be."""
    said = [f"{p.field}: {p.message}" if p.field else p.message for p in problems if p.is_error]
    return f"it would fail check ({'; '.join(dict.fromkeys(said))}); correct {origin} there, then import it again"
