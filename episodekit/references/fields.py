"""A record of an import file as the fields of a library entry, and what two spellings of a work share.

The normalisation itself is ``normalise.normalise_record`` (the one place that says how a CSL-JSON
record becomes an entry: full page ranges, ``issued`` as date parts, Zotero's ``journalAbbreviation``
as ``container-title-short``, ``H. J.`` for MEDLINE's ``HJ``). A file a person exported can also be
wrong in ways a service's answer is not, so :func:`entry_fields` first checks the shape of the fields
it keeps and says which one is wrong (``FieldError``), where ``normalise_record`` would drop it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from functools import lru_cache
from typing import Any

from ..models.reference import DEFAULT_TYPE, Reference
from .normalise import date_parts_of, normalise_record

# the fields of an entry, in the order a new entry is written (and an added field is placed)
FIELD_ORDER = tuple(info.alias or name for name, info in Reference.model_fields.items() if name != "id")
_DATE = "expected {date-parts: [[year, month, day]]}"
_NOT_LETTERS = re.compile(r"[\W_]+")  # what is not a letter or digit (combining marks included)


class FieldError(ValueError):
    """A field of a record that cannot be an entry's: ``field`` and what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def entry_fields(record: dict[str, Any]) -> dict[str, Any]:
    """The library-entry fields of a CSL-JSON ``record``, in :data:`FIELD_ORDER`; ``FieldError`` (the first
    of :func:`field_problems`) on a bad one."""
    problems = field_problems(record)
    if problems:
        raise problems[0]
    fields = normalise_record(record)
    if fields.get("issued") and fields["issued"]["date-parts"][0][1:] == []:
        fields["issued"] = fields["issued"]["date-parts"][0][0]  # a year alone is written as the year
    return fields


def entry_of(reference: Reference) -> dict[str, Any]:
    """A validated entry as library-entry fields, as written (the default type, no authors and ``false``
    left out)."""
    data = reference.model_dump(by_alias=True, exclude_none=True, exclude={"id"})
    if data.get("type") == DEFAULT_TYPE:
        del data["type"]
    if not data.get("authors-incomplete"):
        data.pop("authors-incomplete", None)
    if not data.get("author"):
        data.pop("author", None)
    return {name: data[name] for name in FIELD_ORDER if name in data}


def field_problems(record: dict[str, Any]) -> list[FieldError]:
    """Every field of ``record`` that a library entry cannot hold as given, each saying what is wrong."""
    problems = _author_problems(record.get("author"))
    if record.get("issued") not in (None, "", {}):
        problems += _issued_problems(record["issued"])
    pmid = record.get("PMID")
    if pmid not in (None, "") and not (str(pmid).strip().isascii() and str(pmid).strip().isdigit()):
        problems.append(FieldError("PMID", f"{shown_value(pmid)} is not a PubMed id (digits only)"))
    return problems


def _author_problems(people: Any) -> list[FieldError]:
    if people in (None, []):
        return []
    if not isinstance(people, list):
        return [FieldError("author", "expected a list of names")]
    return [FieldError("author", f"name {number} has no family name (expected {{family: ..., given: ...}})")
            for number, person in enumerate(people, 1)
            if not isinstance(person, dict) or not (person.get("family") or person.get("literal") or person.get("name"))]


def _issued_problems(value: Any) -> list[FieldError]:
    """What is wrong with a CSL date, in the library's terms: ``99999 is not a year``, ``13 is not a month``."""
    parts = date_parts_of(value)
    if parts is None:
        return [FieldError("issued", f"{shown_value(value)} is not a date: {_DATE}")]
    message = date_problem(parts)
    return [FieldError("issued", message)] if message else []


def date_problem(parts: list[Any]) -> str | None:
    """None for a date a library entry can hold (``[2012]``, ``[2012, 9]``, ``[2012, 9, 5]``), else what is wrong."""
    if not 1 <= len(parts) <= 3:
        return f"{shown_value(parts)} is not a date: {_DATE}"
    numbers = []
    for name, part in zip(("year", "month", "day"), parts):
        text = str(part).strip()
        if not (text.isascii() and text.isdigit()) or isinstance(part, bool):
            return f"{shown_value(part)} is not a {name}"
        numbers.append(int(text) if len(text) <= 9 else 10**9)
    year, month, day = (numbers + [None, None])[:3]
    if not 1000 <= year <= 9999:
        return f"{shown_value(parts[0])} is not a year (a year is 1000 to 9999)"
    if month is not None and not 1 <= month <= 12:
        return f"{shown_value(parts[1])} is not a month (1 to 12)"
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"{year}-{month:02d} has no day {shown_value(parts[2])}"
    return None


def shown_value(value: Any) -> str:
    """A value for a message, cut short: ``99999``, ``'Sept.'``, ``'4444…'`` (never thousands of digits)."""
    text = " ".join(str(value).split())
    if text.isdigit() and not isinstance(value, bool):
        return text if len(text) <= 12 else text[:12] + "…"
    return repr(text if len(text) <= 40 else text[:40] + "…")


def folded(text: str) -> str:
    """``text`` case-folded, without accents, punctuation or spaces: what two spellings of a title share."""
    plain = unicodedata.normalize("NFKD", text).translate(_marks())
    return _NOT_LETTERS.sub("", plain.casefold())


@lru_cache(maxsize=1)
def _marks() -> dict[int, None]:
    """Every combining character (the accents NFKD splits off), to be deleted by ``str.translate``."""
    return {code: None for code in range(0x300, 0x20000) if unicodedata.combining(chr(code))}  # none above


def year_of(fields: dict[str, Any]) -> int | None:
    """The year of ``issued``, or None."""
    issued = fields.get("issued")
    if isinstance(issued, dict):
        return issued["date-parts"][0][0]
    return issued if isinstance(issued, int) else None
