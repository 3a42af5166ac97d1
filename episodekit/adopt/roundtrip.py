"""The round trip: the imported episode rendered again, compared with the description as it was typed.

The two are the same when they are the same text as YouTube shows it (``ledger.shown_text``: line breaks
written either way, spaces at the end of a line and after the last line aside); then the ledger's hashes
match and ``sync`` has nothing to send. By default an import keeps what it takes for that. Otherwise (an
import with ``--restyle``, or a channel template of its own) each line that differs is classified: the
expected kinds are a reference written in the channel's citation style (``reference style``), a block
heading in the channel's wording (``heading``), a YouTube link normalised to youtu.be (``link``) and a
chapter line in the channel's form (``chapter``); ``spacing`` is a blank line more or less, ``moved`` a
line that comes back in another place, ``boilerplate`` the channel's disclaimer or schedule sentence where
the description had its own, and ``other`` anything else.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..models.ledger import shown_text
from .description import ParsedDescription, heading_kind

EXPECTED = ("reference style", "heading", "link", "chapter", "spacing")
_YOUTUBE = re.compile(r"https?://(?:www\.|m\.)?(?:youtu\.be/|youtube\.com/)\S+")
_CHAPTER = re.compile(r"^\(?(?:\d{1,2}:)?\d{1,2}:\d{2}\)?\s")
_MARKER = re.compile(r"^(?:\[?\d{1,3}[.)\]]\s*|[-•*]\s+)")


@dataclass(frozen=True)
class Difference:
    kind: str  # one of EXPECTED, "moved", "boilerplate" or "other"
    sign: str  # "-": as typed, "+": as rendered
    line: str

    def __str__(self) -> str:
        return f"{self.sign} {self.line}    [{self.kind}]"

    def as_dict(self) -> dict[str, str]:
        """The difference as JSON: its kind, ``-`` or ``+``, and the line."""
        return {"kind": self.kind, "sign": self.sign, "line": self.line}


@dataclass
class RoundTrip:
    """One description against its rendering."""

    exact: bool = True
    differences: list[Difference] = field(default_factory=list)
    kept_whole: bool = False  # its pieces did not render back: the description is kept as one text

    @property
    def unexpected(self) -> list[Difference]:
        """The differences not of an expected kind."""
        return [d for d in self.differences if d.kind not in EXPECTED]

    def as_dict(self) -> dict[str, object]:
        """The round trip as JSON: exact, kept whole, and each difference."""
        return {"exact": self.exact, "kept_whole": self.kept_whole,
                "differences": [difference.as_dict() for difference in self.differences]}


def same_text(typed: str, rendered: str) -> bool:
    """Whether ``rendered`` is ``typed`` as YouTube shows them."""
    return shown_text(typed) == shown_text(rendered)


def compare(typed: str, rendered: str, parsed: ParsedDescription, rendered_references: list[str],
            boilerplate: tuple[str, ...] = ()) -> RoundTrip:
    """How ``rendered`` differs from ``typed``, line by line, each difference classified."""
    if same_text(typed, rendered):
        return RoundTrip()
    old, new = shown_text(typed).split("\n"), shown_text(rendered).split("\n")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    removed = [old[n] for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for n in range(i1, i2)]
    added = [new[n] for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal" for n in range(j1, j2)]
    moved = {line for line in removed if line} & {line for line in added if line}
    typed_refs = {" ".join(item.typed.split()) for item in parsed.references}
    shown_refs = {" ".join(line.split()) for entry in rendered_references for line in entry.splitlines()}
    said = {line for text in (parsed.disclaimer, parsed.schedule_line, *boilerplate) if text
            for line in shown_text(text).split("\n")}
    trip = RoundTrip(exact=False)
    for sign, lines, refs in (("-", removed, typed_refs), ("+", added, shown_refs)):
        for line in lines:
            kind = "boilerplate" if line in said and line not in moved else _kind(line, moved, refs)
            trip.differences.append(Difference(kind, sign, line))
    return trip


def _kind(line: str, moved: set[str], references: set[str]) -> str:
    plain = " ".join(line.split())
    if not plain:
        return "spacing"
    if line in moved:
        return "moved"
    if heading_kind(line) is not None:
        return "heading"
    if any(plain in ref or _MARKER.sub("", plain) in ref for ref in references):
        return "reference style"
    if _YOUTUBE.search(line):
        return "link"
    if _CHAPTER.match(line.strip()):
        return "chapter"
    return "other"
