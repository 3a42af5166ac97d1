"""`new` from the command line: it says which slot it took, and any release it had to move.

These compare `calendar --json` before and after, so they do not depend on the day they run.
"""

from __future__ import annotations

import json
from datetime import datetime


def test_the_cli_new_leaves_every_planned_release_where_it_was(sample_channel, run_cli):
    root = sample_channel
    before = json.loads(run_cli("calendar", "--weeks", "6", "--json", cwd=root).out)
    result = run_cli("new", "Sleep and Mood", cwd=root)
    assert result.code == 0, result.err
    after = json.loads(run_cli("calendar", "--weeks", "6", "--json", cwd=root).out)
    placed = {row["slug"]: row["utc"] for row in before if row["slug"]}
    assert {slug: utc for slug, utc in ((r["slug"], r["utc"]) for r in after) if slug in placed} == placed
    new_row = next(r for r in after if r["slug"] == "sleep-and-mood")
    first_gap = next(r for r in before if r["status"] == "gap")
    assert new_row["utc"] == first_gap["utc"]
    local = datetime.fromisoformat(new_row["local"])
    assert f"{local:%a %Y-%m-%d %H:%M}" in result.out  # it says which slot it took
    assert "moves" not in result.out


def test_new_says_when_it_moves_an_episode_that_links_to_it(sample_channel, run_cli):
    root = sample_channel
    # This `next` episode already links to the one about to be created, so it must come after it.
    follow_up = root / "episodes" / "what-causes-depression.yaml"
    follow_up.write_text(follow_up.read_text().replace("videos:\n", "videos:\n  - episode: sleep-and-mood\n", 1))
    before = {r["slug"]: r for r in json.loads(run_cli("calendar", "--json", cwd=root).out) if r["slug"]}
    result = run_cli("new", "Sleep and Mood", cwd=root)
    assert result.code == 0, result.err
    after = {r["slug"]: r for r in json.loads(run_cli("calendar", "--json", cwd=root).out) if r["slug"]}
    assert after["what-causes-depression"]["utc"] > after["sleep-and-mood"]["utc"]
    assert after["what-causes-depression"]["utc"] != before["what-causes-depression"]["utc"]
    moved = [line for line in result.out.splitlines() if "what-causes-depression" in line]
    assert len(moved) == 1 and "moves" in moved[0]
    old = datetime.fromisoformat(before["what-causes-depression"]["local"])
    new = datetime.fromisoformat(after["what-causes-depression"]["local"])
    assert f"{old:%Y-%m-%d %H:%M}" in moved[0] and f"{new:%Y-%m-%d %H:%M}" in moved[0]
