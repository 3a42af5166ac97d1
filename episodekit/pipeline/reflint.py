"""Warnings about how references are stored, reported where the entry is written.

None of them stops a render: the output is right either way (an abbreviated page range
and bare initials are read in full before the style sees them), but the library is the
single source of what each paper is, so ``check`` says what to fix in it:

* an entry of ``references.yaml`` that no episode cites;
* a page range stored abbreviated (``1413-7``): store ``1413-1417``, the style abbreviates;
* a given name stored as bare initials (``HJ``): write ``H. J.``, since every style we ship
  makes initials of the given names and would read ``HJ`` as one name;
* an entry with neither ``DOI`` nor ``PMID`` (for other types than journal articles, one
  with a ``URL`` is enough), so a viewer cannot look it up;
* an entry marked ``review:`` (``import`` marks a typed citation it read unsure);
* an entry marked ``misattribution:`` (``import`` keeps the DOI of a record whose first author or year
  is not the one typed, without applying it): ``refs verify --fix KEY`` settles it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Problem
from ..files.load import LoadedEpisode, field_name
from ..models.reference import DEFAULT_TYPE, Reference, full_page_range, split_initials
from ..paths import LIBRARY_FILE
from ..workspace import Workspace

Loc = tuple[str | int, ...]


def entry_warnings(entry: Reference) -> list[tuple[Loc, str]]:
    """What to fix in ``entry``, each with where in the entry it is (``()`` for the entry itself)."""
    found: list[tuple[Loc, str]] = []
    full = full_page_range(entry.page or "")
    if full:
        found.append((("page",), (
            f"the page range {entry.page} is abbreviated; store the full range, page: {full} "
            "(the style abbreviates it where it should; the output reads it in full meanwhile)"
        )))
    for index, author in enumerate(entry.author):
        split = split_initials(author.given or "")
        if split:
            found.append((("author", index, "given"), (
                f"given name {author.given!r} is bare initials, which the styles read as one name; "
                f"write {split!r} or the full given names (the output splits it meanwhile)"
            )))
    if not (entry.DOI or entry.PMID) and (entry.type == DEFAULT_TYPE or not entry.URL):
        found.append(((), (
            "has neither DOI nor PMID, so viewers cannot look it up; add DOI: 10.… or PMID: …"
            + ("" if entry.type == DEFAULT_TYPE else " (or URL: https://…)")
        )))
    if entry.review:
        found.append((("review",), (
            f"marked for review: {entry.review}; check the entry against the paper, then delete its review line"
        )))
    if entry.misattribution:
        found.append((("misattribution",), (
            f"suspected misattribution: {entry.misattribution}; check the paper, then take its record with "
            "`refs verify --fix` on this entry, or delete DOI and this line if the citation as typed is right"
        )))
    return found


def library_entry_problems(ws: Workspace, key: str) -> list[Problem]:
    """The warnings of the library's entry ``key``, at their lines of ``references.yaml``."""
    path, line = ws.library.where(key)
    return [
        Problem(path, _line(ws, (key, *loc)) or line, field_name((key, *loc)), message, "warning")
        for loc, message in entry_warnings(ws.library.root[key])
    ]


def inline_entry_problems(loaded: LoadedEpisode, index: int, entry: Reference) -> list[Problem]:
    """The warnings of an entry written in the episode, at its lines there."""
    return [
        loaded.problem(message, "citations", index, *loc, severity="warning")
        for loc, message in entry_warnings(entry)
    ]


MAX_UNUSED_LISTED = 20  # entries no episode cites, each named at its line; more are one warning


def unused_references(ws: Workspace, cited: Iterable[str]) -> list[Problem]:
    """A warning at each entry of the library that no episode cites; past :data:`MAX_UNUSED_LISTED` of
    them, one warning for all (a library imported whole from Zotero is meant to hold more than is cited)."""
    used = set(cited)
    unused = [key for key in ws.library.root if key not in used]
    if len(unused) > MAX_UNUSED_LISTED:
        path, _ = ws.library.where(unused[0])
        named = ", ".join(unused[:5])
        return [Problem(path, None, "", (
            f"{len(unused):,} entries no episode cites ({named} ...); fine for a library imported whole, "
            f"else cite them or remove them from {LIBRARY_FILE}"), "warning")]
    problems = []
    for key in unused:
        path, line = ws.library.where(key)
        problems.append(Problem(path, line, key, (
            f"no episode cites {key}; cite it ([@{key}] in a script, or under citations) "
            f"or remove it from {LIBRARY_FILE}"
        ), "warning"))
    return problems


def _line(ws: Workspace, loc: Loc) -> int | None:
    return ws.library_doc.line_of(loc) if ws.library_doc is not None else None
