"""What ``import`` does with a description that would not make an episode ``check`` accepts.

The one rule: **an episode is written only when ``check`` would accept it** (no error; warnings are
fine), and the library takes the citations of the written episodes only, so an import never leaves an
orphan entry or a channel that fails ``check``. Before giving an episode up, the parts of the typed
description that make it fail and that can stay text are kept as the lines typed: a block of referenced
videos with a link that has no title, a list of chapters YouTube would not read (a time like ``99:99``,
a first chapter after ``0:00``, chapters under 10 s apart). Such a block goes back into the summary as
typed, heading and all, and the episode gets ``review:`` naming what to look at (``check`` warns until the
line is deleted); the rest of the episode is imported as usual. An episode that still fails (a title over
YouTube's 100 characters, a description over its 5,000 bytes, a ``<`` in the text) is **not imported**:
the report names why at its source, the summary line counts it, and the command exits 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import Problem
from .description import ParsedDescription

KEPT_AS_TEXT = ("chapters", "videos")  # the blocks that can stay in the summary as typed text
_WHAT = {"chapters": "the chapter list", "videos": "the list of referenced videos"}


def failing_blocks(problems: Iterable[Problem], parsed: ParsedDescription) -> list[str]:
    """The blocks (of :data:`KEPT_AS_TEXT`) that errors of ``problems`` are in, and that ``parsed`` still has."""
    errors = [p for p in problems if p.is_error]
    return [kind for kind in KEPT_AS_TEXT if getattr(parsed, kind)
            and any(re.match(rf"{kind}\b", p.field) for p in errors)]


def keep_as_text(parsed: ParsedDescription, description: str, kind: str, problems: Iterable[Problem]) -> str:
    """Move block ``kind`` of ``parsed`` into its summary as the lines typed in ``description``; the review note."""
    typed = [line.rstrip() for line in description.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    heading = parsed.headings.pop(kind, None)
    lines = [heading] if heading else []
    if kind == "chapters":
        lines += [_typed_line(typed, at, title) for at, title in parsed.chapters]
        parsed.chapters = []
    else:
        lines += [_typed_line(typed, video.url, video.title) for video in parsed.videos]
        parsed.videos = []
    parsed.summary.append("\n".join(lines))
    why = "; ".join(dict.fromkeys(f"{p.field}: {p.message}" for p in problems
                                  if p.is_error and re.match(rf"{kind}\b", p.field)))
    return f"{_WHAT[kind]} is kept in the summary as typed, since the episode would fail check with it ({why})"


def _typed_line(typed: list[str], first: str, second: str) -> str:
    """The line of the description that holds both parts of a parsed entry, as typed."""
    return next((line.strip() for line in typed if first in line and second in line), f"{first} {second}".strip())


def not_imported(origin: str, problems: Iterable[Problem]) -> str:
    """Why an episode is not imported: the errors ``check`` would give it, without the file it would be."""
    said = [f"{p.field}: {p.message}" if p.field else p.message for p in problems if p.is_error]
    return f"it would fail check ({'; '.join(dict.fromkeys(said))}); correct {origin} there, then import it again"
