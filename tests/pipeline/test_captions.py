"""The caption track made from the script: valid SubRip and WebVTT, the spoken words only, cues that keep
caption practice, names kept whole, and each section at its chapter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import srt
import webvtt

from episodekit.pipeline.build import build_valid
from episodekit.pipeline.captions import caption_track, spoken_of
from episodekit.pipeline.cues import MAX_CHARS_PER_SECOND, MAX_LINE_CHARS, MAX_SECONDS, MIN_SECONDS, rule_breaks
from episodekit.pipeline.spoken import names_of, spoken_words
from episodekit.workspace import Workspace
from testkit import REPO

SAMPLES = ["what-causes-depression", "depression-feedback-loop"]


def _track(root: Path, slug: str):
    ws = Workspace.open(root)
    build = build_valid(ws, ws.episodes_dir / f"{slug}.yaml")
    return build, caption_track(build.resolved)


@pytest.mark.parametrize("slug", SAMPLES)
def test_the_sample_track_parses_back_in_both_formats_with_the_same_cues(slug):
    _, track = _track(REPO, slug)
    subrip = list(srt.parse(track.as_format("srt")))
    vtt = webvtt.from_string(track.as_format("vtt"))
    assert len(subrip) == len(vtt.captions) == len(track.cues) > 10
    for cue, sub, cap, line in zip(track.cues, subrip, vtt.captions, track.cue_lines()):
        assert line.startswith(f"{cap.start} --> {cap.end}  ")
        assert sub.content == cap.text == cue.text
        assert sub.start.total_seconds() == pytest.approx(cue.start_ms / 1000)
        assert sub.end.total_seconds() == pytest.approx(cue.end_ms / 1000)


@pytest.mark.parametrize("slug", SAMPLES)
def test_every_cue_keeps_caption_practice(slug):
    _, track = _track(REPO, slug)
    for cue in track.cues:
        assert 1 <= len(cue.lines) <= 2 and all(len(line) <= MAX_LINE_CHARS for line in cue.lines), cue
        assert MIN_SECONDS - 0.001 <= cue.seconds <= MAX_SECONDS + 0.001, cue
        assert cue.chars_per_second <= MAX_CHARS_PER_SECOND, cue
        assert rule_breaks(cue) == []
    starts = [c.start_ms for c in track.cues]
    assert starts == sorted(starts) and all(a.end_ms <= b.start_ms for a, b in zip(track.cues, track.cues[1:]))
    assert track.problems == ()


def test_the_track_holds_the_spoken_words_only_in_order():
    build, track = _track(REPO, "what-causes-depression")
    shown = " ".join(" ".join(c.lines) for c in track.cues)
    assert "[" not in shown and "@" not in shown  # no citation cue or marker
    assert not any(s.heading in shown for s in build.loaded.model.script)  # no heading
    spoken = " ".join(re.sub(r"\s*\[@[^\]]*\]", "", s.body) for s in build.loaded.model.script)
    assert shown.split() == spoken.split()


def test_each_section_starts_at_its_chapter_and_no_cue_crosses_one():
    build, track = _track(REPO, "what-causes-depression")
    marks = [c.seconds * 1000 for c in build.loaded.model.chapters]  # 0:00, 1:05, 3:20
    firsts = [s.body.split()[0] for s in build.loaded.model.script]
    for mark, first in zip(marks, firsts):
        (cue,) = [c for c in track.cues if c.start_ms == mark]
        assert cue.lines[0].startswith(first)
    for mark in marks[1:]:
        assert all(not (c.start_ms < mark < c.end_ms) and c.end_ms <= mark or c.start_ms >= mark for c in track.cues)
    before = [c for c in track.cues if c.start_ms < marks[1]]
    assert before[-1].end_ms <= marks[1] and before[-1].lines[-1].endswith("hours?")


def test_without_matching_chapters_a_heading_named_like_a_chapter_anchors_its_section(channel):
    channel.episode("two", """\
title: Two
summary: [S.]
script:
  - {heading: One, body: First words here. More words follow now.}
  - {heading: Second part, body: Then the second part starts here.}
  - {heading: Third, body: And a third part closes it.}
chapters:
  - {at: "0:00", title: Intro}
  - {at: "0:40", title: Second Part}
  - {at: "0:55", title: Questions}
  - {at: "1:10", title: Outro}
""")
    _, track = _track(channel.root, "two")
    assert any(c.start_ms == 40_000 and c.lines[0].startswith("Then") for c in track.cues)
    assert [heading for heading, at in track.timing.anchors if at is not None] == ["One", "Second part"]


def test_an_episode_rate_overrides_the_channel_rate(channel):
    body = "One two three four five six seven eight nine ten. " * 6
    channel.episode("slow", f"title: Slow\nsummary: [S.]\nscript: [{{heading: H, body: '{body}'}}]\n")
    channel.episode("fast", f"title: Fast\nsummary: [S.]\nwords_per_minute: 300\nscript: [{{heading: H, body: '{body}'}}]\n")
    _, slow = _track(channel.root, "slow")
    _, fast = _track(channel.root, "fast")
    assert slow.timing.words_per_minute == 150 and fast.timing.words_per_minute == 300
    assert fast.cues[-1].end_ms < slow.cues[-1].end_ms * 0.6


def test_stage_directions_and_markers_are_not_captioned(channel):
    channel.episode("directed", "title: D\nsummary: [S.]\nscript:\n  - heading: H\n    body: "
                    "'Hello there [pause] and welcome [B-roll: a synapse] to the show [@kang2012].'\n"
                    "citations: [kang2012]\n")
    _, track = _track(channel.root, "directed")
    assert [c.text for c in track.cues] == ["Hello there and welcome to the show."]


def test_a_name_is_never_split_across_lines_or_cues(channel):
    names = "Ludwig van Beethoven, Barrós-Loscertales et al. and Major Depressive Disorder with BDNF"
    body = f"In the long history of careful research the studies by {names} changed what we think about mood."
    channel.episode("names", f"title: N\nsummary: [S.]\ntags: [chemical imbalance]\nscript: [{{heading: H, body: '{body} "
                    "The idea of a chemical imbalance is simple and old and it is still repeated often today.'}]\n")
    _, track = _track(channel.root, "names")
    breaks = [(line.split()[-1], nxt.split()[0]) for c in track.cues for line, nxt in zip(c.lines, c.lines[1:])]
    breaks += [(a.lines[-1].split()[-1], b.lines[0].split()[0]) for a, b in zip(track.cues, track.cues[1:])]
    for pair in [("Ludwig", "van"), ("van", "Beethoven,"), ("Barrós-Loscertales", "et"), ("et", "al."),
                 ("Major", "Depressive"), ("Depressive", "Disorder"), ("chemical", "imbalance")]:
        assert pair not in breaks


def test_names_come_from_capitals_the_cited_authors_and_the_tags():
    words = spoken_words(["Work by Kang and colleagues on Ronald S. Duman found 20 mg of chemical imbalance helps."],
                         names_of([("Duman", "Ronald S. Duman")], ["chemical imbalance"]))
    glued = [w.text for w in words if w.glued]
    assert glued == ["Ronald", "S.", "20", "chemical"]


def test_the_text_form_is_stable_and_changes_with_one_cue(channel):
    _, first = _track(channel.root, "test-episode")
    _, again = _track(channel.root, "test-episode")
    assert first.text_form() == again.text_form() and first.text_form().count("\n") == len(first.cues)
    path = channel.root / "episodes/test-episode.yaml"
    path.write_text(path.read_text().replace("genes change", "genes differ"))
    _, changed = _track(channel.root, "test-episode")
    assert [a for a, b in zip(first.cue_lines(), changed.cue_lines()) if a != b] == [first.cue_lines()[0]]


def test_webvtt_escapes_what_it_must_and_subrip_shows_brackets_as_guillemets(channel):
    channel.episode("marks", "title: M\nsummary: [S.]\nscript: [{heading: H, body: 'Q&A about x < y > z today.'}]\n")
    _, track = _track(channel.root, "marks")
    assert "Q&amp;A about x &lt; y &gt; z today." in track.as_format("vtt")
    assert "Q&A about x ‹ y › z today." in track.as_format("srt")


def test_the_spoken_words_match_the_word_count_of_check():
    build, _ = _track(REPO, "what-causes-depression")
    assert len(spoken_of(build.resolved)) == build.rendered.words
