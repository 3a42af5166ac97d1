"""History is not a schedule to fix: two videos that came out at the same instant years ago (YouTube
allowed it, or a creator published both by hand) are a warning in `check` and `status`, and `sync`,
`release` and `new` go on working. Only planned (unpublished) episodes may not share a time."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

SAME_INSTANT = datetime(2021, 3, 3, 14, 0, tzinfo=UTC)  # a Wednesday, 09:00 in New York
RENDERED = "{}, a short summary.\n\nEducation only, not medical advice.\n\nNew every Wednesday at 9am. " \
           "Subscribe: https://example.org/subscribe"  # as the test channel renders such an episode


@pytest.fixture
def twins(channel, fake, youtube_env, run_cli):
    """A channel that imported two public videos published at the same instant, and one later one."""
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    for title, when in (("First Twin", SAME_INSTANT), ("Second Twin", SAME_INSTANT),
                        ("A Week Later", datetime(2021, 3, 10, 14, 0, tzinfo=UTC))):
        fake.now = lambda when=when: when
        fake.add_video(snippet={"title": title, "description": RENDERED.format(title), "tags": ["science"]},
                       status={"privacyStatus": "public"})
    fake.now = lambda: datetime.now(UTC)
    result = run_cli("import", "--channel-uploads", "--no-lookup", cwd=channel.root)
    assert result.code == 0, result.err
    return channel


def test_check_warns_about_both_and_passes(twins, run_cli):
    result = run_cli("check", cwd=twins.root)
    assert result.code == 0, result.err
    warned = [line for line in result.err.splitlines() if "came out at the same time" in line]
    assert len(warned) == 2 and all(": warning: schedule:" in line for line in warned)
    assert any(line.startswith("episodes/first-twin.yaml:") and "episodes/second-twin.yaml" in line for line in warned)
    assert "comes out at the same time" not in result.err  # no error


def test_status_notes_it_on_each_row(twins, run_cli):
    rows = {row["slug"]: row for row in json.loads(run_cli("status", "--json", cwd=twins.root).out)}
    assert rows["first-twin"]["same_time"] == ["second-twin"] and rows["second-twin"]["same_time"] == ["first-twin"]
    assert rows["a-week-later"]["same_time"] == []
    shown = run_cli("status", cwd=twins.root)
    assert shown.code == 0 and shown.out.count("came out at the same time as") == 2


def test_sync_release_and_new_work(twins, run_cli, fake):
    synced = run_cli("sync", "--dry-run", cwd=twins.root)
    assert synced.code == 0, synced.err
    assert "videos: 0 update, 3 unchanged" in synced.out
    released = run_cli("release", "--out", "build", cwd=twins.root)
    assert released.code == 0, released.err
    created = run_cli("new", "The Next One", cwd=twins.root)
    assert created.code == 0, created.err
    assert run_cli("check", cwd=twins.root).code == 0


def test_a_planned_episode_at_that_instant_is_still_an_error_on_it_alone(twins, run_cli):
    twins.episode("planned", "title: Planned\nschedule: '2021-03-03 09:00'\nsummary: [Soon.]\n")
    result = run_cli("check", cwd=twins.root)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if "comes out at the same time" in line]
    assert len(errors) == 1 and errors[0].startswith("episodes/planned.yaml:2: schedule:")
    assert "move this episode to another time" in errors[0]
    assert "came out at the same time" not in result.err  # the published pair is not a problem of theirs


def test_two_planned_episodes_at_one_instant_stay_an_error_on_both(channel, run_cli):
    channel.episode("test-episode", "title: A\nschedule: '2030-01-02 09:00'\nsummary: [x]\n")
    channel.episode("other", "title: B\nschedule: '2030-01-02 09:00'\nsummary: [x]\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1 and result.err.count("move one of them to another time") == 2
