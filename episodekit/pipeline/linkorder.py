"""The order links between ``next`` episodes impose: an episode comes out after those it links to.

Pure graph functions on ``slug -> slugs it links to``; links to slugs outside the
mapping (and to itself) are ignored.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping


def _deps(links: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    return {slug: {link for link in linked if link in links and link != slug} for slug, linked in links.items()}


def link_cycles(links: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Groups of slugs whose links form a cycle (strongly connected), each sorted, by their first slug."""
    deps = {slug: sorted(linked) for slug, linked in _deps(links).items()}
    return sorted(sorted(group) for group in _components(deps) if len(group) > 1)


def _components(deps: Mapping[str, list[str]]) -> list[list[str]]:
    """The strongly connected groups of the graph (Tarjan's algorithm without recursion: a chain of
    10,000 episodes is as deep as it is long); each link is followed once."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(deps):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            slug, at = work.pop()
            if at == 0:
                index[slug] = low[slug] = len(index)
                stack.append(slug)
                on_stack.add(slug)
            linked = deps[slug]
            if at < len(linked):
                work.append((slug, at + 1))
                link = linked[at]
                if link not in index:
                    work.append((link, 0))
                elif link in on_stack:
                    low[slug] = min(low[slug], index[link])
                continue
            if low[slug] == index[slug]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == slug:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[slug])
    return groups


def link_order(links: Mapping[str, Iterable[str]]) -> list[str]:
    """Topological order (a slug after those it links to), ties by slug; slugs in a cycle are left out."""
    deps = _deps(links)
    linking: dict[str, list[str]] = {}  # slug -> the slugs that link to it: each link is followed once
    for slug, linked in deps.items():
        for link in linked:
            linking.setdefault(link, []).append(slug)
    ready = [slug for slug, linked in deps.items() if not linked]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        slug = heapq.heappop(ready)
        order.append(slug)
        for other in linking.get(slug, ()):
            linked = deps[other]
            linked.discard(slug)
            if not linked:
                heapq.heappush(ready, other)
    return order
