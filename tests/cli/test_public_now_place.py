"""`upload` refuses a public video without a future release time at the line that makes it public:
the episode's `upload.privacy`, or the channel's default in channel.yaml."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def video(channel):
    (channel.root / "video.mp4").write_bytes(os.urandom(10_000))


def _lines(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_episodes_own_privacy_line_is_named(channel, run_cli, fake, youtube_env, video):
    path = channel.episode("test-episode", """\
        title: A Test Episode
        schedule: "2020-01-01 09:00"
        summary: [First paragraph.]
        upload:
          video: video.mp4
          privacy: public
        """)
    for args in (("--yes",), ("--dry-run",)):
        result = run_cli("upload", "test-episode", *args, cwd=channel.root)
        assert result.code == 1
        (line,) = result.err.strip().splitlines()
        assert line.startswith("error: episodes/test-episode.yaml:6: upload.privacy: is public and its release time "
                               "(episodes/test-episode.yaml:2: schedule) 2020-01-01 14:00Z has passed")
        assert "--public-now" in line
    assert fake.requests == [] and "privacy: public" in path.read_text()


def test_the_channels_default_privacy_line_is_named(channel, run_cli, fake, youtube_env, video):
    text = (channel.root / "channel.yaml").read_text() + "upload:\n  category: 27\n  privacy: public\n"
    channel.write("channel.yaml", text)
    channel.episode("test-episode", "title: A Test Episode\nsummary: [First.]\nupload: {video: video.mp4}\n")
    result = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert result.code == 1
    (line,) = result.err.strip().splitlines()
    assert line.startswith(f"error: channel.yaml:{_lines(text, 'privacy: public')}: upload.privacy: is public "
                           "(the channel's default, which episodes/test-episode.yaml does not override) and "
                           "episodes/test-episode.yaml has no schedule")
    assert fake.requests == []
