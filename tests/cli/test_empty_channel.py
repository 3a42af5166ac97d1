"""A channel with no episodes yet is a normal first state: every overview command says so and exits 0."""

from __future__ import annotations

import json

import pytest

NOTE = "no episodes yet: create one with `episodekit new TITLE`"  # the program as it was run


@pytest.fixture(params=["no episodes folder", "an empty episodes folder"])
def empty(channel, request):
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    if request.param == "no episodes folder":
        (channel.root / "episodes").rmdir()
    return channel


@pytest.mark.parametrize("command", ["check", "render", "status", "calendar"])
def test_an_empty_channel_is_fine_and_says_how_to_start(empty, run_cli, command):
    result = run_cli(command, cwd=empty.root)
    assert result.code == 0, result.err
    assert NOTE in result.out
    assert str(empty.root) not in result.out + result.err  # no absolute paths
    assert "error" not in result.out + result.err


@pytest.mark.parametrize("command", ["check", "status", "calendar"])
def test_json_of_an_empty_channel_is_still_one_json_document(empty, run_cli, command):
    result = run_cli(command, "--json", cwd=empty.root)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert all(row.get("slug") is None for row in rows)
    assert NOTE in result.err


def test_render_of_an_empty_channel_writes_nothing(empty, run_cli):
    assert run_cli("render", cwd=empty.root).code == 0
    assert not (empty.root / "build").exists()


def test_preview_needs_an_episode_even_in_an_empty_channel(empty, run_cli):
    assert run_cli("preview", cwd=empty.root).code == 2


def test_after_new_the_channel_checks_clean(empty, run_cli):
    assert run_cli("new", "First Steps", cwd=empty.root).code == 0
    result = run_cli("check", cwd=empty.root)
    assert result.code == 0, result.err
    assert NOTE not in result.out
