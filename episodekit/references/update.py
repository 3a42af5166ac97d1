"""The library updated from records: ``refs import`` (a file) and ``refs add`` (a lookup) share it.

Each record is matched against the library (:mod:`merge`) as it stands after the records
before it, so a file that holds one paper twice gives one entry. Every merged entry is
checked as ``check`` would check it, and a bad one is reported at the record's line; nothing
is written then. Otherwise new entries and added fields are written (conflicts too with
``replace``), the key of an existing entry never changes, and an unchanged library is not
written at all, so importing a file again leaves references.yaml as it was, byte for byte.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..files.yamlsource import collector_paused
from ..models.reference import MARKS, ReferenceLibrary
from ..paths import LIBRARY_FILE
from .fields import FIELD_ORDER, entry_of
from .libraryfile import LibraryFile
from .merge import Index, Merge, differences, merged
from .sources import Incoming, read_records, valid_entry


@dataclass
class Update:
    """What records did (or, in a dry run, would do) to the library."""

    merges: list[Merge]
    written: bool
    dry_run: bool
    replace: bool
    diff: str  # references.yaml before -> after, as a unified diff ("" when nothing changes)
    notes: list[str] = dataclasses.field(default_factory=list)  # what the records said that was left out

    @property
    def new(self) -> list[Merge]:
        """The entries added."""
        return [m for m in self.merges if m.new]

    @property
    def enriched(self) -> list[Merge]:
        """The entries given fields they lacked."""
        return [m for m in self.merges if not m.new and m.added]

    @property
    def conflicting(self) -> list[Merge]:
        """The entries whose record differs."""
        return [m for m in self.merges if m.conflicts]

    @property
    def conflicts_left(self) -> int:
        """The differing fields kept as the library has them (none with ``replace``)."""
        return 0 if self.replace else sum(len(m.conflicts) for m in self.merges)

    @property
    def unchanged(self) -> list[Merge]:
        """The entries already as the record has them."""
        return [m for m in self.merges if not m.new and not m.changes]


def library_entries(library: ReferenceLibrary) -> dict[str, dict[str, Any]]:
    """Each entry of the library as library-entry fields (what records are compared with)."""
    return {key: entry_of(ref) for key, ref in library.root.items()}


def import_file(root: Path, library: ReferenceLibrary, path: Path, *, replace: bool, dry_run: bool) -> Update:
    """``refs import``: the records of a CSL-JSON or BibTeX file into the library of the channel at ``root``."""
    with collector_paused():  # thousands of records, none of them cycles
        records, problems = read_records(path)
        return update(root, library, records, replace=replace, dry_run=dry_run, problems=problems)


def update(root: Path, library: ReferenceLibrary, records: Sequence[Incoming], *, replace: bool,
           dry_run: bool, keys: Sequence[str | None] = (), settled: bool = False,
           problems: Sequence[Problem] = ()) -> Update:
    """Merge ``records`` into the library; ``keys`` names, record by record, the entry one is known to be;
    ``problems`` (of the file the records come from) are reported with those of the merged entries.
    With ``settled`` each record is the work's authority, and the marks it settles (``review:``,
    ``misattribution:``) come off the entry it is merged into."""
    index = Index(library_entries(library))
    merges, problems, expected = [], list(problems), {}
    for number, record in enumerate(records):
        known = keys[number] if number < len(keys) else None
        merge = _merge(index, record.fields, known, replace)
        if settled and not merge.new:
            merge.dropped = [name for name in FIELD_ORDER if name in MARKS and name in merge.fields]
            merge.fields = {name: value for name, value in merge.fields.items() if name not in merge.dropped}
        entry, wrong = (merge.fields, []) if merge.new and record.valid else valid_entry(record, merge.fields)
        problems += wrong
        expected[merge.key] = entry  # the entry as the library will hold it (the last merge of a key counts)
        index.put(merge.key, merge.fields)
        merges.append(merge)
    if problems:
        raise InputError(problems)
    lines = {key: line for key in library.root if (line := library.where(key)[1]) is not None}
    file = LibraryFile(root / LIBRARY_FILE, lines)
    for merge, record in zip(merges, records):
        file.apply(merge, replace, record)
    text = file.checked_text(expected)  # read back as every command will read it, before anything is written
    diff = _diff(file.original, text) if dry_run else ""
    written = False if dry_run else file.write(text)
    return Update(merges, written, dry_run, replace, diff)


def _diff(before: str, after: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        LIBRARY_FILE, LIBRARY_FILE))


def _merge(index: Index, fields: dict[str, Any], known: str | None, replace: bool) -> Merge:
    key = known or index.find(fields)
    if key is None:
        key = index.new_key(fields)
        return Merge(key, True, fields, [])
    changes = differences(index.entries[key], fields)
    return Merge(key, False, merged(index.entries[key], changes, replace), changes)
