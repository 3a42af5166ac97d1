"""Captions timed from the audio: speech made now by espeak-ng from a known script, aligned by
pocketsphinx, each cue starting where espeak-ng says its first word starts (within TOLERANCE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from speech import skip_unless_speech, speak

from episodekit.pipeline.align import extra_missing
from episodekit.pipeline.build import build_valid
from episodekit.pipeline.captionfile import make_captions
from episodekit.pipeline.captions import spoken_of
from episodekit.pipeline.spoken import spoken_text
from episodekit.workspace import Workspace
from testkit import copy_sample

TOLERANCE = 0.25  # seconds between a cue's start and the synthesized start of its first word

if (_missing := extra_missing()) is not None:
    pytest.skip(_missing, allow_module_level=True)
skip_unless_speech()


def _sample(root: Path) -> Path:
    return copy_sample(root, ledger=False)


def _cue_starts(words, track):
    """Each cue's start with the index of its first word."""
    found, at = [], 0
    for cue in track.cues:
        first, said = at, []
        while " ".join(said) != " ".join(cue.lines):
            said.append(words[at].text)
            at += 1
        found.append((first, cue.start_ms / 1000))
    return found


def _offsets(text: str, words) -> list[int]:
    offsets, at = [], 0
    for word in words:
        at = text.index(word.text, at)
        offsets.append(at)
        at += len(word.text)
    return offsets


@pytest.fixture(scope="module")
def spoken_sample(tmp_path_factory):
    root = _sample(tmp_path_factory.mktemp("sample"))
    ws = Workspace.open(root)
    build = build_valid(ws, ws.episodes_dir / "what-causes-depression.yaml")
    text = " ".join(spoken_text(s.body) for s in build.loaded.model.script)
    return ws, build, text, speak(text, root / "speech.wav")


def test_the_cues_start_where_the_synthesized_words_start(spoken_sample):
    ws, build, text, speech = spoken_sample
    target, track = make_captions(ws, build, "srt", ws.root / "out.srt", speech.path)
    words = spoken_of(build.resolved)
    offsets = _offsets(text, words)
    errors = [abs(start - speech.start_of(offsets[first])) for first, start in _cue_starts(words, track)]
    assert track.timing.aligned == track.timing.words == len(words)
    assert max(errors) <= TOLERANCE, max(errors)
    assert track.timing.source == "speech.wav" and target.read_text().startswith("1\n00:00:00,")


def test_a_skipped_sentence_is_named_and_timed_between_its_neighbours(channel, tmp_path):
    sentences = ["Synapses grow when we learn something new.", "Stress makes the small spines shrink back.",
                 "Treatment lets them grow again over weeks.", "That is the hopeful part of the story."]
    channel.episode("short", f"title: Short\nsummary: [S.]\nscript: [{{heading: H, body: '{' '.join(sentences)}'}}]\n")
    speech = speak(" ".join(sentences[:1] + sentences[2:]), tmp_path / "skipped.wav")
    ws = Workspace.open(channel.root)
    build = build_valid(ws, ws.episodes_dir / "short.yaml")
    _, track = make_captions(ws, build, "vtt", tmp_path / "out.vtt", speech.path)
    (gap,) = track.timing.unaligned
    assert gap.words == sentences[1] and gap.heading == "H"
    last_said = next(w for w in speech.words if w.text == "new").start  # the aligned neighbours
    next_said = next(w for w in speech.words if w.text == "Treatment").start
    assert last_said < gap.start <= gap.end <= next_said + TOLERANCE
    assert track.timing.aligned == track.timing.words - len(sentences[1].split())


def test_a_language_without_a_model_is_timed_by_the_estimate_and_says_so(channel, tmp_path):
    speech = speak("Ein kurzer Satz.", tmp_path / "de.wav", voice="de")
    channel.episode("de", "title: De\nsummary: [S.]\nupload: {language: de}\nscript: [{heading: H, body: Ein kurzer Satz.}]\n")
    ws = Workspace.open(channel.root)
    _, track = make_captions(ws, build_valid(ws, ws.episodes_dir / "de.yaml"), "srt", tmp_path / "de.srt", speech.path)
    assert track.timing.source == "estimate" and "no speech model for the language 'de'" in track.timing.notes[0]
