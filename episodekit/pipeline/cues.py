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

from bisect import bisect_left, bisect_right
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
    facts = _Facts(words, spans, following)
    costs, froms = [0.0] + [float("inf")] * n, [0] * (n + 1)  # the best cues up to each word, and where they start
    for i in range(n):
        if costs[i] != float("inf"):
            facts.relax(i, costs, froms)
    bounds, j = [], n
    while j > 0:
        bounds.append((froms[j], j))
        j = froms[j]
    cues = []
    for i, j in reversed(bounds):
        start, end = _shown(spans, i, j, facts.next_start[j])
        cues.append(Cue(round(start * 1000), round(end * 1000), split_lines(facts.texts[i:j], facts.glued[i:j])))
    return cues


class _Facts:
    """What the cost of a cue needs of a section's words, counted once: the length of any run of words
    (from running sums), the sentence ends inside it, the cost of ending a cue on each word, when each word
    is said, and where the next word a line may break after is."""

    def __init__(self, words: Sequence[Word], spans: Sequence[Span], following: float | None) -> None:
        n = len(words)
        self.texts = [w.text for w in words]
        self.glued = [w.glued for w in words]
        self.ends = [0]  # ends[k]: the characters of words[:k], each with the space after it
        self.sentences = [0]  # sentences[k]: the sentence ends among words[:k]
        for w in words:
            self.ends.append(self.ends[-1] + len(w.text) + 1)
            self.sentences.append(self.sentences[-1] + w.sentence_end)
        # end_cost[j]: what every cue ending before word j costs, whatever its length
        self.end_cost = [0.0] + [_COST["cue"] + _break_cost(w) * (j < n) for j, w in enumerate(words, 1)]
        self.starts = [s.start for s in spans]
        self.said = [s.end for s in spans]
        self.next_start = [*self.starts, following]  # next_start[j]: when what follows words[:j] starts
        self.bottom_fits = [bisect_left(self.ends, end - MAX_LINE_CHARS - 1) for end in self.ends]
        self.breakable = [n] * (n + 1)  # breakable[k]: the first word at or after k not glued
        for k in range(n - 1, -1, -1):
            self.breakable[k] = self.breakable[k + 1] if words[k].glued else k

    def relax(self, i: int, costs: list[float], froms: list[int]) -> None:
        """Offer ``costs`` and ``froms`` every cue that starts at word ``i``: what the plain search pays for building the
        cue and asking ``rule_breaks``, summed in the same order (``test_cue_costs`` holds it to that)."""
        ends, sentences, said, next_start, end_cost = self.ends, self.sentences, self.said, self.next_start, self.end_cost
        base, first, before, start = costs[i], ends[i] + 1, sentences[i], self.starts[i]
        shortest, longest, least, start_ms = start + MIN_SECONDS, start + MAX_SECONDS, start + 0.001, round(start * 1000)
        top_fits = bisect_right(ends, ends[i] + MAX_LINE_CHARS + 1) - 1  # the last break whose top line fits
        for j in range(i + 1, len(ends)):
            chars = ends[j] - first
            if chars > MAX_LINES * MAX_LINE_CHARS and j > i + 1:
                break
            cost = end_cost[j]
            if chars < SHORT_CUE_CHARS:
                cost += _COST["short"] * (SHORT_CUE_CHARS - chars) / SHORT_CUE_CHARS
            cost += _COST["sentence_inside"] * (sentences[j - 1] - before)
            if cost + base >= costs[j]:  # a broken rule only adds: this cue cannot do better (exactly)
                continue
            end = said[j - 1] + LINGER  # as ``_shown``
            end = shortest if end < shortest else longest if end > longest else end
            if next_start[j] is not None and next_start[j] < end:
                end = next_start[j]
            seconds = (round((least if end < least else end) * 1000) - start_ms) / 1000
            broken = chars > MAX_LINE_CHARS and (j - i == 1 or self._line_over(i, j, top_fits))
            broken += seconds < MIN_SECONDS - 0.0005 or seconds > MAX_SECONDS + 0.0005
            broken += seconds <= 0 or chars / seconds > MAX_CHARS_PER_SECOND + 0.05
            broken += said[j - 1] - start > MAX_SECONDS
            if broken:
                cost += _COST["rule"] * broken
            cost += base
            if cost < costs[j]:
                costs[j], froms[j] = cost, i

    def _line_over(self, i: int, j: int, top_fits: int) -> bool:
        """Whether ``split_lines`` of words ``i:j`` (two or more, longer than a line) makes a line too
        long, without making them: when some line break keeps both lines within the limit and is not
        inside a name, it is one of those (any other costs 1000 more); only otherwise are they made.
        A break after word k - 1 (i < k < j) keeps the top line within it while ``k <= top_fits``, the
        bottom one once ``k >= bottom_fits[j]``."""
        low, high = self.bottom_fits[j], top_fits
        low, high = i + 1 if low <= i else low, j - 1 if high >= j else high
        if low <= high and self.breakable[low - 1] < high:
            return False
        return max(len(line) for line in split_lines(self.texts[i:j], self.glued[i:j])) > MAX_LINE_CHARS


def _shown(spans: Sequence[Span], i: int, j: int, next_start: float | None) -> tuple[float, float]:
    """When the cue of words ``i:j`` is on screen: from its first word, lingering a little after its last
    (at least 5/6 s, at most 7 s), and never into the next cue."""
    start = spans[i].start
    end = min(max(spans[j - 1].end + LINGER, start + MIN_SECONDS), start + MAX_SECONDS)
    if next_start is not None:
        end = min(end, next_start)
    return start, max(end, start + 0.001)


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
    or clause end, never inside a name, the two lines as even as they can be. The lines' lengths are
    counted, not made, for each place (``test_cue_costs`` holds it to making them)."""
    whole = " ".join(texts)
    if len(whole) <= MAX_LINE_CHARS or len(texts) == 1:
        return (whole,)
    best: tuple[float, int] | None = None
    top = -1  # the length of " ".join(texts[:k])
    for k in range(1, len(texts)):
        top += len(texts[k - 1]) + 1
        bottom = len(whole) - top - 1
        over = (top if top > bottom else bottom) > MAX_LINE_CHARS
        cost = 1000.0 * over + 1000.0 * glued[k - 1] + abs(top - bottom) / 8
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
