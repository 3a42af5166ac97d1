"""When each spoken word is said: estimated from the speaking rate, anchored to the chapters.

The estimate gives each section ``words × 60 / words_per_minute`` seconds (the runtime ``check``
reports), shared among its words by length: a word takes its letters plus two, and a sentence end
(four) or a clause end (two) adds a pause after it. Then each section is placed at its chapter:

- when the episode has as many chapters as sections, section *n* starts at chapter *n*;
- otherwise a section whose heading is a chapter's title (letter case and spaces aside) starts at
  that chapter, and the first section at 0:00.

The sections between one anchor and the next are scaled to fill the time between them, so the
estimate drifts at most within a chapter; after the last anchor the speaking rate holds.
Times measured in the audio replace the estimate where there are some (``fill_between``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..models import Chapter
from .render import count_words
from .spoken import Word

SENTENCE_PAUSE = 4.0  # in letters' worth of time
CLAUSE_PAUSE = 2.0
WORD_EXTRA = 2.0


@dataclass(frozen=True)
class Span:
    """When a word is said, in seconds from the start of the video."""

    start: float
    end: float


def estimate(words: Sequence[Word], words_per_minute: int) -> list[Span]:
    """Each word's time at ``words_per_minute``, the sections one after another from 0:00."""
    spans: list[Span] = []
    clock = 0.0
    for section in _sections(words):
        facts = [_said(w.text) for w in section]
        seconds = sum(count for count, _ in facts) * 60 / words_per_minute
        weights = [(weight, _pause(w)) for (_, weight), w in zip(facts, section)]
        unit = seconds / (sum(a + b for a, b in weights) or 1)
        for speak, pause in weights:
            spans.append(Span(clock, clock + speak * unit))
            clock += (speak + pause) * unit
    return spans


def _sections(words: Sequence[Word]) -> list[list[Word]]:
    groups: dict[int, list[Word]] = {}
    for word in words:
        groups.setdefault(word.section, []).append(word)
    return [groups[k] for k in sorted(groups)]


@lru_cache(maxsize=65_536)
def _said(text: str) -> tuple[int, float]:
    """The words a word's text counts as, and its share of the time (its letters and digits, plus
    ``WORD_EXTRA``); worked out once a run for each text ("the", "of" ... come again and again)."""
    return count_words(text), sum(c.isalnum() for c in text) + WORD_EXTRA


def _pause(word: Word) -> float:
    return SENTENCE_PAUSE if word.sentence_end else CLAUSE_PAUSE if word.clause_end else 0.0


def section_anchors(headings: Sequence[str], chapters: Sequence[Chapter]) -> list[int | None]:
    """The second each section starts at by the chapters, or None where no chapter says."""
    if not chapters:
        return [0, *([None] * (len(headings) - 1))] if headings else []
    if len(chapters) == len(headings):
        return [c.seconds for c in chapters]
    by_title = {_plain(c.title): c.seconds for c in chapters}
    anchors: list[int | None] = []
    latest = -1
    for index, heading in enumerate(headings):
        at = 0 if index == 0 else by_title.get(_plain(heading))
        if at is not None and at > latest:
            anchors.append(at)
            latest = at
        else:
            anchors.append(None)
    return anchors


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def anchored(words: Sequence[Word], spans: Sequence[Span], anchors: Sequence[int | None]) -> list[Span]:
    """``spans`` (an estimate) with each run of sections scaled to fit between its anchors."""
    starts = _section_starts(words, spans)
    points = [(index, float(at)) for index, at in enumerate(anchors) if at is not None and index in starts]
    out = list(spans)
    for n, (section, at) in enumerate(points):
        est_from = starts[section]
        if n + 1 < len(points):
            est_to, real_to = starts[points[n + 1][0]], points[n + 1][1]
            scale = (real_to - at) / (est_to - est_from) if est_to > est_from else 1.0
        else:
            scale = 1.0
        for i, word in enumerate(words):
            if word.section >= section and (n + 1 == len(points) or word.section < points[n + 1][0]):
                out[i] = Span(at + (spans[i].start - est_from) * scale, at + (spans[i].end - est_from) * scale)
    return out


def _section_starts(words: Sequence[Word], spans: Sequence[Span]) -> dict[int, float]:
    starts: dict[int, float] = {}
    for word, span in zip(words, spans):
        starts.setdefault(word.section, span.start)
    return starts


def fill_between(estimated: Sequence[Span], measured: Sequence[Span | None], end: float) -> list[Span]:
    """The measured times, and for each run of words without one the estimate's shape stretched
    between the measured neighbours (0:00 before the first, ``end`` after the last)."""
    out: list[Span] = []
    i = 0
    while i < len(measured):
        if measured[i] is not None:
            out.append(measured[i])  # type: ignore[arg-type]
            i += 1
            continue
        j = i
        while j < len(measured) and measured[j] is None:
            j += 1
        low = out[-1].end if out else 0.0
        high = measured[j].start if j < len(measured) else max(end, low)  # type: ignore[union-attr]
        out.extend(_stretch(estimated[i:j], low, high))
        i = j
    return out


def _stretch(spans: Sequence[Span], low: float, high: float) -> list[Span]:
    """``spans`` moved and scaled to lie between ``low`` and ``high``, keeping their proportions."""
    first, last = spans[0].start, spans[-1].end
    scale = (high - low) / (last - first) if last > first else 0.0
    return [Span(low + (s.start - first) * scale, low + (s.end - first) * scale) for s in spans]
