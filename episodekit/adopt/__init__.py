"""Adopting an existing channel: hand-typed descriptions read back into episodes.

The library interface (the CLI's ``import`` and the YouTube side both call it)::

    from episodekit.adopt import ImportSource, plan_import, apply_import

    plan = plan_import(workspace, [ImportSource(title=..., description=..., video_id=None,
                                                published_at=None, tags=())], lookup=True)
    report = apply_import(workspace, plan)   # a dry run prints ``plan`` and never calls this

``plan_import(workspace, sources, *, lookup, adopt_boilerplate=False, schedule=None, restyle=False) -> ImportPlan``
reads each :class:`ImportSource` into an episode (``description.parse_description``), its citations
into library entries (``citation.parse_citation``, then, with ``lookup``, Crossref and doi.org through
``references``), and renders each new episode to compare it with the description as imported (the
round trip). It writes nothing. ``ImportPlan.episodes`` has one :class:`EpisodePlan` per source, in
order: its ``slug``, ``path``, the episode file's ``text``, ``skipped`` (why it is there already, or
None), ``failed`` (why it is not imported: it would fail ``check``, see ``doubtful``), ``reviews`` (the
parts kept as typed text), the ``references`` outcomes and the ``round_trip``. ``ImportPlan.boilerplate`` proposes the
channel defaults (disclaimer, schedule line, subscribe link) repeated across the descriptions;
they are written to channel.yaml only with ``adopt_boilerplate=True``.

``apply_import(workspace, plan) -> ImportReport`` writes what the plan says: channel.yaml if adopted,
the library (the merge rules and round-trip writer of ``references``) and each new episode file
(atomic, never overwriting: a file that appeared since the plan is skipped with its reason).
It writes no ledger entry: the caller that knows the video (``source.video_id``) records it for each
``report.written`` episode plan.

``import_sources(workspace, sources, *, dry_run, show=None, **options) -> ImportRun`` does both (the plan
handed to ``show`` first); ``ImportRun.document()`` is the JSON document of ``import --json``.
"""

from .document import ImportRun, import_document, import_sources
from .plan import EpisodePlan, ImportPlan, ImportReport, ImportSource, apply_import, plan_import

__all__ = ["EpisodePlan", "ImportPlan", "ImportReport", "ImportRun", "ImportSource", "apply_import",
           "import_document", "import_sources", "plan_import"]
