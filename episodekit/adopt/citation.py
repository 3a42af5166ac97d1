"""One hand-typed citation, read into CSL-JSON fields, with a word on how sure the reading is.

Typed references come in many shapes; each is read here: Vancouver and AMA (``Kang HJ, Voleti B, et al.
Title. Nat Med. 2012;18(9):1413-7.``), APA and Harvard (``Smith, J. A., & Lee, K. (2019). Title. Journal,
28(4), e12345.``), "Title, Journal (Year), Volume, Pages", a citation without a year, behind a number or
a bullet, and a bare DOI, doi.org, PubMed or PMC link. Whatever the reading misses is said in ``doubts``:
the episode keeps the citation as typed either way, an entry with doubts is marked for review, and the
authoritative record (looked up by its identifier or its text) decides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..models.reference import full_page_range as stored_in_full

_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)?(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/"
                   r"pubmed/)(\d{1,9})/?", re.IGNORECASE)
_PMC = re.compile(r"https?://(?:www\.)?(?:ncbi\.nlm\.nih\.gov/pmc/articles/|pmc\.ncbi\.nlm\.nih\.gov/articles/)"
                  r"PMC\d+/?|\bPMCID:?\s*PMC\d+\b", re.IGNORECASE)
_WEB = re.compile(r"https?://[^\s<>\"]+")
IDENTIFIER_LINK = re.compile(rf"(?:{_DOI.pattern}|{_PMID.pattern}|{_PMC.pattern})[.,;]?", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_NAME = r"[^\W\d_][\w'’\-]*(?: [^\W\d_][\w'’\-]*)*? [A-Z]{1,3}"  # "Kang HJ", "Barrós-Loscertales A"
_AUTHORS = re.compile(rf"^(?P<names>{_NAME}(?:, {_NAME})*)(?P<etal>,? et al)?\.?\s+")
_INVERTED = r"[^\W\d_][\w'’\-]*(?: [^\W\d_][\w'’\-]*)*,\s*[A-Z]\.(?:\s?-?[A-Z]\.)*"  # "Smith, J. A.", "Lee, K."
_INVERTED_NAME = re.compile(r"(?P<family>[^\W\d_][\w'’\-]*(?: [^\W\d_][\w'’\-]*)*),\s*(?P<given>[A-Z]\.(?:\s?-?[A-Z]\.)*)")
_AUTHOR_DATE = re.compile(
    rf"^(?P<names>{_INVERTED}(?:,?\s*(?:&|and)?\s*{_INVERTED})*(?P<etal>,? et al\.?)?),?\s*"
    r"\((?P<year>(?:1[89]|20)\d{2})[a-z]?(?:,[^)]*)?\)\.?,?\s*(?P<rest>.*)$")
_LIST_MARKER = re.compile(r"^\s*(?:\[?\d{1,3}[.)\]]|[-–—•*·▪►▶➤→✔✓])\s+")
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
_QUOTED_TITLE = re.compile(r"^['‘\"“](?P<title>.+?)[.,]?['’\"”][.,]?\s+(?P<source>.+)$")
_JOURNAL_NUMBERS = re.compile(  # APA and Harvard: "Journal of Sleep Research, 28(4), e12345" or "pp. 1-10"
    r"^(?P<journal>[^,]+?),\s*(?:vol\.\s*)?(?P<volume>\w+)(?:\s*\((?P<issue>[^)]+)\))?"
    r"(?:,\s*(?:pp?\.\s*)?(?P<page>\w+(?:\s*[-–—]\s*\w+)?))?\.?$", re.IGNORECASE)
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
        """Whether the reading has no doubts."""
        return not self.doubts


def without_marker(line: str) -> str:
    """``line`` without a list marker in front: ``1.``, ``[2]``, ``-``, ``•``, an emoji or another symbol."""
    stripped = _LIST_MARKER.sub("", line, count=1)
    if stripped != line:
        return stripped
    plain = line.lstrip()
    end = 0  # an emoji is a symbol, perhaps with a variation selector or joiner after it
    while end < min(len(plain), 4) and (unicodedata.category(plain[end])[0] == "S"
                                        or end and unicodedata.category(plain[end]) in ("Mn", "Cf")):
        end += 1
    return plain[end:].lstrip() if end and plain[end:end + 1].isspace() else line


def looks_like_citation(line: str) -> bool:
    """Whether a line of a references block reads like a citation: behind a list marker, or with a year,
    a DOI, PMID or PMC link, or an author list at its start."""
    plain = without_marker(line).strip()
    return bool(plain != line.strip() or _YEAR.search(plain) or IDENTIFIER_LINK.search(plain)
                or _AUTHORS.match(plain) or _INVERTED_NAME.match(plain))


def parse_citation(text: str) -> ParsedCitation:
    """Read one citation (see the module's docstring)."""
    text = without_marker(" ".join(text.split()))
    parsed = ParsedCitation(text=text)
    rest = _identifiers(text, parsed.fields)
    if not rest.strip(" ."):  # a bare link: the record it names says the rest
        parsed.doubts.append("only an identifier was typed")
        return parsed
    if _author_date(rest, parsed):
        return parsed
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
    """Take the DOI, PMID, PMC link and any other web address out of ``text`` into ``fields``; what is left."""
    doi = _DOI.search(text)
    if doi:
        fields["DOI"] = doi.group(1).rstrip(".,;)]")
        text = text[: doi.start()] + text[doi.end():]
    pmid = _PMID.search(text)
    if pmid:
        fields["PMID"] = pmid.group(1) or pmid.group(2)
        text = text[: pmid.start()] + text[pmid.end():]
    for pattern in (_PMC, _WEB):
        link = pattern.search(text)
        if link:
            if link.group(0).lower().startswith("http") and "URL" not in fields:
                fields["URL"] = link.group(0).rstrip(".,;)]")
            text = text[: link.start()] + text[link.end():]
    text = re.sub(r"\b(?:Available (?:at|from)|Retrieved from)\s*:?\s*$", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"(?:\s*[.,;])+\s*$", ".", text.strip()).strip()


def _author(name: str) -> dict[str, str]:
    family, initials = name.rsplit(" ", 1)
    return {"family": family, "given": " ".join(f"{letter}." for letter in initials)}


def _author_date(rest: str, parsed: ParsedCitation) -> bool:
    """APA or Harvard: ``Family, I. I., & Family, I. (Year). Title. Journal, Volume(Issue), Pages.``"""
    match = _AUTHOR_DATE.match(rest)
    if not match:
        return False
    fields = parsed.fields
    fields["author"] = [{"family": family, "given": " ".join(re.findall(r"[A-Z]\.", given))}
                        for family, given in _INVERTED_NAME.findall(re.sub(r"(?:&|\band\b)\s*", "", match.group("names")))]
    if match.group("etal"):
        fields["authors-incomplete"] = True
    fields["issued"] = {"date-parts": [[int(match.group("year"))]]}
    body = match.group("rest").strip()
    quoted = _QUOTED_TITLE.match(body)
    split = quoted.groups() if quoted else _title_and_source(body)
    if split is None:
        fields["title"] = body.rstrip(".")
        parsed.doubts.append("the title and the journal could not be told apart")
        return True
    title, source = split
    fields["title"] = title.strip().rstrip(".")
    numbers = _JOURNAL_NUMBERS.match(source.strip())
    if numbers:
        _put_numbers(fields, numbers.groupdict())
    else:
        fields["container-title"] = source.strip().rstrip(".")
        parsed.doubts.append("no volume and pages in a form that can be read")
    return True


def _title_and_source(body: str) -> tuple[str, str] | None:
    found = re.search(r"(?<=[.?!])\s+(?=[A-Z])", body)
    return (body[: found.start()], body[found.end():]) if found else None


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
    split = _title_and_source(rest) if not _YEAR.search(rest) else None
    if split:  # no year at all: "Title. Journal." or "Title. Publisher."
        fields["title"] = split[0].rstrip(".")
        fields["container-title"] = split[1].strip().rstrip(".")
        parsed.doubts.append("no year")
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
    _put_numbers(fields, {name: found.get(name) for name in ("volume", "issue", "page")})


def _put_numbers(fields: dict[str, Any], found: dict[str, str | None]) -> None:
    if found.get("journal"):
        fields["container-title"] = " ".join((found["journal"] or "").split()).rstrip(".")
    for name in ("volume", "issue"):
        if found.get(name):
            fields[name] = found[name]
    if found.get("page"):
        fields["page"] = full_page_range(re.sub(r"\s+", "", found["page"] or ""))


def full_page_range(pages: str) -> str:
    """``1413-7`` → ``1413-1417`` (the model's rule); an en dash becomes a hyphen; other forms are kept."""
    plain = pages.strip().replace("–", "-").replace("—", "-")
    return stored_in_full(plain) or plain
