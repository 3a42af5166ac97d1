"""`new TITLE` refused because an episode has that title already: the message quotes that episode's
title as its file writes it and names the file and line."""

from __future__ import annotations


def test_the_refusal_quotes_the_existing_title_and_names_its_file_and_line(channel, run_cli):
    channel.episode("sleep", "# my draft\nsummary: [Soon.]\ntitle: Why  Sleep Matters\n")
    result = run_cli("new", "why sleep MATTERS", cwd=channel.root)
    assert result.code == 1
    (line,) = result.err.strip().splitlines()
    assert line.startswith("error: episodes/sleep.yaml:3: ")
    assert "'Why  Sleep Matters'" in line and "'why sleep MATTERS'" in line and "--force" in line
    assert sorted(p.name for p in (channel.root / "episodes").iterdir()) == ["sleep.yaml", "test-episode.yaml"]


def test_an_invalid_episode_with_the_title_is_quoted_too(channel, run_cli):
    channel.episode("draft", "title: Sleep and Mood\nsumary: [typo]\n")  # does not pass check yet
    result = run_cli("new", "Sleep and mood", cwd=channel.root)
    assert result.code == 1
    assert "episodes/draft.yaml:1: " in result.err and "'Sleep and Mood'" in result.err
