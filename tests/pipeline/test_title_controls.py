"""A published title (the episode's, a chapter's, a video's) holding bidirectional controls, or made of
combining marks alone, shows other than it is written: an error at its line, saying why."""

from __future__ import annotations

import json

import pytest

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def _episode(title: str = "A Test Episode", chapter: str = "Middle", video: str = "A talk") -> str:
    return f"""\
title: {json.dumps(title)}
summary: [First paragraph.]
chapters:
  - {{at: "0:00", title: Intro}}
  - {{at: "0:30", title: {json.dumps(chapter)}}}
  - {{at: "1:00", title: End}}
videos:
  - {{title: {json.dumps(video)}, url: https://youtu.be/2z5krS51pNg}}
"""


def _errors(run_cli, channel) -> list[dict]:
    result = run_cli("check", "--json", cwd=channel.root)
    assert result.code == 1, result.out
    return [p for p in json.loads(result.out) if p["severity"] == "error"]


@pytest.mark.parametrize("control", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_a_bidi_control_in_a_title_is_an_error_at_its_line(channel, run_cli, control):
    channel.episode("test-episode", _episode(title=f"Evil {control}txt.exe"))
    (error,) = _errors(run_cli, channel)
    assert (error["line"], error["field"]) == (1, "title")
    assert f"bidirectional control U+{ord(control):04X}" in error["message"]


@pytest.mark.parametrize("where, line, field", [
    ("chapter", 5, "chapters[1].title"), ("video", 8, "videos[0].title"),
])
def test_chapter_and_video_titles_are_held_to_it_too(channel, run_cli, where, line, field):
    channel.episode("test-episode", _episode(**{where: "Part \u202egnp.exe"}))
    (error,) = _errors(run_cli, channel)
    assert (error["line"], error["field"]) == (line, field) and "U+202E" in error["message"]


@pytest.mark.parametrize("marks", ["\u0301", "\u0301\u0308\u20dd", " \u0489 "])
def test_a_title_of_combining_marks_only_is_an_error(channel, run_cli, marks):
    channel.episode("test-episode", _episode(title=marks))
    (error,) = _errors(run_cli, channel)
    assert error["line"] == 1 and "only of combining marks" in error["message"]


def test_letters_with_combining_marks_and_arabic_text_are_fine(channel, run_cli):
    channel.episode("test-episode", _episode(title="Cafe\u0301 and \u0627\u0644\u0646\u0648\u0645"))
    assert run_cli("check", cwd=channel.root).code == 0


def test_new_refuses_such_a_title_and_writes_nothing(channel, run_cli):
    result = run_cli("new", "Sleep \u202eevil", cwd=channel.root)
    assert result.code == 2 and "bidirectional control U+202E" in result.err
    assert [p.name for p in (channel.root / "episodes").iterdir()] == ["test-episode.yaml"]
