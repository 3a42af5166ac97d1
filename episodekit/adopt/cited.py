"""Typed citations made library records: parsed, then (with lookup) matched to their authoritative record.

A citation with a DOI (or a PMID) is fetched by it. One without is searched on Crossref
(``references.crossref``): a match gives its DOI and then the full record from doi.org; a likely
misattribution is reported and not applied; anything else stays as parsed. A citation that stays as
parsed and was read unsure (or not looked up at all) carries ``review:``, saying why and what was typed,
which ``check`` lists until someone has looked at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..errors import NoRecordError
from ..models.reference import Reference
from ..references import crossref
from ..references.fields import FIELD_ORDER
from ..references.lookup import fetch_doi, fetch_pmid, normalise_record
from ..references.normalise import date_notes
from .citation import parse_citation

PARSED, LOOKED_UP, FOUND = "parsed", "looked up", "found by Crossref"


@dataclass
class Cited:
    """One typed citation as the library will have it: its ``fields``, how they were got, what to tell."""

    text: str
    fields: dict[str, Any]
    how: str
    note: str | None = None  # a misattribution, a failed lookup: printed in the report
    key: str | None = None  # the library key, once merged


def read_citation(text: str, *, lookup: bool, contact: str | None) -> Cited:
    """``text`` (one typed citation) as library fields; see the module's docstring."""
    parsed = parse_citation(text)
    fields, doubts = valid_fields(parsed.fields)
    doubts = parsed.doubts + doubts
    if not lookup:
        return _as_parsed(parsed.text, fields, "; ".join(doubts) or None, None)
    if fields.get("DOI") or fields.get("PMID"):
        try:
            return Cited(parsed.text, _record(fields.get("DOI"), fields.get("PMID"), contact), LOOKED_UP)
        except NoRecordError as exc:
            return _as_parsed(parsed.text, fields, str(exc), str(exc))
    found = crossref.match_citation(fields, parsed.text, contact=contact)
    if found.kind == crossref.MATCH and found.doi:
        try:
            return Cited(parsed.text, _record(found.doi, None, contact), FOUND, None)
        except NoRecordError as exc:
            return _as_parsed(parsed.text, fields, "; ".join([*doubts, str(exc)]), str(exc))
    note = found.reason if found.kind == crossref.MISATTRIBUTED else None
    reason = "; ".join([*doubts, found.reason]) if doubts or found.kind != crossref.MATCH else None
    return _as_parsed(parsed.text, fields, reason, note)


def _record(doi: str | None, pmid: str | None, contact: str | None) -> dict[str, Any]:
    record = fetch_doi(doi, contact=contact) if doi else fetch_pmid(str(pmid), contact=contact)
    fields, _ = valid_fields(normalise_record(record))
    notes = date_notes(record)  # a date the record has wrong: kept as far as it is right, and said
    return {**fields, "review": "; ".join(notes)} if notes else fields


def _as_parsed(text: str, fields: dict[str, Any], reason: str | None, note: str | None) -> Cited:
    if reason:
        fields = {**fields, "review": f"{reason} (typed: {text})"}
    return Cited(text, fields, PARSED, note)


def valid_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``fields`` without any a library entry would refuse, in the library's field order, and why each went."""
    kept = {name: fields[name] for name in FIELD_ORDER if name in fields}
    doubts = []
    for _ in range(len(kept) + 1):
        try:
            Reference.model_validate(kept)
            return kept, doubts
        except ValidationError as exc:
            name = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else ""
            if name not in kept or name == "title":
                break
            doubts.append(f"{name} could not be read ({kept.pop(name)!r})")
    kept.setdefault("title", fields.get("title") or "untitled")
    return kept, doubts
