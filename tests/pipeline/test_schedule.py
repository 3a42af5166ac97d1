"""User stories for weekly release slots, DST and resolving a channel's schedule.

Every test passes its own frozen ``now``; nothing here reads the real clock.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from episodekit.errors import Problem, ScheduleError
from episodekit.models.slot import WEEKDAYS, WeeklySlot, parse_slot
from episodekit.pipeline.schedule import (
    ResolvedSlot,
    ScheduleRequest,
    describe_slots,
    is_slot,
    localize,
    resolve_schedule,
    slot_instants,
    to_rfc3339_utc,
)

NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
WEDNESDAY_9AM = [WeeklySlot(2, time(9, 0))]
# Monday 2026-01-05 08:00 EST; the first Wednesday slot after it is 2026-01-07.
NOW = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)


def request(slug: str, when: datetime | None = None, **fields: object) -> ScheduleRequest:
    """An episode file episodes/<slug>.yaml whose schedule key is on line 2."""
    return ScheduleRequest(slug=slug, path=f"episodes/{slug}.yaml", line=2, when=when, **fields)


def utc_times(resolved: dict[str, ResolvedSlot]) -> dict[str, str]:
    return {slug: to_rfc3339_utc(slot.utc) for slug, slot in resolved.items()}


# --- writing slots -----------------------------------------------------------


def test_channel_owner_writes_wednesday_nine_and_gets_a_slot():
    assert WEEKDAYS[2] == "wednesday" and len(WEEKDAYS) == 7
    assert parse_slot("wednesday", "09:00") == WeeklySlot(2, time(9, 0))


def test_channel_owner_may_capitalise_the_day_and_drop_the_leading_zero():
    assert parse_slot(" Thursday ", "9:05") == WeeklySlot(3, time(9, 5))
    assert parse_slot("SUNDAY", "23:59") == WeeklySlot(6, time(23, 59))


@pytest.mark.parametrize(
    ("weekday", "hhmm", "named"),
    [
        ("funday", "09:00", "funday"),
        ("wed", "09:00", "wed"),
        ("wednesday", "24:00", "24:00"),
        ("wednesday", "09:60", "09:60"),
        ("wednesday", "9", "'9'"),
        ("wednesday", "09:00:00", "09:00:00"),
        ("wednesday", "9am", "9am"),
    ],
)
def test_channel_owner_gets_a_clear_message_for_a_malformed_slot(weekday, hhmm, named):
    with pytest.raises(ValueError, match=named) as caught:
        parse_slot(weekday, hhmm)
    assert "weekday" in str(caught.value) or "24-hour time like '09:00'" in str(caught.value)


def test_a_slot_built_in_code_must_be_a_real_weekday_and_a_plain_minute():
    with pytest.raises(ValueError, match="weekday"):
        WeeklySlot(7, time(9))
    with pytest.raises(ValueError, match="whole minutes"):
        WeeklySlot(2, time(9, 0, 30))
    with pytest.raises(ValueError, match="tzinfo"):
        WeeklySlot(2, time(9, tzinfo=UTC))


# --- local wall time -> instant ----------------------------------------------


def test_nine_am_new_york_is_14z_in_january_and_13z_in_july():
    assert to_rfc3339_utc(localize(datetime(2026, 1, 7, 9, 0), NEW_YORK)) == "2026-01-07T14:00:00Z"
    assert to_rfc3339_utc(localize(datetime(2026, 7, 8, 9, 0), NEW_YORK)) == "2026-07-08T13:00:00Z"


def test_localized_time_keeps_the_wall_time_and_the_channel_zone():
    local = localize(datetime(2026, 7, 8, 9, 0), NEW_YORK)
    assert local.tzinfo is NEW_YORK
    assert (local.hour, local.minute, local.tzname()) == (9, 0, "EDT")


def test_time_skipped_by_spring_forward_is_refused_with_what_happened():
    with pytest.raises(ScheduleError) as caught:
        localize(datetime(2026, 3, 8, 2, 30), NEW_YORK)
    message = str(caught.value)
    assert "2026-03-08 02:30" in message and "America/New_York" in message
    assert "does not exist: clocks jump from 02:00 EST to 03:00 EDT" in message
    assert "\n" not in message


def test_time_repeated_by_fall_back_is_refused_with_both_meanings():
    with pytest.raises(ScheduleError) as caught:
        localize(datetime(2026, 11, 1, 1, 30), NEW_YORK)
    message = str(caught.value)
    assert "2026-11-01 01:30" in message and "America/New_York" in message
    assert "happens twice: clocks go back from 02:00 EDT to 01:00 EST" in message
    assert "2026-11-01T05:30:00Z" in message and "2026-11-01T06:30:00Z" in message


def test_times_next_to_a_transition_are_accepted_unchanged():
    assert to_rfc3339_utc(localize(datetime(2026, 3, 8, 1, 59), NEW_YORK)) == "2026-03-08T06:59:00Z"
    assert to_rfc3339_utc(localize(datetime(2026, 3, 8, 3, 0), NEW_YORK)) == "2026-03-08T07:00:00Z"
    assert to_rfc3339_utc(localize(datetime(2026, 11, 1, 2, 0), NEW_YORK)) == "2026-11-01T07:00:00Z"


def test_sydney_channel_is_told_about_its_october_gap_and_april_overlap():
    # Sydney: DST starts first Sunday of October (02:00 -> 03:00), ends first Sunday of April (03:00 -> 02:00).
    with pytest.raises(ScheduleError, match="clocks jump from 02:00 AEST to 03:00 AEDT"):
        localize(datetime(2026, 10, 4, 2, 30), SYDNEY)
    with pytest.raises(ScheduleError, match="clocks go back from 03:00 AEDT to 02:00 AEST"):
        localize(datetime(2026, 4, 5, 2, 30), SYDNEY)
    assert to_rfc3339_utc(localize(datetime(2026, 1, 7, 9, 0), SYDNEY)) == "2026-01-06T22:00:00Z"  # AEDT +11
    assert to_rfc3339_utc(localize(datetime(2026, 7, 8, 9, 0), SYDNEY)) == "2026-07-07T23:00:00Z"  # AEST +10


def test_london_channel_is_told_about_its_march_gap_and_october_overlap():
    with pytest.raises(ScheduleError, match="2026-03-29 01:30 in Europe/London does not exist"):
        localize(datetime(2026, 3, 29, 1, 30), LONDON)
    with pytest.raises(ScheduleError, match="2026-10-25 01:30 in Europe/London happens twice"):
        localize(datetime(2026, 10, 25, 1, 30), LONDON)


def test_localize_wants_a_naive_wall_time():
    with pytest.raises(ValueError, match="naive"):
        localize(datetime(2026, 1, 7, 9, tzinfo=UTC), NEW_YORK)


def test_upload_gets_an_rfc3339_utc_timestamp_from_any_zone():
    sydney_nine = datetime(2026, 1, 7, 9, 0, 59, 999999, tzinfo=SYDNEY)
    assert to_rfc3339_utc(sydney_nine) == "2026-01-06T22:00:59Z"
    with pytest.raises(ValueError, match="aware"):
        to_rfc3339_utc(datetime(2026, 1, 7, 9, 0))


# --- slot occurrences --------------------------------------------------------


def test_weekly_slot_keeps_nine_am_local_across_the_march_change():
    found = slot_instants(
        WEDNESDAY_9AM, NEW_YORK, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 20, tzinfo=UTC)
    )
    assert [to_rfc3339_utc(t) for t in found] == [
        "2026-03-04T14:00:00Z", "2026-03-11T13:00:00Z", "2026-03-18T13:00:00Z",
    ]
    assert all((t.tzinfo, t.hour, t.minute, t.weekday()) == (NEW_YORK, 9, 0, 2) for t in found)


def test_slot_range_excludes_its_start_and_includes_its_end():
    first = datetime(2026, 1, 7, 14, 0, tzinfo=UTC)
    second = datetime(2026, 1, 14, 14, 0, tzinfo=UTC)
    found = slot_instants(WEDNESDAY_9AM, NEW_YORK, first, second)
    assert [to_rfc3339_utc(t) for t in found] == ["2026-01-14T14:00:00Z"]
    assert slot_instants(WEDNESDAY_9AM, NEW_YORK, second, first) == []


def test_channel_with_two_slots_a_week_gets_both_in_order():
    slots = [parse_slot("thursday", "17:30"), parse_slot("monday", "09:00"), parse_slot("monday", "9:00")]
    found = slot_instants(slots, NEW_YORK, NOW - timedelta(days=1), NOW + timedelta(days=13))
    assert [f"{t:%a %d %H:%M}" for t in found] == ["Mon 05 09:00", "Thu 08 17:30", "Mon 12 09:00", "Thu 15 17:30"]


def test_sydney_slot_inside_the_gap_is_skipped_and_inside_the_overlap_taken_once():
    sunday_230 = [parse_slot("sunday", "02:30")]
    october = slot_instants(sunday_230, SYDNEY, datetime(2026, 9, 26, tzinfo=UTC), datetime(2026, 10, 12, tzinfo=UTC))
    assert [f"{t:%Y-%m-%d %H:%M %Z}" for t in october] == ["2026-09-27 02:30 AEST", "2026-10-11 02:30 AEDT"]
    april = slot_instants(sunday_230, SYDNEY, datetime(2026, 4, 3, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC))
    assert [to_rfc3339_utc(t) for t in april] == ["2026-04-04T15:30:00Z"]  # the first 02:30, still AEDT


def test_is_slot_matches_exactly_the_slot_instants():
    assert is_slot(datetime(2026, 1, 7, 14, 0, tzinfo=UTC), WEDNESDAY_9AM, NEW_YORK)
    assert is_slot(datetime(2026, 7, 8, 9, 0, tzinfo=NEW_YORK), WEDNESDAY_9AM, NEW_YORK)
    assert not is_slot(datetime(2026, 1, 7, 14, 1, tzinfo=UTC), WEDNESDAY_9AM, NEW_YORK)
    assert not is_slot(datetime(2026, 1, 8, 14, 0, tzinfo=UTC), WEDNESDAY_9AM, NEW_YORK)
    sunday_230 = [parse_slot("sunday", "02:30")]
    assert is_slot(datetime(2026, 4, 4, 15, 30, tzinfo=UTC), sunday_230, SYDNEY)
    assert not is_slot(datetime(2026, 4, 4, 16, 30, tzinfo=UTC), sunday_230, SYDNEY)  # the second 02:30


# --- the schedule sentence ---------------------------------------------------


@pytest.mark.parametrize(
    ("slots", "wording"),
    [
        ([("wednesday", "09:00")], "Wednesday at 9am"),
        ([("thursday", "17:30"), ("monday", "09:00")], "Monday at 9am and Thursday at 5:30pm"),
        (
            [("monday", "09:00"), ("wednesday", "09:00"), ("friday", "12:00")],
            "Monday at 9am, Wednesday at 9am and Friday at noon",
        ),
        ([("saturday", "00:00"), ("sunday", "00:30"), ("sunday", "12:45")],
         "Saturday at midnight, Sunday at 12:30am and Sunday at 12:45pm"),
        ([("tuesday", "18:00"), ("tuesday", "18:00")], "Tuesday at 6pm"),
    ],
)
def test_description_names_the_release_slots_in_plain_words(slots, wording):
    assert describe_slots([parse_slot(day, hhmm) for day, hhmm in slots]) == wording


def test_describing_no_slots_is_an_error():
    with pytest.raises(ValueError, match="no release slots"):
        describe_slots([])


# --- resolving the channel's schedule ----------------------------------------


def test_episode_with_a_slot_time_resolves_without_problems():
    resolved, problems = resolve_schedule(
        [request("ketamine", datetime(2026, 1, 14, 9, 0))], WEDNESDAY_9AM, NEW_YORK, NOW
    )
    assert problems == []
    slot = resolved["ketamine"]
    assert (slot.slug, slot.from_next, to_rfc3339_utc(slot.utc)) == ("ketamine", False, "2026-01-14T14:00:00Z")
    assert slot.local.tzinfo is NEW_YORK and slot.utc.tzinfo is UTC


@pytest.mark.parametrize(
    ("when", "what"),
    [(datetime(2026, 3, 8, 2, 30), "does not exist"), (datetime(2026, 11, 1, 1, 30), "happens twice")],
)
def test_episode_at_a_dst_impossible_time_gets_an_error_and_stays_unscheduled(when, what):
    resolved, problems = resolve_schedule(
        [request("bad-time", when), request("fine", datetime(2026, 1, 14, 9, 0))], WEDNESDAY_9AM, NEW_YORK, NOW
    )
    assert list(resolved) == ["fine"]
    [problem] = problems
    assert (problem.path, problem.line, problem.field, problem.severity) == (
        "episodes/bad-time.yaml", 2, "schedule", "error",
    )
    assert what in problem.message and "America/New_York" in problem.message


def test_two_episodes_at_the_same_time_each_name_the_other():
    wednesday = datetime(2026, 1, 14, 9, 0)
    resolved, problems = resolve_schedule(
        [request("one", wednesday), request("two", wednesday)], WEDNESDAY_9AM, NEW_YORK, NOW
    )
    assert set(resolved) == {"one", "two"}
    assert [(p.path, p.severity) for p in problems] == [("episodes/one.yaml", "error"), ("episodes/two.yaml", "error")]
    assert "episodes/two.yaml" in problems[0].message and "episodes/one.yaml" in problems[1].message
    assert "2026-01-14 09:00 EST (2026-01-14T14:00:00Z)" in problems[0].message


def test_next_episodes_fill_the_coming_wednesdays_in_slug_order():
    resolved, problems = resolve_schedule(
        [request("beta"), request("alpha"), request("gamma")], WEDNESDAY_9AM, NEW_YORK, NOW
    )
    assert problems == []
    assert utc_times(resolved) == {
        "alpha": "2026-01-07T14:00:00Z", "beta": "2026-01-14T14:00:00Z", "gamma": "2026-01-21T14:00:00Z",
    }
    assert all(slot.from_next for slot in resolved.values())


def test_next_episode_that_links_to_another_comes_out_after_it():
    # "aaa-followup" sorts first but links to "zzz-basics", so the basics come out first.
    resolved, problems = resolve_schedule(
        [request("aaa-followup", links=("zzz-basics",)), request("zzz-basics")], WEDNESDAY_9AM, NEW_YORK, NOW
    )
    assert problems == []
    assert utc_times(resolved) == {"zzz-basics": "2026-01-07T14:00:00Z", "aaa-followup": "2026-01-14T14:00:00Z"}


def test_next_takes_a_free_slot_before_a_fixed_episode_booked_later_and_leaves_it_there():
    resolved, problems = resolve_schedule(
        [request("booked", datetime(2026, 1, 14, 9, 0)), request("queued"), request("second")],
        WEDNESDAY_9AM, NEW_YORK, NOW,
    )
    assert problems == []
    assert utc_times(resolved) == {
        "queued": "2026-01-07T14:00:00Z", "booked": "2026-01-14T14:00:00Z", "second": "2026-01-21T14:00:00Z",
    }


def test_next_episode_that_links_to_a_fixed_one_comes_out_after_it_not_in_an_earlier_gap():
    resolved, problems = resolve_schedule(
        [request("basics", datetime(2026, 2, 4, 9, 0)), request("follow-up", links=("basics",)), request("other")],
        WEDNESDAY_9AM, NEW_YORK, NOW,
    )
    assert problems == []
    assert utc_times(resolved) == {
        "other": "2026-01-07T14:00:00Z", "basics": "2026-02-04T14:00:00Z", "follow-up": "2026-02-11T14:00:00Z",
    }


def test_a_long_queue_of_next_episodes_fills_consecutive_slots_years_ahead():
    queue = [request(f"ep-{n:03d}") for n in range(300)]
    resolved, problems = resolve_schedule(queue, WEDNESDAY_9AM, NEW_YORK, NOW)
    assert problems == []
    times = [slot.utc for slot in resolved.values()]
    assert len(set(times)) == 300
    assert times == slot_instants(WEDNESDAY_9AM, NEW_YORK, NOW, times[-1])


def test_next_is_strictly_after_now_even_when_now_is_a_slot():
    now = datetime(2026, 1, 7, 14, 0, tzinfo=UTC)  # exactly Wednesday 09:00 EST
    resolved, _ = resolve_schedule([request("queued")], WEDNESDAY_9AM, NEW_YORK, now)
    assert utc_times(resolved) == {"queued": "2026-01-14T14:00:00Z"}


def test_next_across_the_spring_change_keeps_nine_am_local():
    now = datetime(2026, 3, 5, tzinfo=UTC)
    resolved, _ = resolve_schedule([request("a"), request("b")], WEDNESDAY_9AM, NEW_YORK, now)
    assert utc_times(resolved) == {"a": "2026-03-11T13:00:00Z", "b": "2026-03-18T13:00:00Z"}
    assert f"{resolved['a'].local:%H:%M %Z}" == "09:00 EDT"


def test_next_episodes_that_link_in_a_cycle_get_an_error_naming_the_files():
    resolved, problems = resolve_schedule(
        [request("chicken", links=("egg",)), request("egg", links=("chicken",)), request("other")],
        WEDNESDAY_9AM, NEW_YORK, NOW,
    )
    assert utc_times(resolved) == {"other": "2026-01-07T14:00:00Z"}
    assert [(p.path, p.severity) for p in problems] == [
        ("episodes/chicken.yaml", "error"), ("episodes/egg.yaml", "error"),
    ]
    for problem in problems:
        assert "cycle" in problem.message
        assert "episodes/chicken.yaml" in problem.message and "episodes/egg.yaml" in problem.message


def test_off_slot_time_warns_unless_the_episode_is_an_extra():
    thursday = datetime(2026, 1, 15, 9, 0)
    _, problems = resolve_schedule([request("bonus", thursday)], WEDNESDAY_9AM, NEW_YORK, NOW)
    [problem] = problems
    assert (problem.severity, problem.field) == ("warning", "schedule")
    assert "2026-01-15 09:00 EST (2026-01-15T14:00:00Z) is not a release slot" in problem.message
    assert "Wednesday at 9am" in problem.message and "extra: true" in problem.message
    _, problems = resolve_schedule([request("bonus", thursday, extra=True)], WEDNESDAY_9AM, NEW_YORK, NOW)
    assert problems == []


def test_linking_to_an_episode_that_comes_out_later_is_an_error():
    resolved, problems = resolve_schedule(
        [
            request("early", datetime(2026, 1, 7, 9, 0), links=("late", "not-an-episode")),
            request("late", datetime(2026, 1, 14, 9, 0), links=("early",)),
        ],
        WEDNESDAY_9AM, NEW_YORK, NOW,
    )
    assert set(resolved) == {"early", "late"}
    [problem] = problems
    assert (problem.path, problem.severity) == ("episodes/early.yaml", "error")
    assert "links to late" in problem.message
    assert "2026-01-14 09:00 EST (2026-01-14T14:00:00Z)" in problem.message


def test_fixed_episode_linking_to_a_next_episode_is_an_error():
    _, problems = resolve_schedule(
        [request("fixed", datetime(2026, 1, 7, 9, 0), links=("queued",)), request("queued")],
        WEDNESDAY_9AM, NEW_YORK, NOW,
    )
    [problem] = problems
    assert problem.path == "episodes/fixed.yaml" and "links to queued" in problem.message
    assert "2026-01-14T14:00:00Z" in problem.message


def test_past_time_warns_only_while_the_episode_is_unpublished():
    last_week = datetime(2025, 12, 31, 9, 0)
    _, problems = resolve_schedule([request("old", last_week)], WEDNESDAY_9AM, NEW_YORK, NOW)
    [problem] = problems
    assert problem.severity == "warning" and "in the past" in problem.message
    assert "2025-12-31 09:00 EST (2025-12-31T14:00:00Z)" in problem.message
    _, problems = resolve_schedule([request("old", last_week, published=True)], WEDNESDAY_9AM, NEW_YORK, NOW)
    assert problems == []


def test_problems_are_one_line_and_located_at_the_schedule_key():
    _, problems = resolve_schedule(
        [
            request("a", datetime(2026, 1, 15, 9, 0), links=("b",)),
            request("b", datetime(2026, 1, 21, 9, 0)),
            request("c", datetime(2026, 3, 8, 2, 30)),
            request("d", datetime(2025, 1, 1, 9, 0)),
        ],
        WEDNESDAY_9AM, NEW_YORK, NOW,
    )
    assert [(p.path, p.severity) for p in problems] == [
        ("episodes/a.yaml", "warning"), ("episodes/a.yaml", "error"),
        ("episodes/c.yaml", "error"), ("episodes/d.yaml", "warning"),
    ]
    assert problems == sorted(problems)  # the order Problem itself defines: path, line, field, message
    assert all(isinstance(p, Problem) and p.line == 2 and p.field == "schedule" for p in problems)
    assert all("\n" not in p.message for p in problems)


def test_same_input_in_any_order_gives_the_same_schedule_and_problems():
    requests = [
        request("a", datetime(2026, 1, 14, 9, 0)),
        request("b", datetime(2026, 1, 14, 9, 0)),
        request("c", links=("d",)),
        request("d"),
        request("e", datetime(2026, 1, 16, 9, 0), links=("c",)),
        request("f", datetime(2026, 3, 8, 2, 30)),
        request("g", links=("h",)),
        request("h", links=("g",)),
    ]
    expected = resolve_schedule(requests, WEDNESDAY_9AM, NEW_YORK, NOW)
    shuffled = list(requests)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        result = resolve_schedule(shuffled, WEDNESDAY_9AM, NEW_YORK, NOW)
        assert result == expected
        assert list(result[0]) == list(expected[0])


def test_resolve_needs_an_aware_now_and_unique_slugs():
    with pytest.raises(ValueError, match="aware"):
        resolve_schedule([], WEDNESDAY_9AM, NEW_YORK, datetime(2026, 1, 5))
    with pytest.raises(ValueError, match="slug"):
        resolve_schedule([request("a"), request("a")], WEDNESDAY_9AM, NEW_YORK, NOW)


def test_videos_out_at_one_past_instant_are_a_warning_and_uploaded_ones_still_to_come_an_error():
    past, future = datetime(2025, 12, 3, 9, 0), datetime(2026, 1, 7, 9, 0)
    history = [request("a", past, published=True), request("b", past, published=True)]
    resolved, problems = resolve_schedule(history, WEDNESDAY_9AM, NEW_YORK, NOW)
    assert set(resolved) == {"a", "b"} and {p.severity for p in problems} == {"warning"} and len(problems) == 2
    scheduled = [request("c", future, published=True), request("d", future, published=True)]
    _, problems = resolve_schedule(scheduled, WEDNESDAY_9AM, NEW_YORK, NOW)  # uploaded, not out yet: movable
    assert [p.severity for p in problems] == ["error", "error"]
    _, problems = resolve_schedule([*history, request("e", past)], WEDNESDAY_9AM, NEW_YORK, NOW)
    assert [(p.path, p.severity) for p in problems if "same time" in p.message] == [("episodes/e.yaml", "error")]
