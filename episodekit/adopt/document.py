"""The JSON document of ``import --json``: one object for the whole run, built here, printed by the CLI.

``episodes`` has one object per source, in order: where it came from, the episode file, whether it is
(or would be) written, why it is skipped, why it is not imported (``failed``: it would fail ``check``),
the parts kept as typed text for its ``review:`` (``reviews``), its ``references`` (each with its key, how
it was found, its review and misattribution marks, whether the episode keeps it as typed, and a note such
as a likely misattribution), its ``round_trip`` and its ``localizations`` (each language ``read`` into
its parts or kept ``as typed``). Then the paths ``not_imported``, the ``notes``, the
``channel_defaults`` the descriptions propose, the share of exact ``round_trips`` and what the ``library``
gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..workspace import Workspace
from .plan import ImportPlan, ImportReport, apply_import, plan_import
from .planned import EpisodePlan, ImportSource


def import_document(plan: ImportPlan, report: ImportReport | None, *, dry_run: bool) -> dict[str, Any]:
    """What the import planned (``dry_run``) or did (``report``), as one JSON-ready object."""
    written = {id(episode) for episode in report.written} if report is not None else set()
    trips = [episode.round_trip for episode in plan.new if episode.round_trip is not None]
    library = plan.library
    return {
        "dry_run": dry_run,
        "restyle": plan.restyle,
        "episodes": [_episode(episode, id(episode) in written) for episode in plan.episodes],
        "not_imported": [episode.shown for episode in plan.not_imported],
        "notes": plan.notes,
        "channel_defaults": [{"key": p.key, "value": p.value, "shared_by": p.shared_by, "out_of": p.out_of,
                              "adopted": plan.adopt_boilerplate} for p in plan.boilerplate],
        "round_trips": {"exact": sum(1 for trip in trips if trip.exact), "of": len(trips)},
        "library": {
            "new": [m.key for m in library.new], "enriched": [m.key for m in library.enriched],
            "unchanged": [m.key for m in library.unchanged],
            "conflicts": [{"key": m.key, "field": c.field, "shown": str(c)} for m in library.merges for c in m.conflicts],
            "diff": library.diff if dry_run else None,
            "written": bool(report and report.library_written),
        },
        "channel_written": bool(report and report.channel_written),
    }


def _episode(episode: EpisodePlan, written: bool) -> dict[str, Any]:
    source = episode.source
    return {
        "origin": source.origin or None, "video_id": source.video_id, "title": source.title,
        "slug": episode.slug, "path": episode.shown, "skipped": episode.skipped, "failed": episode.failed,
        "written": written, "reviews": episode.reviews,
        "references": [{"key": cited.key, "how": cited.how, "review": cited.fields.get("review"),
                        "misattribution": cited.fields.get("misattribution"),
                        "as_typed": cited.key in episode.kept_typed, "typed": cited.typed, "note": cited.note}
                       for cited in episode.citations] if episode.skipped is None and episode.failed is None else [],
        "round_trip": episode.round_trip.as_dict() if episode.round_trip is not None else None,
        "localizations": {language: "as typed" if language in episode.typed_languages else "read"
                          for language in episode.source.localizations} if episode.round_trip is not None else {},
    }


@dataclass
class ImportRun:
    """One import of descriptions: the plan, and what was written (None in a dry run)."""

    plan: ImportPlan
    report: ImportReport | None
    dry_run: bool

    def document(self) -> dict[str, Any]:
        """The JSON document of ``import --json``."""
        return import_document(self.plan, self.report, dry_run=self.dry_run)


def import_sources(ws: Workspace, sources: list[ImportSource], *, dry_run: bool,
                   show: Callable[[ImportPlan], None] | None = None, **options: Any) -> ImportRun:
    """Plan the import of ``sources`` (``options`` go to ``plan_import``), hand the plan to ``show``, and
    write it unless ``dry_run``."""
    plan = plan_import(ws, sources, **options)
    if show is not None:
        show(plan)
    return ImportRun(plan, None if dry_run else apply_import(ws, plan), dry_run)
