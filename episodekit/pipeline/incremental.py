"""``render`` made incremental: only the episodes whose inputs changed are parsed, built and written.

Every episode file of the channel is read and hashed. A file whose hash the manifest knows is not
parsed: its :class:`~.summary.EpisodeSummary` answers the channel-wide questions (the schedule, which
episodes exist, the title a link shows). Each selected episode's *digest* covers everything its
outputs are made from: the channel's inputs (:func:`.manifest.channel_inputs`), its file, the library
entries it cites or names, the files of the episodes it links to and their video ids, its own entry of
the ledger, its release slot and the schedule's problems at it. An episode whose digest and output
files are as recorded is kept as it is; any other is built and written as ``render`` always did. Only
an episode that built without an error is recorded, so a problem is reported on every run until it is
fixed. Nothing of this can be seen in what is written: ``render --no-cache`` writes the same bytes.
"""

from __future__ import annotations

import itertools
import logging
import os
import stat
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem
from ..files.load import LoadedEpisode, load_episode
from ..files.yamlsource import MAX_EPISODE_BYTES
from ..models.slug import known_slugs
from ..paths import shown_path
from ..workspace import Workspace
from . import schedule, summary
from .manifest import Manifest, channel_inputs, digest, digest_of, load_manifest

if TYPE_CHECKING:  # imported when an episode is built: a run with nothing to build never formats or renders
    from .build import BuildReport, EpisodeBuild
    from .output import Progress

log = logging.getLogger(__name__)
SETTLED_NS = 200_000_000  # 0.2 s: far more than the tick of the clock that file times are taken from


@dataclass
class IncrementalRender:
    """What an incremental ``render`` did."""

    report: BuildReport | None  # the episodes built this run (the others were up to date); None: no episode was
    written: Sequence[Path]  # every output file of the selected episodes, kept or written
    kept: list[str] = field(default_factory=list)  # slugs whose outputs were already right
    built: list[str] = field(default_factory=list)  # slugs built (and written) this run


class LazyCatalog(Mapping[str, "LoadedEpisode | InputError"]):
    """Every episode of the channel by slug, each loaded only when it is asked for."""

    def __init__(self, files: dict[str, Path], loaded: dict[str, LoadedEpisode | InputError]):
        self._files, self._loaded = files, loaded

    def __getitem__(self, slug: str) -> LoadedEpisode | InputError:
        if slug not in self._loaded:
            path = self._files[slug]
            with known_slugs(self._files):
                self._loaded[slug] = _load(path, _read(path))
        return self._loaded[slug]

    def __contains__(self, slug: object) -> bool:
        return slug in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


class OutputFiles(Sequence[Path]):
    """The files of the episodes kept (by slug, their names), then those written, each made a path only
    when it is asked for: 50,000 paths held until a 10,000-episode run ends weigh more than its manifest."""

    def __init__(self, out_dir: Path, kept: list[tuple[str, Collection[str]]], written: list[Path]):
        self._out, self._kept, self._written = out_dir, kept, written
        self._len = sum(len(names) for _, names in kept) + len(written)

    def __iter__(self) -> Iterator[Path]:
        for slug, names in self._kept:
            folder = self._out / slug
            for name in names:
                yield folder / name
        yield from self._written

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]  # int or slice, as a list answers
        return list(self)[index]


@dataclass
class _Channel:
    """One run's view of every episode file: its bytes' hash and summary, and those loaded."""

    files: dict[str, Path]
    shown: dict[str, str] = field(default_factory=dict)  # how messages name each file
    hashes: dict[str, str | None] = field(default_factory=dict)
    summaries: dict[str, summary.EpisodeSummary | None] = field(default_factory=dict)
    loaded: dict[str, LoadedEpisode | InputError] = field(default_factory=dict)
    entries: dict[str, str] = field(default_factory=dict)  # library key -> its hash, as asked for


def render_incremental(ws: Workspace, paths: list[Path], out_dir: Path, now: datetime | None = None,
                       progress: Progress | None = None, write_progress: Progress | None = None) -> IncrementalRender:
    """``render_to(build_episodes(ws, paths).builds, out_dir)``, building and writing only the episodes
    whose inputs or outputs changed since the manifest recorded them (see the module's text).

    Raises what those two raise; without the manifest (``EPISODEKIT_NO_CACHE``), or when a slug has
    two files, it is exactly them."""
    from .manifest import enabled

    files_by_slug = ws.files_by_slug()
    if not enabled() or any(len(found) > 1 for found in files_by_slug.values()):
        from .build import build_episodes
        from .output import render_to

        report = build_episodes(ws, paths, now, progress)
        return IncrementalRender(report, render_to(report.builds, out_dir, write_progress),
                                 built=[b.slug for b in report.builds])
    started, cpu, now = time.perf_counter(), time.process_time(), now or datetime.now(UTC)
    manifest = load_manifest(ws.root)
    channel = _scan(manifest, {slug: found[0] for slug, found in files_by_slug.items()})
    ws = ws.with_episodes(LazyCatalog(channel.files, channel.loaded),
                          {slug: s.title for slug, s in channel.summaries.items() if s is not None})
    slots, schedule_problems = summary.schedule_catalog(ws, channel.summaries, now)
    inputs, out = channel_inputs(ws), str(out_dir.resolve())
    kept, todo, digests, refreshed = [], [], {}, []
    for path in paths:
        slug = path.stem
        digests[slug] = _digest(ws, channel, inputs, path, slots.get(slug), schedule_problems)
        record = manifest.episodes.get(slug, {})
        if digests[slug] is not None and record.get("digest") == digests[slug] and _outputs_current(record, out, refreshed):
            kept.append(path)
            if progress is not None:
                progress(len(kept), len(paths))
        else:
            todo.append(path)
    share = (time.process_time() - cpu) / max(time.perf_counter() - started, 1e-9)  # of a core, while scanning
    report = _build(ws, todo, slots, schedule_problems, progress, len(kept), len(paths), channel.loaded,
                    share) if todo else None
    builds = report.builds if report is not None else []
    log.info("%d episode(s) up to date, %d built in %.2f s", len(kept), len(builds), time.perf_counter() - started)
    if (_remember(manifest, channel) or refreshed) and not builds:
        manifest.save()
    written = _write(manifest, builds, out_dir, write_progress, digests) if builds else []
    kept_files = OutputFiles(out_dir, [(p.stem, manifest.episodes[p.stem]["outputs"]["files"]) for p in kept], written)
    return IncrementalRender(report, kept_files, [p.stem for p in kept], [b.slug for b in builds])


def _write(manifest: Manifest, builds: list[EpisodeBuild], out_dir: Path, progress: Progress | None,
           digests: dict[str, str | None]) -> list[Path]:
    """``render_to``, recording each episode written in the manifest, which is saved however it ends."""
    from .output import render_to

    out = str(out_dir.resolve())
    try:
        written = render_to(builds, out_dir, progress, on_written=lambda build, targets, texts: _record(
            manifest, build, digests[build.slug], out, targets, texts))
    except BaseException:  # an invalid episode, Ctrl-C: what was written is recorded, and that is told
        try:
            manifest.save()
        except BaseException:  # noqa: S110 - a second Ctrl-C while saving: the first one is the one to tell
            pass
        raise
    _record_stats(manifest, builds, out_dir)
    manifest.save()
    return written


def _build(ws: Workspace, paths: list[Path], slots: dict[str, schedule.ResolvedSlot],
           schedule_problems: list[Problem], progress: Progress | None, done: int, total: int,
           loaded: Mapping[str, Any], share: float = 1.0) -> BuildReport:
    """Build ``paths`` as :func:`.build.build_episodes` does; in worker processes when there are
    enough of them (:mod:`.workers`: the same builds, in the same order)."""
    from . import build as building
    from . import citecache, workers

    builds: list[EpisodeBuild] = []
    try:
        count = workers.jobs(len(paths), share)
        if count:
            ticks = itertools.count(done + 1)
            tick = (lambda: progress(next(ticks), total)) if progress is not None else None
            builds = workers.build_in_workers(ws, paths, slots, schedule_problems, count, loaded, tick)
        for path in () if count else paths:
            build = building.build_one(ws, path)  # looked up when called, as build_episodes does
            building.attach_schedule(build, slots, schedule_problems)
            builds.append(build)
            if progress is not None:
                progress(done + len(builds), total)
    finally:
        citecache.save()
    return building.BuildReport(builds, [], slots)


def _scan(manifest: Manifest, files: dict[str, Path]) -> _Channel:
    """Read and hash every episode file; parse only those the manifest has no summary of."""
    channel = _Channel(files)
    folders: dict[Path, str] = {}
    with known_slugs(files):
        for slug, path in files.items():
            if path.parent not in folders:
                folders[path.parent] = shown_path(path.parent)
            channel.shown[slug] = os.path.normpath(os.path.join(folders[path.parent], path.name))
            raw = _read(path)
            channel.hashes[slug] = hashed = digest(raw) if raw is not None else None
            record = manifest.episodes.get(slug, {})
            if hashed is not None and record.get("file") == hashed and "summary" in record:
                try:
                    data = record["summary"]
                    channel.summaries[slug] = None if data is None else summary.from_record(data, channel.shown[slug])
                    continue
                except (KeyError, TypeError, ValueError):  # a record this version did not write
                    pass
            loaded = channel.loaded[slug] = _load(path, raw)
            channel.summaries[slug] = (summary.summarize(loaded, raw.decode("utf-8-sig", "replace"))
                                       if isinstance(loaded, LoadedEpisode) and raw is not None else None)
    return channel


def _read(path: Path) -> bytes | None:
    """The bytes of the regular file ``path`` (at most one more than an episode may have); None when
    it is anything else or cannot be read (loading it then says why)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return handle.read(MAX_EPISODE_BYTES + 1)
    except OSError:
        return None


def _load(path: Path, raw: bytes | None) -> LoadedEpisode | InputError:
    """The episode at ``path`` from its bytes ``raw`` (read again when they are not a valid text)."""
    text = None
    if raw is not None and len(raw) <= MAX_EPISODE_BYTES:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:  # read again by the loader, which says where
            pass
    try:
        return load_episode(path, text)
    except InputError as exc:
        return exc


def _digest(ws: Workspace, channel: _Channel, inputs: str, path: Path, slot: schedule.ResolvedSlot | None,
            schedule_problems: list[Problem]) -> str | None:
    """The digest of everything the outputs of the episode at ``path`` are made from; None when it is
    not a valid episode file of the channel (it is built, and its problems reported)."""
    slug = path.stem
    found = channel.summaries.get(slug)
    if found is None or channel.files.get(slug) != path or channel.hashes.get(slug) is None:
        return None
    ledger = ws.ledger.episodes.get(slug)
    shown = channel.shown[slug]
    return digest_of({
        "inputs": inputs, "slug": slug, "file": channel.hashes[slug],
        "library": {key: _entry_hash(ws, channel, key) for key in found.mentioned},
        "links": [[link, channel.hashes.get(link) if link in channel.files else "absent",
                   ws.ledger.video_id(link)] for link in found.links],
        "ledger": ledger.model_dump(mode="json", include={"video_id", "publish_at"}) if ledger else None,
        "slot": [slot.local.isoformat(), slot.utc.isoformat()] if slot else None,
        "schedule": sorted([p.line or 0, p.field, p.message, p.severity] for p in schedule_problems if p.path == shown),
    })


def _entry_hash(ws: Workspace, channel: _Channel, key: str) -> str:
    """The hash of the library's entry ``key`` (what it says), or that there is none."""
    if key not in channel.entries:
        entry = ws.library.root.get(key)
        channel.entries[key] = "absent" if entry is None else digest_of(entry.model_dump(mode="json"))
    return channel.entries[key]


def _outputs_current(record: dict[str, Any], out: str, refreshed: list[str]) -> bool:
    """Whether the output files the record lists are in folder ``out`` and hold what was written.

    A file whose inode, size, modification and change times are as recorded was not written since (a
    write sets the change time, which no program can set back). Any other is read and hashed, and when
    it holds what was written its times are recorded (its slug added to ``refreshed``): only once they
    are older than :data:`SETTLED_NS`, since a write within the same tick of the clock leaves them."""
    outputs = record.get("outputs")
    if not isinstance(outputs, dict) or outputs.get("dir") != out or not isinstance(outputs.get("files"), dict):
        return False
    folder = os.path.join(out, str(record.get("slug", "")))  # strings, not paths: 5 files an episode
    stats = outputs["stats"] = outputs.get("stats") if isinstance(outputs.get("stats"), dict) else {}
    for name, hashed in outputs["files"].items():
        target = os.path.join(folder, name)
        try:
            info = os.lstat(target)
            if not stat.S_ISREG(info.st_mode):  # a link or a folder in its place: written again as a file
                return False
            if _stat_of(info) == stats.get(name):
                continue
            with open(target, "rb") as handle:
                if digest(handle.read()) != hashed:
                    return False
        except OSError:
            return False
        if _settled(info):
            stats[name] = _stat_of(info)
            refreshed.append(str(record.get("slug")))
    return True


def _stat_of(info: os.stat_result) -> str | None:
    """What says a regular file was not written since: inode, size, modification and change times (one
    string: a list of four numbers takes three times the memory, and a manifest holds five an episode)."""
    if not stat.S_ISREG(info.st_mode):
        return None
    return f"{info.st_ino} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}"


def _settled(info: os.stat_result) -> bool:
    """Whether a file's change time is far enough in the past that another write would change it."""
    return info.st_ctime_ns < time.time_ns() - SETTLED_NS


def _record_stats(manifest: Manifest, builds: list[EpisodeBuild], out_dir: Path) -> None:
    """The times of the files just written, for those already settled (the others are hashed next time)."""
    out = str(out_dir.resolve())
    for build in builds:
        outputs = manifest.episodes.get(build.slug, {}).get("outputs")
        if not isinstance(outputs, dict) or outputs.get("dir") != out:
            continue
        stats = outputs.setdefault("stats", {})
        for name in outputs["files"]:
            try:
                info = os.lstat(out_dir / build.slug / name)
            except OSError:
                continue
            if _settled(info):
                stats[name] = _stat_of(info)


def _remember(manifest: Manifest, channel: _Channel) -> bool:
    """Record the hash and summary of every episode file, and drop the records of files that are gone
    (an episode whose file changed loses its digest until it is built again); whether anything changed."""
    episodes = {}
    for slug, hashed in channel.hashes.items():
        if hashed is None:
            continue
        record = manifest.episodes.get(slug, {})
        if slug not in channel.loaded:  # its summary came from this record
            episodes[slug] = record
            continue
        found = channel.summaries.get(slug)
        kept = {key: record[key] for key in ("digest", "outputs") if key in record and record.get("file") == hashed}
        episodes[slug] = {"slug": slug, "file": hashed, "summary": None if found is None else found.record(), **kept}
    changed = bool(channel.loaded) or episodes.keys() != manifest.episodes.keys()
    manifest.episodes = episodes
    return changed


def _record(manifest: Manifest, build: EpisodeBuild, episode_digest: str | None, out: str, targets: list[Path],
            texts: list[str]) -> None:
    """An episode just written: its digest and the hash of each of its files."""
    record = manifest.episodes.get(build.slug)
    if record is None or episode_digest is None or not build.ok:
        return
    record["digest"] = episode_digest
    record["outputs"] = {"dir": out, "files": {t.name: digest(text.encode("utf-8")) for t, text in zip(targets, texts)}}

