"""The access token runs out mid-run and Google's sign-in server cannot be reached to renew it (the network
is down): one line, exit 3, no traceback, whatever the command was doing."""

from __future__ import annotations

import functools
import json
import os

import pytest

from episodekit.youtube import auth, connect

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def renewals_go_to_the_fake(fake, youtube_env, monkeypatch):
    """The sign-in renews at the fake's token endpoint (as at Google's), so nothing leaves loopback."""
    monkeypatch.setattr(connect, "load_credentials", functools.partial(auth.load_credentials,
                                                                       token_uri=fake.token_uri))
    return fake


def _token_dies(fake) -> None:
    fake.valid_tokens.clear()  # YouTube answers 401 to the next call, so the client renews the token
    fake.token_unreachable = True


def _one_line(result) -> str:
    assert result.code == 3, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    (line,) = [line for line in result.err.splitlines() if "WARNING" not in line]  # retries are logged
    assert "fake-refresh-token" not in result.err + result.out
    return line


def test_upload_when_the_token_cannot_be_renewed_is_one_line(channel, run_cli, renewals_go_to_the_fake):
    fake = renewals_go_to_the_fake
    (channel.root / "video.mp4").write_bytes(os.urandom(20_000))
    _token_dies(fake)
    result = run_cli("upload", "test-episode", "--video", "video.mp4", "--yes", cwd=channel.root)
    assert "sign-in server could not be reached" in _one_line(result)
    assert [r for r in fake.requests if r["op"] == "token"] and fake.videos == {}


def test_a_follow_up_step_that_cannot_renew_the_token_stays_pending(channel, run_cli, renewals_go_to_the_fake):
    fake = renewals_go_to_the_fake
    (channel.root / "video.mp4").write_bytes(os.urandom(20_000))
    (channel.root / "thumb.png").write_bytes(PNG)
    channel.episode("test-episode", "title: A Test Episode\nschedule: next\nsummary: [First.]\n"
                                    "upload: {video: video.mp4, thumbnail: thumb.png}\n")
    fake.fail_next("thumbnails.set", status=401)  # the token runs out as the thumbnail is sent
    fake.token_unreachable = True
    result = run_cli("upload", "test-episode", "--yes", "--json", cwd=channel.root)
    assert result.code == 3, result.err
    document = json.loads(result.out)
    assert document["pending"] == ["thumbnail"] and document["video_id"] in fake.videos
    assert "sign-in server could not be reached" in document["message"]


def test_diff_when_the_token_cannot_be_renewed_is_one_line(channel, run_cli, renewals_go_to_the_fake):
    fake = renewals_go_to_the_fake
    (channel.root / "video.mp4").write_bytes(os.urandom(20_000))
    assert run_cli("upload", "test-episode", "--video", "video.mp4", "--yes", cwd=channel.root).code == 0
    _token_dies(fake)
    for args in (("diff", "test-episode"), ("sync", "--yes"), ("auth", "status", "--online")):
        assert "sign-in server could not be reached" in _one_line(run_cli(*args, cwd=channel.root)), args


def test_youtube_out_of_reach_is_one_line(channel, run_cli, fake, youtube_env, monkeypatch):
    (channel.root / "video.mp4").write_bytes(os.urandom(20_000))
    assert run_cli("upload", "test-episode", "--video", "video.mp4", "--yes", cwd=channel.root).code == 0
    fake.stop()  # the network is down: nothing answers at the API's address
    line = _one_line(run_cli("diff", "test-episode", cwd=channel.root))
    assert "YouTube could not be reached" in line and "check the connection" in line
