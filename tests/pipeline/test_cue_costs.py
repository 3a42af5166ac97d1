"""The cue search costs each candidate cue from running sums, without building it; it must choose exactly
the cues that building every candidate and asking ``rule_breaks`` chooses (the plain search, kept here as
the reference), on random words with names, long words, sentence and clause ends, and crowded times."""

from __future__ import annotations

import random

import pytest

from episodekit.pipeline import cues
from episodekit.pipeline.cues import Cue, build_cues, rule_breaks, split_lines
from episodekit.pipeline.spoken import Word
from episodekit.pipeline.timing import Span


def _plain_split(texts, glued):
    whole = " ".join(texts)
    if len(whole) <= cues.MAX_LINE_CHARS or len(texts) == 1:
        return (whole,)
    best = None
    for k in range(1, len(texts)):
        top, bottom = " ".join(texts[:k]), " ".join(texts[k:])
        over = max(len(top), len(bottom)) > cues.MAX_LINE_CHARS
        cost = 1000.0 * over + 1000.0 * glued[k - 1] + abs(len(top) - len(bottom)) / 8
        cost += 0 if texts[k - 1].endswith((".", "!", "?", ",", ";", ":", "—", "–")) else 2.0
        cost += 2.0 * (texts[k - 1].casefold() in cues.WEAK_ENDS)
        if best is None or cost < best[0]:
            best = (cost, k)
    return (" ".join(texts[:best[1]]), " ".join(texts[best[1]:]))


def _plain_cost(words, spans, i, j, next_start):
    cue = words[i:j]
    cost = cues._COST["cue"] + cues._break_cost(cue[-1]) * (j < len(words))
    chars = len(" ".join(w.text for w in cue))
    cost += cues._COST["short"] * max(0, cues.SHORT_CUE_CHARS - chars) / cues.SHORT_CUE_CHARS
    cost += cues._COST["sentence_inside"] * sum(w.sentence_end for w in cue[:-1])
    lines = _plain_split([w.text for w in cue], [w.glued for w in cue])
    start, end = cues._shown(spans, i, j, next_start)
    broken = rule_breaks(Cue(round(start * 1000), round(end * 1000), lines))
    if spans[j - 1].end - start > cues.MAX_SECONDS:
        broken.append("speech")
    return cost + cues._COST["rule"] * len(broken)


def _plain_section(words, spans, following):
    n = len(words)
    best = [(0.0, 0)] + [(float("inf"), 0)] * n
    for i in range(n):
        if best[i][0] == float("inf"):
            continue
        for j in range(i + 1, n + 1):
            chars = len(" ".join(w.text for w in words[i:j]))
            if chars > cues.MAX_LINES * cues.MAX_LINE_CHARS and j > i + 1:
                break
            next_start = spans[j].start if j < n else following
            cost = best[i][0] + _plain_cost(words, spans, i, j, next_start)
            if cost < best[j][0]:
                best[j] = (cost, i)
    bounds, j = [], n
    while j > 0:
        bounds.append((best[j][1], j))
        j = best[j][1]
    out = []
    for i, j in reversed(bounds):
        next_start = spans[j].start if j < n else following
        start, end = cues._shown(spans, i, j, next_start)
        out.append(Cue(round(start * 1000), round(end * 1000),
                       _plain_split([w.text for w in words[i:j]], [w.glued for w in words[i:j]])))
    return out


def _plain(words, spans):
    out, start = [], 0
    for end in range(1, len(words) + 1):
        if end == len(words) or words[end].section != words[start].section:
            following = spans[end].start if end < len(words) else None
            out.extend(_plain_section(words[start:end], spans[start:end], following))
            start = end
    return out


def _random_words(rng: random.Random) -> tuple[list[Word], list[Span]]:
    words, spans, clock = [], [], 0.0
    for section in range(rng.randint(1, 4)):
        for _ in range(rng.randint(1, 40)):
            size = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 20, 30, 45, 60])
            text = "".join(rng.choice("abcdefghij") for _ in range(size)) + rng.choice(["", "", ".", ","])
            words.append(Word(text, section, text.endswith("."), text.endswith(","), rng.random() < 0.3))
            length = rng.choice([0.05, 0.2, 0.3, 0.5, 1.0, 3.0]) * rng.random()
            spans.append(Span(clock, clock + length))
            clock += length + rng.choice([0.0, 0.0, 0.1, 2.0])
    return words, spans


@pytest.mark.parametrize("seed", range(60))
def test_the_cue_search_chooses_what_building_every_cue_chooses(seed):
    words, spans = _random_words(random.Random(seed))
    assert build_cues(words, spans) == _plain(words, spans)


def test_a_name_longer_than_a_line_still_makes_the_same_cues():
    texts = ["Aaaaaaaaaaaaaaaaaaaa", "Bbbbbbbbbbbbbbbbbbbbbbbb", "Ccccccccccccccccccc", "dd", "ee."]
    words = [Word(t, 0, t.endswith("."), False, k < 2) for k, t in enumerate(texts)]
    spans = [Span(k * 0.4, k * 0.4 + 0.35) for k in range(len(texts))]
    chosen = build_cues(words, spans)
    assert chosen == _plain(words, spans)
    assert any(rule_breaks(c) for c in chosen)  # the name cannot be kept in one line: a rule is broken


@pytest.mark.parametrize("seed", range(20))
def test_the_line_break_is_where_making_both_lines_at_each_place_puts_it(seed):
    rng = random.Random(seed)
    for _ in range(50):
        words, _ = _random_words(rng)
        texts, glued = [w.text for w in words[:rng.randint(1, 12)]], [w.glued for w in words]
        assert split_lines(texts, glued) == _plain_split(texts, glued)
