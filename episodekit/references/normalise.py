"""A CSL-JSON record, as doi.org (Crossref, DataCite…) or NCBI's exporter sends it, turned into a library entry.

The result holds only fields of ``models.reference.Reference``, in its order, with its names:
``type`` (mapped to the model's types; left out when it is the default, ``article-journal``),
``author`` (``family`` + ``given``, or ``literal``), ``title``, ``container-title``,
``container-title-short``, ``publisher`` (not for journal articles), ``issued`` (as precise as the
record: year, month, day; for a journal article the print issue's date when the record has one, as
NLM cites it), ``volume``, ``issue``, ``page`` (the FULL range: MEDLINE's ``1413-7`` becomes
``1413-1417``), ``DOI``, ``PMID`` and ``URL`` (only for a work without a DOI). Text is one line,
with JATS markup (``<jats:italic>``) turned into CSL's (``<i>``) or dropped.
"""

from __future__ import annotations

import re
from typing import Any

from ..models.reference import DEFAULT_TYPE, Reference

TYPES = {  # CSL (and Crossref) types -> the types a library entry has
    "article-journal": "article-journal", "journal-article": "article-journal", "review": "article-journal",
    "book": "book", "monograph": "book", "edited-book": "book", "reference-book": "book",
    "chapter": "chapter", "book-chapter": "chapter", "entry": "chapter", "entry-encyclopedia": "chapter",
    "entry-dictionary": "chapter", "paper-conference": "chapter", "proceedings-article": "chapter",
    "report": "report", "standard": "report",
    "webpage": "webpage", "post": "webpage", "post-weblog": "webpage",
    "thesis": "thesis", "dissertation": "thesis",
    "dataset": "dataset",
    "article": "article", "posted-content": "article", "article-magazine": "article",
    "article-newspaper": "article", "preprint": "article",
}
OTHER_TYPE = "article"  # a type the library does not have: a generic article
_MODEL_TYPES = set(Reference.model_fields["type"].annotation.__args__)  # type: ignore[union-attr]
_JATS_KEPT = {"italic": "i", "i": "i", "bold": "b", "b": "b", "sub": "sub", "sup": "sup", "sc": "sc"}
_TAG = re.compile(r"</?(?:jats:|mml:)?([A-Za-z-]+)[^>]*>")
_PAGES = re.compile(r"^([A-Za-z]*)(\d+)\s*[-–—]\s*([A-Za-z]*)(\d+)$")
_BARE_INITIALS = re.compile(r"^[A-Z]{1,3}$")
_SPACED_INITIALS = re.compile(r"^(?:[A-Z]\.?\s+)+[A-Z]\.?$")


def normalise_record(csl: dict[str, Any]) -> dict[str, Any]:
    """The fields of a library entry that ``csl`` gives, in the model's order; nothing the model lacks."""
    kind = csl_type(csl.get("type"))
    entry: dict[str, Any] = {}
    if kind != DEFAULT_TYPE:
        entry["type"] = kind
    authors = [a for a in map(_author, csl.get("author") or []) if a]
    if authors:
        entry["author"] = authors
        if csl.get("authors-incomplete") is True:  # ours: a typed citation that ended its authors with "et al."
            entry["authors-incomplete"] = True
    entry["title"] = _title(csl.get("title"))
    entry["container-title"] = _text(csl.get("container-title"))
    entry["container-title-short"] = _text(csl.get("container-title-short") or csl.get("short-container-title")
                                           or csl.get("journalAbbreviation"))
    if kind != "article-journal":
        entry["publisher"] = _text(csl.get("publisher"))
    entry["issued"] = _issued(csl, kind)
    entry["volume"], entry["issue"] = _text(csl.get("volume")), _text(csl.get("issue"))
    entry["page"] = full_page_range(_text(csl.get("page") or csl.get("article-number")))  # e-location
    entry["DOI"] = _text(csl.get("DOI"))
    entry["PMID"] = _pmid(csl)
    if not entry["DOI"]:
        entry["URL"] = _text(csl.get("URL"))
    return {name: value for name, value in entry.items() if value not in (None, "", [])}


def csl_type(value: object) -> str:
    """The library's type for a CSL (or Crossref) type; a type it does not know is a generic ``article``."""
    kind = TYPES.get(str(value or "").strip().lower(), OTHER_TYPE) if value else DEFAULT_TYPE
    return kind if kind in _MODEL_TYPES else OTHER_TYPE


def full_page_range(page: str | None) -> str | None:
    """``1413-7`` → ``1413-1417``, ``1169-80`` → ``1169-1180``, ``S12-8`` → ``S12-S18``; a full range, a
    single page or an article number as given (an en dash becomes a hyphen)."""
    match = _PAGES.fullmatch(page or "")
    if not match:
        return page
    prefix, first, second_prefix, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    if int(last) < int(first):  # not a range that shortening explains: keep what the record says
        return page
    return f"{prefix}{first}-{second_prefix or prefix}{last}"


def _author(person: object) -> dict[str, str] | None:
    if not isinstance(person, dict):
        return None
    family, given = _text(person.get("family")), _text(person.get("given"))
    literal = _text(person.get("literal") or person.get("name"))
    if family:
        return {"family": family, **({"given": _given(given)} if given else {})}
    return {"literal": literal} if literal else None


def _given(given: str) -> str:
    """Given names as a style can split them: MEDLINE's bare initials ``HJ`` (or ``H J``) become ``H. J.``."""
    if _BARE_INITIALS.fullmatch(given):
        return " ".join(f"{letter}." for letter in given)
    if _SPACED_INITIALS.fullmatch(given):
        return " ".join(f"{part.rstrip('.')}." for part in given.split())
    return given


def _issued(csl: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The date as ``{date-parts: [[y, m, d]]}``, as precise as the record has it."""
    for name in (("published-print", "issued") if kind == "article-journal" else ("issued",)):
        parts = _date_parts(csl.get(name))
        if parts:
            return {"date-parts": [parts]}
    return None


def _date_parts(value: object) -> list[int] | None:
    try:
        first = value["date-parts"][0]  # type: ignore[index]
        parts = [int(part) for part in first if part not in (None, "")][:3]
    except (TypeError, KeyError, IndexError, ValueError):
        return None
    return parts if parts and 1000 <= parts[0] <= 9999 else None


def _pmid(csl: dict[str, Any]) -> str | None:
    value = _text(csl.get("PMID"))
    if not value and str(csl.get("id", "")).lower().startswith("pmid:"):
        value = str(csl["id"])[5:]
    return value if value and value.isdigit() else None


def _text(value: object) -> str | None:
    """One line of text: the first of a list, markup as CSL's, spaces collapsed; a final period off a title."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, (dict, bool)):
        return None
    text = _TAG.sub(_csl_tag, str(value))
    text = " ".join(text.split())
    return text or None


def _title(value: object) -> str | None:
    """A title without the period MEDLINE ends it with (the style adds its own); ``?`` and ``!`` stay."""
    title = _text(value)
    if title and title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip() or None
    return title


def _csl_tag(match: re.Match[str]) -> str:
    kept = _JATS_KEPT.get(match.group(1).lower())
    if kept is None or kept == "sc":
        return ""
    return f"</{kept}>" if match.group(0).startswith("</") else f"<{kept}>"
