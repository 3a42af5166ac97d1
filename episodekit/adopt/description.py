"""A hand-typed YouTube description, split into the parts an episode file keeps.

Descriptions written by hand follow a shape, not a wording: a few paragraphs of summary, then
blocks such as "Videos referenced in this video" or "Sources", a disclaimer, a sentence about
the upload schedule with a subscribe link, hashtags. ``parse_description`` recognises those
blocks by their content and by headings in many wordings, and keeps every text it does not
recognise, so nothing typed is lost: what is not a known block stays in ``summary`` (before the
first block) or in ``trailing`` (after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models.episode import video_id_from

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


@dataclass
class VideoLine:
    """One line of a referenced-videos block: its title as typed and the linked video."""

    title: str
    url: str
    video_id: str


@dataclass
class ParsedDescription:
    """The parts of one description; ``headings`` keeps each block's heading as written."""

    summary: list[str] = field(default_factory=list)
    chapters: list[tuple[str, str]] = field(default_factory=list)  # (timestamp, title)
    videos: list[VideoLine] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # one citation's text each
    disclaimer: str | None = None
    schedule_line: str | None = None
    subscribe_url: str | None = None
    hashtags: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)  # paragraphs after the blocks, not recognised
    headings: dict[str, str] = field(default_factory=dict)  # "videos"/"references"/"chapters" -> heading
    unmatched_video_lines: list[str] = field(default_factory=list)  # lines in a video block without a link


def paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs (runs of non-blank lines), each as its lines, trailing spaces removed."""
    result: list[list[str]] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if line.strip():
            current.append(line)
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def heading_kind(line: str) -> str | None:
    """``"videos"``, ``"references"`` or ``"chapters"`` when ``line`` is such a block's heading."""
    words = re.sub(r"[\s:：\-–—]+$", "", line.strip()).lower()
    words = re.sub(r"\s+", " ", words)
    if len(words) > 60:
        return None
    for kind, pattern in (("videos", _VIDEO_HEADINGS), ("references", _REFERENCE_HEADINGS),
                          ("chapters", _CHAPTER_HEADINGS)):
        if pattern.fullmatch(words):
            return kind
    return None


def parse_description(text: str) -> ParsedDescription:
    """Split ``text`` into an episode's parts (see the module's docstring)."""
    parsed = ParsedDescription()
    block: str | None = None  # the block the previous paragraph belonged to
    for lines in paragraphs(text):
        kind = heading_kind(lines[0])
        if kind is not None:
            parsed.headings.setdefault(kind, lines[0].strip())
            block = kind
            lines = lines[1:]
            if not lines:
                continue
        block = _take(parsed, lines, block)
    return parsed


def _take(parsed: ParsedDescription, lines: list[str], block: str | None) -> str | None:
    """File one paragraph; return the block it leaves open for the next paragraph."""
    joined = " ".join(line.strip() for line in lines)
    kept = "\n".join(lines)  # as typed: a description's line breaks are shown as they are
    if all(_CHAPTER.match(line.strip()) for line in lines) and (block == "chapters" or len(lines) >= 2
                                                                or lines[0].strip().startswith("0:00")):
        parsed.chapters += [_chapter(line) for line in lines]
        return "chapters"
    if all(_HASHTAGS.match(line.strip()) for line in lines):
        parsed.hashtags += [tag for line in lines for tag in line.split()]
        if block is None:  # among the summary's paragraphs: it stays where it was typed
            parsed.summary.append(kept)
        return block
    if block == "videos" and any(_YOUTUBE.search(line) for line in lines):
        _videos(parsed, lines)
        return "videos"
    if _DISCLAIMER.search(joined) and parsed.disclaimer is None:
        parsed.disclaimer = kept
        return "disclaimer"
    if _SCHEDULE.search(joined) and parsed.schedule_line is None and _is_schedule(joined):
        parsed.schedule_line = kept
        urls = _URL.findall(joined)
        parsed.subscribe_url = urls[-1].rstrip(".,;)") if urls else None
        return "schedule"
    if block == "references" and _looks_like_citations(lines):
        parsed.references += _citations(lines)
        return "references"
    if block is None:
        parsed.summary.append(kept)
        return None
    parsed.trailing.append(kept)
    return "trailing"


def _is_schedule(text: str) -> bool:
    """A schedule sentence is short and talks about uploads or subscribing, not a summary."""
    return len(text) <= 400


def _chapter(line: str) -> tuple[str, str]:
    match = _CHAPTER.match(line.strip())
    assert match is not None  # checked by the caller
    return match.group(1), match.group(2).strip()


def _videos(parsed: ParsedDescription, lines: list[str]) -> None:
    for line in lines:
        match = _YOUTUBE.search(line)
        if not match:
            parsed.unmatched_video_lines.append(line.strip())
            continue
        url = match.group(0).rstrip(".,;)")
        try:
            video_id = video_id_from(url)
        except ValueError:
            parsed.unmatched_video_lines.append(line.strip())
            continue
        title = (line[: match.start()] + line[match.end():]).strip(" -–—:|\t")
        parsed.videos.append(VideoLine(title=title, url=url, video_id=video_id))


_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")


def _looks_like_citations(lines: list[str]) -> bool:
    """Each line, or the paragraph as a whole, reads like a citation: a year, and a sentence break."""
    joined = " ".join(lines)
    return bool(_YEAR.search(joined)) and ("." in joined or "doi" in joined.lower())


def _citations(lines: list[str]) -> list[str]:
    """One citation per line when every line has a year; else the paragraph is one citation."""
    stripped = [re.sub(r"^(?:\[?\d{1,3}[.)\]]\s*|[-•*]\s+)", "", line.strip()) for line in lines]
    if all(_YEAR.search(line) for line in stripped):
        return stripped
    return [" ".join(stripped)]
