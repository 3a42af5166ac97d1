"""Many `next` episodes get the slots a plain scan from each one's floor gives, in the same order.

The slot search resumes where the previous search from the same floor stopped (N episodes cost N
steps, not N squared); the plain scan below is the rule it must keep.
"""

from __future__ import annotations

import bisect
import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from episodekit.models.slot import WeeklySlot
from episodekit.pipeline import schedule

TZ = ZoneInfo("America/New_York")
SLOTS = [WeeklySlot(2, dt.time(9, 0)), WeeklySlot(4, dt.time(17, 30))]
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)  # a week before the change to summer time


def plain_scan(self, floor, taken):
    """Every slot after ``floor``, in order, until one is free (what the search did before)."""
    floor = floor.astimezone(dt.UTC)
    while True:
        index = bisect.bisect_right(self._utc, floor)
        while index < len(self._utc) and self._utc[index] in taken:
            index += 1
        if index < len(self._utc):
            return self._local[index]
        if not self._extend(floor):
            return None


def requests(spec: list[tuple[int | None, tuple[int, ...]]]) -> list[schedule.ScheduleRequest]:
    found = []
    for i, (fixed, links) in enumerate(spec):
        when = None if fixed is None else dt.datetime(2026, 3, 4, 9, 0) + dt.timedelta(weeks=fixed)
        found.append(schedule.ScheduleRequest(
            slug=f"ep-{i:03d}", path=f"episodes/ep-{i:03d}.yaml", line=1, when=when,
            links=tuple(f"ep-{j:03d}" for j in links if j < i)))
    return found


SPEC = st.lists(st.tuples(st.one_of(st.none(), st.none(), st.integers(0, 40)),
                          st.lists(st.integers(0, 60), max_size=2).map(tuple)), max_size=60)


@settings(max_examples=60, deadline=None)
@given(SPEC)
def test_each_next_episode_gets_the_slot_a_plain_scan_gives(spec):
    asked = requests(spec)
    fast = schedule.resolve_schedule(asked, SLOTS, TZ, NOW)
    original = schedule._SlotStream.first_free
    schedule._SlotStream.first_free = plain_scan
    try:
        slow = schedule.resolve_schedule(asked, SLOTS, TZ, NOW)
    finally:
        schedule._SlotStream.first_free = original
    assert fast == slow


def test_three_hundred_next_episodes_take_three_hundred_consecutive_slots():
    resolved, problems = schedule.resolve_schedule(requests([(None, ())] * 300), SLOTS, TZ, NOW)
    assert problems == []
    instants = sorted(slot.utc for slot in resolved.values())
    assert len(set(instants)) == 300
    assert [s.utc for s in (resolved["ep-000"], resolved["ep-001"])] == instants[:2]
    assert resolved["ep-000"].local.strftime("%a %H:%M") == "Wed 09:00"
    assert resolved["ep-001"].local.strftime("%a %H:%M") == "Fri 17:30"
