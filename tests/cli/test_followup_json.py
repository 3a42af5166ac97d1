"""`upload --json` and `release --apply --json` whose follow-up step fails after the video was created:
the one JSON document still says which video was made, what was done and what is left."""

from __future__ import annotations

import json
import os

import pytest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def with_thumbnail(channel):
    (channel.root / "video.mp4").write_bytes(os.urandom(20_000))
    (channel.root / "thumb.png").write_bytes(PNG)
    channel.episode("test-episode", """\
        title: A Test Episode
        schedule: next
        summary: [First paragraph.]
        upload: {video: video.mp4, thumbnail: thumb.png}
        """)
    return channel


def test_upload_json_keeps_the_video_id_when_the_thumbnail_is_refused(with_thumbnail, run_cli, fake, youtube_env):
    fake.fail_next("thumbnails.set", status=403)
    result = run_cli("upload", "test-episode", "--yes", "--json", cwd=with_thumbnail.root)
    assert result.code == 3
    (video_id,) = fake.videos
    document = json.loads(result.out)
    assert document["video_id"] == video_id and document["url"] == f"https://youtu.be/{video_id}"
    assert document["done"] == [] and document["pending"] == ["thumbnail"]
    assert document["error"] == "FollowUpFailed" and document["exit_code"] == 3
    assert "the video is uploaded" in document["message"]


def test_a_finished_upload_json_has_nothing_pending(with_thumbnail, run_cli, fake, youtube_env):
    result = run_cli("upload", "test-episode", "--yes", "--json", cwd=with_thumbnail.root)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["done"] == ["thumbnail"] and document["pending"] == [] and "error" not in document


def test_release_json_keeps_the_uploaded_video_when_a_step_fails(with_thumbnail, run_cli, fake, youtube_env):
    fake.fail_next("thumbnails.set", status=403)
    result = run_cli("release", "--apply", "--json", cwd=with_thumbnail.root)
    assert result.code == 3
    (video_id,) = fake.videos
    document = json.loads(result.out)
    assert document["uploaded"]["video_id"] == video_id and document["uploaded"]["pending"] == ["thumbnail"]
    assert document["error"] == "FollowUpFailed"
