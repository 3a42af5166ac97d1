"""The pipeline shared by ``check``, ``render`` and ``preview``: load → resolve → render → limits.

Every problem of every selected episode is collected; nothing is written here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ..errors import EpisodeError, InputError, Problem, UsageError
from ..files.load import LoadedEpisode
from ..paths import shown_path
from ..workspace import Workspace
from . import citecache, limits, places, reflint, schedule, summary
from .ledgercheck import ledger_problems
from .localize import localize
from .render import RenderedEpisode, render_episode
from .resolve import ResolvedEpisode, cited_keys, resolve_episode

REFERENCE_BRACKETS = (
    "has '<' or '>', which YouTube rejects, so the references show it as '‹' or '›'; "
    "write '‹'/'›' or words to say what is published"
)
log = logging.getLogger(__name__)


@dataclass
class EpisodeBuild:
    """One episode's outcome: its rendered outputs when it is valid, and its problems."""

    path: Path
    shown: str
    loaded: LoadedEpisode | None = None
    rendered: RenderedEpisode | None = None
    resolved: ResolvedEpisode | None = None
    slot: schedule.ResolvedSlot | None = None
    problems: list[Problem] = field(default_factory=list)
    language: str | None = None  # the language of a localized build (see ``languages``); None: the episode's own
    languages: dict[str, EpisodeBuild] = field(default_factory=dict)  # the episode in each of its localizations
    # built in a worker process (see ``workers``): the files render writes and what they hold (or what failed
    # while making them); such a build carries no ``loaded`` nor ``resolved``, which stayed in the worker
    outputs: tuple[list[str], list[str] | BaseException] | None = None

    @property
    def ok(self) -> bool:
        """Whether it rendered and has no error."""
        return self.rendered is not None and not any(p.is_error for p in self.problems)

    @property
    def slug(self) -> str:
        """The episode's slug: its file name without ``.yaml``."""
        return self.path.stem


@dataclass
class BuildReport:
    builds: list[EpisodeBuild]
    ledger_problems: list[Problem] = field(default_factory=list)  # the ledger vs the files, unused references
    slots: dict[str, schedule.ResolvedSlot] = field(default_factory=dict)  # every release of the channel

    @property
    def problems(self) -> list[Problem]:
        """Every problem of the builds and the ledger, once each, in order."""
        return sorted({p for b in self.builds for p in b.problems} | {*self.ledger_problems}, key=Problem.sort_key)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        """Whether every episode and the ledger are free of errors."""
        return all(b.ok for b in self.builds) and not any(p.is_error for p in self.ledger_problems)

    @property
    def valid(self) -> list[EpisodeBuild]:
        """The builds that rendered without an error."""
        return [b for b in self.builds if b.ok]


def build_episodes(ws: Workspace, paths: list[Path], now: datetime | None = None,
                   progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """Load, resolve, render and check each of ``paths`` (episode files of ``ws``).

    ``progress(done, total)`` is called after each episode.
    """
    now = now or datetime.now(UTC)
    started = time.perf_counter()
    slots, schedule_problems = schedule_catalog(ws, now)
    builds = []
    try:
        for path in paths:
            build = build_one(ws, path)
            attach_schedule(build, slots, schedule_problems)
            builds.append(build)
            if progress is not None:
                progress(len(builds), len(paths))
    finally:
        citecache.save()  # the citation texts formatted for this run, once at the end
    log.info("built %d episode(s) in %.2f s", len(builds), time.perf_counter() - started)
    channel_wide = ledger_problems(ws, {b.slug: b.rendered for b in builds if b.rendered}) + unused_references(ws)
    return BuildReport(builds, channel_wide, slots)


def unused_references(ws: Workspace) -> list[Problem]:
    """Library entries no episode of the channel cites; none while an episode file cannot be read
    (it may cite them)."""
    episodes = list(ws.catalog.values())
    if not all(isinstance(entry, LoadedEpisode) for entry in episodes):
        return []
    return reflint.unused_references(ws, (key for entry in episodes for key, _ in cited_keys(entry)))


def build_one(ws: Workspace, path: Path) -> EpisodeBuild:
    """Load, resolve, render and check one episode (each of its languages too); problems are collected, not raised."""
    build = EpisodeBuild(path, shown_path(path))
    try:
        loaded = ws.load(path)
    except InputError as exc:
        build.problems.extend(exc.problems)
        return build
    build.loaded = loaded
    resolved, problems = resolve_episode(ws, loaded)
    build.problems.extend(problems)
    if resolved is None:
        return build
    rendered = render_episode(resolved, ws.templates_dir)
    build.problems.extend(limit_problems(ws, resolved, rendered))
    build.problems.extend(todo_warnings(loaded))
    build.rendered = rendered
    build.resolved = resolved
    for language in loaded.model.localizations:
        localized = build_localized(ws, build, language)
        build.problems.extend(p for p in localized.problems if p not in build.problems)
        if localized.rendered is not None:
            build.languages[language] = localized
    return build


def build_localized(ws: Workspace, build: EpisodeBuild, language: str) -> EpisodeBuild:
    """``build`` (rendered) in one of its other languages: the localized episode rendered and checked."""
    assert build.resolved is not None
    localized = EpisodeBuild(build.path, build.shown, language=language)
    resolved, problems = localize(ws, build.resolved, language)
    localized.problems.extend(problems)
    if resolved is None:
        return localized
    rendered = render_episode(resolved, ws.templates_dir)
    typed = build.loaded.model.localizations[language].description if build.loaded is not None else None
    if typed is not None:  # the description as typed in this language, sent as it is
        rendered = replace(rendered, description=typed + "\n")
    localized.problems.extend(limit_problems(ws, resolved, rendered))
    localized.loaded, localized.resolved, localized.rendered = resolved.episode, resolved, rendered
    return localized


def build_valid(ws: Workspace, path: Path, now: datetime | None = None) -> EpisodeBuild:
    """The built episode at ``path``; ``EpisodeError`` listing its errors when it is invalid."""
    report = build_episodes(ws, [path], now)
    require_valid(report.builds)
    return report.builds[0]


def in_language(build: EpisodeBuild, language: str | None) -> EpisodeBuild:
    """``build`` in ``language`` (None, or the episode's own language: ``build`` itself); ``UsageError``
    naming the episode's languages when it has no localization in ``language``."""
    assert build.loaded is not None and build.resolved is not None
    own = build.loaded.model.upload.language or build.resolved.channel.upload.language
    if language is None or language == own:
        return build
    if language not in build.languages:
        others = "".join(f", {name}" for name in build.languages)
        raise UsageError(f"{build.shown} has no localization {language!r}; its languages are {own} (its own){others}")
    return build.languages[language]


def require_valid(builds: list[EpisodeBuild]) -> None:
    """Raise ``EpisodeError`` with every error of ``builds`` unless all are valid."""
    if not all(b.ok for b in builds):
        raise EpisodeError(BuildReport(builds).errors)


def limit_problems(ws: Workspace, resolved: ResolvedEpisode, rendered: RenderedEpisode) -> list[Problem]:
    """YouTube's limits on the rendered episode; a '<' or '>' is reported where it was written."""
    loaded = resolved.episode
    in_description = places.description_places(ws, resolved)
    return [
        *limits.check_title(loaded, rendered.title),
        *limits.check_description(
            loaded, rendered.description, ws.channel.description_overflow, rendered.references_kept
        ),
        *limits.forbidden_in_description(rendered.description, in_description, places.fallback_place(loaded)),
        *limits.check_tags(loaded, rendered.tags),
        *limits.forbidden_in_tags(rendered.tags, places.tag_places(ws, loaded)),
        *limits.check_chapters(loaded, loaded.model.chapters),
        *(place.problem(REFERENCE_BRACKETS, "warning") for place in places.reference_places(ws, loaded)),
    ]


def todo_warnings(loaded: LoadedEpisode) -> list[Problem]:
    """A scaffold's TODO left in the text would be published as it is; an import's review mark is still there."""
    model = loaded.model
    places: list[tuple[str, tuple[str | int, ...]]] = [(model.title, ("title",))]
    places += [(text, ("summary", i)) for i, text in enumerate(model.summary)]
    places += [(s.body, ("script", i, "body")) for i, s in enumerate(model.script)]
    marked = [loaded.problem(f"marked for review: {model.review}; check the description, then delete the review "
                             "line", "review", severity="warning")] if model.review else []
    return marked + [
        loaded.problem("still says TODO; replace it before uploading", *loc, severity="warning")
        for text, loc in places
        if "TODO" in text
    ]


def schedule_catalog(
    ws: Workspace, now: datetime
) -> tuple[dict[str, schedule.ResolvedSlot], list[Problem]]:
    """Release times of every scheduled episode of the channel, and the schedule's problems."""
    return summary.schedule_catalog(ws, summary.summaries_of(ws), now)


def attach_schedule(build: EpisodeBuild, slots: dict[str, schedule.ResolvedSlot], problems: list[Problem]) -> None:
    """Give ``build`` (and its localizations) its release slot and the schedule's problems at its file."""
    build.slot = slots.get(build.slug)
    for localized in build.languages.values():
        localized.slot = build.slot
    build.problems.extend(p for p in problems if p.path == build.shown)
