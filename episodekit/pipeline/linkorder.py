"""The order links between ``next`` episodes impose: an episode comes out after those it links to.

Pure graph functions on ``slug -> slugs it links to``; links to slugs outside the
mapping (and to itself) are ignored.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping


def _deps(links: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    return {slug: {link for link in linked if link in links and link != slug} for slug, linked in links.items()}


def _reachable(start: str, deps: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(deps[start])
    while stack:
        slug = stack.pop()
        if slug not in seen:
            seen.add(slug)
            stack.extend(deps[slug])
    return seen


def link_cycles(links: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Groups of slugs whose links form a cycle (strongly connected), each sorted."""
    deps = _deps(links)
    reach = {slug: _reachable(slug, deps) for slug in deps}
    cycles: list[list[str]] = []
    seen: set[str] = set()
    for slug in sorted(deps):
        if slug in seen or slug not in reach[slug]:
            continue
        members = sorted(other for other in reach[slug] if slug in reach[other])
        seen.update(members)
        cycles.append(members)
    return cycles


def link_order(links: Mapping[str, Iterable[str]]) -> list[str]:
    """Topological order (a slug after those it links to), ties by slug; slugs in a cycle are left out."""
    deps = _deps(links)
    ready = [slug for slug, linked in deps.items() if not linked]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        slug = heapq.heappop(ready)
        order.append(slug)
        for other, linked in deps.items():
            if slug in linked:
                linked.discard(slug)
                if not linked:
                    heapq.heappush(ready, other)
    return order
