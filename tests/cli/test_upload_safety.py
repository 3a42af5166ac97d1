"""`upload` as a careless or hostile user runs it: bad files, stuck uploads, failed follow-ups, stray paths.

Every test runs the command in-process against the fake YouTube, signed in through the environment.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from episodekit.ledger import load_ledger

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64


def _episode(channel, upload: str, schedule: str = "next") -> None:
    channel.episode("test-episode", f"""\
        title: A Test Episode
        schedule: {schedule}
        summary: [First paragraph.]
        upload: {upload}
        """)


def _ledger(channel) -> dict:
    return load_ledger(channel.root / "published.yaml").episodes


def _state_files() -> list[Path]:
    return [p for p in Path(os.environ["XDG_STATE_HOME"]).rglob("*") if p.is_file()]


@pytest.fixture
def video(channel) -> Path:
    path = channel.root / "video.mp4"
    path.write_bytes(os.urandom(300_000))
    return path


# --- issue 9 item 1: no endless loops -------------------------------------------------------------

def test_an_empty_video_is_refused_at_once_and_nothing_is_opened(channel, run_cli, fake, youtube_env):
    (channel.root / "video.mp4").write_bytes(b"")
    _episode(channel, "{video: video.mp4}")
    result = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert result.code == 1
    (line,) = result.err.strip().splitlines()
    assert "episodes/test-episode.yaml:4: upload.video:" in line and "empty (0 bytes)" in line
    assert fake.requests == []
    assert not (channel.root / "published.yaml").exists() and _state_files() == []


def test_a_folder_given_as_the_video_is_refused(channel, run_cli, fake, youtube_env):
    (channel.root / "clips").mkdir()
    result = run_cli("upload", "test-episode", "--video", "clips", "--yes", cwd=channel.root)
    assert result.code == 1
    (line,) = result.err.strip().splitlines()
    assert line.startswith("error: --video: ") and "not a regular file" in line
    assert fake.requests == []


@pytest.mark.parametrize("given", ["--video", "upload.video"])
def test_an_unreadable_video_is_refused(channel, video, as_a_user, given):
    run, root = as_a_user
    if given == "upload.video":
        _episode(channel, "{video: video.mp4}")
        shutil.copy(channel.root / "episodes" / "test-episode.yaml", root / "episodes" / "test-episode.yaml")
    (root / "video.mp4").chmod(0)
    result = run("upload", "test-episode", *(["--video", "video.mp4"] if given == "--video" else []), "--dry-run")
    assert result.code == 1, result.err
    (line,) = result.err.strip().splitlines()
    assert "cannot read video.mp4 (Permission denied)" in line
    assert line.startswith("error: --video: ") if given == "--video" else "upload.video: " in line


def test_an_upload_that_makes_no_progress_stops_with_a_clear_error(channel, run_cli, fake, youtube_env, video):
    fake.stall_chunks(1)  # the server answers every chunk with 308 and keeps nothing
    _episode(channel, "{video: video.mp4}")
    result = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert result.code == 3
    (line,) = result.err.strip().splitlines()
    assert "acknowledged no new bytes" in line and "--restart" in line
    assert len(fake.requests_for("videos.insert.chunk")) == 3
    assert _ledger(channel)["test-episode"].uploading  # a rerun resumes the same session
    assert fake.videos == {}


# --- issue 9 item 5: follow-up steps survive their failures ---------------------------------------

def test_a_refused_thumbnail_reports_the_video_and_the_rerun_sends_only_the_thumbnail(
        channel, run_cli, fake, youtube_env, video):
    (channel.root / "thumb.png").write_bytes(PNG)
    _episode(channel, "{video: video.mp4, thumbnail: thumb.png}")
    fake.fail_next("thumbnails.set", status=403)  # a channel not verified for custom thumbnails
    first = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert first.code == 3
    (video_id,) = fake.videos
    assert f"uploaded test-episode: https://youtu.be/{video_id}" in first.out
    (line,) = first.err.strip().splitlines()
    assert "the video is uploaded" in line and "thumbnail was not set" in line and "youtube.com/verify" in line
    assert "episodekit upload test-episode" in line
    assert _ledger(channel)["test-episode"].pending == ["thumbnail"]

    video.unlink()  # the rerun needs no video file
    looked = run_cli("upload", "test-episode", "--dry-run", cwd=channel.root)
    assert looked.code == 0, looked.err
    assert [r["call"] for r in json.loads(looked.out)["requests"]] == ["channels.list", "thumbnails.set"]
    assert video_id in json.loads(looked.out)["requests"][1]["url"]

    again = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert again.code == 0, again.err
    assert "thumbnail set" in again.out
    assert list(fake.videos) == [video_id] and video_id in fake.thumbnails
    assert len(fake.requests_for("videos.insert")) == 1
    assert _ledger(channel)["test-episode"].pending == []


def test_a_pending_step_whose_setting_was_removed_is_dropped_saying_so(channel, run_cli, fake, youtube_env, video):
    (channel.root / "thumb.png").write_bytes(PNG)
    _episode(channel, "{video: video.mp4, thumbnail: thumb.png}")
    fake.fail_next("thumbnails.set", status=403)
    assert run_cli("upload", "test-episode", "--yes", cwd=channel.root).code == 3
    _episode(channel, "{video: video.mp4}")  # the creator gives up on the thumbnail
    sent = len(fake.requests)
    result = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert result.code == 0, result.err
    assert "thumbnail was still to do" in result.err and "dropped" in result.err
    assert "internal error" not in result.err
    assert _ledger(channel)["test-episode"].pending == []
    assert len(fake.requests) == sent  # nothing left to send


def test_a_wrong_playlist_id_does_not_make_the_rerun_need_the_video(channel, run_cli, fake, youtube_env, video):
    _episode(channel, "{video: video.mp4, playlist: PLnoSuchPlaylist}")
    first = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert first.code == 3
    (video_id,) = fake.videos
    assert f"https://youtu.be/{video_id}" in first.out
    assert "no such playlist" in first.err and "upload.playlist" in first.err
    playlist = fake.add_playlist("Weekly")
    _episode(channel, f"{{video: video.mp4, playlist: {playlist}}}")
    video.unlink()
    looked = run_cli("upload", "test-episode", "--dry-run", cwd=channel.root)
    assert [r["call"] for r in json.loads(looked.out)["requests"]] == ["channels.list", "playlistItems.insert"]
    again = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert again.code == 0, again.err
    assert [i["snippet"]["playlistId"] for i in fake.playlist_items] == [playlist]
    assert len(fake.videos) == 1


def test_status_shows_the_steps_still_to_do(channel, run_cli, fake, youtube_env, video):
    (channel.root / "thumb.png").write_bytes(PNG)
    _episode(channel, "{video: video.mp4, thumbnail: thumb.png}")
    fake.fail_next("thumbnails.set", status=403)
    run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    shown = run_cli("status", cwd=channel.root)
    assert "pending: thumbnail" in shown.out and "episodekit upload test-episode" in shown.out
    rows = json.loads(run_cli("status", "--json", cwd=channel.root).out)
    assert rows[0]["pending"] == ["thumbnail"]


def test_release_reports_the_video_at_once_and_names_what_is_left(channel, run_cli, fake, youtube_env, video):
    (channel.root / "thumb.png").write_bytes(PNG)
    _episode(channel, "{video: video.mp4, thumbnail: thumb.png}")
    fake.fail_next("thumbnails.set", status=403)
    applied = run_cli("release", "--apply", cwd=channel.root)
    assert applied.code == 3
    (video_id,) = fake.videos
    assert f"https://youtu.be/{video_id}" in applied.out and "the video is uploaded" in applied.err
    looked = run_cli("release", cwd=channel.root)
    assert "skipped: episodes/test-episode.yaml: uploaded, but thumbnail still to do" in looked.err
    assert "episodekit upload test-episode" in looked.err
    assert len(fake.videos) == 1


# --- issue 9 item 9: upload paths stay in the channel ---------------------------------------------

def test_an_episode_cannot_upload_a_file_outside_the_channel(channel, run_cli, fake, youtube_env):
    _episode(channel, "{video: /etc/passwd}")
    for args in (("--dry-run",), ("--yes",)):
        result = run_cli("upload", "test-episode", *args, cwd=channel.root)
        assert result.code == 1
        (line,) = result.err.strip().splitlines()
        assert "upload.video: /etc/passwd is outside the channel folder" in line and "--video" in line
    assert fake.requests == []


def test_a_thumbnail_symlinked_out_of_the_channel_is_refused(channel, run_cli, fake, youtube_env, video,
                                                             tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    secret.write_bytes(PNG)
    (channel.root / "thumb.png").symlink_to(secret)
    _episode(channel, "{video: video.mp4, thumbnail: thumb.png}")
    result = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert result.code == 1
    assert "upload.thumbnail: thumb.png is outside the channel folder" in result.err
    assert str(secret) in result.err  # where the link leads
    assert fake.requests == []


@pytest.mark.parametrize("how", ["an absolute path", "a link"])
def test_release_passes_over_an_episode_whose_video_is_outside_the_channel(channel, run_cli, fake, youtube_env,
                                                                          video, tmp_path_factory, how):
    outside = tmp_path_factory.mktemp("elsewhere") / "clip.mp4"
    outside.write_bytes(os.urandom(1000))
    if how == "a link":
        (channel.root / "clip.mp4").symlink_to(outside)
    given = outside if how == "an absolute path" else "clip.mp4"
    channel.episode("first-up", f"title: First Up\nschedule: next\nsummary: [x]\nupload: {{video: {given}}}\n")
    channel.episode("second-up", "title: Second Up\nschedule: next\nsummary: [x]\nupload: {video: video.mp4}\n")
    looked = run_cli("release", "--json", cwd=channel.root)
    assert looked.code == 0, looked.err
    found = json.loads(looked.out)
    assert found["due"] == "episodes/second-up.yaml"
    (skipped,) = [reason for reason in found["skipped"] if "first-up" in reason]
    assert skipped.startswith("episodes/first-up.yaml:4: upload.video: ") and "outside the channel folder" in skipped
    applied = run_cli("release", "--apply", cwd=channel.root)
    assert applied.code == 0, applied.err
    assert "skipped: episodes/first-up.yaml:4: upload.video: " in applied.err
    (uploaded,) = fake.videos.values()
    assert uploaded["snippet"]["title"] == "Second Up"


def test_a_video_given_on_the_command_line_may_be_anywhere(channel, run_cli, fake, youtube_env, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("exports") / "final.mp4"
    elsewhere.write_bytes(os.urandom(100_000))
    result = run_cli("upload", "test-episode", "--video", str(elsewhere), "--yes", cwd=channel.root)
    assert result.code == 0, result.err
    assert len(fake.videos) == 1


# --- issue 9 item 12: what the docs promise ------------------------------------------------------

@pytest.mark.parametrize("schedule", ["~", '"2020-01-01 09:00"'], ids=["no schedule", "past slot"])
def test_a_public_video_without_a_future_time_needs_public_now(channel, run_cli, fake, youtube_env, video, schedule):
    _episode(channel, "{video: video.mp4, privacy: public}", schedule=schedule)
    refused = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert refused.code == 1
    (line,) = refused.err.strip().splitlines()
    assert "public" in line and "--public-now" in line
    assert fake.requests == []
    done = run_cli("upload", "test-episode", "--yes", "--public-now", cwd=channel.root)
    assert done.code == 0, done.err
    (uploaded,) = fake.videos.values()
    assert uploaded["status"]["privacyStatus"] == "public"


def test_check_warns_that_an_uploaded_episodes_new_schedule_is_not_sent(channel, run_cli, fake, youtube_env, video):
    _episode(channel, "{video: video.mp4}")
    assert run_cli("upload", "test-episode", "--yes", cwd=channel.root).code == 0
    _episode(channel, "{video: video.mp4}", schedule='"2030-01-02 09:00"')
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err
    warning = next(line for line in result.err.splitlines() if "schedule" in line)
    assert warning.startswith("episodes/test-episode.yaml:2: warning: schedule:")
    assert "already uploaded" in warning and "YouTube Studio" in warning


def test_status_of_an_uploaded_episode_whose_file_broke_says_invalid(channel, run_cli, fake, youtube_env, video):
    _episode(channel, "{video: video.mp4}")
    assert run_cli("upload", "test-episode", "--yes", cwd=channel.root).code == 0
    channel.episode("test-episode", "title: [unclosed\n")
    result = run_cli("status", cwd=channel.root)
    (line,) = result.out.strip().splitlines()
    assert " invalid " in line and "up to date" not in line


# --- issue 10 item 12: checks before sending ------------------------------------------------------

@pytest.mark.parametrize("image, words", [
    (PNG + b"\x00" * (3 * 1000 * 1000), "at most 2 MB"),
    (GIF, "is a GIF image"),
], ids=["3 MB", "GIF"])
def test_a_thumbnail_youtube_would_refuse_is_refused_before_anything_is_sent(
        channel, run_cli, fake, youtube_env, video, image, words):
    (channel.root / "thumb.png").write_bytes(image)
    _episode(channel, "{video: video.mp4, thumbnail: thumb.png}")
    for args in (("--dry-run",), ("--yes",)):
        result = run_cli("upload", "test-episode", *args, cwd=channel.root)
        assert result.code == 1
        (line,) = result.err.strip().splitlines()
        assert line.startswith("episodes/test-episode.yaml:4: upload.thumbnail:") and words in line
    assert fake.requests == [] and fake.videos == {}


def test_a_thumbnail_is_sent_as_the_type_its_content_says(channel, run_cli, fake, youtube_env, video):
    (channel.root / "thumb.jpg").write_bytes(PNG)  # a PNG with the wrong extension
    _episode(channel, "{video: video.mp4, thumbnail: thumb.jpg}")
    result = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert result.code == 0, result.err
    (video_id,) = fake.videos
    assert fake.thumbnails[video_id].content_type == "image/png"
