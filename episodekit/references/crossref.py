"""A typed citation matched to its record by Crossref's bibliographic search.

    match_citation(fields, text, contact="you@example.org")  # -> Match

sends ``GET {root}works?query.bibliographic=<text>&rows=3`` (the root is ``$EPISODEKIT_CROSSREF_ROOT``,
else ``https://api.crossref.org/``; with a ``contact`` e-mail, ``mailto=`` and the User-Agent say who
asks, as Crossref's polite pool wants). Each answer is kept on disk like a record (``cache``), and the
requests are paced (at most :data:`PER_SECOND` a second). Of the items scored at least
:data:`MIN_SCORE`, the first whose first author's family name and year agree with the typed citation
is a **match** (its DOI; the caller fetches the full record through doi.org). Failing that, one whose
title agrees while the first author or the year does not is a likely **misattribution**, naming both,
and is never applied. Anything else (no item, only low scores, an unlike title) is **none**, with the
reason, and the citation stays as typed.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from typing import Any

from . import cache
from .fields import folded, year_of
from .lookup import shared_lookup, user_agent
from .pace import RateLimiter
from .wire import Ask, get_json

CROSSREF_ROOT_ENV, DEFAULT_CROSSREF_ROOT = "EPISODEKIT_CROSSREF_ROOT", "https://api.crossref.org/"
ROWS = 3
MIN_SCORE = 60.0  # Crossref's relevance score; a citation's own record scores far above this
TITLE_AGREES = 0.9  # how alike two titles are (case, accents and punctuation aside) to be one title
PER_SECOND = 5
MATCH, MISATTRIBUTED, NONE = "match", "misattribution", "none"
_PACE = RateLimiter()


@dataclass(frozen=True)
class Match:
    """What the search says of one citation: ``kind`` (match, misattribution, none), the DOI, why."""

    kind: str
    doi: str | None
    reason: str
    score: float | None = None
    typed: str = ""  # a misattribution: the first author and year as typed ('André RB' (2008))
    record: str = ""  # ... and as the record of the title has them ('Brunoni AR' (2008))


def search(text: str, *, contact: str | None = None) -> list[dict[str, Any]]:
    """Crossref's items for a citation's ``text`` (at most :data:`ROWS`), best first."""
    query = " ".join(text.split())
    answer = cache.cached_record("crossref-search", query)
    if answer is None:
        root = os.environ.get(CROSSREF_ROOT_ENV) or DEFAULT_CROSSREF_ROOT
        params = {"query.bibliographic": query, "rows": str(ROWS), **({"mailto": contact} if contact else {})}
        ask = Ask(url=root.rstrip("/") + "/works", what="a bibliographic search",
                  headers={"Accept": "application/json", "User-Agent": user_agent(contact)},
                  params=params, before_each=lambda: _PACE.wait(PER_SECOND))
        answer = get_json(shared_lookup().wire, ask)
        cache.keep_record("crossref-search", query, answer)
    items = (answer.get("message") or {}).get("items") or []
    return [item for item in items if isinstance(item, dict)][:ROWS]


def match_citation(fields: dict[str, Any], text: str, *, contact: str | None = None) -> Match:
    """Which record the typed citation (its parsed ``fields`` and its ``text``) is; see the module."""
    items = search(text, contact=contact)
    if not items:
        return Match(NONE, None, "Crossref has no record like it")
    scored = [item for item in items if _score(item) >= MIN_SCORE]
    if not scored:
        best = items[0]
        return Match(NONE, None, f"the closest Crossref record scored {_score(best):g}, below {MIN_SCORE:g} "
                                 f"({described(best)})", _score(best))
    for item in scored:
        if _same_author(fields, item) and _same_year(fields, item):
            return Match(MATCH, str(item.get("DOI")), f"Crossref: {described(item)}", _score(item))
    for item in scored:
        if _same_title(fields, item):
            return Match(MISATTRIBUTED, str(item.get("DOI")), (
                f"likely misattributed: typed as {typed_as(fields)}, but the record of this title is "
                f"{described(item)}; not applied, check the citation"), _score(item),
                typed_as(fields), f"{_person(item.get('author'))} ({_item_year(item) or 'no year'})")
    return Match(NONE, None, f"no Crossref record agrees on author, year or title (closest: "
                             f"{described(scored[0])})", _score(scored[0]))


def _score(item: dict[str, Any]) -> float:
    try:
        return float(item.get("score") or 0)
    except (TypeError, ValueError):
        return 0.0


def _first_family(people: Any) -> str:
    if not people or not isinstance(people, list) or not isinstance(people[0], dict):
        return ""
    return str(people[0].get("family") or people[0].get("name") or people[0].get("literal") or "")


def _item_year(item: dict[str, Any]) -> int | None:
    for name in ("issued", "published-print", "published-online", "published"):
        parts = (item.get(name) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and isinstance(parts[0][0], int):
            return parts[0][0]
    return None


def _item_title(item: dict[str, Any]) -> str:
    title = item.get("title") or ""
    return str(title[0] if isinstance(title, list) and title else title)


def _same_author(fields: dict[str, Any], item: dict[str, Any]) -> bool:
    ours = _first_family(fields.get("author"))
    return not ours or folded(ours) == folded(_first_family(item.get("author")))


def _same_year(fields: dict[str, Any], item: dict[str, Any]) -> bool:
    ours = year_of(fields)
    return not ours or ours == _item_year(item)


def _same_title(fields: dict[str, Any], item: dict[str, Any]) -> bool:
    ours, theirs = folded(str(fields.get("title") or "")), folded(_item_title(item))
    return bool(ours and theirs) and difflib.SequenceMatcher(None, ours, theirs).ratio() >= TITLE_AGREES


def typed_as(fields: dict[str, Any]) -> str:
    """``'André RB' (2008)``: the first author and year as the citation gives them."""
    return f"{_person(fields.get('author'))} ({year_of(fields) or 'no year'})"


def described(item: dict[str, Any]) -> str:
    """``'Brunoni AR' (2008), doi 10.…``: a Crossref item, shortly."""
    return f"{_person(item.get('author'))} ({_item_year(item) or 'no year'}), doi {item.get('DOI')}"


def _person(people: Any) -> str:
    if not people or not isinstance(people, list) or not isinstance(people[0], dict):
        return "'no author'"
    first = people[0]
    initials = "".join(part[0] for part in str(first.get("given") or "").replace("-", " ").replace(".", " ").split())
    return repr(" ".join(filter(None, (_first_family(people), initials.upper()))))
