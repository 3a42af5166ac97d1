"""What the ledger's messages say: an `episodes:` written by hand with no value, one video id for two
episodes in `status`, `diff` of a video that matches, and the `ledger move` a message suggests."""

from __future__ import annotations

import json
import os

import pytest

from episodekit.errors import set_program_name


@pytest.fixture
def uploaded(channel, run_cli, fake, youtube_env):
    (channel.root / "video.mp4").write_bytes(os.urandom(50_000))
    result = run_cli("upload", "test-episode", "--video", "video.mp4", "--yes", cwd=channel.root)
    assert result.code == 0, result.err
    return channel


@pytest.mark.parametrize("written, says", [
    ("# my ledger\nepisodes:\n", "has no value"),
    ("episodes: [test-episode]\n", "holds a list"),
    ("episodes: 5\n", "holds a single value"),
])
def test_an_episodes_key_that_is_not_a_mapping_is_one_line_at_its_line(channel, run_cli, written, says):
    channel.write("published.yaml", written)
    line = written.splitlines().index(next(l for l in written.splitlines() if l.startswith("episodes"))) + 1
    for command in ("check", "status"):
        result = run_cli(command, cwd=channel.root)
        assert result.code == 1
        (shown,) = result.err.strip().splitlines()
        assert shown.startswith(f"published.yaml:{line}: episodes: {says}, but it must map")
        assert "episodes: {}" in shown and "git checkout -- published.yaml" in shown
        assert "Input should be" not in shown


def test_status_flags_a_video_id_recorded_for_two_episodes(uploaded, run_cli, fake):
    (video_id,) = fake.videos
    uploaded.episode("twin", "title: Another Episode\nsummary: [Something else.]\n")
    ledger = uploaded.root / "published.yaml"
    ledger.write_text(ledger.read_text() + f"  twin:\n    video_id: {video_id}\n")
    shown = run_cli("status", cwd=uploaded.root)
    lines = {line.split()[0]: line for line in shown.out.splitlines()}
    assert f"video {video_id} is also recorded for 'twin'" in lines["episodes/test-episode.yaml"]
    assert f"video {video_id} is also recorded for 'test-episode'" in lines["episodes/twin.yaml"]
    rows = {row["slug"]: row for row in json.loads(run_cli("status", "--json", cwd=uploaded.root).out)}
    assert rows["twin"]["shared_with"] == ["test-episode"] and rows["test-episode"]["shared_with"] == ["twin"]


def test_diff_of_a_shared_video_id_does_not_speak_of_syncing(uploaded, run_cli, fake):
    (video_id,) = fake.videos
    uploaded.episode("twin", "title: Another Episode\nsummary: [Something else.]\n")
    ledger = uploaded.root / "published.yaml"
    ledger.write_text(ledger.read_text() + f"  twin:\n    video_id: {video_id}\n")
    result = run_cli("diff", "twin", cwd=uploaded.root)
    assert result.code == 1
    assert "synced" not in result.err and "it was not compared with the live video" in result.err


def test_diff_of_a_video_that_matches_says_nothing_differs(uploaded, run_cli, fake):
    result = run_cli("diff", "test-episode", cwd=uploaded.root)
    assert result.code == 0, result.err
    assert result.out.strip() == "the live video matches a fresh render: nothing differs"
    assert "synced" not in result.out + result.err


def test_the_suggested_ledger_move_quotes_its_arguments_for_the_shell():
    from episodekit.pipeline.ledgercheck import move_command  # what check and upload suggest

    set_program_name("publish.py")
    try:
        assert move_command("old", "new") == "`publish.py ledger move old new`"
        assert move_command("it's", "a b") == "`publish.py ledger move 'it'\"'\"'s' 'a b'`"
    finally:
        set_program_name(None)
