"""``plan_import`` and ``apply_import``: descriptions into episode files, library entries and a report."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..atomic import write_failure, write_text_atomic
from ..errors import InputError, OutputError, RefusedError
from ..ledger import LedgerEntry
from ..models import ReferenceLibrary
from ..models.slug import suggest_slug
from ..pipeline.load import shown_path
from ..pipeline.scaffold import unique_slug
from ..references.sources import Incoming
from ..references.update import Update, library_entries, update
from ..workspace import Workspace
from . import boilerplate
from .cited import Cited, read_citation
from .description import ParsedDescription, parse_description
from .roundtrip import RoundTrip
from .planned import EpisodePlan, ImportSource
from .shape import shape_episode


@dataclass
class ImportPlan:
    """What an import would write; nothing is written until :func:`apply_import`."""

    episodes: list[EpisodePlan]
    library: Update  # the library's merges, as a dry run
    records: list[Incoming]
    boilerplate: list[boilerplate.Proposal]
    adopt_boilerplate: bool
    restyle: bool = False

    @property
    def new(self) -> list[EpisodePlan]:
        return [plan for plan in self.episodes if plan.skipped is None]

    @property
    def notes(self) -> list[str]:
        """Misattributions and failed lookups, each naming the description it is in."""
        return [f"{plan.source.origin or plan.slug}: {cited.note}"
                for plan in self.new for cited in plan.citations if cited.note]


@dataclass
class ImportReport:
    """What :func:`apply_import` wrote."""

    plan: ImportPlan
    written: list[EpisodePlan] = field(default_factory=list)
    skipped: list[EpisodePlan] = field(default_factory=list)
    library_written: bool = False
    channel_written: bool = False


def plan_import(workspace: Workspace, sources: list[ImportSource], *, lookup: bool,
                adopt_boilerplate: bool = False, schedule: str | None = None, restyle: bool = False) -> ImportPlan:
    """What importing ``sources`` would write (see the package's docstring); writes nothing.

    ``schedule`` (a local date-time or ``next``) is the release of a source without ``published_at``;
    without either, the episode has no release time. ``restyle``: the citations in the channel's style,
    not as typed.
    """
    ws = workspace
    plans = _slugs(ws, sources)
    for plan in plans:
        plan.parsed = parse_description(plan.source.description)
    proposals = boilerplate.propose([plan.parsed for plan in plans if plan.parsed])
    channel = boilerplate.adopted(ws.channel, proposals) if adopt_boilerplate else ws.channel
    contact = ws.channel.contact_email
    for plan in plans:
        if plan.skipped is None and plan.parsed is not None:
            plan.citations = [_cited(item.typed, lookup, contact) for item in plan.parsed.references]
    records = _records(ws, plans)
    library = update(ws.root, ws.library, records, replace=False, dry_run=True)
    keys = iter(merge.key for merge in library.merges)
    for plan in plans:
        for cited in plan.citations if plan.skipped is None else ():
            cited.key = next(keys)
    shadow = _shadow(ws, plans, library, channel)
    for plan in plans:
        if plan.skipped is None:
            shape_episode(shadow, plan, schedule, restyle)
    return ImportPlan(plans, library, records, proposals, adopt_boilerplate, restyle)


def _cited(typed: str, lookup: bool, contact: str | None) -> Cited:
    cited = read_citation(typed, lookup=lookup, contact=contact)
    cited.typed = typed
    return cited


def _slugs(ws: Workspace, sources: list[ImportSource]) -> list[EpisodePlan]:
    """Each source's slug (``-2`` ... within the import), and why it is skipped: an existing file, a known video."""
    known_videos = {entry.video_id: slug for slug, entry in ws.ledger.episodes.items() if entry.video_id}
    taken: set[str] = set()
    plans = []
    for source in sources:
        slug = unique_slug(suggest_slug(source.title), taken)
        taken.add(slug)
        plan = EpisodePlan(source, slug, ws.episodes_dir / f"{slug}.yaml")
        if source.video_id and source.video_id in known_videos:
            plan.skipped = f"video {source.video_id} is already the episode {known_videos[source.video_id]!r}"
        elif plan.path.exists():
            plan.skipped = f"{plan.shown} exists; not overwriting it"
        plans.append(plan)
    return plans


def _records(ws: Workspace, plans: list[EpisodePlan]) -> list[Incoming]:
    """The library records of the citations to import; a review mark goes where the paper is already known."""
    from ..references.merge import Index

    index = Index(library_entries(ws.library))
    records = []
    for plan in plans:
        for number, cited in enumerate(plan.citations if plan.skipped is None else ()):
            fields = dict(cited.fields)
            if index.find(fields) is not None:
                fields.pop("review", None)  # the library (or an earlier description) already has it
            index.put(f"#{len(records)}", fields)
            records.append(Incoming(fields, plan.source.origin or plan.slug, _line_of(plan.source.description, cited.typed)))
    return records


def _line_of(description: str, citation: str) -> int:
    start = description.find(citation.split(" ", 1)[0] if citation else "")
    return description.count("\n", 0, max(start, 0)) + 1


def _shadow(ws: Workspace, plans: list[EpisodePlan], library: Update, channel) -> Workspace:  # noqa: ANN001
    """The workspace as it will be once the plan is written: its library, its channel, the new videos known."""
    entries = {**library_entries(ws.library), **{merge.key: merge.fields for merge in library.merges}}
    ledger = ws.ledger
    for plan in plans:
        if plan.skipped is None and plan.source.video_id:
            ledger = ledger.with_entry(plan.slug, LedgerEntry(video_id=plan.source.video_id))
    catalog = dict(ws.catalog)
    for plan in plans:
        if plan.skipped is None:
            catalog[plan.slug] = InputError([])  # known to be there; its title comes with it below
    shadow = dataclasses.replace(ws, channel=channel, library=ReferenceLibrary.model_validate(entries),
                                 ledger=ledger, _catalog=catalog, _memo={})
    shadow.__dict__["title_of"] = {**ws.title_of, **{p.slug: p.source.title for p in plans if p.skipped is None}}
    return shadow


def apply_import(workspace: Workspace, plan: ImportPlan) -> ImportReport:
    """Write ``plan``: the library, then each new episode file (never one that exists), then channel.yaml."""
    ws = workspace
    report = ImportReport(plan)
    done = update(ws.root, ws.library, plan.records, replace=False, dry_run=False)
    if [m.key for m in done.merges] != [m.key for m in plan.library.merges]:
        raise RefusedError("references.yaml changed since the import was planned; run the import again")
    report.library_written = done.written
    for episode in plan.episodes:
        if episode.skipped is None and episode.path.exists():
            episode.skipped = f"{episode.shown} exists; not overwriting it"
        if episode.skipped is not None:
            report.skipped.append(episode)
            continue
        try:
            ws.episodes_dir.mkdir(parents=True, exist_ok=True)
            write_text_atomic(episode.path, episode.text)
        except OSError as exc:
            where, why = write_failure(exc, episode.path)
            raise OutputError(f"{shown_path(where)}: {why}; {episode.shown} was not created") from None
        report.written.append(episode)
    if plan.adopt_boilerplate and plan.boilerplate:
        report.channel_written = boilerplate.write_channel(ws, plan.boilerplate)
    return report
