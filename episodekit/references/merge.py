"""The merge rules of the library: which entry a record is, and how the two differ, field by field.

A record is an entry already in the library when they share the DOI (in any letter case), the
PMID, or the title and year (case-folded, without accents, punctuation or spaces). Each field
then compares as the same, **added** (the library lacks it, or the record says more without
contradicting it: a month to a year, the full author list of an entry marked
``authors-incomplete``, ``Hyo Jung`` for ``H. J.``) or a **conflict** (the two say different
things; a title or journal name that differs in letter case only is the same). Added fields are enrichment and are applied; a conflict is applied only when asked
(``--replace``, ``verify --fix``). A key, once given, never changes; a new entry's key is the
first author's family name and the year (``brunoni2008``, then ``brunoni2008b``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from ..models.reference import DEFAULT_TYPE
from .fields import FIELD_ORDER, folded, year_of

ADDED, CONFLICT = "added", "conflict"
COMPARED = tuple(name for name in FIELD_ORDER if name != "authors-incomplete")
# fields where a difference of letter case only is the same value: a DOI; a title or journal name that
# one source writes in title case (Crossref: "Nature Medicine") and another in sentence case (PubMed's
# "Nature medicine"); the library keeps how it writes them
CASE_ONLY = ("type", "DOI", "title", "container-title")
_INITIALS_ONLY = re.compile(r"^(?:[^\W\d_](?:[.\s-]+|$))+$")  # "H. J.", "H.-J."
_PARTS = re.compile(r"[\s.\-]+")


@dataclass(frozen=True)
class Change:
    """One field of an entry that a record would change: ``added`` or ``conflict``."""

    field: str
    old: Any  # None: the library has no such field
    new: Any
    kind: str
    partial: bool = False  # an author list from a record that itself ends in "et al." (a typed citation)

    def __str__(self) -> str:
        if self.old is None:
            return f"{self.field}: added {shown(self.field, self.new)}"
        verb = "more complete" if self.kind == ADDED else "differs"
        return f"{self.field}: {verb}: {shown(self.field, self.old)} -> {shown(self.field, self.new)}"


@dataclass
class Merge:
    """What one record does to the library: a ``new`` entry, or changes to the entry ``key``."""

    key: str
    new: bool
    fields: dict[str, Any]  # the entry's fields once merged (conflicts taken only if ``replace``)
    changes: list[Change] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # marks taken off the entry (its record settled them)

    @property
    def added(self) -> list[Change]:
        """The fields the record adds."""
        return [change for change in self.changes if change.kind == ADDED]

    @property
    def conflicts(self) -> list[Change]:
        """The fields the record has otherwise."""
        return [change for change in self.changes if change.kind == CONFLICT]


def differences(entry: dict[str, Any], record: dict[str, Any]) -> list[Change]:
    """How ``record`` differs from ``entry`` (both library-entry fields), field by field, in field order."""
    changes = []
    for name in COMPARED:
        if name not in record:
            continue
        if name == "author":
            change = _authors(entry, record)
        elif name == "type":
            change = _field(name, entry.get(name, DEFAULT_TYPE), record[name])
        elif name not in entry:
            change = Change(name, None, record[name], ADDED)
        else:
            change = _field(name, entry[name], record[name])
        if change is not None:
            changes.append(change)
    return changes


def merged(entry: dict[str, Any], changes: Iterable[Change], replace: bool) -> dict[str, Any]:
    """``entry`` with the added fields of ``changes`` (and its conflicts too, with ``replace``)."""
    result = dict(entry)
    for change in changes:
        if change.kind == ADDED or replace:
            result[change.field] = change.new
            if change.field == "author" and not change.partial:
                result.pop("authors-incomplete", None)
    return {name: result[name] for name in FIELD_ORDER if name in result}


def _field(name: str, old: Any, new: Any) -> Change | None:
    if name == "issued":
        mine, theirs = _date_parts(old), _date_parts(new)
        if mine == theirs or theirs == mine[: len(theirs)]:
            return None
        return Change(name, old, new, ADDED if mine == theirs[: len(mine)] else CONFLICT)
    words = [" ".join(str(value).split()) for value in (old, new)]
    if name in CASE_ONLY:
        words = [text.casefold() for text in words]
    same = words[0] == words[1]
    return None if same else Change(name, old, new, CONFLICT)


def _date_parts(value: Any) -> list[int]:
    return value["date-parts"][0] if isinstance(value, dict) else [value]


def _authors(entry: dict[str, Any], record: dict[str, Any]) -> Change | None:
    """The record's author list against the entry's: the same people in the same order, or not."""
    mine, theirs = entry.get("author", []), record["author"]
    partial = bool(record.get("authors-incomplete"))  # the record lists the first authors only
    if not mine:
        return Change("author", None, theirs, ADDED, partial)
    relations = [_person(a, b) for a, b in zip(mine, theirs)]
    incomplete = bool(entry.get("authors-incomplete"))
    if partial:
        return _first_authors(mine, theirs, relations, incomplete)
    fits = len(mine) == len(theirs) or (len(mine) < len(theirs) and incomplete)
    if CONFLICT in relations or not fits:
        return Change("author", mine, theirs, CONFLICT)
    best = [a if relation is None else b for a, b, relation in zip(mine, theirs, relations)] + theirs[len(mine):]
    if best == mine and not incomplete:
        return None
    return Change("author", mine, best, ADDED)


def _first_authors(mine: list[dict], theirs: list[dict], relations: list[str | None],
                   incomplete: bool) -> Change | None:
    """A record that lists only the first authors: it may name them better, or name more of them
    where the entry is incomplete too, but it never makes the entry's list complete."""
    if CONFLICT in relations or (len(theirs) > len(mine) and not incomplete):
        return Change("author", mine, theirs, CONFLICT, partial=True)
    shared = [a if relation is None else b for a, b, relation in zip(mine, theirs, relations)]
    best = shared + (theirs[len(mine):] if len(theirs) > len(mine) else mine[len(theirs):])
    return None if best == mine else Change("author", mine, best, ADDED, partial=True)


def _person(mine: dict[str, str], theirs: dict[str, str]) -> str | None:
    """None: the same person as written; ADDED: theirs gives the names ours has as initials; else CONFLICT."""
    if mine.get("literal") or theirs.get("literal"):
        return None if mine.get("literal") == theirs.get("literal") else CONFLICT
    if mine.get("family") != theirs.get("family"):
        return CONFLICT
    suffix = _suffix(mine.get("suffix"), theirs.get("suffix"))
    ours, other = mine.get("given", ""), theirs.get("given", "")
    if ours == other or _initials(ours) == _initials(other) and _INITIALS_ONLY.fullmatch(other or "x."):
        return suffix
    if suffix != CONFLICT and (not ours or _initials(ours) == _initials(other) and _INITIALS_ONLY.fullmatch(ours)):
        return ADDED
    return CONFLICT


def _suffix(ours: str | None, other: str | None) -> str | None:
    """``Jr.`` against none: the record adds it; two that differ (``Jr.``, ``III``) are two people."""
    if (ours or "").rstrip(".") == (other or "").rstrip("."):
        return None
    return ADDED if not ours else CONFLICT if other else None


def _initials(given: str) -> str:
    return "".join(part[0] for part in _PARTS.split(given) if part).upper()


class Index:
    """The entries of a library by DOI, PMID and title + year, to find the one a record is."""

    def __init__(self, entries: dict[str, dict[str, Any]]):
        self.entries = dict(entries)
        self._by: dict[tuple[str, str], str] = {}
        for key, fields in entries.items():
            self._remember(key, fields)

    def find(self, fields: dict[str, Any]) -> str | None:
        """The key of the entry ``fields`` describe, if the library has it."""
        return next((self._by[mark] for mark in identities(fields) if mark in self._by), None)

    def put(self, key: str, fields: dict[str, Any]) -> None:
        """Add or replace the entry ``key``, findable by its DOI, PMID and title."""
        self.entries[key] = fields
        self._remember(key, fields)

    def _remember(self, key: str, fields: dict[str, Any]) -> None:
        for mark in identities(fields):
            self._by.setdefault(mark, key)

    def new_key(self, fields: dict[str, Any], taken: Iterable[str] = ()) -> str:
        """A key no entry has: the first author's family name and the year, then ``b``, ``c`` ..."""
        base = key_base(fields)
        taken = set(taken)
        return next(key for key in _candidates(base) if key not in self.entries and key not in taken)


def identities(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """What identifies a work: its DOI, PMID and title with year, as found."""
    marks = []
    if fields.get("DOI"):
        marks.append(("DOI", str(fields["DOI"]).casefold()))
    if fields.get("PMID"):
        marks.append(("PMID", str(fields["PMID"])))
    if fields.get("title"):
        marks.append(("title", f"{folded(fields['title'])}|{year_of(fields) or ''}"))
    return marks


def key_base(fields: dict[str, Any]) -> str:
    """``brunoni2008``: the first author's family name in ASCII, then the year."""
    from slugify import slugify  # only a new entry needs it: kept off the check/preview path

    authors = fields.get("author") or []
    name = (authors[0].get("family") or authors[0].get("literal", "")) if authors else ""
    base = slugify(name, separator="") or next(iter(slugify(fields.get("title", "")).split("-")), "") or "ref"
    return f"{base}{year_of(fields) or ''}"


def _candidates(base: str) -> Iterable[str]:
    yield base
    for number in count(1):
        suffix, n = "", number
        while n:
            n, digit = divmod(n, 26)
            suffix = "abcdefghijklmnopqrstuvwxyz"[digit] + suffix
        yield base + suffix


def shown(name: str, value: Any) -> str:
    """A field's value for a message: authors as ``Brunoni, André R.; Lopes, M.``, dates as ``2008-12``."""
    if name == "author":
        return "; ".join(p.get("literal") or ", ".join(filter(None, (p.get("family"), p.get("given")))) for p in value)
    if name == "issued":
        return "-".join(f"{part:02d}" if i else str(part) for i, part in enumerate(_date_parts(value)))
    return repr(" ".join(str(value).split()))
