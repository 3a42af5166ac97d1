"""Read an import file, CSL-JSON (Zotero's "CSL JSON" export) or BibTeX, into records with their lines.

There is one reader per format, :mod:`csljson` and :mod:`bibtex`: each walks the file once, item by
item, and gives every record as CSL-JSON with the line it starts at and the line (and the name the
file gives it) of each field. Each record then becomes the fields of a library entry
(:func:`fields.entry_fields`). Every problem, whichever reader or check finds it, goes to the file's
one :class:`Problems` as ``file:line: field: what is wrong``; the import stops only once the whole file
is read, with all of them, before anything is changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from ..errors import Problem
from ..models.reference import Reference
from ..paths import shown_path
from ..files.load import field_name
from ..files.yamlsource import read_text
from . import bibtex, csljson
from .fields import entry_fields, entry_of, field_problems
from .reading import Problems, Raw

# the largest import file read: Zotero's CSL JSON of 10,000 items with their abstracts is about 25 MB
# (benchmarks/librarygen.py); this is room for about 25,000, and keeps the text in memory under 200 MB
MAX_IMPORT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Incoming:
    """One record of an import file, as library-entry fields, and where it is written."""

    fields: dict[str, Any]
    shown: str  # the file as messages name it
    line: int
    places: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    valid: bool = False  # ``fields`` is a valid entry, as the model writes it (checked while the file was read)

    def problem(self, field: str, message: str) -> Problem:
        """``message`` about ``field`` (a CSL name), at the line and under the name the file gives it."""
        line, name = self.places.get(field, (self.line, field))
        return Problem(self.shown, line, name, message)


Reader = Callable[[str, Problems], Iterator[Raw]]


def read_records(path: Path) -> tuple[list[Incoming], list[Problem]]:
    """The records of a CSL-JSON or BibTeX file that can be entries, and the problems of the others (line
    by line); ``InputError`` when the file cannot be read at all."""
    shown = shown_path(path)
    text = read_text(path, shown, MAX_IMPORT_BYTES, kind="a CSL-JSON or BibTeX file")
    problems = Problems(shown)
    reader: Reader = bibtex.read_entries if _is_bibtex(path, text) else csljson.read_items
    records = []
    for raw in reader(text, problems):
        incoming = Incoming({}, shown, raw.line, raw.places)
        wrong = [incoming.problem(error.field, str(error)) for error in field_problems(raw.record)]
        entry, wrong = (None, wrong) if wrong else valid_entry(incoming, entry_fields(raw.record))
        problems.extend(wrong)  # each at its field's line, while the file is here
        if entry is not None:
            records.append(Incoming(entry, shown, raw.line, valid=True))  # its places (and the file's text) let go
    return records, list(dict.fromkeys(problems.found))  # a parent's problem, inherited, is said once


def _is_bibtex(path: Path, text: str) -> bool:
    """BibTeX by its name (``.bib``), CSL-JSON by its name (``.json``), else by its first character."""
    suffix = path.suffix.lower()
    if suffix in (".bib", ".bibtex", ".json", ".csl", ".csljson"):
        return suffix.startswith(".bib")
    return not text.lstrip().startswith(("[", "{"))


def valid_entry(record: Incoming, fields: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """``fields`` as the entry the model makes of them (``DOI`` without its doi.org prefix ...), or None and
    why they would not be a valid entry, at the line of the record they came from."""
    try:
        return entry_of(Reference.model_validate(fields)), []
    except ValidationError as exc:
        return None, [record.problem(field_name(tuple(error["loc"])), _message(error)) for error in exc.errors()]


def _message(error: Any) -> str:
    if error["type"] == "missing":
        return "the record has none, and a library entry needs one"
    return str(error["msg"]).removeprefix("Value error, ")
