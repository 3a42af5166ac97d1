"""The record a library entry is checked against: doi.org's and NCBI's answers, each trusted for what it knows.

A work can have two records: doi.org's (the publisher's deposit at Crossref or DataCite) and NCBI's
(PubMed's citation, MEDLINE style). They say the same things differently: Crossref gives full given
names (``André Russowsky``), the journal's own capitalisation (``Nature Medicine``) and full page
ranges, but a ``container-title-short`` that is often not NLM's (``Int. J. Neuropsychopharm.``) and,
for online journals, the day the article went online; PubMed gives initials (``AR``), the journal
in sentence case (``Nature medicine``), and what NLM cites: the NLM abbreviation, the title in
sentence case as PubMed stores it, the citation date (``2016``, where the Epub date is separate),
and the PMID. So the record of a work takes, field by field (:data:`FROM_NCBI`):

* from NCBI: ``title``, ``container-title-short``, ``issued`` and ``PMID``;
* from doi.org: everything else (``author``, ``container-title``, ``volume``, ``issue``, ``page``,
  ``DOI``, ``type``), and never its ``container-title-short``;
* a field its source lacks comes from the other record.

A DOI without a PMID is looked up in PubMed first (E-utilities' esearch, ``lookup.pmid_of_doi``), so a
paper PubMed has gets NCBI's record, and with it the NLM abbreviation and MEDLINE pages, however it was
asked for. With one record only, that record is the authority (without doi.org's
``container-title-short``: the publisher's short title, ``WJP`` or ``Neuroscience Letters``, is never
taken for an abbreviation). When the two records name different works (NCBI's DOI is not the DOI asked),
nothing is combined: that is a :class:`Mismatch`, for a person to sort out; a PMID that PubMed's search
gave for the DOI is then dropped instead (its index, not the library, was wrong). The comparison itself (initials against full names, a
case-only difference of title or journal) is ``merge.differences``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import MalformedRecordError, NoRecordError
from .fields import FIELD_ORDER, FieldError, entry_fields
from .lookup import Lookup, fetch_doi, fetch_pmid, normal_doi, normal_pmid, pmid_of_doi
from .normalise import date_notes, served

FROM_NCBI = ("title", "container-title-short", "issued", "PMID")
DOI_ORG, NCBI = "doi.org", "NCBI"


class Mismatch(Exception):
    """The DOI and the PMID of an entry are the records of two different works."""


@dataclass
class WorkRecord:
    """The fields of a work as its records give them, and which service each field came from."""

    fields: dict[str, Any]
    source: dict[str, str]  # field -> DOI_ORG or NCBI
    notes: list[str] = field(default_factory=list)  # what a record said that no entry can hold (a month 13)

    @property
    def services(self) -> str:
        """The services the record's fields came from."""
        return " and ".join(name for name in (DOI_ORG, NCBI) if name in self.source.values())


def identifier(text: str) -> tuple[str | None, str | None]:
    """``(doi, pmid)`` of what a user typed: a PMID is a number (``PMID: 22885997`` too), the rest a DOI."""
    bare = text.strip()
    if bare.isdigit() or bare.lower().startswith("pmid"):
        return None, normal_pmid(bare)
    return normal_doi(bare), None


def work_record(doi: str | None, pmid: str | None, *, contact: str | None = None,
                lookup: Lookup | None = None) -> WorkRecord:
    """The record of the work with ``doi`` and/or ``pmid`` (see the module's rules); a PMID's record names
    its DOI, so a PMID alone brings doi.org's record too, and a DOI alone brings NCBI's when PubMed has the
    paper. ``NoRecordError`` when neither service has it."""
    searched = bool(doi and not pmid)
    if searched:
        pmid = pmid_of_doi(doi, contact=contact, lookup=lookup)  # type: ignore[arg-type]
    ncbi_notes: list[str] = []
    notes: list[str] = []
    ncbi = _ncbi_fields(pmid, searched, contact, lookup, ncbi_notes)
    if ncbi and not doi:
        doi = ncbi.get("DOI")
    crossref = None
    if doi:
        try:
            crossref = _fields(fetch_doi(doi, contact=contact, lookup=lookup), f"doi.org's record of {doi}", notes)
        except NoRecordError:
            if ncbi is None:
                raise
    named = ncbi.get("DOI") if ncbi else None
    if named and named.casefold() != ((crossref or {}).get("DOI") or doi or named).casefold():
        if not searched:
            raise Mismatch(f"PMID {pmid} is the record of DOI {named}, not of DOI {doi}")
        ncbi, ncbi_notes = None, []  # PubMed's search named a record of another work: not this one's
    record = combined(crossref, ncbi)
    record.notes = ncbi_notes + notes
    return record


def _ncbi_fields(pmid: str | None, searched: bool, contact: str | None, lookup: Lookup | None,
                 notes: list[str]) -> dict[str, Any] | None:
    """NCBI's record of ``pmid`` as entry fields; a PMID PubMed's own search gave that it then lacks is none."""
    if not pmid:
        return None
    try:
        return _fields(fetch_pmid(pmid, contact=contact, lookup=lookup), f"NCBI's record of PMID {pmid}", notes)
    except NoRecordError:
        if searched:
            return None
        raise


def combined(crossref: dict[str, Any] | None, ncbi: dict[str, Any] | None) -> WorkRecord:
    """doi.org's fields and NCBI's as one record, each field from its authority (or the other record)."""
    crossref = {k: v for k, v in (crossref or {}).items() if k != "container-title-short"}
    ncbi = ncbi or {}
    fields, source = {}, {}
    for name in FIELD_ORDER:
        order = ((NCBI, ncbi), (DOI_ORG, crossref)) if name in FROM_NCBI else ((DOI_ORG, crossref), (NCBI, ncbi))
        service, record = next(((service, record) for service, record in order if name in record), ("", {}))
        if record:
            fields[name], source[name] = record[name], service
    return WorkRecord(fields, source)


def _fields(record: dict[str, Any], which: str, notes: list[str]) -> dict[str, Any]:
    """A service's record as library-entry fields (what it left out added to ``notes``); a field no entry
    can hold is a malformed record."""
    notes += [f"{which}: {note}" for note in date_notes(record)]
    try:
        return entry_fields(served(record))
    except FieldError as exc:
        raise MalformedRecordError(f"the record has a {exc.field} no library entry can hold: {exc}") from None
