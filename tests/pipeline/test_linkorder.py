"""The order of ``next`` episodes by their links, and the cycles among them: the same answers as the plain
definitions (every slug's reach searched, every slug scanned at each step), in time that grows with the
links, not with their square (a 10,000-episode chain)."""

from __future__ import annotations

import heapq
import random
import time

import pytest

from episodekit.pipeline.linkorder import link_cycles, link_order


def _plain_order(links: dict[str, list[str]]) -> list[str]:
    deps = {s: {x for x in linked if x in links and x != s} for s, linked in links.items()}
    ready = [s for s, linked in deps.items() if not linked]
    heapq.heapify(ready)
    order = []
    while ready:
        slug = heapq.heappop(ready)
        order.append(slug)
        for other, linked in deps.items():
            if slug in linked:
                linked.discard(slug)
                if not linked:
                    heapq.heappush(ready, other)
    return order


def _plain_cycles(links: dict[str, list[str]]) -> list[list[str]]:
    deps = {s: {x for x in linked if x in links and x != s} for s, linked in links.items()}

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        stack = list(deps[start])
        while stack:
            slug = stack.pop()
            if slug not in seen:
                seen.add(slug)
                stack.extend(deps[slug])
        return seen

    reached = {s: reach(s) for s in deps}
    cycles, seen = [], set()
    for slug in sorted(deps):
        if slug in seen or slug not in reached[slug]:
            continue
        members = sorted(o for o in reached[slug] if slug in reached[o])
        seen.update(members)
        cycles.append(members)
    return cycles


def _graph(rng: random.Random) -> dict[str, list[str]]:
    slugs = [f"ep-{n:02d}" for n in rng.sample(range(60), rng.randint(1, 30))]
    density = rng.choice([0.0, 0.03, 0.08, 0.2])
    return {slug: [o for o in [*slugs, "gone"] if rng.random() < density] for slug in slugs}


@pytest.mark.parametrize("seed", range(150))
def test_the_same_answers_as_the_plain_definitions(seed):
    links = _graph(random.Random(seed))
    assert link_order(links) == _plain_order(links)
    assert link_cycles(links) == _plain_cycles(links)


def test_a_cycle_inside_a_chain_is_found_and_left_out_of_the_order():
    links = {"a": [], "b": ["a", "d"], "c": ["b"], "d": ["c"], "e": ["d"], "f": ["f"]}
    assert link_cycles(links) == [["b", "c", "d"]]
    assert link_order(links) == ["a", "f"]


def test_a_long_chain_takes_time_in_proportion_to_its_links():
    chain = {f"ep-{n:05d}": [f"ep-{n - 1:05d}"] if n else [] for n in range(20_000)}
    chain["ep-00000"] = ["ep-19999"]  # one cycle through all of them
    started = time.process_time()
    assert link_cycles(chain) == [sorted(chain)]
    assert link_order(chain) == []
    del chain["ep-00000"][0]
    assert link_order(chain) == sorted(chain)
    assert time.process_time() - started < 5  # the plain definitions take minutes here
