"""A hand-typed YouTube description, split in order into the pieces an episode file keeps.

Descriptions written by hand follow a shape, not a wording: paragraphs of summary, blocks such as
chapters, "Videos referenced in this video" or "Sources", a disclaimer, a sentence about the upload
schedule with a subscribe link, hashtags, a closing line. ``parse_description`` reads the text line by
line into :class:`Piece` objects, in the order typed and with the blank lines before each, so the episode
can lay them out again exactly: a block is known by its heading (in many wordings) or by its content
(timestamps, a paragraph of DOI or PubMed links); every line that is not part of a block is free text.
Nothing typed is lost: each line is in exactly one piece, as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models.episode import video_id_from
from ..models.ledger import shown_text
from .citation import IDENTIFIER_LINK, looks_like_citation
from .citation import without_marker as _unbulleted

# Headings seen in hand-typed descriptions, lower-cased and without a trailing colon.
_VIDEO_HEADINGS = re.compile(
    r"^(?:(?:other |more |related |referenced |recommended |mentioned )?videos?"
    r"(?: (?:referenced|mentioned|cited|discussed)(?: in this video)?| i mentioned| to watch)?"
    r"|watch next|watch (?:this|these) next|see also|related)$"
)
_REFERENCE_HEADINGS = re.compile(
    r"^(?:references?|sources?|citations?|bibliography|studies(?: mentioned| cited)?"
    r"|papers?(?: mentioned| cited)?|research(?: mentioned| cited)?|further reading)$"
)
_CHAPTER_HEADINGS = re.compile(r"^(?:chapters?|timestamps?|contents|in this video)$")
_CHAPTER = re.compile(r"^\(?((?:\d{1,2}:)?\d{1,2}:\d{2})\)?\s*(?:[-–—:|]\s*)?(\S.*)$")
_HASHTAGS = re.compile(r"^(?:#[^\s#]+\s*)+$")
_URL = re.compile(r"https?://\S+")
_YOUTUBE = re.compile(r"https?://(?:www\.|m\.)?(?:youtu\.be/|youtube\.com/)\S+")
_DISCLAIMER = re.compile(
    r"^disclaimer\b|not (?:intended (?:as|to be)|a substitute for|meant as) .{0,40}(?:medical|professional)"
    r"|(?:educational|informational) purposes only|doctor-patient|not medical advice",
    re.IGNORECASE,
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_SCHEDULE = re.compile(
    rf"\b(?:every|each|on) {_WEEKDAY}\b|\bnew videos? (?:every|each)\b|\bi upload\b|\bsubscribe\b",
    re.IGNORECASE,
)
_SCHEDULE_MAX_CHARS = 400  # a schedule sentence is short; a long paragraph with "subscribe" is a summary
LIST_BLOCKS = ("chapters", "videos", "references")
FREE, SUMMARY, TEXT, DISCLAIMER, SCHEDULE = "free", "summary", "text", "disclaimer", "schedule"


@dataclass
class Item:
    """One item of a list block: its line(s) as typed, and whether a blank line follows it."""

    typed: str
    blank_line_after: bool = False


@dataclass
class Piece:
    """A run of the description: free text (``summary``, ``text``, ``disclaimer``, ``schedule``) or a block."""

    kind: str  # summary, text, disclaimer, schedule, chapters, videos or references
    gap: int  # blank lines before it
    lines: list[str] = field(default_factory=list)  # free text, as typed
    heading: str | None = None  # a block's heading line, as typed (None: it has none)
    heading_gap: int = 0  # blank lines between the heading and the first item
    items: list[Item] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The piece's lines as one text."""
        return "\n".join(self.lines)


@dataclass(frozen=True)
class VideoLine:
    """One item of a referenced-videos block: its title and the linked video."""

    title: str
    url: str
    video_id: str


@dataclass
class ParsedDescription:
    """The pieces of one description, in order; the properties find the parts an episode has fields for."""

    pieces: list[Piece] = field(default_factory=list)

    def _first(self, kind: str) -> Piece | None:
        return next((piece for piece in self.pieces if piece.kind == kind), None)

    def _items(self, kind: str) -> list[Item]:
        found = self._first(kind)
        return found.items if found else []

    @property
    def summary(self) -> list[str]:
        """The summary paragraphs, in order."""
        return [piece.text for piece in self.pieces if piece.kind == SUMMARY]

    @property
    def chapters(self) -> list[Item]:
        """The chapter lines (a time, then a title)."""
        return self._items("chapters")

    @property
    def videos(self) -> list[Item]:
        """The links to other videos."""
        return self._items("videos")

    @property
    def references(self) -> list[Item]:
        """The reference lines."""
        return self._items("references")

    @property
    def disclaimer(self) -> str | None:
        """The disclaimer paragraph, or None."""
        found = self._first(DISCLAIMER)
        return found.text if found else None

    @property
    def schedule_line(self) -> str | None:
        """The line that says when new episodes come out, or None."""
        found = self._first(SCHEDULE)
        return found.text if found else None

    @property
    def subscribe_url(self) -> str | None:
        """The last link of the schedule line (the subscribe link), or None."""
        urls = _URL.findall(self.schedule_line or "")
        return urls[-1].rstrip(".,;)") if urls else None

    @property
    def hashtags(self) -> list[str]:
        """Every hashtag of the lines made of hashtags only."""
        return [tag for piece in self.pieces for line in piece.lines if _HASHTAGS.match(line.strip())
                for tag in line.split()]


def heading_kind(line: str) -> str | None:
    """``"videos"``, ``"references"`` or ``"chapters"`` when ``line`` is such a block's heading."""
    words = re.sub(r"[\s:：\-–—]+$", "", _unbulleted(line).strip()).lower()
    words = re.sub(r"\s+", " ", words)
    if len(words) > 60:
        return None
    for kind, pattern in (("videos", _VIDEO_HEADINGS), ("references", _REFERENCE_HEADINGS),
                          ("chapters", _CHAPTER_HEADINGS)):
        if pattern.fullmatch(words):
            return kind
    return None


def chapter_of(line: str) -> tuple[str, str] | None:
    """``(timestamp, title)`` of a chapter line such as ``1:05 - The science``, or None."""
    match = _CHAPTER.match(line.strip())
    return (match.group(1), match.group(2).strip()) if match else None


def video_of(item: Item) -> VideoLine | None:
    """The video a referenced-videos item links to, with its title (the typed text less the link and bullets)."""
    match = _YOUTUBE.search(item.typed)
    if not match:
        return None
    url = match.group(0).rstrip(".,;)")
    try:
        video_id = video_id_from(url)
    except ValueError:
        return None
    title = (item.typed[: match.start()] + item.typed[match.end():]).replace("\n", " ")
    return VideoLine(title=_unbulleted(title).strip(" -–—:|\t"), url=url, video_id=video_id)


def parse_description(text: str) -> ParsedDescription:
    """Split ``text`` into its pieces (see the module's docstring)."""
    rows: list[tuple[int, str]] = []  # (blank lines before, line) of each line with text
    gap = 0
    for line in shown_text(text).split("\n") if text.strip() else ():
        if line.strip():
            rows.append((gap, line))
            gap = 0
        else:
            gap += 1
    pieces = _Reader(rows).pieces()
    return ParsedDescription(_named(pieces))


class _Reader:
    """Reads the rows one by one into pieces; a block goes on while its lines fit it."""

    def __init__(self, rows: list[tuple[int, str]]):
        self.rows = rows
        self.found: list[Piece] = []

    def pieces(self) -> list[Piece]:
        at = 0
        while at < len(self.rows):
            at = self._take(at)
        return self.found

    def _used(self, kind: str) -> bool:
        return any(piece.kind == kind for piece in self.found)

    def _paragraph(self, at: int) -> list[str]:
        """The lines from ``at`` to the next blank line."""
        end = at + 1
        while end < len(self.rows) and self.rows[end][0] == 0:
            end += 1
        return [line for _, line in self.rows[at:end]]

    def _take(self, at: int) -> int:
        """File the row ``at`` (and any it brings along); return the next row to read."""
        gap, line = self.rows[at]
        starts_paragraph = gap > 0 or at == 0
        block = self.found[-1] if self.found and self.found[-1].kind in LIST_BLOCKS else None
        if starts_paragraph and _boilerplate(" ".join(self._paragraph(at))):
            block = None  # a disclaimer or schedule sentence ends a block
        kind = heading_kind(line)
        if kind is not None and not self._used(kind):
            self.found.append(Piece(kind, gap, heading=line))
            return at + 1
        if block is not None and gap <= 1:
            taken = self._into(block, at)
            if taken:
                return at + taken
        started = self._headingless(at, starts_paragraph)
        if started:
            return started
        last = self.found[-1] if self.found else None
        if last is not None and last.kind == FREE and gap == 0:
            last.lines.append(line)
        else:
            self.found.append(Piece(FREE, gap, [line]))
        return at + 1

    def _into(self, block: Piece, at: int) -> int:
        """Add row ``at`` to ``block`` when it fits there; how many rows it took (0: it does not fit)."""
        gap, line = self.rows[at]
        following = self.rows[at + 1] if at + 1 < len(self.rows) else (1, "")
        if block.kind == "chapters":
            taken = 1 if chapter_of(line) else 0
        elif block.kind == "videos":
            paired = not _YOUTUBE.search(line) and following[0] == 0 and _is_link_only(following[1])
            taken = 2 if paired else 1
            if video_of(Item("\n".join(row for _, row in self.rows[at:at + taken]))) is None:
                taken = 0  # no link to a video (a channel's page, a playlist): not a referenced video
        else:
            previous = block.items[-1].typed if block.items else None
            if previous is not None and gap == 0 and _continues(previous, line):
                block.items[-1].typed += "\n" + line
                return 1
            taken = 1 if looks_like_citation(line) else 0
        if not taken:
            return 0
        if block.items and gap:
            block.items[-1].blank_line_after = True
        elif not block.items:
            block.heading_gap = gap
        block.items.append(Item("\n".join(row for _, row in self.rows[at:at + taken])))
        return taken

    def _headingless(self, at: int, starts_paragraph: bool) -> int:
        """A block known by its content, without a heading: chapters, or a paragraph of identifier links."""
        gap, line = self.rows[at]
        following = self.rows[at + 1][1] if at + 1 < len(self.rows) and self.rows[at + 1][0] == 0 else ""
        if chapter_of(line) and not self._used("chapters") and (
                line.strip().startswith(("0:00", "00:00")) or chapter_of(following)):
            block = Piece("chapters", gap)
        elif starts_paragraph and not self._used("references") and all(
                IDENTIFIER_LINK.fullmatch(_unbulleted(row).strip()) for row in self._paragraph(at)):
            block = Piece("references", gap)
        else:
            return 0
        self.found.append(block)
        block.items.append(Item(line))
        return at + 1


def _named(pieces: list[Piece]) -> list[Piece]:
    """Free pieces named: the first disclaimer and schedule sentence, the summary, and text."""
    for piece in pieces:
        if piece.kind != FREE:
            continue
        joined = " ".join(line.strip() for line in piece.lines)
        if _DISCLAIMER.search(joined) and not any(p.kind == DISCLAIMER for p in pieces):
            piece.kind = DISCLAIMER
        elif _is_schedule(joined) and not any(p.kind == SCHEDULE for p in pieces):
            piece.kind = SCHEDULE
    done, begun = False, False  # the summary: the first run of free paragraphs, before any videos or references
    for piece in pieces:
        if piece.kind == FREE:
            indented = piece.lines[0] != piece.lines[0].lstrip()  # a summary paragraph is kept without it
            piece.kind = SUMMARY if not done and not indented else TEXT
            begun, done = begun or piece.kind == SUMMARY, done or piece.kind == TEXT
        elif begun or piece.kind in ("videos", "references"):
            done = True
    return pieces


def _boilerplate(text: str) -> bool:
    return bool(_DISCLAIMER.search(text)) or _is_schedule(text) or bool(_HASHTAGS.match(text.strip()))


def _is_schedule(text: str) -> bool:
    """A schedule sentence is short and talks about uploads or subscribing, not a summary."""
    return bool(_SCHEDULE.search(text)) and len(text) <= _SCHEDULE_MAX_CHARS


def _is_link_only(line: str) -> bool:
    return bool(_YOUTUBE.fullmatch(_unbulleted(line).strip().rstrip(".,;)")))


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` goes on with the citation above it: its identifier link, or a wrapped line."""
    plain = _unbulleted(line).strip()
    if IDENTIFIER_LINK.fullmatch(plain) or re.match(r"(?i)(?:doi|pmid|pmcid)\b", plain):
        return not IDENTIFIER_LINK.search(previous)  # a citation's identifier on the line below it
    if re.match(r"(?i)(?:available|retrieved)\b", plain):
        return True
    return plain[:1].islower() and not previous.rstrip().endswith((".", "!", "?"))  # a wrapped line
