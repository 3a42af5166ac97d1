"""The round trip: the imported episode rendered again, compared with the description as it was typed.

Lines are compared after the trailing spaces and runs of blank lines that YouTube does not show are
set aside. Each line that differs is classified: the expected kinds are a reference written in the
channel's citation style (``reference style``), a block heading in the channel's wording
(``heading``), a YouTube link normalised to youtu.be (``link``) and a chapter line in the channel's
form (``chapter``); a paragraph that comes back in another place is ``moved``; the channel's
disclaimer or schedule sentence where the description had its own is ``boilerplate`` (a schedule
sentence cannot be an episode's own: ``--adopt-boilerplate`` makes the typed one the channel's);
anything else is ``other``, which is what a round trip must not have.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .description import ParsedDescription, heading_kind

EXPECTED = ("reference style", "heading", "link", "chapter")
_YOUTUBE = re.compile(r"https?://(?:www\.|m\.)?(?:youtu\.be/|youtube\.com/)\S+")
_CHAPTER = re.compile(r"^\(?(?:\d{1,2}:)?\d{1,2}:\d{2}\)?\s")


@dataclass(frozen=True)
class Difference:
    kind: str  # one of EXPECTED, "moved" or "other"
    sign: str  # "-": as typed, "+": as rendered
    line: str

    def __str__(self) -> str:
        return f"{self.sign} {self.line}    [{self.kind}]"


@dataclass
class RoundTrip:
    """One description against its rendering."""

    differences: list[Difference] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return not self.differences

    @property
    def unexpected(self) -> list[Difference]:
        return [d for d in self.differences if d.kind not in EXPECTED]


def shown_lines(text: str) -> list[str]:
    """The lines of ``text`` as YouTube shows them: no trailing spaces, one blank line at most, none at the ends."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def compare(typed: str, rendered: str, parsed: ParsedDescription, rendered_references: list[str],
            boilerplate: tuple[str, ...] = ()) -> RoundTrip:
    """How ``rendered`` differs from ``typed``, line by line, each difference classified."""
    old, new = shown_lines(typed), shown_lines(rendered)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    removed = [(n, old[n]) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for n in range(i1, i2)]
    added = [(n, new[n]) for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal" for n in range(j1, j2)]
    moved = {line for _, line in removed if line} & {line for _, line in added if line}
    typed_refs = {" ".join(text.split()) for text in parsed.references}
    shown_refs = {" ".join(line.split()) for entry in rendered_references for line in entry.splitlines()}
    said = {line for text in (parsed.disclaimer, parsed.schedule_line, *boilerplate) if text for line in shown_lines(text)}
    trip = RoundTrip()
    for sign, lines, refs in (("-", removed, typed_refs), ("+", added, shown_refs)):
        for _, line in lines:
            if line:
                kind = "boilerplate" if line in said and line not in moved else _kind(line, moved, refs)
                trip.differences.append(Difference(kind, sign, line))
    return trip


def _kind(line: str, moved: set[str], references: set[str]) -> str:
    plain = " ".join(line.split())
    if line in moved:
        return "moved"
    if heading_kind(line) is not None:
        return "heading"
    if any(plain in ref or _numbered(plain) in ref for ref in references):
        return "reference style"
    if _YOUTUBE.search(line):
        return "link"
    if _CHAPTER.match(line.strip()):
        return "chapter"
    return "other"


def _numbered(line: str) -> str:
    return re.sub(r"^(?:\[?\d{1,3}[.)\]]\s*|[-•*]\s+)", "", line)
