"""A slot with an uploaded video in it stays taken, whatever has become of that episode's file:
no second video is ever scheduled for the same time."""

from __future__ import annotations

import json

import pytest
import yaml

SECOND = """\
title: The Second Episode
schedule: next
summary: [Another paragraph.]
upload: {video: video.mp4}
"""


@pytest.fixture
def uploaded(channel, run_cli, fake, youtube_env):
    """The test channel with its episode uploaded into the first free slot, and a second `next` episode."""
    channel.ready_to_upload(300_000)
    result = run_cli("upload", "test-episode", "--yes", cwd=channel.root)
    assert result.code == 0, result.err
    channel.episode("second", SECOND)
    return channel


def _publish_times(fake) -> list[str]:
    return [video["status"].get("publishAt") for video in fake.videos.values()]


def _held(channel) -> str:
    ledger = yaml.safe_load((channel.root / "published.yaml").read_text())
    return ledger["episodes"]["test-episode"]["publish_at"]


def _status(run_cli, channel) -> dict[str, dict]:
    result = run_cli("status", "--json", cwd=channel.root)
    return {row["slug"]: row for row in json.loads(result.out)}


@pytest.mark.parametrize("damage", ["broken", "gone"])
def test_a_next_episode_never_takes_the_slot_of_an_uploaded_one_whose_file_is_broken_or_gone(
    uploaded, run_cli, fake, damage
):
    held = _held(uploaded)
    path = uploaded.root / "episodes" / "test-episode.yaml"
    if damage == "broken":
        path.write_text("title: [unclosed\n")
    else:
        path.unlink()
    rows = _status(run_cli, uploaded)
    assert rows["second"]["release"] != held
    result = run_cli("upload", "second", "--yes", cwd=uploaded.root)
    assert result.code == 0, result.err
    times = _publish_times(fake)
    assert len(times) == 2 and len(set(times)) == 2, times


def test_an_uploaded_episode_whose_schedule_was_removed_still_holds_its_slot(uploaded, run_cli, fake):
    held = _held(uploaded)
    path = uploaded.root / "episodes" / "test-episode.yaml"
    path.write_text(path.read_text().replace("schedule: next\n", ""))
    assert _status(run_cli, uploaded)["second"]["release"] != held


def test_a_date_written_into_the_slot_of_a_broken_uploaded_episode_is_a_collision(uploaded, run_cli, fake):
    held = _held(uploaded)
    (uploaded.root / "episodes" / "test-episode.yaml").write_text("title: [unclosed\n")
    from datetime import datetime
    from zoneinfo import ZoneInfo
    local = datetime.fromisoformat(held.replace("Z", "+00:00")).astimezone(ZoneInfo("America/New_York"))
    uploaded.episode("second", SECOND.replace("schedule: next", f"schedule: {local:%Y-%m-%d %H:%M}"))
    result = run_cli("check", "episodes/second.yaml", cwd=uploaded.root)
    assert result.code == 1
    assert "episodes/second.yaml:2: schedule: comes out at the same time as the uploaded video of test-episode" in result.err


def test_the_calendar_shows_the_slot_of_an_uploaded_video_whose_file_is_gone_as_taken(uploaded, run_cli, fake):
    held = _held(uploaded)
    (uploaded.root / "episodes" / "test-episode.yaml").unlink()
    result = run_cli("calendar", "--json", "--weeks", "8", cwd=uploaded.root)
    rows = {row["utc"]: row for row in json.loads(result.out)}
    assert rows[held]["slug"] == "test-episode" and rows[held]["status"] == "uploaded"
    assert [row["utc"] for row in rows.values() if row["slug"] == "second"] != [held]
