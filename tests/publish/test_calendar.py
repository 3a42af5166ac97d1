"""Planning the weeks ahead: `calendar` shows filled slots and gaps (`new` is in tests/pipeline/test_new.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from episodekit.publish.agenda import calendar_rows
from episodekit.workspace import Workspace
from testkit import REPO

MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_sample_calendar_has_both_episodes_on_consecutive_wednesdays_then_gaps():
    rows = calendar_rows(Workspace.open(REPO), weeks=6, now=MONDAY)
    filled = [(r.slug, r.local.strftime("%a %Y-%m-%d %H:%M")) for r in rows if r.slug]
    assert filled == [
        ("what-causes-depression", "Wed 2026-11-25 09:00"),
        ("depression-feedback-loop", "Wed 2026-12-02 09:00"),
    ]
    gaps = [r for r in rows if r.status == "gap"]
    assert [r.local.strftime("%Y-%m-%d") for r in gaps] == ["2026-12-09", "2026-12-16", "2026-12-23", "2026-12-30"]
    assert [r.alert for r in gaps] == [True, True, False, False]  # highlighted within 4 weeks
    assert all(r.status == "ready" for r in rows if r.slug)


def test_sample_episodes_stay_ahead_whenever_someone_tries_them():
    later = datetime(2031, 6, 2, 12, 0, tzinfo=UTC)  # a Monday years from now
    rows = calendar_rows(Workspace.open(REPO), weeks=3, now=later)
    filled = [r for r in rows if r.slug]
    assert [r.slug for r in filled] == ["what-causes-depression", "depression-feedback-loop"]
    assert all(r.utc > later for r in filled)
    assert filled[0].utc.strftime("%H:%M") == "13:00"  # 09:00 EDT in June


def test_calendar_json_gives_utc_instants(channel, run_cli):
    result = run_cli("calendar", "--weeks", "2", "--json", cwd=channel.root)
    assert result.code == 0
    rows = json.loads(result.out)
    assert rows[0]["slug"] == "test-episode" and rows[0]["utc"].endswith("Z")
    assert rows[0]["status"] == "ready"


def test_calendar_table_names_the_gaps(channel, run_cli):
    result = run_cli("calendar", "--weeks", "3", cwd=channel.root)
    assert result.code == 0
    assert "test-episode" in result.out and "— no episode —" in result.out
    assert "in the next 4 weeks have no episode yet" in result.out


def test_an_invalid_episode_shows_as_invalid(channel):
    channel.episode("test-episode", "title: T\nschedule: next\nsummary: [x]\ncitations: [missing]\n")
    rows = calendar_rows(Workspace.open(channel.root), weeks=1, now=MONDAY)
    assert [(r.slug, r.status) for r in rows] == [("test-episode", "invalid")]


def test_an_uploaded_episode_shows_as_uploaded(channel):
    channel.write("published.yaml", "episodes:\n  test-episode: {video_id: abcdefghijk}\n")
    rows = calendar_rows(Workspace.open(channel.root), weeks=1, now=MONDAY)
    assert rows[0].status == "uploaded"
