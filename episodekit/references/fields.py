"""A record of an import file as the fields of a library entry, and what two spellings of a work share.

The normalisation itself is ``normalise.normalise_record`` (the one place that says how a CSL-JSON
record becomes an entry: full page ranges, ``issued`` as date parts, Zotero's ``journalAbbreviation``
as ``container-title-short``, ``H. J.`` for MEDLINE's ``HJ``). A file a person exported can also be
wrong in ways a service's answer is not, so :func:`entry_fields` first checks the shape of the fields
it keeps and says which one is wrong (``FieldError``), where ``normalise_record`` would drop it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..models.reference import Reference
from .normalise import normalise_record

# the fields of an entry, in the order a new entry is written (and an added field is placed)
FIELD_ORDER = tuple(info.alias or name for name, info in Reference.model_fields.items() if name != "id")
_DATE = "expected {date-parts: [[year, month, day]]}"


class FieldError(ValueError):
    """A field of a record that cannot be an entry's: ``field`` and what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def entry_fields(record: dict[str, Any]) -> dict[str, Any]:
    """The library-entry fields of a CSL-JSON ``record``, in :data:`FIELD_ORDER`; ``FieldError`` on a bad one."""
    _check_authors(record.get("author"))
    if record.get("issued") not in (None, "", {}):
        _check_issued(record["issued"])
    pmid = record.get("PMID")
    if pmid not in (None, "") and not str(pmid).strip().isdigit():
        raise FieldError("PMID", f"{pmid!r} is not a PubMed id (digits only)")
    fields = normalise_record(record)
    if fields.get("issued") and fields["issued"]["date-parts"][0][1:] == []:
        fields["issued"] = fields["issued"]["date-parts"][0][0]  # a year alone is written as the year
    return fields


def _check_authors(people: Any) -> None:
    if people in (None, []):
        return
    if not isinstance(people, list):
        raise FieldError("author", "expected a list of names")
    for number, person in enumerate(people, 1):
        if not isinstance(person, dict) or not (person.get("family") or person.get("literal") or person.get("name")):
            raise FieldError("author", f"name {number} has no family name (expected {{family: ..., given: ...}})")


def _check_issued(value: Any) -> None:
    try:
        parts = value["date-parts"][0]
        numbers = [int(str(part).strip()) for part in parts if str(part).strip()]
    except (TypeError, KeyError, IndexError, ValueError):
        raise FieldError("issued", f"{value!r} is not a date: {_DATE}") from None
    if not 1 <= len(numbers) <= 3 or not 1000 <= numbers[0] <= 9999:
        raise FieldError("issued", f"{value!r} is not a date: {_DATE}")


def folded(text: str) -> str:
    """``text`` case-folded, without accents, punctuation or spaces: what two spellings of a title share."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c.isalnum())


def year_of(fields: dict[str, Any]) -> int | None:
    issued = fields.get("issued")
    if isinstance(issued, dict):
        return issued["date-parts"][0][0]
    return issued if isinstance(issued, int) else None
