"""A render's episodes built in worker processes, one per CPU, giving what a serial run gives.

On Linux, once the parent has imported what a build needs, loaded the channel and worked out the
release slots, it starts one worker per CPU, each a fork of the parent: it starts with the imports,
the loaded episodes and the parsed citation style. First the library entries the episodes cite are
formatted, a few at a time by whichever worker is free, and handed back; then, in new workers that
start with all of them, the episodes are built, four at a time by whichever worker is free (a queue of
batch numbers in a pipe, so a worker the system gives less time to takes fewer). A worker builds each
as :func:`.build.build_one` does and makes the texts ``render`` writes of each valid one (its caption
tracks too). It hands back little: each build without its loaded and resolved episode
(``EpisodeBuild.outputs`` holds its files' names and texts instead), the citation texts it formatted,
and which episodes it loaded. The parent puts the builds back in the order of the paths; the writing
and the manifest stay the parent's.

So the outputs, the problems and their order, the manifest and the exit code are those of a serial
run. What a build raised in a worker is raised by the parent once the builds before it are taken
in, as the serial run raises it; what making an episode's texts raised is raised while writing that
episode, where the serial run makes them. An episode whose worker ended without handing it back (it
was killed, say) is built again by the parent. Workers ignore Ctrl-C: the parent stops
them, then lets it go on as the serial run does. Workers log nothing (a log handler's lock may have
been held by another thread, a progress bar's, when the worker was forked).

``EPISODEKIT_JOBS`` sets how many processes build (``1``: none, the parent builds every episode);
unset, one per CPU this process may run on, once there are at least :data:`MIN_EPISODES` to build,
unless the run has had less than :data:`BUSY_SHARE` of a core so far (see :func:`jobs`).
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import struct
import sys
import tempfile
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import IO, Any, NoReturn

from ..errors import Problem, UsageError
from ..files.load import LoadedEpisode
from ..workspace import Workspace
from . import build as building
from . import citecache, schedule
from .build import EpisodeBuild
from .output import output_names, rendered_texts

JOBS_ENV = "EPISODEKIT_JOBS"
BUSY_SHARE = 0.85  # a run that got less of a core than this so far builds in its own process
MIN_EPISODES = 64  # fewer are built in this process: a fork and the hand-back cost more than a core saves
log = logging.getLogger(__name__)
Tick = Callable[[], None]
Take = Callable[[], "int | None"]  # the number of the next batch of work, None when there is none left
EPISODES_PER_BATCH = 4  # a worker takes this many episodes at a time from the queue: the load stays even
ENTRIES_PER_BATCH = 8
_MAX_BATCHES = 8192  # numbers of 4 bytes: the queue fits in a pipe's buffer, written before the workers start


@dataclass
class _Result:
    """What one worker hands back."""

    builds: list[tuple[int, EpisodeBuild]]  # (the index of its path, the build with its ``outputs``)
    failure: tuple[int, BaseException] | None  # the index of a path whose build raised, and what it raised
    cite_state: list[Any]  # citecache.run_state()
    loaded: list[str]  # the slugs it loaded that were not loaded when it started


def jobs(episodes: int, share: float = 1.0) -> int:
    """How many worker processes build ``episodes`` episodes; 0: none, this process builds them.

    ``share``: how much of a core this process got so far (CPU time over wall time). Under
    :data:`BUSY_SHARE` the machine is busy with other work, and a second process would not get a core
    of its own either (Linux shares time between sessions, not processes): it only adds its costs."""
    setting = os.environ.get(JOBS_ENV, "").strip()
    if setting and (not setting.isdigit() or int(setting) < 1):
        raise UsageError(f"{JOBS_ENV}={setting}: give how many processes build the episodes, a whole number "
                         "from 1 (1: no worker processes)")
    if not sys.platform.startswith("linux") or episodes < 2:
        return 0  # a fork inherits what is imported and loaded only where fork is the way to start a process
    if setting:
        count = int(setting)
    elif episodes < MIN_EPISODES or share < BUSY_SHARE:
        return 0
    else:
        count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    count = min(count, episodes)
    return count if count > 1 else 0


def build_in_workers(ws: Workspace, paths: Sequence[Path], slots: dict[str, schedule.ResolvedSlot],
                     schedule_problems: list[Problem], count: int, loaded: Mapping[str, Any],
                     tick: Tick | None = None) -> list[EpisodeBuild]:
    """Build ``paths`` (with their release slots) in ``count`` workers, as the serial loop of
    ``render`` does; ``tick()`` after each episode built; ``loaded``: the episodes ``ws`` has loaded."""
    _format_cited(ws, paths, count, loaded)
    before, size = set(loaded), _batch_size(len(paths), EPISODES_PER_BATCH)
    work = partial(_work, ws, list(paths), size, slots, schedule_problems, before, loaded)
    results = _run([work] * count, tick, -(-len(paths) // size))
    done: dict[int, EpisodeBuild] = {}
    failures: dict[int, BaseException] = {}
    for result in results:
        if isinstance(result, _Result):
            citecache.adopt(result.cite_state)
            for slug in result.loaded:  # loaded here too, as the serial run loads them (the manifest records it)
                ws.catalog.get(slug)
            done.update(result.builds)
            if result.failure is not None:
                failures[result.failure[0]] = result.failure[1]
    builds: list[EpisodeBuild] = []
    for index, path in enumerate(paths):
        if index in failures:
            raise failures[index]
        if index not in done:  # its worker ended without handing it back: built here
            log.info("a worker process ended without handing back %s; building it here", path.name)
            done[index] = building.build_one(ws, path)  # looked up when called, as the serial loop does
            building.attach_schedule(done[index], slots, schedule_problems)
        builds.append(done[index])
    return builds


def _batch_size(items: int, least: int) -> int:
    """How many items a worker takes at a time: ``least``, more when the queue would not fit in a pipe."""
    return max(least, -(-items // _MAX_BATCHES))


def _format_cited(ws: Workspace, paths: Sequence[Path], count: int, loaded: Mapping[str, Any]) -> None:
    """In a numeric style, format each library entry that the loaded episodes of ``paths`` cite once,
    split over ``count`` workers, so that the workers building the episodes find them formatted
    (else each worker would format nearly every entry itself). Only ever faster: whatever is not
    formatted here (an entry written in an episode, one that failed) is formatted where it is cited."""
    from . import cite
    from .resolve import cited_keys

    style, library = ws.channel.citation_style, ws.library.root
    if not citecache.enabled() or not cite.NUMERIC.get(style):
        return  # an author-date list is formatted whole, per episode: no worker formats another's
    keys: dict[str, None] = {}
    for path in paths:
        entry = loaded.get(path.stem)
        if isinstance(entry, LoadedEpisode) and entry.path == path:
            keys.update((key, None) for key, _ in cited_keys(entry) if key in library)
    if len(keys) < count * 8:
        return
    cited = list(keys)
    _format(ws, cited[:1], 1, -1, iter([0, None]).__next__)  # here: the style parsed and citeproc-py imported once, for every worker after
    size = _batch_size(len(cited), ENTRIES_PER_BATCH)
    for state in _run([partial(_format, ws, cited, size)] * count, None, -(-len(cited) // size)):
        if isinstance(state, list):
            citecache.adopt(state)


def _format(ws: Workspace, keys: list[str], size: int, _ticks: int, take: Take) -> list[Any]:
    """In a worker: the library entries ``keys`` formatted as a citing episode formats them, in batches
    of ``size``, for as long as ``take()`` gives the number of a batch."""
    from . import cite

    library = ws.library.root
    while (batch := take()) is not None:
        try:
            cite.format_references([library[key].to_csl(key) for key in keys[batch * size:(batch + 1) * size]],
                                   ws.channel.citation_style, ws.channel.reference_identifier)
        except Exception:  # noqa: BLE001, S110 - left to the episode citing it, which reports it as it always does
            pass
    return citecache.run_state()


def _run(works: list[Callable[[int, Take], object]], tick: Tick | None, batches: int) -> list[Any]:
    """Fork one worker per work, called with the file descriptor it writes a byte to after each episode
    and ``take``, which gives the numbers ``0 .. batches - 1`` each to one worker, in turn; call
    ``tick()`` for each byte, and take in what each hands back (None: nothing)."""
    read_end, write_end = os.pipe()
    queue, feed = os.pipe()
    os.write(feed, b"".join(struct.pack("=I", n) for n in range(batches)))  # fits: see _MAX_BATCHES
    os.close(feed)

    def take() -> int | None:
        data = os.read(queue, 4)  # a read of 4 bytes from a pipe is not split with another reader's
        return struct.unpack("=I", data)[0] if len(data) == 4 else None

    children: list[tuple[int, IO[bytes]]] = []
    spools: list[IO[bytes]] = []
    gc.freeze()  # what is there now is left out of the workers' collections: they need not visit (and copy) it
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # Ctrl-C waits until every worker is known
    try:
        for work in works:
            spools.append(tempfile.TemporaryFile())
            pid = _fork(lambda work=work: work(write_end, take), spools[-1], read_end)
            if pid is None:
                break
            children.append((pid, spools[-1]))
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        gc.unfreeze()
        os.close(write_end)
        write_end = -1
        while data := os.read(read_end, 65536):
            for _ in range(len(data) if tick is not None else 0):
                tick()  # type: ignore[misc]
        results = [_collect(pid, spool) for pid, spool in children]
        children = []
        return results
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        gc.unfreeze()
        for pid, _ in children:  # stopped early (Ctrl-C, an error here): the workers' work is not wanted
            _stop(pid)
        for fd in (read_end, write_end, queue):
            if fd >= 0:
                os.close(fd)
        for spool in spools:
            spool.close()


def _fork(work: Callable[[], object], spool: IO[bytes], read_end: int) -> int | None:
    """Start a worker that runs ``work`` and leaves its result in ``spool`` (Ctrl-C held back by the
    caller; the worker ignores it); its pid, or None when no process can be started."""
    try:
        pid = os.fork()
    except OSError as exc:
        log.debug("no worker process: %s", exc)
        return None
    if pid == 0:
        _child(work, spool, read_end)
    return pid


def _child(work: Callable[[], object], spool: IO[bytes], read_end: int) -> NoReturn:
    """The worker: run ``work``, leave its pickled result in ``spool``, and end without returning
    into the parent's code (no exit handlers, no flush of what the parent had buffered)."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        logging.disable(logging.CRITICAL)  # a handler's lock may have been held by another thread at the fork
        os.close(read_end)
        pickle.dump(work(), spool, protocol=pickle.HIGHEST_PROTOCOL)
        spool.flush()
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the parent builds these episodes itself and sees it
        pass
    finally:
        os._exit(code)


def _work(ws: Workspace, paths: list[Path], size: int, slots: dict[str, schedule.ResolvedSlot],
          schedule_problems: list[Problem], before: set[str], loaded: Mapping[str, Any], ticks: int,
          take: Take) -> _Result:
    """In a worker: build the batches of ``size`` paths that ``take()`` gives, each build handed back
    with its outputs, until one raises (then this worker takes no more)."""
    builds: list[tuple[int, EpisodeBuild]] = []
    failure = None
    while failure is None and (batch := take()) is not None:
        for index in range(batch * size, min(len(paths), (batch + 1) * size)):
            try:
                build = building.build_one(ws, paths[index])  # looked up when called, as the serial loop does
                building.attach_schedule(build, slots, schedule_problems)
            except BaseException as exc:  # noqa: BLE001 - raised by the parent, where the serial run raises it
                failure = (index, _portable(exc))
                break
            builds.append((index, _handed_back(build)))
            os.write(ticks, b".")
    return _Result(builds, failure, citecache.run_state(), [slug for slug in loaded if slug not in before])


def _handed_back(build: EpisodeBuild) -> EpisodeBuild:
    """``build`` as the parent needs it: its files' names and texts instead of its loaded and resolved episode."""
    outputs = None
    if build.ok:
        names = output_names(build)
        try:
            outputs = (names, rendered_texts(build))
        except Exception as exc:  # noqa: BLE001 - raised by the parent while writing this episode
            outputs = (names, _portable(exc))
    languages = {language: replace(localized, loaded=None, resolved=None)
                 for language, localized in build.languages.items()}
    return replace(build, loaded=None, resolved=None, languages=languages, outputs=outputs)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` when it survives pickling, else a ``RuntimeError`` holding its traceback."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any failure to pickle
        text = "".join(traceback.format_exception(exc))
        return RuntimeError(f"in a worker process building episodes:\n{text}")


def _collect(pid: int, spool: IO[bytes]) -> Any:
    """Wait for worker ``pid`` and read what it left in ``spool``; None when it ended without a result."""
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    spool.seek(0)
    try:
        return pickle.load(spool)
    except Exception:  # noqa: BLE001 - a cut or damaged result: the parent does that work itself
        return None


def _stop(pid: int) -> None:
    """End a worker of this run, and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
