"""Writing rendered episodes to disk (all of them or none), and what ``preview`` reports.

Every output folder is checked and created before the first file is written, so a
folder that cannot be written stops the run with nothing written. Ctrl-C removes the
temporary files of the write in progress and says how many episodes were written;
temporary files left by a run that was killed are removed by the next one.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from ..atomic import remove_own_temps, remove_stale_temps, write_text_atomic
from ..errors import Interrupted, OutputError
from ..paths import shown_path
from . import schedule
from .build import EpisodeBuild, require_valid
from .captions import CAPTION_FILES, caption_track
from .limits import limit_counts
from .render import OUTPUT_FILES, format_duration

log = logging.getLogger(__name__)
RENDERED_FILES = (*OUTPUT_FILES.values(), *CAPTION_FILES.values())  # what render writes for each episode
Progress = Callable[[int, int], None]  # (episodes written, episodes in all)
Written = Callable[[EpisodeBuild, list[Path], list[str]], None]  # (build, its files, what they hold)


def render_to(builds: Sequence[EpisodeBuild], out_dir: Path, progress: Progress | None = None,
              on_written: Written | None = None) -> list[Path]:
    """Write ``builds`` into ``out_dir/<slug>/``; if any of them is invalid, write nothing.

    ``progress(done, total)`` is called once each episode's files are written, and ``on_written(build,
    files, texts)`` with what they now hold (the build manifest records it).
    Raises ``OutputError`` when a folder or file cannot be written, and ``Interrupted``
    (a ``KeyboardInterrupt``) with the count when Ctrl-C stops it.
    """
    builds = list(builds)
    require_valid(builds)
    targets = [[out_dir / _slug(b) / name for name in output_names(b)] for b in builds]
    written: list[Path] = []
    created: list[Path] = []  # the folders this run made, so a stopped run leaves no empty one behind
    done = unchanged = 0
    try:
        prepare_folders(targets, created)
        made = set(created)
        for build, files in zip(builds, targets):
            texts = rendered_texts(build)
            for text, target in zip(texts, files):
                unchanged += write_if_changed(target, text, new=target.parent in made)
            written.extend(files)
            if on_written is not None:
                on_written(build, files, texts)
            done += 1
            log.debug("wrote %s", files[0].parent)
            if progress is not None:
                progress(done, len(builds))
    except KeyboardInterrupt:
        for files in targets:
            for target in files:
                remove_own_temps(target)
        remove_empty_folders(created)
        raise Interrupted(f"interrupted: {done} of {len(builds)} episodes written", done, len(builds)) from None
    except OSError as exc:
        remove_empty_folders(created)
        where = shown_path(Path(exc.filename)) if exc.filename else shown_path(out_dir)
        raise OutputError(f"{where}: cannot write: {exc.strerror}; {done} of {len(builds)} episodes written") from None
    except OutputError:
        remove_empty_folders(created)
        raise
    log.info("%d of %d file(s) already held these bytes and were left as they were", unchanged, len(written))
    return written


def rendered_texts(build: EpisodeBuild) -> list[str]:
    """What ``render`` writes for ``build``, in the order of :func:`output_names`: the three texts, then the
    caption track (timed by the estimate) as SubRip and WebVTT; then each other language's description,
    and its script and caption track where the language has its own script."""
    if build.outputs is not None:  # made by a worker process, or what failed there, raised where it would have been
        if isinstance(build.outputs[1], BaseException):
            raise build.outputs[1]
        return build.outputs[1]
    assert build.rendered is not None and build.resolved is not None
    track = caption_track(build.resolved)
    texts = [*(build.rendered.part(part) for part in OUTPUT_FILES), *(track.as_format(f) for f in CAPTION_FILES)]
    for localized in build.languages.values():
        assert localized.rendered is not None and localized.resolved is not None
        texts.append(localized.rendered.description)
        if own_script(localized):
            track = caption_track(localized.resolved)
            texts += [localized.rendered.script, *(track.as_format(f) for f in CAPTION_FILES)]
    return texts


def output_names(build: EpisodeBuild) -> list[str]:
    """The files ``render`` writes for ``build``: ``RENDERED_FILES``, then per language
    ``description.<lang>.txt`` (and ``script.<lang>.md``, ``captions.<lang>.srt`` and ``.vtt``)."""
    if build.outputs is not None:
        return list(build.outputs[0])
    names = list(RENDERED_FILES)
    for language, localized in build.languages.items():
        names.append(in_language(OUTPUT_FILES["description"], language))
        if own_script(localized):
            names += [in_language(name, language) for name in (OUTPUT_FILES["script"], *CAPTION_FILES.values())]
    return names


def in_language(name: str, language: str) -> str:
    """``description.txt`` of another language: ``description.pt-BR.txt``."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{language}.{suffix}" if dot else f"{name}.{language}"


def own_script(build: EpisodeBuild) -> bool:
    """Whether a localized build has a script of its own language (else it speaks the episode's)."""
    localization = getattr(build.loaded, "localization", None)
    return localization is not None and localization.script is not None


def write_if_changed(target: Path, text: str, new: bool = False) -> bool:
    """Write ``text`` to ``target`` (atomic, no fsync: a build output can be made again) unless the
    regular file there already holds exactly these bytes; True when it was left as it was (mtime kept).
    ``new``: its folder was made by this run, so nothing is there to compare with."""
    if new:
        write_text_atomic(target, text, durable=False)
        return False
    data = text.encode("utf-8")
    try:
        info = os.lstat(target)
        if stat.S_ISREG(info.st_mode) and info.st_size == len(data) and target.read_bytes() == data:
            return True
    except OSError:  # missing or unreadable: write it, and let the write say what is wrong
        pass
    write_text_atomic(target, text, durable=False)
    return False


def write_page(target: Path, text: str) -> Path:
    """Write one file made from an episode (a page, a caption track) atomically, its folder made when
    missing; ``OutputError`` with nothing written when it cannot be."""
    prepare_folders([[target]])
    try:
        write_text_atomic(target, text, durable=False)
    except OSError as exc:
        where = shown_path(Path(exc.filename)) if exc.filename else shown_path(target)
        raise OutputError(f"{where}: cannot write: {exc.strerror}; nothing was written") from None
    return target


def remove_empty_folders(created: list[Path]) -> None:
    """Remove the folders of ``created`` (made by this run, parents first) that are still empty."""
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:  # not empty (it holds what was written), or already gone
            pass


def prepare_folders(targets: list[list[Path]], created: list[Path] | None = None) -> None:
    """Check that every target can be written, then create the folders and sweep stale temp files.

    Each folder made is added to ``created``, parents first."""
    for files in targets:
        reason = _unwritable(files)
        if reason:
            raise OutputError(f"{reason}; nothing was written")
    for files in targets:
        folder = files[0].parent
        missing = [folder, *folder.parents]
        missing = list(reversed(missing[:next(i for i, p in enumerate(missing) if p.exists())]))
        try:
            for part in missing:
                part.mkdir(exist_ok=True)
                if created is not None:
                    created.append(part)
        except OSError as exc:
            where = shown_path(Path(exc.filename or files[0].parent))
            raise OutputError(f"{where}: cannot create the folder: {exc.strerror}; nothing was written") from None
        if missing and missing[-1] == folder:
            continue  # a folder made just now holds no temporary file of a run that was killed
        for target in files:
            remove_stale_temps(target)


def _unwritable(files: list[Path]) -> str | None:
    """Why ``files`` (in one folder, created when missing) cannot be written, or None."""
    folder = probe = files[0].parent
    while not probe.exists():
        if probe.is_symlink():
            return f"{shown_path(probe)}: is a link to nothing"
        probe = probe.parent
    if not probe.is_dir():
        return f"{shown_path(probe)}: is a file, not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"{shown_path(probe)}: no permission to write in this folder"
    if probe == folder:
        for target in files:
            if target.is_dir():
                return f"{shown_path(target)}: is a folder, not a file"
    return None


def _slug(build: EpisodeBuild) -> str:
    assert build.rendered is not None
    return build.rendered.slug


def overflow_line(build: EpisodeBuild) -> str:
    """Which ``description_overflow`` policy applied, and how many references the description lists."""
    assert build.rendered is not None and build.resolved is not None
    policy = build.resolved.channel.description_overflow
    total = len(build.resolved.references.entries)
    kept = build.rendered.references_kept
    if kept is None:
        return f"references: all {total} in the description (description_overflow: {policy}; it fits)"
    url = build.resolved.channel.references_page(build.slug)
    return (f"references: {kept} of {total} in the description, cut to fit (description_overflow: {policy}); "
            f"the full list: {url}")


def summary_lines(build: EpisodeBuild) -> list[str]:
    """What ``preview`` tells on stderr: the limits used, the runtime, the warnings."""
    rendered = build.rendered
    assert rendered is not None
    lines = [f"{c.field}: {c.used} of {c.limit} {c.unit}" for c in limit_counts(
        rendered.title, rendered.description, rendered.tags)]
    lines[-1] += f" ({len(rendered.tags)} tags)"
    lines.insert(1, overflow_line(build))
    lines.append(f"script: {rendered.words} words, about {format_duration(rendered.runtime_seconds)}")
    if build.slot is not None:
        lines.append(
            f"release: {build.slot.local:%a %Y-%m-%d %H:%M %Z} ({schedule.to_rfc3339_utc(build.slot.utc)})"
        )
    lines.extend(str(p) for p in build.problems if not p.is_error)
    return lines
