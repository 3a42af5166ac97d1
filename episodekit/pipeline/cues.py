"""Timed words become caption cues, by common caption practice.

A cue holds at most 2 lines of at most 42 characters and lasts from 5/6 of a second to 7 seconds,
read at no more than 20 characters a second. Cues end at sentence ends where they can, else at a
clause end (a comma, a colon, a dash), and never between two glued words (a name, see ``spoken``);
a line breaks at the same places, with the two lines as even as they can be. A cue never spans
two sections. The best split is found by dynamic programming over the words of each section: every
rule broken costs, a sentence broken inside a cue costs, and a cue that breaks a rule is chosen only
when no split keeps them all (a name longer than a cue); ``rule_breaks`` names each such cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .spoken import Word
from .timing import Span

MAX_LINES = 2
MAX_LINE_CHARS = 42
MIN_SECONDS = 5 / 6
MAX_SECONDS = 7.0
MAX_CHARS_PER_SECOND = 20.0
LINGER = 0.3  # seconds a cue stays after its last word, when the next one leaves time

# what each choice costs the dynamic programming
_COST = {"cue": 3.0, "sentence": 0.0, "clause": 2.0, "word": 6.0, "glued": 1000.0, "sentence_inside": 4.0,
         "rule": 200.0, "weak_end": 4.0, "short": 4.0}
# a cue or a line should not end on a word that leans on the next one
WEAK_ENDS = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
    "that", "which", "who", "whose", "when", "where", "why", "if", "than", "so", "do", "does", "is", "are", "was",
    "were", "be", "their", "its", "his", "her", "our", "your", "my", "this", "these", "those", "into", "about",
})
SHORT_CUE_CHARS = 20  # a cue with fewer characters than this costs a little more


@dataclass(frozen=True)
class Cue:
    """One caption: its time in milliseconds and its lines."""

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The cue's lines as one text."""
        return "\n".join(self.lines)

    @property
    def seconds(self) -> float:
        """How long the cue is shown, in seconds."""
        return (self.end_ms - self.start_ms) / 1000

    @property
    def chars_per_second(self) -> float:
        """The reading speed the cue asks for (infinite when it has no time)."""
        return len(" ".join(self.lines)) / self.seconds if self.seconds > 0 else float("inf")


def build_cues(words: Sequence[Word], spans: Sequence[Span]) -> list[Cue]:
    """The cues of ``words`` said at ``spans``, section by section."""
    cues: list[Cue] = []
    start = 0
    for end in range(1, len(words) + 1):
        if end == len(words) or words[end].section != words[start].section:
            following = spans[end].start if end < len(words) else None
            cues.extend(_section_cues(words[start:end], spans[start:end], following))
            start = end
    return cues


def _section_cues(words: Sequence[Word], spans: Sequence[Span], following: float | None) -> list[Cue]:
    n = len(words)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * n
    for i in range(n):
        if best[i][0] == float("inf"):
            continue
        for j in range(i + 1, n + 1):
            chars = len(" ".join(w.text for w in words[i:j]))
            if chars > MAX_LINES * MAX_LINE_CHARS and j > i + 1:
                break
            next_start = spans[j].start if j < n else following
            cost = best[i][0] + _cue_cost(words, spans, i, j, next_start)
            if cost < best[j][0]:
                best[j] = (cost, i)
    bounds, j = [], n
    while j > 0:
        bounds.append((best[j][1], j))
        j = best[j][1]
    cues = []
    for i, j in reversed(bounds):
        next_start = spans[j].start if j < n else following
        start, end = _shown(spans, i, j, next_start)
        cues.append(Cue(round(start * 1000), round(end * 1000), split_lines([w.text for w in words[i:j]],
                                                                            [w.glued for w in words[i:j]])))
    return cues


def _shown(spans: Sequence[Span], i: int, j: int, next_start: float | None) -> tuple[float, float]:
    """When the cue of words ``i:j`` is on screen: from its first word, lingering a little after its last
    (at least 5/6 s, at most 7 s), and never into the next cue."""
    start = spans[i].start
    end = min(max(spans[j - 1].end + LINGER, start + MIN_SECONDS), start + MAX_SECONDS)
    if next_start is not None:
        end = min(end, next_start)
    return start, max(end, start + 0.001)


def _cue_cost(words: Sequence[Word], spans: Sequence[Span], i: int, j: int, next_start: float | None) -> float:
    cue = words[i:j]
    cost = _COST["cue"] + _break_cost(cue[-1]) * (j < len(words))
    chars = len(" ".join(w.text for w in cue))
    cost += _COST["short"] * max(0, SHORT_CUE_CHARS - chars) / SHORT_CUE_CHARS
    cost += _COST["sentence_inside"] * sum(w.sentence_end for w in cue[:-1])
    lines = split_lines([w.text for w in cue], [w.glued for w in cue])
    start, end = _shown(spans, i, j, next_start)
    broken = rule_breaks(Cue(round(start * 1000), round(end * 1000), lines))
    if spans[j - 1].end - start > MAX_SECONDS:
        broken.append("speech")
    return cost + _COST["rule"] * len(broken)


def _break_cost(last: Word) -> float:
    if last.glued:
        return _COST["glued"]
    if last.sentence_end:
        return _COST["sentence"]
    if last.clause_end:
        return _COST["clause"]
    return _COST["word"] + _COST["weak_end"] * (last.text.casefold() in WEAK_ENDS)


def split_lines(texts: Sequence[str], glued: Sequence[bool]) -> tuple[str, ...]:
    """One line when the words fit in one, else the best place for the line break: after a sentence
    or clause end, never inside a name, the two lines as even as they can be."""
    whole = " ".join(texts)
    if len(whole) <= MAX_LINE_CHARS or len(texts) == 1:
        return (whole,)
    best: tuple[float, int] | None = None
    for k in range(1, len(texts)):
        top, bottom = " ".join(texts[:k]), " ".join(texts[k:])
        over = max(len(top), len(bottom)) > MAX_LINE_CHARS
        cost = 1000.0 * over + 1000.0 * glued[k - 1] + abs(len(top) - len(bottom)) / 8
        cost += 0 if texts[k - 1].endswith((".", "!", "?", ",", ";", ":", "—", "–")) else 2.0
        cost += 2.0 * (texts[k - 1].casefold() in WEAK_ENDS)
        if best is None or cost < best[0]:
            best = (cost, k)
    assert best is not None
    return (" ".join(texts[:best[1]]), " ".join(texts[best[1]:]))


def rule_breaks(cue: Cue) -> list[str]:
    """The caption rules ``cue`` breaks, each in a few words; empty when it keeps them all."""
    broken = []
    if len(cue.lines) > MAX_LINES:
        broken.append(f"{len(cue.lines)} lines")
    if any(len(line) > MAX_LINE_CHARS for line in cue.lines):
        broken.append(f"a line of {max(len(line) for line in cue.lines)} characters")
    if cue.seconds < MIN_SECONDS - 0.0005:
        broken.append(f"on screen {cue.seconds:.2f} s")
    if cue.seconds > MAX_SECONDS + 0.0005:
        broken.append(f"on screen {cue.seconds:.1f} s")
    if cue.chars_per_second > MAX_CHARS_PER_SECOND + 0.05:
        broken.append(f"{cue.chars_per_second:.0f} characters a second")
    return broken
