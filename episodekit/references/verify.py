"""``refs add`` and ``refs verify``: library entries made from, and checked against, the records of their works.

``add`` fetches a work's record (:func:`authority.work_record`) and merges it as ``refs import``
merges a file's (``update.update``): a new entry with a stable key, or what the record adds to the
entry that is the same paper, with its conflicts taken only with ``replace``. ``verify`` fetches the
record of each entry by its DOI and PMID and compares them field by field (``merge.differences``):
an entry **differs** while its record adds a field or says another thing; an entry with neither
identifier is **unverifiable** (listed, not a failure: ``check`` already warns about it); an
identifier the service does not know, or a DOI and PMID of two different works, is a **problem** no
fix can settle. An entry ``import`` marked as a suspected misattribution (``misattribution:``: the DOI of
the record whose title it has, the fields as typed) **differs** until it is fixed, and its line says so.
``fix`` applies the differences with the conflict rules of ``--replace``: the record's values are taken,
the key stays, and the marks the record settles (``misattribution:``, ``review:``) come off the entry;
then every entry whose record it applied or confirmed is shown in the channel's style in the episodes
that kept it as typed (``adopt.restyle``). An entry it leaves alone keeps its typed texts, so a suspected
misattribution stays as typed until ``--fix`` takes its record. A service that cannot be reached stops
the run (``ServiceError``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ConflictError, NoRecordError, Problem, UsageError, did_you_mean
from ..paths import LIBRARY_FILE
from ..workspace import Workspace
from .authority import Mismatch, WorkRecord, identifier, work_record
from .lookup import Lookup
from .merge import Change, Index, differences, shown
from .sources import Incoming
from .update import Update, library_entries, update

if TYPE_CHECKING:
    from ..adopt.restyle import Restyle

MATCH, DIFFERS, UNVERIFIABLE, PROBLEM = "match", "differs", "unverifiable", "problem"


def add(ws: Workspace, text: str, *, replace: bool, dry_run: bool, lookup: Lookup | None = None) -> Update:
    """``refs add DOI|PMID``: the work's record into the library (a new entry, or the existing one enriched)."""
    doi, pmid = identifier(text)
    if doi and not pmid:  # the entry this DOI already is may know its PMID: then its record counts too
        entries = library_entries(ws.library)
        known = Index(entries).find({"DOI": doi})
        pmid = str(entries[known]["PMID"]) if known and entries[known].get("PMID") else None
    try:
        record = work_record(doi, pmid, contact=ws.channel.contact_email, lookup=lookup)
    except Mismatch as exc:
        raise ConflictError(f"{exc}; nothing was added (check which identifier is right)") from None
    done = update(ws.root, ws.library, [_incoming(record, text)], replace=replace, dry_run=dry_run)
    done.notes = record.notes
    return done


@dataclass
class Checked:
    """One entry against its record: ``status`` and the fields that differ, each with where it is written."""

    key: str
    path: str  # references.yaml as messages name it
    line: int | None
    status: str
    changes: list[Change] = field(default_factory=list)
    lines: dict[str, int | None] = field(default_factory=dict)  # field -> its line (the entry's if absent)
    source: dict[str, str] = field(default_factory=dict)  # field -> the service its value came from
    message: str = ""  # why an entry is unverifiable, or its problem
    misattribution: str = ""  # the entry's mark of a suspected misattribution, if it has one

    def problems(self) -> list[Problem]:
        """What ``verify`` prints for this entry, one line each, at its line of references.yaml."""
        if self.status in (UNVERIFIABLE, PROBLEM):
            return [Problem(self.path, self.line, self.key, f"{self.status}: {self.message}")]
        shown = [Problem(self.path, self.lines.get("misattribution") or self.line, self.key,
                         f"misattribution: suspected, the record not applied: {self.misattribution}")
                 ] if self.misattribution else []
        return shown + [Problem(self.path, self.lines.get(c.field) or self.line, self.key,
                                f"{c} (record: {self.source.get(c.field, '?')})") for c in self.changes]

    def as_dict(self) -> dict[str, Any]:
        """The entry's result as ``refs verify --json`` shows it."""
        return {"key": self.key, "line": self.line, "status": self.status, "message": self.message or None,
                "misattribution": self.misattribution or None,
                "differences": [{"field": c.field, "line": self.lines.get(c.field) or self.line, "kind": c.kind,
                                 "library": c.old, "record": c.new, "shown": str(c),
                                 "source": self.source.get(c.field)} for c in self.changes]}


@dataclass
class Verification:
    """What ``refs verify`` found, entry by entry, and what ``--fix`` did (``fixed``; None without it)."""

    checked: list[Checked]
    fixed: Update | None = None
    restyled: Restyle | None = None  # with fix: the typed texts dropped of the entries applied or confirmed

    def having(self, status: str) -> list[Checked]:
        """The entries with ``status``."""
        return [entry for entry in self.checked if entry.status == status]

    @property
    def left(self) -> int:
        """Entries still different from their records (or with a problem) once the run is over."""
        fixed = self.fixed is not None and not self.fixed.dry_run
        return len(self.having(PROBLEM)) + (0 if fixed else len(self.having(DIFFERS)))

    def as_json(self) -> dict[str, Any]:
        """The document of ``refs verify --json``: each entry's differences, and what ``--fix`` changed."""
        fixed = self.fixed
        return {"entries": [entry.as_dict() for entry in self.checked], "left": self.left,
                "fixed": None if fixed is None else [m.key for m in fixed.merges if m.changes or m.dropped],
                "written": bool(fixed and fixed.written),
                "restyled": None if self.restyled is None else [{"episode": e.shown, "keys": e.keys}
                                                                for e in self.restyled.episodes]}


def verify(ws: Workspace, keys: Sequence[str] = (), *, fix: bool = False, dry_run: bool = False,
           lookup: Lookup | None = None) -> Verification:
    """Each entry named (all without ``keys``) against its record; with ``fix``, the differences applied."""
    entries = library_entries(ws.library)
    for key in keys:
        if key not in entries:
            raise UsageError(f"{key!r} is not an entry of {LIBRARY_FILE}" + did_you_mean(key, entries))
    checked, records = [], {}
    for key in dict.fromkeys(keys) or entries:
        result, record = _check(ws, key, entries[key], lookup)
        checked.append(result)
        if result.status == DIFFERS:
            records[key] = record
    done = Verification(checked)
    if fix and records:
        incoming = [_incoming(record, key) for key, record in records.items()]
        done.fixed = update(ws.root, ws.library, incoming, replace=True, dry_run=dry_run, keys=list(records),
                            settled=True)
    if fix:
        from ..adopt.restyle import restyle

        confirmed = [entry.key for entry in checked if entry.status in (MATCH, DIFFERS)]
        done.restyled = restyle(ws, confirmed, dry_run=dry_run, settled=True) if confirmed else None
    return done


def _check(ws: Workspace, key: str, entry: dict[str, Any], lookup: Lookup | None) -> tuple[Checked, WorkRecord | None]:
    path, line = ws.library.where(key)
    doi, pmid = entry.get("DOI"), entry.get("PMID")
    if not doi and not pmid:
        return Checked(key, path, line, UNVERIFIABLE, message="no DOI or PMID to look its record up by"), None
    try:
        record = work_record(doi, str(pmid) if pmid else None, contact=ws.channel.contact_email, lookup=lookup)
    except (NoRecordError, Mismatch) as exc:
        return Checked(key, path, line, PROBLEM, message=str(exc)), None
    changes = differences(entry, record.fields)
    suspected = str(entry.get("misattribution") or "")
    lines = {name: _line_of(ws, key, name) for name in [c.field for c in changes] + ["misattribution"] * bool(suspected)}
    status = DIFFERS if changes or suspected else MATCH
    return Checked(key, path, line, status, changes, lines, record.source, misattribution=suspected), record


def _line_of(ws: Workspace, key: str, name: str) -> int | None:
    """The line of field ``name`` of entry ``key``; the entry's line when it has no such field."""
    return ws.library_doc.line_of((key, name)) if ws.library_doc is not None else None


def _incoming(record: WorkRecord, asked: str) -> Incoming:
    return Incoming(record.fields, f"the {record.services} record of {asked}", 0)


def summary(done: Verification) -> str:
    """One line: how many entries match, differ, cannot be verified, or have a problem."""
    counts = {status: len(done.having(status)) for status in (MATCH, DIFFERS, UNVERIFIABLE, PROBLEM)}
    fields = sum(len(entry.changes) for entry in done.having(DIFFERS))
    fixed = done.fixed is not None and not done.fixed.dry_run
    return (f"verified {len(done.checked)} entr{'y' if len(done.checked) == 1 else 'ies'}: {counts[MATCH]} match, "
            f"{counts[DIFFERS]} {'fixed' if fixed else 'differ'} ({fields} field(s)), {counts[UNVERIFIABLE]} unverifiable, "
            f"{counts[PROBLEM]} with a problem")


__all__ = ["add", "verify", "summary", "Verification", "Checked", "shown"]
