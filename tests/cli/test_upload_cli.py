"""The upload and release commands, end to end: environment variables point at the fake YouTube."""

from __future__ import annotations

import json
import os

import pytest


@pytest.fixture
def video_size():
    return 300_000


def test_dry_run_prints_the_request_and_quota_with_no_token_and_sends_nothing(channel, run_cli, fake, monkeypatch):
    monkeypatch.setenv("EPISODEKIT_API_ROOT", fake.root_url)
    monkeypatch.setenv("EPISODEKIT_TOKEN_FILE", str(channel.root / "no-such-token.json"))
    result = run_cli("upload", "test-episode", "--video", "demo.mp4", "--dry-run", cwd=channel.root)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    insert = report["requests"][1]
    assert insert["call"] == "videos.insert" and insert["method"] == "POST"
    assert insert["url"].startswith(fake.root_url + "upload/youtube/v3/videos?")
    assert "uploadType=resumable" in insert["url"]
    assert insert["body"]["status"]["privacyStatus"] == "private"
    assert insert["body"]["status"]["publishAt"].endswith("Z")
    assert report["requests"][0]["call"] == "channels.list"  # the check of the signed-in channel, sent first
    captions = report["requests"][2]  # the script's caption track follows the video
    assert captions["call"] == "captions.insert" and captions["url"].startswith(fake.root_url + "upload/youtube/v3/captions?")
    assert captions["body"]["snippet"] == {"videoId": "<id of the uploaded video>", "language": "en",
                                           "name": "From the script", "isDraft": True}
    assert report["quota"] == {"units": 1 + 400, "upload_calls": 1, "daily_units": 10000, "daily_upload_calls": 100}
    assert "quota: 401 units and 1 upload call(s)" in result.err
    assert fake.requests == []


def test_upload_creates_exactly_one_private_video_and_the_ledger_records_it(upload_ready, run_cli, fake, youtube_env):
    result = run_cli("upload", "test-episode", "--yes", cwd=upload_ready.root)
    assert result.code == 0, result.err
    assert len(fake.videos) == 1
    (video_id,) = fake.videos
    assert f"https://youtu.be/{video_id}" in result.out
    assert fake.videos[video_id]["status"]["privacyStatus"] == "private"
    ledger = (upload_ready.root / "published.yaml").read_text()
    assert f"video_id: {video_id}" in ledger
    again = run_cli("upload", "test-episode", "--yes", cwd=upload_ready.root)
    assert again.code == 1 and video_id in again.err
    assert len(fake.videos) == 1


def test_upload_without_a_terminal_or_yes_sends_nothing(upload_ready, run_cli, fake, youtube_env):
    result = run_cli("upload", "test-episode", cwd=upload_ready.root)
    assert result.code == 1
    assert "pass --yes" in result.err
    assert fake.requests == []


def test_quota_exceeded_is_one_line_saying_nothing_was_lost(upload_ready, run_cli, fake, youtube_env):
    fake.exhaust_quota(units=False, uploads=True)
    result = run_cli("upload", "test-episode", "--yes", cwd=upload_ready.root)
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "quota" in lines[0].lower() and "Pacific" in lines[0]
    assert fake.access_token not in result.err


def test_without_a_token_the_user_is_told_to_log_in(upload_ready, run_cli, fake, youtube_env):
    youtube_env.unlink()
    result = run_cli("upload", "test-episode", "--yes", cwd=upload_ready.root)
    assert result.code == 3
    assert "auth login" in result.err
    assert fake.requests == []


def test_release_is_a_dry_run_until_apply(upload_ready, run_cli, fake, youtube_env):
    looked = run_cli("release", cwd=upload_ready.root)
    assert looked.code == 0, looked.err
    assert "due next: episodes/test-episode.yaml" in looked.out
    assert fake.requests == []
    assert (upload_ready.root / "build" / "test-episode" / "description.txt").exists()
    applied = run_cli("release", "--apply", cwd=upload_ready.root)
    assert applied.code == 0, applied.err
    assert len(fake.videos) == 1
    after = run_cli("release", cwd=upload_ready.root)
    assert "nothing is due" in after.out


def test_an_episode_made_by_new_and_accepted_by_check_uploads_as_it_is(channel, run_cli, fake, youtube_env):
    created = run_cli("new", "Brand New Episode", cwd=channel.root)
    assert created.code == 0
    assert run_cli("check", "brand-new-episode", cwd=channel.root).code == 0
    (channel.root / "clip.mp4").write_bytes(os.urandom(100_000))
    result = run_cli("upload", "brand-new-episode", "--video", "clip.mp4", "--yes", cwd=channel.root)
    assert result.code == 0, result.err
    (video,) = fake.videos.values()
    assert video["snippet"]["title"] == "Brand New Episode"
    assert video["status"]["privacyStatus"] == "private" and "publishAt" in video["status"]


def test_auth_status_says_which_channel_and_never_the_token(run_cli, channel, fake, youtube_env):
    result = run_cli("auth", "status", "--online", cwd=channel.root)
    assert result.code == 0, result.err
    assert f"token file: {youtube_env}" in result.out
    assert "youtube.force-ssl" in result.out
    assert f"channel: Fake Channel ({fake.channel_id})" in result.out
    assert fake.access_token not in result.out + result.err
    assert fake.refresh_token not in result.out + result.err
    assert "test-secret" not in result.out + result.err


def test_auth_logout_removes_the_token(run_cli, channel, youtube_env):
    assert run_cli("auth", "logout", cwd=channel.root).code == 0
    assert not youtube_env.exists()
    assert "no token" in run_cli("auth", "logout", cwd=channel.root).out


def test_auth_login_without_a_client_file_says_how_to_get_one(run_cli, channel, youtube_env):
    result = run_cli("auth", "login", "--no-browser", cwd=channel.root)
    assert result.code == 1
    assert "pass --client-secrets or set client_secrets in channel.yaml" in result.err
    missing = run_cli("auth", "login", "--client-secrets", "nope.json", "--no-browser", cwd=channel.root)
    assert missing.code == 1  # a file that is missing, as for every other file the action needs
    assert len(missing.err.strip().splitlines()) == 1 and "nope.json" in missing.err
