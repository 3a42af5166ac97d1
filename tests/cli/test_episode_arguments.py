"""An episode named on the command line is a slug or a file in episodes/, by the one rule for slugs: never
channel.yaml or another file read as an episode. A file named only `.yaml` is a slug problem, and a slug
suggestion names the episode that was meant."""

from __future__ import annotations

import pytest

RULE = "a slug is lowercase letters a-z, digits and single hyphens between them"


@pytest.mark.parametrize("command", [["preview"], ["check"], ["render"], ["diff"], ["upload", "--dry-run"]])
@pytest.mark.parametrize("given", ["../channel", "channel.yaml", "episodes/../channel.yaml", "references.yaml",
                                   "published.yaml", "../outside.yaml"])
def test_a_file_that_is_not_an_episode_of_this_channel_is_refused(channel, run_cli, command, given):
    channel.write("published.yaml", "episodes: {}\n")
    (channel.root.parent / "outside.yaml").write_text("title: T\nsummary: [x]\n")
    result = run_cli(*command[:1], given, *command[1:], cwd=channel.root)
    assert result.code == 2, result.err
    assert f"{given}: is not an episode file of this channel; an episode is a file episodes/<slug>.yaml" in result.err
    assert "unknown key 'name'" not in result.err and "internal error" not in result.err


@pytest.mark.parametrize("given, meant", [("Test-Episode", "test-episode"), ("test episode", "test-episode"),
                                          ("UPPER", "upper")])
def test_a_slug_argument_that_is_not_a_slug_says_so_and_which_episode_it_means(channel, run_cli, given, meant):
    result = run_cli("preview", given, cwd=channel.root)
    assert result.code == 2
    assert f"{given}: {given!r} is not a slug: {RULE}" in result.err
    assert f"did you mean {meant!r}?" in result.err


@pytest.mark.parametrize("given", ["test-episode", "test-episode.yaml", "episodes/test-episode.yaml"])
def test_a_slug_its_file_name_and_its_path_all_name_the_episode(channel, run_cli, given):
    result = run_cli("preview", given, cwd=channel.root)
    assert result.code == 0, result.err
    assert result.out.startswith("First paragraph.")


def test_from_inside_episodes_a_file_name_is_the_episode(channel, run_cli):
    result = run_cli("preview", "test-episode.yaml", cwd=channel.root / "episodes")
    assert result.code == 0, result.err


def test_a_file_named_only_dot_yaml_is_one_slug_problem_for_check_and_when_named(channel, run_cli):
    channel.episode("", "title: T\nsummary: [x]\n")  # episodes/.yaml
    for args in (["check"], ["check", "episodes/.yaml"]):
        result = run_cli(*args, cwd=channel.root)
        assert result.code == 1
        [problem] = [line for line in result.err.splitlines() if ".yaml:" in line or "episodes/.yaml" in line]
        assert problem.startswith("episodes/.yaml: the file name is the episode's slug, and the slug is empty: ")
        assert "an episode file ends in .yaml" not in result.err


@pytest.mark.parametrize("link, said", [
    ("test-episode.yaml", "'test-episode.yaml' is not a slug: " + RULE),
    ("Test-Episode", "'Test-Episode' is not a slug: " + RULE),
    ("test_episode", "'test_episode' is not a slug: " + RULE),
])
def test_a_link_that_is_not_a_slug_suggests_the_episode_it_names(channel, run_cli, link, said):
    channel.episode("linking", f"title: Linking\nsummary: [One.]\nvideos:\n  - episode: {link!r}\n")
    result = run_cli("check", "episodes/linking.yaml", cwd=channel.root)
    assert result.code == 1
    assert f"episodes/linking.yaml:4: videos[0].episode: {said} (like my-episode); did you mean 'test-episode'?" \
        in result.err


def test_an_empty_link_says_it_is_empty_and_suggests_nothing(channel, run_cli):
    channel.episode("linking", "title: Linking\nsummary: [One.]\nvideos:\n  - episode: ''\n")
    result = run_cli("check", "episodes/linking.yaml", cwd=channel.root)
    assert result.code == 1
    assert f"videos[0].episode: the slug is empty: {RULE} (like my-episode)\n" in result.err
    assert "did you mean" not in result.err
