"""`new` starts the next episode: a valid file on the next free slot, under a unique ASCII slug, never
overwriting one (the plan it keeps is in test_new_keeps_the_plan.py, its titles in test_new_titles.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from episodekit.models.slug import suggest_slug
from episodekit.pipeline.scaffold import new_episode
from episodekit.workspace import Workspace

MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_new_creates_a_valid_episode_on_the_next_free_wednesday(channel, run_cli):
    path = new_episode(Workspace.open(channel.root), "Sleep & Mood: What's the Link?", now=MONDAY)
    assert path == channel.root / "episodes" / "sleep-mood-what-s-the-link.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/episode.schema.json\n")
    assert 'schedule: "2026-12-02 09:00"' in text  # the test episode takes 2026-11-25
    result = run_cli("check", str(path), cwd=channel.root)
    assert result.code == 0, result.err
    assert "still says TODO" in result.err  # a warning, not an error


def test_new_never_overwrites_and_picks_a_unique_slug(channel, run_cli):
    first = run_cli("new", "A Test Episode", "--force", cwd=channel.root)
    assert first.code == 0
    assert "episodes/a-test-episode.yaml" in first.out
    second = run_cli("new", "A Test Episode", "--force", cwd=channel.root)
    assert "episodes/a-test-episode-2.yaml" in second.out
    assert (channel.root / "episodes" / "test-episode.yaml").read_text().startswith("title: A Test Episode")


def test_new_with_an_empty_title_is_a_usage_error(channel, run_cli):
    assert run_cli("new", "   ", cwd=channel.root).code == 2


def test_slugs_are_ascii():
    assert suggest_slug("Ça va? Dépression & Schlaf") == "ca-va-depression-schlaf"
    assert suggest_slug("???") == "episode"
    assert len(suggest_slug("word " * 40)) <= 60
