"""One rule for slugs: file names that cannot be linked are refused with the fixed name; `new` makes good ones."""

from __future__ import annotations

import pytest

from episodekit.models.slug import MAX_SLUG_LENGTH, check_slug, suggest_slug

VALID = "title: Fine\nsummary: [One.]\n"


@pytest.mark.parametrize("name, fixed", [
    ("My Episode.yaml", "my-episode.yaml"),
    ("--help.yaml", "help.yaml"),
    ("UPPER.yaml", "upper.yaml"),
    ("...yaml", "episode.yaml"),
    ("sleep_and_mood.yaml", "sleep-and-mood.yaml"),
    ("double--hyphen.yml", "double-hyphen.yaml"),
    ("Schlaf.und.Traum.yaml", "schlaf-und-traum.yaml"),
])
def test_an_episode_file_whose_name_is_not_a_slug_is_refused_with_the_fixed_name(name, fixed, channel, run_cli):
    channel.write(f"episodes/{name}", VALID)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"episodes/{name}: ")
    assert "lowercase letters a-z, digits and single hyphens" in lines[0]
    assert f"rename {name} to {fixed}" in lines[0]


def test_render_never_writes_outside_build_for_a_dot_dot_slug(channel, run_cli):
    channel.write("episodes/...yaml", VALID)
    result = run_cli("render", cwd=channel.root)
    assert result.code == 1
    assert "episodes/...yaml: " in result.err
    assert not (channel.root / "description.txt").exists()
    assert not (channel.root / "build").exists()


def test_the_suggestion_says_when_the_fixed_name_is_taken(channel, run_cli):
    channel.write("episodes/Test-Episode.yaml", VALID)
    result = run_cli("check", "episodes/Test-Episode.yaml", cwd=channel.root)
    assert result.code == 1
    assert "rename Test-Episode.yaml to test-episode.yaml" not in result.err
    assert "test-episode.yaml exists already" in result.err


def test_a_bad_name_and_a_bad_file_are_both_reported(channel, run_cli):
    channel.write("episodes/Bad Name.yaml", "title: [unclosed\n")
    result = run_cli("check", "episodes/Bad Name.yaml", cwd=channel.root)
    assert result.code == 1
    assert "rename Bad Name.yaml to bad-name.yaml" in result.err and "YAML syntax error" in result.err


@pytest.mark.parametrize("link, fixed", [("My Episode", "my-episode"), ("UPPER", "upper"), ("--help", "help")])
def test_an_episode_link_uses_the_same_rule_and_message_not_a_raw_regex(link, fixed, channel, run_cli):
    channel.episode("linking", f"title: Linking\nsummary: [One.]\nvideos:\n  - episode: {link!r}\n")
    result = run_cli("check", "episodes/linking.yaml", cwd=channel.root)
    assert result.code == 1
    assert "episodes/linking.yaml:4: videos[0].episode: " in result.err
    assert "lowercase letters a-z, digits and single hyphens" in result.err
    assert f"did you mean {fixed!r}?" in result.err
    assert "pattern" not in result.err and "^[a-z0-9]" not in result.err


def test_a_linked_slug_that_follows_the_rule_still_works(channel, run_cli):
    channel.episode("linking", "title: Linking\nsummary: [One.]\nvideos:\n  - episode: test-episode\n")
    result = run_cli("check", "episodes/linking.yaml", cwd=channel.root)
    assert result.code == 0, result.err


@pytest.mark.parametrize("text", [
    "Депрессия и сон", "Straße", "日本語のタイトル", "🎉🎉", "..", "--help", "a" * 200, "x " * 100,
    "Ça va? Dépression & Schlaf", "O'Brien’s “quotes”", "\u200b", "1920s", "_-_",
])
def test_every_suggested_slug_follows_the_rule(text):
    slug = suggest_slug(text)
    assert check_slug(slug) is None, slug
    assert 0 < len(slug) <= MAX_SLUG_LENGTH


def test_check_slug_says_what_a_slug_may_contain():
    assert check_slug("sleep-and-mood") is None
    message = check_slug("Sleep and Mood")
    assert message and "lowercase letters a-z, digits and single hyphens" in message


@pytest.mark.parametrize("title, file", [
    ("Депрессия и сон", "depressiia-i-son.yaml"),
    ("Straße und Schlaf", "strasse-und-schlaf.yaml"),
    ("Ça va? Dépression & Schlaf", "ca-va-depression-schlaf.yaml"),
])
def test_new_transliterates_the_title_into_the_slug(title, file, channel, run_cli):
    result = run_cli("new", title, cwd=channel.root)
    assert result.code == 0, result.err
    assert f"wrote episodes/{file}" in result.out
    assert run_cli("check", f"episodes/{file}", cwd=channel.root).code == 0


def test_new_keeps_the_slug_within_its_length_also_when_numbered(channel, run_cli):
    title = "A very long title about sleep and mood and everything that sits between them both"
    first = run_cli("new", title, cwd=channel.root)
    second = run_cli("new", title, "--force", cwd=channel.root)
    assert first.code == 0 and second.code == 0, second.err
    names = sorted(p.stem for p in (channel.root / "episodes").iterdir())
    made = [n for n in names if n != "test-episode"]
    assert len(made) == 2 and made[1].endswith("-2")
    assert all(len(n) <= MAX_SLUG_LENGTH and check_slug(n) is None for n in made)


@pytest.mark.parametrize("title", ["A Test Episode", "a test   EPISODE", "  A Test Episode "])
def test_new_with_the_title_of_an_existing_episode_refuses_naming_the_file(title, channel, run_cli):
    result = run_cli("new", title, cwd=channel.root)
    assert result.code == 1
    assert "episodes/test-episode.yaml" in result.err and "--force" in result.err
    assert sorted(p.name for p in (channel.root / "episodes").iterdir()) == ["test-episode.yaml"]


def test_new_also_sees_the_title_of_an_episode_that_does_not_pass_check_yet(channel, run_cli):
    channel.episode("draft", "title: Sleep and Mood\n")  # no summary yet: invalid
    result = run_cli("new", "Sleep and mood", cwd=channel.root)
    assert result.code == 1 and "episodes/draft.yaml" in result.err


def test_new_with_force_creates_a_second_episode_of_the_same_title(channel, run_cli):
    result = run_cli("new", "A Test Episode", "--force", cwd=channel.root)
    assert result.code == 0, result.err
    assert "wrote episodes/a-test-episode.yaml" in result.out
    assert 'title: "A Test Episode"' in (channel.root / "episodes" / "a-test-episode.yaml").read_text()
