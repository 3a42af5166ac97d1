"""Typed citations made library records: parsed, then (with lookup) matched to their authoritative record.

A citation with a DOI (or a PMID) is fetched by it. One without is searched on Crossref
(``references.crossref``): a match gives its DOI and then the full record. Either way the record is
the work's as ``refs add`` makes it (``references.authority``): doi.org's, and NCBI's where PubMed has
the paper (found by its DOI), so the journal's NLM abbreviation comes from NCBI and never from the
publisher's short title; a paper PubMed lacks keeps the abbreviation as typed, when it abbreviates the
record's journal. A likely misattribution (the record of the typed title names another first author or
year) keeps the typed fields and the record's DOI, marked ``misattribution:`` and not applied, so
``refs verify --fix KEY`` is one step from the record; anything else stays as parsed. A citation that
stays as parsed and was read unsure (or not looked up at all) carries ``review:``, saying why and what
was typed, which ``check`` lists until someone has looked at it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..errors import NoRecordError
from ..models.reference import Reference
from ..references import crossref
from ..references.authority import Mismatch, work_record
from ..references.fields import FIELD_ORDER
from .citation import parse_citation

PARSED, LOOKED_UP, FOUND = "parsed", "looked up", "found by Crossref"
MISATTRIBUTED = "likely misattributed"  # the fields as typed, the record not applied
# words a journal's abbreviation leaves out (ISO 4 / NLM drop articles, conjunctions and prepositions)
_LEFT_OUT = frozenset("a an and the of for in on at to with & de des du la le les der die das und et y e".split())


@dataclass
class Cited:
    """One typed citation as the library will have it: its ``fields``, how they were got, what to tell."""

    text: str
    fields: dict[str, Any]
    how: str
    note: str | None = None  # a misattribution, a failed lookup: printed in the report
    key: str | None = None  # the library key, once merged
    typed: str = ""  # the citation exactly as typed (its list marker and line breaks too)


def read_citation(text: str, *, lookup: bool, contact: str | None) -> Cited:
    """``text`` (one typed citation) as library fields; see the module's docstring."""
    parsed = parse_citation(text)
    parsed.fields.setdefault("title", _stand_in_title(parsed.fields) or parsed.text)  # until a record says more
    fields, doubts = valid_fields(parsed.fields)
    doubts = parsed.doubts + doubts
    if not lookup or not (fields.get("DOI") or fields.get("PMID") or fields.get("author")):
        return _as_parsed(parsed.text, fields, "; ".join(doubts) or None, None)  # nothing to search Crossref by
    if fields.get("DOI") or fields.get("PMID"):
        try:
            return Cited(parsed.text, _record(fields.get("DOI"), fields.get("PMID"), fields, contact), LOOKED_UP)
        except (NoRecordError, Mismatch) as exc:
            return _as_parsed(parsed.text, fields, str(exc), str(exc))
    found = crossref.match_citation(fields, parsed.text, contact=contact)
    if found.kind == crossref.MATCH and found.doi:
        try:
            return Cited(parsed.text, _record(found.doi, None, fields, contact), FOUND, None)
        except (NoRecordError, Mismatch) as exc:
            return _as_parsed(parsed.text, fields, "; ".join([*doubts, str(exc)]), str(exc))
    if found.kind == crossref.MISATTRIBUTED and found.doi:
        return _misattributed(parsed.text, fields, doubts, found)
    reason = "; ".join([*doubts, found.reason]) if doubts or found.kind != crossref.MATCH else None
    return _as_parsed(parsed.text, fields, reason, None)


def _stand_in_title(fields: dict[str, Any]) -> str | None:
    """The title of a citation typed as a bare link: what it names (``PMID 17074942``, ``PMC4779536``)."""
    if fields.get("DOI"):
        return f"DOI {fields['DOI']}"
    if fields.get("PMID"):
        return f"PMID {fields['PMID']}"
    url = str(fields.get("URL") or "").rstrip("/")
    return url.rsplit("/", 1)[-1] or None


def _record(doi: str | None, pmid: str | None, typed: dict[str, Any], contact: str | None) -> dict[str, Any]:
    """The work's record as entry fields; the typed abbreviation where NCBI has none for it."""
    record = work_record(doi, str(pmid) if pmid else None, contact=contact)
    fields, _ = valid_fields(record.fields)
    journal = typed.get("container-title-short") or typed.get("container-title")
    full = fields.get("container-title")
    if "container-title-short" not in fields and journal and full and abbreviates(journal, full):
        fields = valid_fields({**fields, "container-title-short": journal})[0]
    notes = record.notes  # a date the record has wrong: kept as far as it is right, and said
    return {**fields, "review": "; ".join(notes)} if notes else fields


def _misattributed(text: str, fields: dict[str, Any], doubts: list[str], found: crossref.Match) -> Cited:
    """The typed fields with the record's DOI, marked as a suspected misattribution (not applied)."""
    mark = f"typed as {found.typed}, but DOI {found.doi} is the record of {found.record}"
    kept = {**{k: v for k, v in fields.items() if k not in ("DOI", "PMID")}, "DOI": found.doi, "misattribution": mark}
    if doubts:
        kept["review"] = f"{'; '.join(doubts)} (typed: {text})"
    return Cited(text, valid_fields(kept)[0], MISATTRIBUTED, found.reason)


def abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` is an abbreviation of the journal name ``full`` (or ``full`` itself written otherwise):
    each of its words starts a word of ``full``, in order, and only words an abbreviation leaves out are
    skipped (``Neurosci Lett`` of ``Neuroscience Letters``, ``World J Psychiatry`` of ``World Journal of
    Psychiatry``); ``WJP`` is not."""
    ours, theirs = _journal_words(short), _journal_words(full)
    if not ours or ours == theirs:
        return False
    at = 0
    for word in ours:
        while at < len(theirs) and not theirs[at].startswith(word) and theirs[at] in _LEFT_OUT:
            at += 1
        if at == len(theirs) or not theirs[at].startswith(word):
            return False
        at += 1
    return all(rest in _LEFT_OUT for rest in theirs[at:])


def _journal_words(name: str) -> list[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return [word for word in re.split(r"[^\w&]+", plain) if word]


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
