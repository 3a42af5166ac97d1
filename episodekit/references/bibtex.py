"""The BibTeX reader of ``refs import``: a .bib (BibTeX or BibLaTeX) read as biber or Zotero reads it.

bibtexparser's splitter cuts the file into blocks, each with its line and the line of each field;
the rest is here, once for every entry:

* field names in any letter case (``AUTHOR =``); a field given twice is a problem at both lines;
* values: ``{...}``, ``"..."``, numbers and ``@string`` macros joined by ``#``
  (``journal = pre # "Things"``); ``jan`` ... ``dec`` are the months;
* ``crossref = {key}``: a part (``@incollection``, ``@inproceedings`` ...) takes the fields it lacks
  from the entry it names, that entry's ``title`` as its ``booktitle`` (biber's rule), so a chapter
  keeps its book's year and publisher; ``xdata`` the same without the title;
* every standard type is read, each a CSL type (:data:`TYPES`, the table of docs/commands/refs-import.md),
  and each field the library has (:data:`FIELDS`): ``journal`` is ``container-title``, ``number`` ``issue`` ...;
* text through :mod:`latex` (LaTeX made text, verbatim fields as written, names split);
* dates: ``date`` (``2012-09-05``) or ``year`` and ``month`` (``sep``, ``{September}``, ``9``), each
  wrong one reported in BibTeX's terms at its line (``year: 99999 is not a year``).

Every problem of the file is reported to its :class:`~.sources.Problems`, at the line of the field.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import did_you_mean
from .fields import shown_value
from . import latex
from .bibvalue import MACROS, MONTHS, BadValue, join
from .reading import Places, Problems, Raw

TYPES = {  # BibTeX / BibLaTeX entry type -> CSL type (normalise.csl_type then gives the library's type)
    "article": "article-journal", "book": "book", "mvbook": "book", "booklet": "book", "collection": "book",
    "mvcollection": "book", "proceedings": "book", "mvproceedings": "book", "reference": "book",
    "mvreference": "book", "inbook": "chapter", "bookinbook": "chapter", "suppbook": "chapter",
    "incollection": "chapter", "suppcollection": "chapter", "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference", "conference": "paper-conference", "manual": "report",
    "report": "report", "techreport": "report", "thesis": "thesis", "phdthesis": "thesis",
    "mastersthesis": "thesis", "online": "webpage", "electronic": "webpage", "www": "webpage",
    "misc": "article", "unpublished": "manuscript", "periodical": "periodical",
    "suppperiodical": "article-journal", "patent": "patent", "dataset": "dataset", "data": "dataset",
    "software": "software", "standard": "standard", "letter": "personal_communication",
    "review": "review", "artwork": "graphic", "image": "graphic", "audio": "song", "music": "song",
    "video": "motion_picture", "movie": "motion_picture", "performance": "performance",
    "legislation": "legislation", "jurisdiction": "legal_case", "legal": "legal_case",
}
SKIPPED = frozenset({"xdata", "set"})  # containers of other entries' fields or of other entries, not works
PARTS = frozenset({"inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inproceedings",
                   "conference", "inreference"})
FIELDS = {  # BibTeX field -> CSL field of the library, in the order a field wins over the next
    "title": "title", "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "shortjournal": "container-title-short", "publisher": "publisher",
    "institution": "publisher", "school": "publisher", "organization": "publisher", "volume": "volume",
    "number": "issue", "issue": "issue", "pages": "page", "doi": "DOI", "pmid": "PMID", "url": "URL",
}
NOT_INHERITED = frozenset({"crossref", "xref", "xdata", "ids", "entryset", "label", "shorthand", "sortkey"})
_NUMBER_FOR_REPORTS = frozenset({"report", "techreport", "manual", "patent", "standard"})  # number: not an issue
USED = frozenset({*FIELDS, "author", "date", "year", "month", "crossref", "xdata", "eprint", "eprinttype",
                  "howpublished"})  # the fields read; the rest (abstract, keywords, file ...) are never joined
_YEAR = re.compile(r"[0-9]{4}")
_BLOCK_START = re.compile(r"^[ \t]*@", re.MULTILINE)
PIECE_CHARACTERS = 1 << 20  # the splitter's blocks of about a MiB of the file at a time

log = logging.getLogger(__name__)


@dataclass
class Value:
    """A field's value once its parts are joined (braces inside kept), where it is and as it is named."""

    text: str
    line: int
    name: str  # as written: "AUTHOR", "Title"


@dataclass
class Entry:
    kind: str
    key: str
    line: int
    values: dict[str, Value] = field(default_factory=dict)  # by the field's name in lower case
    faulty: bool = False  # a problem was reported already: it gives no record


def read_entries(text: str, problems: Problems) -> Iterator[Raw]:
    """Each entry of a .bib as a CSL-JSON record with its lines; every problem goes to ``problems``."""
    entries = _entries(text, problems)
    by_key = {entry.key.lower(): entry for entry in entries}
    for entry in entries:
        _inherit(entry, by_key, problems, set())
    works = [entry for entry in entries if entry.kind not in SKIPPED]
    if not works and not problems.found:
        problems.add(None, "the file has no BibTeX entries (@article{key, ...})")
    for entry in works:
        raw = _record(entry, problems)
        if raw is not None:
            yield raw


def _entries(text: str, problems: Problems) -> list[Entry]:
    from bibtexparser import model

    macros, entries, keys = dict(MACROS), [], {}
    for block, line in _blocks(text, problems):
        while isinstance(block, (model.DuplicateBlockKeyBlock, model.DuplicateFieldKeyBlock)) and \
                block.ignore_error_block is not None:
            block = block.ignore_error_block  # duplicates are found here, across the whole file
        if isinstance(block, model.String):
            try:
                macros[block.key.strip().lower()] = join(block.value, macros)
            except BadValue as exc:
                problems.add(line, f"@string {block.key}: {exc}")
        elif isinstance(block, model.Entry):
            if block.key.strip().lower() in keys:
                problems.add(line, f"the key {block.key.strip()!r} is used by an earlier entry too (line "
                                   f"{keys[block.key.strip().lower()]}); give each entry its own")
                continue
            keys[block.key.strip().lower()] = line
            entries.append(_entry(block, line, macros, problems))
        elif isinstance(block, model.ParsingFailedBlock):
            problems.add(line, _failure(block))
    return entries


def _blocks(text: str, problems: Problems) -> Iterator[tuple[Any, int]]:
    """Each block of the file with its line, split piece by piece (the splitter holds a piece's blocks, not
    the whole file's)."""
    from bibtexparser.splitter import Splitter

    for offset, piece in _pieces(text):
        try:
            with _quiet("bibtexparser"):
                blocks = Splitter(piece).split().blocks
        except Exception as exc:  # noqa: BLE001 - the splitter's own state errors: a file must never crash
            problems.add(offset + 1, f"cannot be read as BibTeX from here on ({type(exc).__name__}); "
                                     "check the braces and @ signs")
            return
        for block in blocks:
            yield block, offset + (block.start_line or 0) + 1


def _pieces(text: str, size: int = PIECE_CHARACTERS) -> Iterator[tuple[int, str]]:
    """``text`` cut before an ``@`` that starts a line outside every brace, about ``size`` characters a
    piece, each with the number of lines before it."""
    start, line, depth, counted = 0, 0, 0, 0
    for mark in _BLOCK_START.finditer(text):
        at = mark.start()
        depth += text.count("{", counted, at) - text.count("}", counted, at)
        counted = at
        if depth == 0 and at - start >= size:
            yield line, text[start:at]
            line += text.count("\n", start, at)
            start = at
    yield line, text[start:]


def _entry(block: Any, line: int, macros: dict[str, str], problems: Problems) -> Entry:
    entry = Entry(block.entry_type.strip().lower(), block.key.strip(), line)
    before = len(problems.found)
    offset = line - (block.start_line or 0) - 1  # the lines of the pieces before this one
    for item in block.fields:
        name, line = item.key.strip(), offset + (item.start_line or 0) + 1
        if name.lower() in entry.values:
            first = entry.values[name.lower()]
            problems.add(line, f"given twice in entry {entry.key!r} (first at line {first.line}, as "
                               f"{first.name!r}); remove one", name)
            continue
        if name.lower() not in USED:
            entry.values[name.lower()] = Value("", line, name)  # known to be there, never read
            continue
        try:
            entry.values[name.lower()] = Value(join(item.value, macros), line, name)
        except BadValue as exc:
            problems.add(line, str(exc), name)
    entry.faulty = len(problems.found) > before
    return entry


def _inherit(entry: Entry, by_key: dict[str, Entry], problems: Problems, seen: set[str]) -> None:
    """Give ``entry`` the fields of the entries its ``crossref`` and ``xdata`` name (theirs first)."""
    for link in ("xdata", "crossref"):
        value = entry.values.get(link)
        if value is None:
            continue
        for key in [part.strip() for part in value.text.split(",")] if link == "xdata" else [value.text.strip()]:
            parent = by_key.get(key.lower())
            if parent is None or key.lower() in seen or parent is entry:
                why = "names an entry that names this one in turn" if parent is not None else "names no entry of this file"
                problems.add(value.line, f"{key!r} {why}", value.name)
                continue
            _inherit(parent, by_key, problems, seen | {entry.key.lower()})
            _take(entry, parent, title_as_booktitle=link == "crossref")
        del entry.values[link]


def _take(child: Entry, parent: Entry, title_as_booktitle: bool) -> None:
    for name, value in parent.values.items():
        if name in NOT_INHERITED:
            continue
        if name == "title" and title_as_booktitle and child.kind in PARTS:
            child.values.setdefault("booktitle", value)
        else:
            child.values.setdefault(name, value)


def _record(entry: Entry, problems: Problems) -> Raw | None:
    """``entry`` as a CSL-JSON record; None (its problems reported) when it cannot be one."""
    if entry.faulty:
        return None
    if entry.kind not in TYPES:
        hint = did_you_mean(entry.kind, TYPES, "; use one of the standard types (@article, @book, @inproceedings ...)")
        problems.add(entry.line, f"@{entry.kind} is not a BibTeX entry type{hint}", "type")
        return None
    record: dict[str, Any] = {"type": TYPES[entry.kind]}
    places: Places = {"type": (entry.line, "type")}
    before = len(problems.found)
    for name, csl in FIELDS.items():
        value = entry.values.get(name)
        if value is None or csl in record or (name == "number" and entry.kind in _NUMBER_FOR_REPORTS) or (
                name == "booktitle" and entry.kind not in PARTS):
            continue
        try:
            record[csl] = latex.verbatim(value.text) if name in latex.VERBATIM else latex.text(value.text)
        except latex.LatexError as exc:
            problems.add(value.line, str(exc), value.name)
        places[csl] = (value.line, value.name)
    _people(entry, record, places, problems)
    _identifiers(entry, record, places)
    _date(entry, record, places, problems)
    return Raw(entry.line, record, places) if len(problems.found) == before else None


def _people(entry: Entry, record: dict[str, Any], places: Places, problems: Problems) -> None:
    value = entry.values.get("author")
    if value is None:
        return
    people, incomplete, wrong = latex.names(value.text)
    for message in wrong:
        problems.add(value.line, message, value.name)
    record["author"] = people
    if incomplete and people:
        record["authors-incomplete"] = True
    places["author"] = (value.line, value.name)


def _identifiers(entry: Entry, record: dict[str, Any], places: Places) -> None:
    """A PMID as ``eprint`` with ``eprinttype = pubmed``; an address as ``howpublished = {\\url{...}}``."""
    eprint, kind = entry.values.get("eprint"), entry.values.get("eprinttype")
    if eprint and kind and kind.text.strip().lower() == "pubmed" and "PMID" not in record:
        record["PMID"] = latex.verbatim(eprint.text)
        places["PMID"] = (eprint.line, eprint.name)
    published = entry.values.get("howpublished")
    address = latex.url_in(published.text) if published else None
    if address and "URL" not in record:
        record["URL"] = address
        places["URL"] = (published.line, published.name)  # type: ignore[union-attr]


def _date(entry: Entry, record: dict[str, Any], places: Places, problems: Problems) -> None:
    """``issued`` from ``date``, else from ``year`` and ``month``; each wrong part at its line."""
    date, year, month = (entry.values.get(name) for name in ("date", "year", "month"))
    if date is not None:
        parts = _iso_date(date.text)
        if parts is None:
            problems.add(date.line, f"{shown_value(date.text)} is not a date (write 2012, 2012-09 or 2012-09-05)", date.name)
            return
        places["issued"] = (date.line, date.name)
    elif year is not None:
        parts = [_year(year, problems)] + ([_month(month, problems)] if month is not None else [])
        places["issued"] = (year.line, year.name)
    else:
        return
    if None not in parts:
        record["issued"] = {"date-parts": [parts]}


def _iso_date(text: str) -> list[int] | None:
    from .normalise import iso_date_parts, real_date

    written = iso_date_parts(latex.text(text))
    kept = real_date(written or [])
    return kept if written and len(kept) == len(written) else None


def _year(value: Value, problems: Problems) -> int | None:
    written = latex.text(value.text)
    if _YEAR.fullmatch(written) and int(written) >= 1000:
        return int(written)
    if written.isascii() and written.isdigit():
        message = f"{shown_value(written)} is not a year (a year is 1000 to 9999)"
    elif "=" in written or "\n" in value.text:
        message = f"{shown_value(written)} is not a year; is a comma missing at the end of the line?"
    else:
        message = f"{shown_value(written)} is not a year"
    problems.add(value.line, message, value.name)
    return None


def _month(value: Value, problems: Problems) -> int | None:
    written = latex.text(value.text).strip().lower()
    if written.isascii() and written.isdigit() and len(written) <= 2 and 1 <= int(written) <= 12:
        return int(written)
    for number, name in enumerate(MONTHS, 1):
        if written in (name, name[:3]):
            return number
    problems.add(value.line, f"{shown_value(latex.text(value.text))} is not a month: write jan ... dec, a month's "
                             "name or 1 to 12", value.name)
    return None



def _failure(block: Any) -> str:
    reason = (getattr(block.error, "abort_reason", "") or str(block.error) or "a syntax error").rstrip(".")
    return f"not a BibTeX entry that can be read: {reason[:1].lower()}{reason[1:]}; check its braces and commas"


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """bibtexparser logs what it cannot read; the problems are reported with their lines instead."""
    logger, hush = logging.getLogger(name), logging.NullHandler()
    saved = logger.propagate
    logger.addHandler(hush)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(hush)
        logger.propagate = saved
