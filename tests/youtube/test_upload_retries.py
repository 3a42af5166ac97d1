"""Rate limits are waited out, as long as YouTube asks and no longer than a cap; other refusals are not retried.

The upload runs with the real client against the fake YouTube, under a RetryPolicy whose sleep only
records how long it was asked to wait.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from fake_youtube import FakeYouTube
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError

from episodekit.errors import YouTubeError
from episodekit.ledger import load_ledger
from episodekit.pipeline.build import build_valid
from episodekit.publish.upload import plan_upload
from episodekit.retrying import RetryPolicy, command_retry
from episodekit.workspace import Workspace
from episodekit.youtube.client import build_service
from episodekit.youtube.retry import with_retries
from episodekit.youtube.uploader import run_upload

CHUNK = 256 * 1024
MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def fake():
    with FakeYouTube() as server:
        server.now = lambda: MONDAY
        yield server


@pytest.fixture(autouse=True)
def private_state(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture
def episode(channel):
    (channel.root / "video.mp4").write_bytes(os.urandom(3 * CHUNK))
    (channel.root / "thumb.png").write_bytes(PNG)
    channel.episode("test-episode", """\
        title: A Test Episode
        schedule: next
        summary: [First paragraph.]
        upload: {video: video.mp4, thumbnail: thumb.png}
        """)
    return channel


class Recorder:
    """A RetryPolicy sleep that only writes down each wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _upload(channel, fake, sleep, **policy):
    ws = Workspace.open(channel.root)
    plan = plan_upload(ws, build_valid(ws, channel.root / "episodes" / "test-episode.yaml", MONDAY), now=MONDAY)
    service = build_service(Credentials(token=fake.access_token), fake.root_url)
    retry = RetryPolicy(**{"attempts": 4, "base": 0.001, "cap": 0.01, "sleep": sleep, **policy})
    return run_upload(ws, plan, service, chunk_size=CHUNK, retry=retry)


def test_a_429_is_retried_after_the_time_its_retry_after_asks(episode, fake):
    fake.fail_next("thumbnails.set", status=429, retry_after=7)
    sleep = Recorder()
    outcome = _upload(episode, fake, sleep)
    assert sleep.waits == [7.0]
    assert outcome.video_id in fake.thumbnails
    assert len(fake.requests_for("thumbnails.set")) == 2


def test_a_retry_after_longer_than_the_cap_is_not_waited_for(episode, fake):
    fake.fail_next("videos.insert", status=429, retry_after=86_400)
    sleep = Recorder()
    with pytest.raises(HttpError) as caught:
        _upload(episode, fake, sleep, max_retry_after=30.0)
    assert caught.value.resp.status == 429
    assert sleep.waits == [] and fake.videos == {}  # neither a day nor 30 s then a try YouTube said would fail
    assert len(fake.requests_for("videos.insert")) == 1
    _upload(episode, fake, sleep, max_retry_after=30.0)  # the next run goes on
    assert len(fake.videos) == 1


def test_a_retry_after_as_long_as_the_cap_is_waited_for(episode, fake):
    fake.fail_next("videos.insert", status=429, retry_after=30)
    sleep = Recorder()
    _upload(episode, fake, sleep, max_retry_after=30.0)
    assert sleep.waits == [30.0] and len(fake.videos) == 1


@pytest.mark.parametrize("reason", ["rateLimitExceeded", "userRateLimitExceeded"])
def test_a_403_rate_limit_is_retried_with_backoff(episode, fake, reason):
    fake.fail_next("videos.insert.chunk", status=403, reason=reason, times=2)
    sleep = Recorder()
    outcome = _upload(episode, fake, sleep)
    assert len(sleep.waits) == 2 and all(0 < w <= 0.01 for w in sleep.waits)
    assert list(fake.videos) == [outcome.video_id]
    assert len(fake.requests_for("videos.insert")) == 1  # the same session, continued


def test_a_429_on_opening_the_session_is_retried_without_a_second_session(episode, fake):
    fake.fail_next("videos.insert", status=429, times=2)
    sleep = Recorder()
    _upload(episode, fake, sleep)
    assert len(sleep.waits) == 2 and len(fake.videos) == 1
    assert [r["status"] for r in fake.requests_for("videos.insert")] == [429, 429, 200]


@pytest.mark.parametrize("reason", ["forbidden", "quotaExceeded"])
def test_other_403s_are_not_retried(episode, fake, reason):
    fake.fail_next("videos.insert", status=403, reason=reason)
    sleep = Recorder()
    with pytest.raises(HttpError) as caught:
        _upload(episode, fake, sleep)
    assert caught.value.resp.status == 403
    assert sleep.waits == [] and fake.videos == {}
    assert len(fake.requests_for("videos.insert")) == 1


def test_rate_limits_that_never_end_stop_after_the_policys_attempts(episode, fake):
    fake.fail_next("thumbnails.set", status=429, times=10, retry_after=1)
    sleep = Recorder()
    with pytest.raises(YouTubeError, match="the video is uploaded"):
        _upload(episode, fake, sleep)
    assert sleep.waits == [1.0, 1.0, 1.0] and len(fake.requests_for("thumbnails.set")) == 4
    assert load_ledger(episode.root / "published.yaml").episodes["test-episode"].pending == ["thumbnail"]


def test_commands_that_update_videos_retry_a_429_once(fake):
    video_id = fake.add_video(snippet={"title": "T", "categoryId": "27"})
    service = build_service(Credentials(token=fake.access_token), fake.root_url)
    fake.fail_next("videos.list", status=429, retry_after=2)
    sleep = Recorder()
    policy = command_retry()
    policy.sleep = sleep
    found = with_retries(service.videos().list(part="snippet", id=video_id).execute, policy)
    assert [item["id"] for item in found["items"]] == [video_id]
    assert sleep.waits == [2.0]
