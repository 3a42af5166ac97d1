"""`new` takes the next free release slot and never moves an episode that is already planned.

Every call passes a frozen ``now``; the CLI stories are in tests/cli/test_new_cli.py.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from episodekit.models.slot import parse_slot
from episodekit.pipeline import schedule
from episodekit.pipeline.build import build_episodes
from episodekit.pipeline.scaffold import new_episode
from episodekit.workspace import Workspace

MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # the sample's `next` episodes take Nov 25 and Dec 2


def planned(root: Path, weeks: int = 8, now: datetime = MONDAY) -> list[tuple[str, str | None]]:
    """Each weekly slot of the coming ``weeks``, local time, with the episode check places in it (None: free)."""
    ws = Workspace.open(root)
    placed = {b.slot.utc: b.slug for b in build_episodes(ws, ws.episode_paths(), now).builds if b.slot is not None}
    slots = schedule.slot_instants(ws.channel.weekly_slots, ws.channel.zone, now, now + timedelta(weeks=weeks))
    return [(slot.strftime("%Y-%m-%d %H:%M"), placed.pop(slot.astimezone(UTC), None)) for slot in slots]


def test_new_in_the_sample_channel_takes_the_third_wednesday_and_moves_nobody(sample_channel):
    root = sample_channel
    before = planned(root)
    created = new_episode(Workspace.open(root), "Sleep and Mood", now=MONDAY)
    after = planned(root)
    assert before[:3] == [
        ("2026-11-25 09:00", "what-causes-depression"),
        ("2026-12-02 09:00", "depression-feedback-loop"),
        ("2026-12-09 09:00", None),
    ]
    assert after[:3] == [
        ("2026-11-25 09:00", "what-causes-depression"),
        ("2026-12-02 09:00", "depression-feedback-loop"),
        ("2026-12-09 09:00", "sleep-and-mood"),
    ]
    assert after[3:] == before[3:]  # the later weeks stay free
    assert 'schedule: "2026-12-09 09:00"' in created.read_text()  # a fixed date-time, not `next`


def test_fifteen_new_episodes_fill_fifteen_consecutive_wednesdays(sample_channel):
    root = sample_channel
    for number in range(1, 16):
        new_episode(Workspace.open(root), f"Episode number {number}", now=MONDAY)
    slugs = [slug for _, slug in planned(root, weeks=17)]
    assert slugs[:17].count(None) == 0
    assert slugs[:3] == ["what-causes-depression", "depression-feedback-loop", "episode-number-1"]
    assert slugs[2:17] == [f"episode-number-{n}" for n in range(1, 16)]
    assert len(set(slugs[:17])) == 17  # one episode per slot


def test_new_fills_a_gap_before_an_episode_booked_later(sample_channel):
    root = sample_channel
    booked = (root / "episodes" / "depression-feedback-loop.yaml")
    booked.write_text(booked.read_text().replace("schedule: next", 'schedule: "2026-12-23 09:00"'))
    created = new_episode(Workspace.open(root), "Sleep and Mood", now=MONDAY)
    assert 'schedule: "2026-12-02 09:00"' in created.read_text()
    assert [slug for _, slug in planned(root)][:5] == [
        "what-causes-depression", "sleep-and-mood", None, None, "depression-feedback-loop",
    ]


def test_new_passes_over_a_slot_whose_local_time_happens_twice(channel):
    text = (channel.root / "channel.yaml").read_text()
    channel.write("channel.yaml", text.replace('weekday: wednesday\n    time: "09:00"', 'weekday: sunday\n    time: "01:30"'))
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    friday = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)  # Sunday 2026-11-01 01:30 happens twice in New York
    created = new_episode(Workspace.open(channel.root), "Clocks Go Back", now=friday)
    assert 'schedule: "2026-11-08 01:30"' in created.read_text()
    assert planned(channel.root, weeks=2, now=friday) == [
        ("2026-11-01 01:30", None), ("2026-11-08 01:30", "clocks-go-back"),
    ]


def test_taking_the_first_free_slot_never_moves_an_episode_that_does_not_link_to_the_new_one():
    """Any mix of written times, `next` episodes and links: the free slot `new` takes moves nobody."""
    zone, slots = ZoneInfo("America/New_York"), [parse_slot("wednesday", "09:00"), parse_slot("friday", "17:00")]
    weeks = schedule.slot_instants(slots, zone, MONDAY, MONDAY + timedelta(weeks=12))
    for seed in range(200):
        pick = random.Random(seed)
        slugs = [f"ep-{n}" for n in range(pick.randint(0, 12))]
        requests = [
            schedule.ScheduleRequest(
                slug, f"episodes/{slug}.yaml", 2,
                pick.choice(weeks).replace(tzinfo=None) if pick.random() < 0.4 else None,
                links=tuple(pick.sample(slugs[:index], min(index, pick.randint(0, 2)))),
            )
            for index, slug in enumerate(slugs)
        ]
        before, _ = schedule.resolve_schedule(requests, slots, zone, MONDAY)
        free = schedule.first_free_slot(slots, zone, MONDAY, [slot.utc for slot in before.values()])
        assert free is not None and free.astimezone(UTC) not in {slot.utc for slot in before.values()}
        added = schedule.ScheduleRequest("new", "episodes/new.yaml", None, free.replace(tzinfo=None))
        after, _ = schedule.resolve_schedule([*requests, added], slots, zone, MONDAY)
        assert {slug: after[slug].utc for slug in before} == {slug: slot.utc for slug, slot in before.items()}, seed
        for request in requests:  # and every `next` episode still comes after what it links to
            if request.when is None and request.slug in after:
                assert all(after[link].utc < after[request.slug].utc for link in request.links if link in after)
