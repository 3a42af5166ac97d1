"""`calendar --ics`: the release slots as an iCalendar file that a calendar library reads back with the
same instants, in the channel's zone (right on both sides of a DST change), with UIDs that stay put."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

NEW_YORK = ZoneInfo("America/New_York")  # the test channel's zone


def read_calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def export(run_cli, root: Path, *args: str) -> list[dict]:
    """Run ``calendar --ics releases.ics --json ARGS``; the rows the command printed."""
    result = run_cli("calendar", "--ics", "releases.ics", "--json", *args, cwd=root)
    assert result.code == 0, result.err
    return json.loads(result.out)


def utc_of(event: icalendar.Event) -> datetime:
    return event.decoded("dtstart").astimezone(UTC)


def rfc3339(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_file_reads_back_with_the_release_instants_of_the_schedule(channel, run_cli):
    rows = export(run_cli, channel.root, "--weeks", "6")
    events = read_calendar(channel.root / "releases.ics").walk("VEVENT")
    assert [rfc3339(utc_of(e)) for e in events] == [row["utc"] for row in rows]
    [episode] = [e for e in events if "A Test Episode" in str(e["summary"])]
    assert rfc3339(utc_of(episode)) == next(r["utc"] for r in rows if r["slug"] == "test-episode")
    assert str(episode["transp"]) == "OPAQUE" and "Status: ready" in str(episode["description"])
    gaps = [e for e in events if e is not episode]
    assert len(gaps) == 5 and all(str(e["transp"]) == "TRANSPARENT" for e in gaps)  # free time: not busy


def test_an_uploaded_episode_is_at_the_time_the_ledger_holds_with_its_video(channel, run_cli):
    release = next_wednesday(weeks_ahead=2).replace(hour=9, tzinfo=NEW_YORK).astimezone(UTC)  # its slot
    channel.write("published.yaml", f"episodes:\n  test-episode:\n    video_id: abcdefghijk\n"
                                    f"    publish_at: {rfc3339(release)}\n")
    export(run_cli, channel.root, "--weeks", "4")
    [event] = [e for e in read_calendar(channel.root / "releases.ics").walk("VEVENT") if "Test" in str(e["summary"])]
    assert utc_of(event) == release
    assert str(event["url"]) == "https://youtu.be/abcdefghijk" and str(event["status"]) == "CONFIRMED"


def test_local_times_and_the_files_own_time_zone_are_right_across_a_dst_change(channel, run_cli):
    rows = export(run_cli, channel.root, "--weeks", "53")  # a year holds both of New York's changes
    calendar = read_calendar(channel.root / "releases.ics")
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "America/New_York"
    from_file = zone.to_tz(lookup_tzid=False)  # as the VTIMEZONE in the file defines it, not by its name
    offsets = set()
    for event, row in zip(calendar.walk("VEVENT"), rows, strict=True):
        start = event["dtstart"]
        assert start.params["TZID"] == "America/New_York"
        assert start.dt.strftime("%H:%M") == "09:00"  # the slot's local time all year
        local = start.dt.replace(tzinfo=None)
        instant = local.replace(tzinfo=from_file).astimezone(UTC)
        assert rfc3339(instant) == row["utc"], f"{local} is {instant} by the file's VTIMEZONE, not {row['utc']}"
        offsets.add(instant.hour)
    assert offsets == {13, 14}  # 13:00Z in summer (EDT), 14:00Z in winter (EST): the change is inside


def test_uids_stay_the_same_so_importing_again_updates(channel, run_cli):
    channel.episode("bonus", f"title: A Bonus\nschedule: '{next_wednesday(1):%Y-%m-%d} 15:00'\nextra: true\n"
                    "summary: [Extra.]\n")
    export(run_cli, channel.root, "--weeks", "4")
    first = {str(e["uid"]): e for e in read_calendar(channel.root / "releases.ics").walk("VEVENT")}
    export(run_cli, channel.root, "--weeks", "4")
    second = {str(e["uid"]): e for e in read_calendar(channel.root / "releases.ics").walk("VEVENT")}
    assert set(first) == set(second) and len(first) == 5  # four slots and the extra episode
    assert all(utc_of(first[uid]) == utc_of(second[uid]) for uid in first)
    [bonus_uid] = [uid for uid, e in first.items() if "A Bonus" in str(e["summary"])]
    assert bonus_uid.startswith("episode-bonus@")
    # the extra episode moves: the same event, at its new time
    channel.episode("bonus", (channel.root / "episodes" / "bonus.yaml").read_text().replace("15:00", "17:30"))
    export(run_cli, channel.root, "--weeks", "4")
    moved = {str(e["uid"]): e for e in read_calendar(channel.root / "releases.ics").walk("VEVENT")}
    assert set(moved) == set(first)
    assert utc_of(moved[bonus_uid]) - utc_of(first[bonus_uid]) == timedelta(hours=2, minutes=30)


def test_weeks_sets_how_many_slots_the_file_holds(channel, run_cli):
    export(run_cli, channel.root, "--weeks", "3")
    assert len(read_calendar(channel.root / "releases.ics").walk("VEVENT")) == 3


def test_the_command_says_what_it_wrote_and_leaves_no_temporary_file(channel, run_cli):
    (channel.root / "releases.ics").write_text("an old calendar\n")
    result = run_cli("calendar", "--ics", "releases.ics", "--weeks", "2", cwd=channel.root)
    assert result.code == 0 and result.out == "wrote releases.ics: 2 event(s), 1 of them free slots\n"
    assert (channel.root / "releases.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert channel.leftovers() == []


def test_ics_naming_a_folder_is_one_usage_line(channel, run_cli):
    (channel.root / "cal").mkdir()
    result = run_cli("calendar", "--ics", "cal", cwd=channel.root)
    assert result.code == 2 and "--ics: cal is a folder; give a file name" in result.err


def test_ics_inside_a_file_is_one_line_and_nothing_is_written(channel, run_cli):
    (channel.root / "notes.txt").write_text("mine\n")
    result = run_cli("calendar", "--ics", "notes.txt/releases.ics", cwd=channel.root)
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line == "error: notes.txt: is a file, not a folder; the calendar was not written"
    assert (channel.root / "notes.txt").read_text() == "mine\n" and channel.leftovers() == []


def next_wednesday(weeks_ahead: int) -> datetime:
    """The date of a Wednesday ``weeks_ahead`` weeks after this week's, as a naive midnight."""
    today = datetime.now(NEW_YORK).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    return today + timedelta(days=(2 - today.weekday()) % 7 + 7 * weeks_ahead)


@pytest.fixture(autouse=True)
def _no_stray_calendar(channel):
    yield
    assert not list(channel.root.glob(".releases.ics.*.tmp"))


def test_text_of_the_channel_is_escaped_as_rfc_5545_text_in_every_property(channel, run_cli):
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text().replace(
        "name: Test Channel", 'name: "Sleep, Mood; and \\\\ more"'))
    channel.episode("test-episode", (channel.root / "episodes" / "test-episode.yaml").read_text().replace(
        "title: A Test Episode", "title: 'Naps, dreams; and you'"))
    export(run_cli, channel.root, "--weeks", "2")
    lines = (channel.root / "releases.ics").read_text(encoding="utf-8").splitlines()
    assert "X-WR-CALNAME:Sleep\\, Mood\\; and \\\\ more: releases" in lines  # TEXT: \, \; \\ (RFC 5545 3.3.11)
    assert "SUMMARY:Release: Naps\\, dreams\\; and you" in lines
    summary = next(e for e in read_calendar(channel.root / "releases.ics").walk("VEVENT") if "Naps" in str(e["summary"]))
    assert str(summary["summary"]) == "Release: Naps, dreams; and you"  # a reader gets the text back
