"""Read an import file, CSL-JSON (Zotero's "CSL JSON" export) or BibTeX, into records with their lines.

Each record becomes the fields of a library entry (:func:`fields.entry_fields`), with the line it
starts at, so a problem is ``file:line: field: what is wrong``. The file is read whole before
anything is changed; one bad record stops the import with every problem listed.
BibTeX goes through bibtexparser: LaTeX accents and braces become text (``{\\'e}`` -> é),
month names (``dec``, ``{December}``) become numbers, ``--`` in pages a hyphen.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..paths import shown_path
from ..pipeline.yamlsource import read_text
from .fields import FieldError, entry_fields

MAX_IMPORT_BYTES = 32 * 1024 * 1024  # a Zotero export of tens of thousands of items
BIBTEX_TYPES = {  # BibTeX entry type -> CSL type of the library
    "article": "article-journal", "book": "book", "inbook": "chapter", "incollection": "chapter",
    "techreport": "report", "report": "report", "phdthesis": "thesis", "mastersthesis": "thesis",
    "thesis": "thesis", "online": "webpage", "electronic": "webpage", "www": "webpage",
    "misc": "article", "unpublished": "article", "dataset": "dataset",
}
BIBTEX_FIELDS = {  # BibTeX field -> CSL field (the others are not library fields)
    "title": "title", "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "shortjournal": "container-title-short", "publisher": "publisher",
    "volume": "volume", "number": "issue", "issue": "issue", "pages": "page", "doi": "DOI",
    "pmid": "PMID", "url": "URL", "author": "author",
}


@dataclass(frozen=True)
class Incoming:
    """One record of an import file, as library-entry fields, and where it is written."""

    fields: dict[str, Any]
    shown: str  # the file as messages name it
    line: int

    def problem(self, field: str, message: str) -> Problem:
        return Problem(self.shown, self.line, field, message)


def read_records(path: Path) -> list[Incoming]:
    """The records of a CSL-JSON or BibTeX file; ``InputError`` listing every problem, line by line."""
    shown = shown_path(path)
    text = _read(path, shown)
    raw = _bibtex(text, shown) if _is_bibtex(path, text) else _csl_json(text, shown)
    records, problems = [], []
    for line, record in raw:
        try:
            records.append(Incoming(entry_fields(record), shown, line))
        except FieldError as exc:
            problems.append(Problem(shown, line, exc.field, str(exc)))
    if problems:
        raise InputError(problems)
    return records


def _read(path: Path, shown: str) -> str:
    return read_text(path, shown, MAX_IMPORT_BYTES, kind="a CSL-JSON or BibTeX file")


def _error(shown: str, line: int | None, message: str, field: str = "") -> InputError:
    return InputError([Problem(shown, line, field, message)])


def _is_bibtex(path: Path, text: str) -> bool:
    """BibTeX by its name (``.bib``), CSL-JSON by its name (``.json``), else by its first character."""
    suffix = path.suffix.lower()
    if suffix in (".bib", ".bibtex", ".json", ".csl", ".csljson"):
        return suffix.startswith(".bib")
    return not text.lstrip().startswith(("[", "{"))


def _csl_json(text: str, shown: str) -> list[tuple[int, dict[str, Any]]]:
    """The items of a CSL-JSON array (or one item), each with the line where it starts."""
    decoder = json.JSONDecoder()
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(shown, exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    start = len(text) - len(text.lstrip())
    if text[start:start + 1] == "{":
        items = [(start, decoder.raw_decode(text, start)[0])]
    elif text[start:start + 1] == "[":
        items = list(_array_items(decoder, text, start + 1))
    else:
        raise _error(shown, 1, "expected a CSL-JSON list of items ([{...}, ...]) or one item ({...})")
    found = []
    for offset, item in items:
        line = text.count("\n", 0, offset) + 1
        if not isinstance(item, dict):
            raise _error(shown, line, f"expected an item ({{\"title\": ...}}), found {type(item).__name__}")
        found.append((line, item))
    if not found:
        raise _error(shown, 1, "the file has no items")
    return found


def _array_items(decoder: json.JSONDecoder, text: str, at: int) -> Iterator[tuple[int, Any]]:
    """Each value of the JSON array whose ``[`` is just before ``at`` (the text is known to be valid JSON)."""
    space = re.compile(r"[\s,]*")
    at = space.match(text, at).end()  # type: ignore[union-attr]
    while text[at] != "]":
        value, end = decoder.raw_decode(text, at)
        yield at, value
        at = space.match(text, end).end()  # type: ignore[union-attr]


def _bibtex(text: str, shown: str) -> list[tuple[int, dict[str, Any]]]:
    """The entries of a BibTeX file as CSL-JSON records, each with its line."""
    import bibtexparser
    from bibtexparser import middlewares

    with _quiet("bibtexparser"):
        library = bibtexparser.parse_string(text, append_middleware=[
            middlewares.LatexDecodingMiddleware(), middlewares.MonthIntMiddleware(True),
            middlewares.SeparateCoAuthors(), middlewares.SplitNameParts(),
        ])
    problems = [Problem(shown, block.start_line + 1, "", _bibtex_failure(block)) for block in library.failed_blocks]
    found = []
    for entry in library.entries:
        try:
            found.append((entry.start_line + 1, _bibtex_record(entry)))
        except FieldError as exc:
            problems.append(Problem(shown, _field_line(entry, exc.field), exc.field, str(exc)))
    if problems:
        raise InputError(problems)
    if not found:
        raise _error(shown, None, "the file has no BibTeX entries (@article{key, ...})")
    return found


def _bibtex_failure(block: Any) -> str:
    kind = type(block).__name__
    if kind == "DuplicateBlockKeyBlock":
        return f"the key {block.key!r} is used by an earlier entry too"
    if kind == "DuplicateFieldKeyBlock":
        return f"a field is given twice in entry {block.key!r}: {', '.join(sorted(block.duplicate_keys))}"
    reason = (getattr(block.error, "abort_reason", "") or str(block.error) or "a syntax error").rstrip(".")
    return f"not a BibTeX entry that can be read: {reason[:1].lower()}{reason[1:]}; check its braces and commas"


def _field_line(entry: Any, field: str) -> int:
    for item in entry.fields:
        if BIBTEX_FIELDS.get(item.key.lower()) == field or item.key.lower() == field.lower():
            return item.start_line + 1
    return entry.start_line + 1


def _bibtex_record(entry: Any) -> dict[str, Any]:
    kind = entry.entry_type.lower()
    if kind not in BIBTEX_TYPES:
        raise FieldError("type", f"@{entry.entry_type} is not a kind of entry the library takes; "
                         f"use one of @{', @'.join(sorted(BIBTEX_TYPES))}")
    record: dict[str, Any] = {"type": BIBTEX_TYPES[kind]}
    values = {item.key.lower(): item.value for item in entry.fields}
    for name, value in values.items():
        if name in BIBTEX_FIELDS:
            record[BIBTEX_FIELDS[name]] = _people(value) if name == "author" else _plain(value)
    if "year" in values:
        record["issued"] = {"date-parts": [[_year(values["year"]), *_month(values.get("month"))]]}
    return record


def _people(names: Any) -> list[dict[str, str]]:
    people = []
    for name in names:
        family = " ".join([*name.von, *name.last])
        given = " ".join(name.first)
        suffix = ", ".join(name.jr)
        person = {"family": _plain(family), "given": _plain(f"{given}, {suffix}" if suffix else given)}
        people.append(person if family else {"literal": _plain(given)})
    return people


def _plain(value: Any) -> str:
    """Text without the braces BibTeX keeps letter case with (pages get their hyphen in ``fields``)."""
    return str(value).replace("{", "").replace("}", "")


def _year(value: Any) -> int:
    text = str(value).strip()
    if not text.isdigit():
        shown = " ".join(text.split())
        raise FieldError("year", f"{shown!r} is not a year; is a comma missing at the end of the line?")
    return int(text)


def _month(value: Any) -> list[int]:
    if value is None:
        return []
    if isinstance(value, int) or str(value).strip().isdigit():
        month = int(value)
        if 1 <= month <= 12:
            return [month]
    raise FieldError("month", f"{value!r} is not a month: write jan ... dec, a month's name or 1 to 12")


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
