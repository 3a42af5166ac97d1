"""A CSL-JSON record (from Zotero, a BibTeX file or a lookup) as the fields of a library entry.

One place says what a library entry holds and how each field is written: authors as
``family``/``given`` (or ``literal``), ``issued`` as a year or ``{date-parts: [[y, m, d]]}``,
full page ranges with a hyphen (``1169-1180``, also from ``1169--1180`` or MEDLINE's ``1169-80``),
a bare DOI and a PMID of digits. Zotero's ``journalAbbreviation`` is ``container-title-short``.
Fields the library has no place for (abstract, ISSN, language ...) are left out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..models.reference import DEFAULT_TYPE, DOI_PREFIX

# the fields of an entry, in the order a new entry is written (and an added field is placed)
FIELD_ORDER = (
    "type", "author", "authors-incomplete", "title", "container-title", "container-title-short",
    "publisher", "issued", "volume", "issue", "page", "DOI", "PMID", "URL",
)
TEXT_FIELDS = ("title", "container-title", "container-title-short", "publisher", "volume", "issue", "URL")
ALIASES = {"journalAbbreviation": "container-title-short", "pages": "page", "doi": "DOI", "pmid": "PMID",
           "url": "URL", "number": "issue"}
_RANGE = re.compile(r"^\s*([A-Za-z]*)([0-9]+)\s*(?:-+|–|—)\s*([A-Za-z]*)([0-9]+)\s*$")
_BARE_INITIALS = re.compile(r"^[A-Z]{2,3}$")


class FieldError(ValueError):
    """A field of a record that cannot be an entry's: ``field`` and what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def entry_fields(record: dict[str, Any]) -> dict[str, Any]:
    """The library-entry fields of a CSL-JSON ``record``, in :data:`FIELD_ORDER`; ``FieldError`` on a bad one."""
    found: dict[str, Any] = {}
    for name, value in record.items():
        name = ALIASES.get(name, name)
        if name in FIELD_ORDER and value not in (None, "", []) and name not in found:
            found[name] = value
    fields: dict[str, Any] = {}
    for name in FIELD_ORDER:
        if name in found:
            value = _NORMALISE.get(name, _text)(name, found[name])
            if value is not None:
                fields[name] = value
    if fields.get("type") == DEFAULT_TYPE:
        del fields["type"]
    if not fields.get("authors-incomplete"):
        fields.pop("authors-incomplete", None)
    return fields


def _text(name: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise FieldError(name, f"expected text, found {type(value).__name__}")
    text = " ".join(str(value).split())
    return text or None  # type: ignore[return-value]


def _authors(name: str, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise FieldError(name, "expected a list of names")
    people = []
    for number, person in enumerate(value, 1):
        if not isinstance(person, dict):
            raise FieldError(name, f"name {number} is not a mapping with family and given")
        shown = {part: _text(name, person[part]) for part in ("family", "given", "literal") if person.get(part)}
        if "given" in shown and _BARE_INITIALS.fullmatch(shown["given"]):
            shown["given"] = " ".join(f"{letter}." for letter in shown["given"])  # AR -> A. R.
        if not shown.get("family") and not shown.get("literal"):
            raise FieldError(name, f"name {number} has no family name")
        people.append({part: shown[part] for part in ("family", "given", "literal") if shown.get(part)})
    return people


def _issued(name: str, value: Any) -> int | dict[str, list[list[int]]]:
    parts = value.get("date-parts") if isinstance(value, dict) else value
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        parts = [[value]]
    try:
        first = [int(str(part).strip()) for part in parts[0] if str(part).strip()]
    except (TypeError, ValueError, IndexError, KeyError):
        raise FieldError(name, f"{value!r} is not a date: expected {{date-parts: [[year, month, day]]}}") from None
    if not first or len(first) > 3:
        raise FieldError(name, f"{value!r} is not a date: expected {{date-parts: [[year, month, day]]}}")
    return first[0] if len(first) == 1 else {"date-parts": [first]}


def _page(name: str, value: Any) -> str:
    return full_range(_text(name, value))


def full_range(page: str) -> str:
    """A page range written in full with a hyphen: ``1169-80`` and ``1169--1180`` -> ``1169-1180``."""
    match = _RANGE.fullmatch(page)
    if not match or match.group(3) not in ("", match.group(1)):
        return page
    prefix, first, last = match.group(1), match.group(2), match.group(4)
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}-{match.group(3)}{last}"


def _doi(name: str, value: Any) -> str:
    return DOI_PREFIX.sub("", _text(name, value)).strip()


def _pmid(name: str, value: Any) -> str:
    text = _text(name, value)
    if not text.isdigit():
        raise FieldError(name, f"{text!r} is not a PubMed id (digits only)")
    return text


def _flag(name: str, value: Any) -> bool:
    return bool(value)


_NORMALISE = {"author": _authors, "issued": _issued, "page": _page, "DOI": _doi, "PMID": _pmid,
              "authors-incomplete": _flag}


def folded(text: str) -> str:
    """``text`` case-folded, without accents, punctuation or spaces: what two spellings of a title share."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c.isalnum())


def year_of(fields: dict[str, Any]) -> int | None:
    issued = fields.get("issued")
    if isinstance(issued, dict):
        return issued["date-parts"][0][0]
    return issued if isinstance(issued, int) else None
