"""One hand-typed citation, read into CSL-JSON fields, with a word on how sure the reading is.

Typed references mostly follow Vancouver (``Kang HJ, Voleti B, et al. Title. Nat Med.
2012;18(9):1413-7.``) or a "Journal (Year), Volume, Pages" form; either is read here. Whatever
the reading misses is said in ``doubts``: an entry with doubts keeps its original text and is
marked for review, and the authoritative record (looked up by its text) decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..models.reference import full_page_range as stored_in_full

_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)?(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
_PMCID = re.compile(r"\bPMCID:?\s*(PMC\d+)\b")
_NAME = r"[^\W\d_][\w'’\-]*(?: [^\W\d_][\w'’\-]*)*? [A-Z]{1,3}"  # "Kang HJ", "Barrós-Loscertales A"
_AUTHORS = re.compile(rf"^(?P<names>{_NAME}(?:, {_NAME})*)(?P<etal>,? et al)?\.?\s+")
_VANCOUVER_SOURCE = re.compile(
    r"(?P<journal>[^.;]+(?:\.[^.;\d][^.;]*)*?)\.?\s+(?P<year>(?:1[89]|20)\d{2})"
    r"(?:\s+(?P<month>[A-Z][a-z]{2})(?:\s+\d{1,2})?)?;\s*(?P<volume>[\w-]+)?"
    r"(?:\((?P<issue>[^)]+)\))?(?::\s*(?P<page>[\w]+(?:[-–—][\w]+)?))?"
)
_PAREN_SOURCE = re.compile(
    r"^(?P<title>.+?),\s+(?P<journal>[^,()]+?)\s+\((?P<year>(?:1[89]|20)\d{2})\)"
    r"(?:,\s*(?P<volume>\w+))?(?:\((?P<issue>[^)]+)\))?(?:,\s*(?P<page>\w+(?:[-–—]\w+)?))?"
)
_NUMBERS = re.compile(
    r"\.?\s+(?P<year>(?:1[89]|20)\d{2})(?:\s+(?P<month>[A-Z][a-z]{2}))?;\s*(?P<volume>\w+)"
    r"(?:\((?P<issue>[^)]+)\))?:\s*(?P<page>\w+(?:[-–—]\w+)?)\.?$"
)
_MONTHS = {m: n for n, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


@dataclass
class ParsedCitation:
    """The fields read from ``text`` (CSL-JSON names) and what the reading is unsure of."""

    text: str
    fields: dict[str, Any] = field(default_factory=dict)
    doubts: list[str] = field(default_factory=list)

    @property
    def sure(self) -> bool:
        return not self.doubts


def parse_citation(text: str) -> ParsedCitation:
    """Read one citation (see the module's docstring)."""
    text = " ".join(text.split())
    parsed = ParsedCitation(text=text)
    rest = _identifiers(text, parsed.fields)
    authors = _AUTHORS.match(rest)
    if authors:
        parsed.fields["author"] = [_author(name) for name in authors.group("names").split(", ")]
        if authors.group("etal"):
            parsed.fields["authors-incomplete"] = True
        rest = rest[authors.end():]
    else:
        parsed.doubts.append("no author list in the form 'Family AB, Family C'")
    if not _source(rest, parsed):
        parsed.doubts.append("no journal, year, volume and pages in a form that can be read")
    return parsed


def _identifiers(text: str, fields: dict[str, Any]) -> str:
    """Take DOI, PMID and PMCID out of ``text`` into ``fields``; return what is left."""
    doi = _DOI.search(text)
    if doi:
        fields["DOI"] = doi.group(1).rstrip(".,;)]")
        text = text[: doi.start()] + text[doi.end():]
    for pattern, name in ((_PMID, "PMID"), (_PMCID, "PMCID")):
        match = pattern.search(text)
        if match:
            fields[name] = match.group(1)
            text = text[: match.start()] + text[match.end():]
    return re.sub(r"(?:\s*[.,;])+\s*$", ".", text.strip()).strip()


def _author(name: str) -> dict[str, str]:
    family, initials = name.rsplit(" ", 1)
    return {"family": family, "given": " ".join(f"{letter}." for letter in initials)}


def _source(rest: str, parsed: ParsedCitation) -> bool:
    """Read title and source from what follows the authors; True when the source was found."""
    fields = parsed.fields
    paren = _PAREN_SOURCE.match(rest)
    if paren:
        _put(fields, paren.groupdict())
        return True
    for title_end in re.finditer(r"(?<=[.?!])\s+(?=[A-Z])", rest):
        title, source = rest[: title_end.start()], rest[title_end.end():]
        match = _VANCOUVER_SOURCE.match(source)
        if match:
            _put(fields, {"title": title, **match.groupdict()})
            return True
    numbers = _NUMBERS.search(rest)
    if numbers:  # "... Title Journal. 2006;163:1905-17": the numbers read, title and journal run together
        _put(fields, {"title": rest[: numbers.start()].strip(" ."), **numbers.groupdict()})
        del fields["container-title"]
        parsed.doubts.append("the title and the journal run together: the journal could not be told apart")
        return True
    fields["title"] = rest.rstrip(".")
    return False


def _put(fields: dict[str, Any], found: dict[str, str | None]) -> None:
    title = (found.get("title") or "").strip()
    fields["title"] = title[:-1] if title.endswith(".") else title
    fields["container-title"] = " ".join((found.get("journal") or "").split()).rstrip(".")
    year = int(found["year"] or 0)
    month = _MONTHS.get(found.get("month") or "")
    fields["issued"] = {"date-parts": [[year, month] if month else [year]]}
    for name in ("volume", "issue"):
        if found.get(name):
            fields[name] = found[name]
    if found.get("page"):
        fields["page"] = full_page_range(found["page"] or "")


def full_page_range(pages: str) -> str:
    """``1413-7`` → ``1413-1417`` (the model's rule); an en dash becomes a hyphen; other forms are kept."""
    plain = pages.strip().replace("–", "-").replace("—", "-")
    return stored_in_full(plain) or plain
