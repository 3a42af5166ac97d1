"""Weekly release: upload an episode as a private, scheduled video — and survive what goes wrong.

Every test drives the real google-api-python-client against the fake YouTube on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fake_youtube import FakeYouTube
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError

from episodekit.errors import EpisodekitError, RefusedError, YouTubeError
from episodekit.ledger import load_ledger
from episodekit.pipeline.build import build_valid
from episodekit.publish.upload import plan_upload
from episodekit.retrying import RetryPolicy
from episodekit.workspace import Workspace
from episodekit.youtube import sessions
from episodekit.youtube.client import build_service
from episodekit.youtube.uploader import run_upload

CHUNK = 256 * 1024
MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FAST = RetryPolicy(attempts=6, base=0.001, cap=0.01)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # what a PNG file starts with; the fake needs no more


@pytest.fixture
def fake():
    with FakeYouTube() as server:
        server.now = lambda: MONDAY  # the fake checks publishAt against its own clock
        yield server


@pytest.fixture(autouse=True)
def private_state(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture
def release(channel, fake):
    """The test channel with a 1.5 MiB video, a thumbnail and a playlist."""
    video = channel.root / "video.mp4"
    video.write_bytes(os.urandom(3 * CHUNK * 2))
    (channel.root / "thumb.png").write_bytes(PNG)
    playlist = fake.add_playlist("Weekly")
    channel.episode("test-episode", f"""\
        title: A Test Episode
        schedule: next
        summary: [First paragraph.]
        upload: {{video: video.mp4, thumbnail: thumb.png, playlist: {playlist}}}
        """)
    return channel


def _upload(channel, fake, *, now=MONDAY, restart=False, progress=None):
    ws = Workspace.open(channel.root)
    plan = plan_upload(ws, build_valid(ws, channel.root / "episodes" / "test-episode.yaml", now), now=now)
    service = build_service(Credentials(token=fake.access_token), fake.root_url)
    return run_upload(ws, plan, service, chunk_size=CHUNK, retry=FAST, progress=progress, restart=restart)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_clean_upload_makes_one_private_scheduled_video_and_records_it(release, fake):
    outcome = _upload(release, fake)
    assert list(fake.videos) == [outcome.video_id]
    video = fake.videos[outcome.video_id]
    assert video["status"]["privacyStatus"] == "private"
    assert video["status"]["publishAt"].startswith("2026-11-25T14:00:00")  # Wed 09:00 New York
    assert video["snippet"]["title"] == "A Test Episode"
    assert video["snippet"]["tags"] == ["science"]
    assert video["snippet"]["categoryId"] == "27"
    assert fake.uploads[outcome.video_id].sha256 == _sha(release.root / "video.mp4")
    assert outcome.video_id in fake.thumbnails
    assert [i["snippet"]["resourceId"]["videoId"] for i in fake.playlist_items] == [outcome.video_id]
    entry = load_ledger(release.root / "published.yaml").episodes["test-episode"]
    assert entry.video_id == outcome.video_id and entry.pending == []
    assert entry.publish_at == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    assert entry.sent is not None and len(entry.sent.description) == 64
    assert sessions.load_session(release.root, "test-episode") is None
    assert outcome.warnings == []


def test_every_chunk_sent_is_a_multiple_of_256_kib(release, fake):
    _upload(release, fake)
    puts = [r for r in fake.requests_for("videos.insert.chunk")]
    assert len(puts) == 6 and all(r["size"] == CHUNK for r in puts)


def test_a_503_on_a_middle_chunk_is_retried_from_the_acknowledged_offset(release, fake):
    fake.fail_chunk(3, status=503, times=2)
    outcome = _upload(release, fake)
    assert len(fake.videos) == 1
    assert fake.uploads[outcome.video_id].sha256 == _sha(release.root / "video.mp4")
    assert len(fake.requests_for("videos.insert")) == 1  # one session, never a second upload


def test_a_dropped_connection_mid_upload_resumes(release, fake):
    fake.drop_connection_on_chunk(4, keep=1000)
    outcome = _upload(release, fake)
    assert len(fake.videos) == 1
    assert fake.uploads[outcome.video_id].sha256 == _sha(release.root / "video.mp4")
    assert fake.requests_for("videos.insert.status"), "the client asked where to resume"


def test_quota_exhausted_before_the_upload_changes_nothing(release, fake):
    fake.exhaust_quota(units=False, uploads=True)
    with pytest.raises(HttpError) as caught:
        _upload(release, fake)
    assert caught.value.resp.status == 403
    assert fake.videos == {}
    assert load_ledger(release.root / "published.yaml").episodes == {}


def test_quota_running_out_after_the_upload_leaves_the_rest_for_the_rerun(release, fake):
    fake.fail_next("thumbnails.set", status=403, reason="quotaExceeded")
    with pytest.raises(YouTubeError, match="quota") as caught:
        _upload(release, fake)
    assert "the video is uploaded" in str(caught.value)
    entry = load_ledger(release.root / "published.yaml").episodes["test-episode"]
    assert entry.video_id in fake.videos and entry.pending == ["thumbnail", "playlist"]
    _upload(release, fake)  # the next day: only the follow-ups are sent
    assert len(fake.videos) == 1 and entry.video_id in fake.thumbnails
    assert load_ledger(release.root / "published.yaml").episodes["test-episode"].pending == []


def test_killed_after_the_last_byte_before_the_ledger_write_rerun_makes_no_second_video(release, fake, monkeypatch):
    from episodekit import ledger as ledger_module

    real_save = ledger_module.save_ledger
    calls = {"n": 0}

    def crash_on_second_save(path, ledger):
        calls["n"] += 1
        if calls["n"] == 2:  # 1: "upload started"; 2: the finished video
            raise KeyboardInterrupt("killed")
        real_save(path, ledger)

    monkeypatch.setattr(ledger_module, "save_ledger", crash_on_second_save)
    with pytest.raises(KeyboardInterrupt):
        _upload(release, fake)
    assert len(fake.videos) == 1
    assert load_ledger(release.root / "published.yaml").episodes["test-episode"].uploading
    monkeypatch.setattr(ledger_module, "save_ledger", real_save)
    outcome = _upload(release, fake)
    assert list(fake.videos) == [outcome.video_id]
    assert load_ledger(release.root / "published.yaml").episodes["test-episode"].video_id == outcome.video_id


def test_killed_mid_upload_resumes_without_resending_from_byte_zero(release, fake):
    def kill_after_two_chunks(sent, total):
        if sent >= 2 * CHUNK:
            raise KeyboardInterrupt("killed")

    with pytest.raises(KeyboardInterrupt):
        _upload(release, fake, progress=kill_after_two_chunks)
    assert fake.videos == {}
    before = len(fake.requests_for("videos.insert.chunk"))
    outcome = _upload(release, fake)
    resumed = fake.requests_for("videos.insert.chunk")[before:]
    assert resumed[0]["content_range"].startswith(f"bytes {2 * CHUNK}-")
    assert len(fake.requests_for("videos.insert")) == 1
    assert fake.uploads[outcome.video_id].sha256 == _sha(release.root / "video.mp4")


def test_an_unfinished_upload_without_its_session_is_never_silently_restarted(release, fake):
    with pytest.raises(KeyboardInterrupt):
        _upload(release, fake, progress=lambda sent, total: (_ for _ in ()).throw(KeyboardInterrupt()))
    sessions.forget_session(release.root, "test-episode")  # e.g. the crash was on another machine
    with pytest.raises(EpisodekitError, match="cannot be resumed"):
        _upload(release, fake)
    _upload(release, fake, restart=True)
    assert len(fake.videos) == 1


def test_an_uploaded_episode_is_refused_naming_its_video(release, fake):
    outcome = _upload(release, fake)
    with pytest.raises(EpisodekitError, match=outcome.video_id):
        _upload(release, fake)
    assert len(fake.videos) == 1


def test_an_unaudited_project_locks_the_video_private_and_we_say_so(release, fake):
    fake.unaudited = True
    outcome = _upload(release, fake)
    assert len(outcome.warnings) == 1 and "audit" in outcome.warnings[0]


def test_the_session_url_is_kept_out_of_the_channel_folder(release, fake):
    with pytest.raises(KeyboardInterrupt):
        _upload(release, fake, progress=lambda sent, total: (_ for _ in ()).throw(KeyboardInterrupt()))
    session = sessions.load_session(release.root, "test-episode")
    assert session is not None and "upload_id" in session.url
    assert "upload_id" not in (release.root / "published.yaml").read_text()
    path = sessions.session_file(release.root, "test-episode")
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_two_runs_that_read_the_ledger_before_either_uploaded_make_one_video(release, fake):
    """Two terminals (or a cron job and a person) upload the same episode at once."""
    path = release.root / "episodes" / "test-episode.yaml"
    runs = []
    for _ in range(2):  # both read the ledger first: nothing is uploaded yet
        ws = Workspace.open(release.root)
        runs.append((ws, plan_upload(ws, build_valid(ws, path, MONDAY), now=MONDAY)))
    service = build_service(Credentials(token=fake.access_token), fake.root_url)
    first = run_upload(*runs[0], service, chunk_size=CHUNK, retry=FAST)
    with pytest.raises(RefusedError, match="another run has just started or finished an upload"):
        run_upload(*runs[1], service, chunk_size=CHUNK, retry=FAST)
    assert list(fake.videos) == [first.video_id]
    assert load_ledger(release.root / "published.yaml").episodes["test-episode"].video_id == first.video_id
