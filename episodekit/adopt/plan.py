"""``plan_import`` and ``apply_import``: descriptions into episode files, library entries and a report."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..atomic import remove_stale_temps, write_failure, write_text_atomic
from ..errors import InputError, OutputError, RefusedError
from ..files.load import LoadedEpisode
from ..models import ReferenceLibrary
from ..models.ledger import LedgerEntry
from ..models.reference import MARKS
from ..models.slug import suggest_slug
from ..paths import CHANNEL_FILE, LIBRARY_FILE, shown_path
from ..pipeline.scaffold import unique_slug
from ..references.sources import Incoming
from ..references.update import Update, library_entries, update
from ..workspace import Workspace
from . import boilerplate
from .cited import Cited, read_citation
from .description import parse_description
from .localized import typed_note
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
        """The episodes that will be written (neither skipped nor failed)."""
        return [plan for plan in self.episodes if plan.skipped is None and plan.failed is None]

    @property
    def not_imported(self) -> list[EpisodePlan]:
        """The episodes that would fail check, so are not written (nor their citations)."""
        return [plan for plan in self.episodes if plan.failed is not None]

    @property
    def notes(self) -> list[str]:
        """Misattributions and failed lookups, each naming the description it is in."""
        return [f"{plan.source.origin or plan.slug}: {note}" for plan in self.new
                for note in [*(cited.note for cited in plan.citations if cited.note), *map(typed_note, plan.typed_languages)]]


@dataclass
class ImportReport:
    """What :func:`apply_import` wrote."""

    plan: ImportPlan
    written: list[EpisodePlan] = field(default_factory=list)
    skipped: list[EpisodePlan] = field(default_factory=list)
    not_imported: list[EpisodePlan] = field(default_factory=list)  # would fail check: not written
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
    keyed: dict[str, list[str | None]] = {}
    while True:  # again without the episodes that would fail check: their citations and videos are not imported
        records = _records(ws, plans)
        library = update(ws.root, ws.library, records, replace=False, dry_run=True)
        keys = iter(merge.key for merge in library.merges)
        for plan in plans:
            for cited in plan.citations if _wanted(plan) else ():
                cited.key = next(keys)
        now = {plan.slug: [cited.key for cited in plan.citations] for plan in plans if _wanted(plan)}
        if now == keyed:  # the same episodes with the same keys as they were planned with
            return ImportPlan(plans, library, records, proposals, adopt_boilerplate, restyle)
        keyed, (shadow, episodes) = now, _shadow(ws, plans, library, channel)
        for plan in plans:
            if _wanted(plan):
                shape_episode(shadow, episodes, plan, schedule, restyle)


def _wanted(plan: EpisodePlan) -> bool:
    return plan.skipped is None and plan.failed is None


def _cited(typed: str, lookup: bool, contact: str | None) -> Cited:
    cited = read_citation(typed, lookup=lookup, contact=contact)
    cited.typed = typed
    return cited


def _slugs(ws: Workspace, sources: list[ImportSource]) -> list[EpisodePlan]:
    """Each source's slug (``-2`` ... within the import, and for a video past the files there), and why it is
    skipped: an existing file (a text file's description), a known video."""
    known_videos = {entry.video_id: slug for slug, entry in ws.ledger.episodes.items() if entry.video_id}
    taken: set[str] = set()
    existing = {path.stem for path in ws.episode_paths()}
    plans = []
    for source in sources:
        slug = unique_slug(suggest_slug(source.title), taken | existing if source.video_id else taken)
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
        for number, cited in enumerate(plan.citations if _wanted(plan) else ()):
            fields = dict(cited.fields)
            if index.find(fields) is not None:
                for mark in MARKS:  # the library (or an earlier description) already has it
                    fields.pop(mark, None)
            index.put(f"#{len(records)}", fields)
            records.append(Incoming(fields, plan.source.origin or plan.slug, _line_of(plan.source.description, cited.typed)))
    return records


def _line_of(description: str, citation: str) -> int:
    start = description.find(citation.split(" ", 1)[0] if citation else "")
    return description.count("\n", 0, max(start, 0)) + 1


def _shadow(ws: Workspace, plans: list[EpisodePlan], library: Update,
            channel) -> tuple[Workspace, dict[str, LoadedEpisode | InputError]]:  # noqa: ANN001
    """The workspace as it will be once the plan is written: its library, its channel, the new videos known;
    and its episodes, which shaping an episode changes (the view reads them as they are)."""
    entries = {**library_entries(ws.library), **{merge.key: merge.fields for merge in library.merges}}
    ledger = ws.ledger
    for plan in plans:
        if _wanted(plan) and plan.source.video_id:
            ledger = ledger.with_entry(plan.slug, LedgerEntry(video_id=plan.source.video_id))
    catalog = dict(ws.catalog)
    for plan in plans:
        if _wanted(plan):
            catalog[plan.slug] = InputError([])  # known to be there; its title comes with it below
    titles = {**ws.title_of, **{p.slug: p.source.title for p in plans if _wanted(p)}}
    shadow = ws.with_inputs(channel, ReferenceLibrary.model_validate(entries), ledger).with_episodes(catalog, titles)
    return shadow, catalog


def apply_import(workspace: Workspace, plan: ImportPlan) -> ImportReport:
    """Write ``plan``: channel.yaml (the episodes are planned with its boilerplate), the library, then each new
    episode file (never one that exists); a run stopped between two of them leaves what the next one needs."""
    ws = workspace
    report = ImportReport(plan)
    _sweep_killed_writes(ws, plan)
    if plan.adopt_boilerplate and plan.boilerplate:
        report.channel_written = boilerplate.write_channel(ws, plan.boilerplate)
    done = update(ws.root, ws.library, plan.records, replace=False, dry_run=False)
    if [m.key for m in done.merges] != [m.key for m in plan.library.merges]:
        raise RefusedError("references.yaml changed since the import was planned; run the import again")
    report.library_written = done.written
    for episode in plan.episodes:
        if episode.skipped is None and episode.path.exists():
            episode.skipped = f"{episode.shown} exists; not overwriting it"
        if episode.skipped is not None or episode.failed is not None:
            (report.skipped if episode.failed is None else report.not_imported).append(episode)
            continue
        try:
            ws.episodes_dir.mkdir(parents=True, exist_ok=True)
            write_text_atomic(episode.path, episode.text)
        except OSError as exc:
            where, why = write_failure(exc, episode.path)
            raise OutputError(f"{shown_path(where)}: {why}; {episode.shown} was not created") from None
        report.written.append(episode)
    return report


def _sweep_killed_writes(ws: Workspace, plan: ImportPlan) -> None:
    """Remove the temporary files a killed import left beside the files this one writes: the rerun that
    finishes its work also leaves nothing of it behind (a file it does not need to write again included)."""
    targets = [ws.root / CHANNEL_FILE, ws.root / LIBRARY_FILE, ws.ledger_path, *(e.path for e in plan.episodes)]
    for target in {*targets, *ws.episodes_dir.glob("*.yaml")}:
        remove_stale_temps(target)
