"""A CSL-JSON record, as doi.org (Crossref, DataCite…) or NCBI's exporter sends it, turned into a library entry.

The result holds only fields of ``models.reference.Reference``, in its order, with its names:
``type`` (mapped to the model's types; left out when it is the default, ``article-journal``),
``author`` (``family`` + ``given`` + ``suffix``, a particle such as ``van der`` in ``family``, or
``literal``), ``title``, ``container-title``,
``container-title-short``, ``publisher`` (not for journal articles), ``issued`` (as precise as the
record: year, month, day; for a journal article the print issue's date when the record has one, as
NLM cites it; a month or day that does not exist is left out, and :func:`date_notes` says so), ``volume``, ``issue``, ``page`` (the FULL range: MEDLINE's ``1413-7`` becomes
``1413-1417``), ``DOI``, ``PMID`` and ``URL`` (only for a work without a DOI). Text is one line, as
it reads: HTML entities decoded (``Sleep &amp; mood`` -> ``Sleep & mood``, ``&lt;i&gt;`` -> ``<i>``),
then markup (JATS ``<jats:italic>``, HTML ``<i>``, ``<em>``) turned into CSL's (``<i>``, which a style
sets in italics where it has them and a plain-text description drops) or dropped (``<scp>``, ``<p>``).
"""

from __future__ import annotations

import calendar
import html
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
_JATS_KEPT = {"italic": "i", "i": "i", "em": "i", "bold": "b", "b": "b", "strong": "b", "sub": "sub", "sup": "sup"}
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
        particles = [_text(person.get(name)) for name in ("dropping-particle", "non-dropping-particle")]
        family = " ".join(filter(None, [*particles, family]))  # "van der Berg": the library has no particle field
        suffix = _text(person.get("suffix"))
        return {"family": family, **({"given": _given(given)} if given else {}), **({"suffix": suffix} if suffix else {})}
    return {"literal": literal} if literal else None


def _given(given: str) -> str:
    """Given names as a style can split them: MEDLINE's bare initials ``HJ`` (or ``H J``) become ``H. J.``."""
    if _BARE_INITIALS.fullmatch(given):
        return " ".join(f"{letter}." for letter in given)
    if _SPACED_INITIALS.fullmatch(given):
        return " ".join(f"{part.rstrip('.')}." for part in given.split())
    return given


def _issued(csl: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The date as ``{date-parts: [[y, m, d]]}``, as precise as the record has it right."""
    for name in _date_fields(kind):
        parts = real_date(date_parts_of(csl.get(name)) or [])
        if parts:
            return {"date-parts": [parts]}
    return None


def _date_fields(kind: str) -> tuple[str, ...]:
    return ("published-print", "issued") if kind == "article-journal" else ("issued",)


def date_notes(csl: dict[str, Any]) -> list[str]:
    """What :func:`normalise_record` left out of the record's date (``2012-13``: no month 13), as notes."""
    for name in _date_fields(csl_type(csl.get("type"))):
        written = date_parts_of(csl.get(name)) or []
        kept = real_date(written)
        if kept:
            if len(kept) < len(written):
                shown = "-".join(str(part) for part in written)
                return [f"issued: the record's date {shown} does not exist; only {'-'.join(map(str, kept))} is kept"]
            return []
    return []


def served(csl: dict[str, Any]) -> dict[str, Any]:
    """A service's record with each date cut to the part that exists (``2012-13`` -> ``2012``, no year: no
    date), as :func:`normalise_record` reads it; a file's record is refused for such a date instead."""
    cut = dict(csl)
    for name in ("published-print", "issued"):
        written = date_parts_of(csl.get(name))
        if written is None:
            continue
        kept = real_date(written)
        if kept:
            cut[name] = {"date-parts": [kept]}
        else:
            cut.pop(name)
    return cut


def date_parts_of(value: Any) -> list[Any] | None:
    """The ``[year, month, day]`` a CSL date gives (``date-parts``, or ISO 8601 ``raw``), as written; None
    when it has no such parts (a ``literal`` date, a list). A bare ``"2012-09"`` is read as ``raw``."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return iso_date_parts(str(value))
    if not isinstance(value, dict):
        return None
    if "date-parts" not in value and isinstance(value.get("raw"), str):
        return iso_date_parts(value["raw"])
    try:
        parts = value["date-parts"][0]
    except (TypeError, KeyError, IndexError):
        return None
    if not isinstance(parts, list):
        return None
    return [part for part in parts if part not in (None, "")]


def iso_date_parts(text: str) -> list[Any] | None:
    """``2012``, ``2012-09``, ``2012-09-05`` (the first of a range ``2012/2013``) as parts; None otherwise."""
    first = text.strip().split("/")[0]
    parts = [part.strip() for part in first.split("-")]
    return parts if first and len(parts) <= 3 and all(_digits(part) for part in parts) else None


def real_date(parts: list[Any]) -> list[int]:
    """The longest start of ``parts`` that is a real date: ``[2012, 13]`` -> ``[2012]``; ``[]`` without a year."""
    kept: list[int] = []
    for position, part in enumerate(parts[:3]):
        text = str(part).strip()
        if isinstance(part, bool) or not _digits(text) or len(text) > 4:
            break
        number = int(text)
        if (position == 0 and not 1000 <= number <= 9999) or (position == 1 and not 1 <= number <= 12) or (
                position == 2 and not 1 <= number <= calendar.monthrange(kept[0], kept[1])[1]):
            break
        kept.append(number)
    return kept


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _pmid(csl: dict[str, Any]) -> str | None:
    value = _text(csl.get("PMID"))
    if not value and str(csl.get("id", "")).lower().startswith("pmid:"):
        value = str(csl["id"])[5:]
    return value if value and value.isdigit() else None


def _text(value: object) -> str | None:
    """One line of text as it reads: the first of a list, HTML entities decoded, markup as CSL's, spaces
    collapsed."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, (dict, bool)):
        return None
    text = str(value)
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(_csl_tag, text)
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
    if kept is None:
        return ""
    return f"</{kept}>" if match.group(0).startswith("</") else f"<{kept}>"
