"""`youtube_channel` in channel.yaml: read with its title comment, written in place, checked like every key."""

from __future__ import annotations

import pytest

from episodekit.errors import InputError, RefusedError
from episodekit.pipeline.channelpin import comment_text, pin, pinned
from episodekit.workspace import Workspace

CHANNEL_ID = "UCabcdefghijklmnopqrstuv"


def test_a_folder_is_pinned_in_place_keeping_every_comment(channel):
    path = channel.root / "channel.yaml"
    path.write_text("# My channel's settings\n" + path.read_text().replace("tags:", "# shared tags\ntags:"))
    before = path.read_text()
    ws = Workspace.open(channel.root)
    assert pinned(ws) is None

    assert pin(ws, CHANNEL_ID, "Mind & Brain") is True

    after = path.read_text()
    assert after == before + f"youtube_channel: {CHANNEL_ID}  # Mind & Brain\n"
    assert ws.channel.youtube_channel == CHANNEL_ID  # the workspace sees it at once
    assert str(pinned(Workspace.open(channel.root))) == f"'Mind & Brain' ({CHANNEL_ID})"
    assert pin(ws, CHANNEL_ID, "Another title") is False and path.read_text() == after


def test_a_folder_pinned_to_another_channel_is_never_moved(channel):
    path = channel.root / "channel.yaml"
    path.write_text(path.read_text() + f"youtube_channel: {CHANNEL_ID}\n")
    ws = Workspace.open(channel.root)
    assert str(pinned(ws)) == CHANNEL_ID  # no comment: the id alone
    with pytest.raises(RefusedError, match=f"youtube_channel is {CHANNEL_ID} now"):
        pin(ws, "UCzzzzzzzzzzzzzzzzzzzzzz", "Other")
    assert path.read_text().endswith(f"youtube_channel: {CHANNEL_ID}\n")


def test_a_title_becomes_one_short_line_of_comment():
    assert comment_text("Line one\nline\ttwo\x07") == "Line one line two"
    assert len(comment_text("x" * 300)) == 100


@pytest.mark.parametrize("value", ["UC123", "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "@handle"])
def test_a_value_that_is_no_channel_id_is_an_error_at_its_line(channel, value):
    path = channel.root / "channel.yaml"
    path.write_text(path.read_text() + f"youtube_channel: '{value}'\n")
    with pytest.raises(InputError) as info:
        Workspace.open(channel.root)
    (problem,) = info.value.problems
    assert problem.line == len(path.read_text().splitlines()) and problem.field == "youtube_channel"
    assert "is not a YouTube channel id" in problem.message and "auth login" in problem.message
