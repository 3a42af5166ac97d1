"""Why a live description differs from the render: named when the difference is only in the references.

A description typed by hand and then imported renders back with its references in the channel's
citation style, and the block's heading in the channel's wording; everything else comes back as typed.
``description_causes`` compares the two texts line by line and, when every differing line lies in the
references block of the render (or is that block's heading), names those causes, so ``sync`` can say
that an update of such a video only reformats its references. Any other difference: no cause named.
"""

from __future__ import annotations

from ..adopt.description import heading_kind
from ..models.ledger import shown_text

REFERENCES = "the references, in the channel's citation style ({style})"
HEADING = "the references heading, in the channel's wording"


def description_causes(live: str, new: str, references_block: str, style: str) -> list[str]:
    """The causes of the difference between ``live`` and ``new`` (the render, holding ``references_block``):
    ``REFERENCES`` and/or ``HEADING``, or [] when the texts are equal or differ elsewhere too. The texts are
    compared as YouTube shows them (``ledger.shown_text``: line ends and trailing spaces aside)."""
    live, new, references_block = shown_text(live), shown_text(new), shown_text(references_block)
    live_lines, new_lines, block = live.split("\n"), new.split("\n"), references_block.strip("\n").split("\n")
    start = _find(new_lines, block) if references_block.strip() and live != new else None
    if start is None:
        return []
    first, end = max(0, start - 1), start + len(block)  # the heading (the line before the block), the block's end
    before, after = new_lines[:first], new_lines[end:]
    middle = live_lines[len(before):len(live_lines) - len(after)]
    if len(live_lines) < len(before) + len(after) + 2 or live_lines[:len(before)] != before \
            or live_lines[len(live_lines) - len(after):] != after:
        return []  # something outside the heading and the references differs, or the live text has no such block
    if not _is_heading(middle[0], new_lines[first]) or any(heading_kind(line) for line in middle[1:]):
        return []  # what differs is not (only) a references block
    causes = []
    if middle[1:] != new_lines[first + 1:end]:
        causes.append(REFERENCES.format(style=style))
    if middle[0] != new_lines[first]:
        causes.append(HEADING)
    return causes


def _is_heading(line: str, ours: str) -> bool:
    return line == ours or heading_kind(line) == "references"


def _find(lines: list[str], block: list[str]) -> int | None:
    """Where ``block`` starts in ``lines`` (its last occurrence: the references come late), or None."""
    for start in range(len(lines) - len(block), -1, -1):
        if lines[start:start + len(block)] == block:
            return start
    return None
