"""The description as the watch page shows it: cut into pieces that YouTube makes clickable.

YouTube shows a description as plain text and turns three things in it into links: web
addresses, ``#hashtags`` (to the hashtag's page) and timestamps such as ``1:05`` (to that moment
of the video). Collapsed, the watch page shows only the start of the description, then
"…more". Here the fold is a fixed point of the text, the same at every width, so a creator sees
what is certain to show: at most ``FOLD_LINES`` lines and at most ``FOLD_CHARS`` characters,
moved back to the last space so that no word or link is cut. Search results and shared links show
the first ``SNIPPET_CHARS`` characters; those pieces are marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..models.episode import TIMESTAMP_PATTERN, parse_timestamp, video_url

FOLD_LINES = 3  # the collapsed description on YouTube's watch page: about three lines ...
FOLD_CHARS = 200  # ... and never much more than this many characters
SNIPPET_CHARS = 150  # what search results and shares show of a description
HASHTAG_PAGE = "https://www.youtube.com/hashtag/"
_LINK = r"https?://[^\s<>\"]+"
_TRAILING = ".,;:!?'’”"  # ends a sentence around a link, not the link
_CLOSING = {")": "(", "]": "[", "}": "{"}  # part of the link only when it closes one the link opened
_TIMESTAMP = TIMESTAMP_PATTERN.strip("^$")
_HASHTAG = r"(?<![\w&#])#[^\W_][\w]*"
_LINKABLE = re.compile(rf"(?P<link>{_LINK})|(?<![\w:.])(?P<timestamp>{_TIMESTAMP})(?![\w:])|(?P<hashtag>{_HASHTAG})")


@dataclass(frozen=True)
class Piece:
    """A run of the description: plain text, or a link, hashtag or timestamp with where it leads."""

    text: str
    kind: str = "text"  # text | link | hashtag | timestamp
    href: str | None = None  # None for text, and for a timestamp while the video id is unknown
    snippet: bool = False  # among the first SNIPPET_CHARS characters


def timestamp_href(seconds: int, video_id: str | None) -> str | None:
    """Where a timestamp leads: that second of the uploaded video; nowhere before it is uploaded."""
    return f"{video_url(video_id)}?t={seconds}" if video_id else None


def description_pieces(text: str, video_id: str | None, end: int | None = None) -> list[Piece]:
    """``text[:end]`` (all of it by default) as pieces, each marked when it is part of the snippet."""
    end = len(text) if end is None else end
    pieces: list[Piece] = []
    done = 0
    for match in _LINKABLE.finditer(text, 0, end):
        pieces += _marked(Piece(text[done:match.start()]), done)
        piece = _linked(match, video_id)
        pieces.append(replace(piece, snippet=match.start() < SNIPPET_CHARS))
        done = match.start() + len(piece.text)
    pieces += _marked(Piece(text[done:end]), done)
    return [piece for piece in pieces if piece.text]


def _linked(match: re.Match[str], video_id: str | None) -> Piece:
    kind = match.lastgroup or "text"
    found = match.group()
    if kind == "timestamp":
        return Piece(found, kind, timestamp_href(parse_timestamp(found), video_id))
    if kind == "hashtag":
        return Piece(found, kind, HASHTAG_PAGE + found[1:].lower())
    link = _without_trailing(found)
    return Piece(link, kind, link)


def _without_trailing(link: str) -> str:
    """A web address without the punctuation that follows it in the sentence: a final full stop, comma
    or quote, and a closing bracket that it did not open (``(see https://x.org/a)``)."""
    while link:
        last = link[-1]
        if last in _TRAILING or (last in _CLOSING and link.count(_CLOSING[last]) < link.count(last)):
            link = link[:-1]
        else:
            break
    return link


def _marked(piece: Piece, start: int) -> list[Piece]:
    """A text piece starting at ``start``, split where the snippet ends."""
    inside = max(0, min(len(piece.text), SNIPPET_CHARS - start))
    return [replace(piece, text=piece.text[:inside], snippet=True), replace(piece, text=piece.text[inside:])]


def fold_at(text: str) -> int:
    """Where the collapsed description ends (``len(text)`` when all of it shows)."""
    lines_end = -1
    for _ in range(FOLD_LINES):
        lines_end = text.find("\n", lines_end + 1)
        if lines_end < 0:
            break
    if lines_end < 0 and len(text) <= FOLD_CHARS:
        return len(text)
    end = FOLD_CHARS if lines_end < 0 else min(lines_end, FOLD_CHARS)
    if end == lines_end or end == len(text) or text[end].isspace():
        return end
    space = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end))
    return space if space > 0 else end


def snippet_of(text: str) -> str:
    """What a search result or a shared link shows of the description: its start, on one line."""
    shown = " ".join(text[:SNIPPET_CHARS].split())
    return shown + "…" if len(text) > SNIPPET_CHARS else shown
