"""The reference library as it was last read, kept between runs and used only for the same bytes.

Reading ``references.yaml`` into checked models with the line of every key is most of what a command
on a large library costs (2,500 entries, 1.5 MB: about 0.45 s, most of it building values in Python);
loading what that reading gave back from a pickle takes about a tenth of it. So the first run after
any change reads the text and keeps the result; the next runs on the same bytes load it.

One file per channel folder, ``<cache>/libraries/<hash of the folder>.pickle`` (the cache folder of
:func:`~episodekit.paths.cache_root`): a first line naming what it was made from, then the pickle.
That line holds the hash of the library's bytes, the hash of everything else its reading depends on
(:func:`reading_state`: the size and time (an upgrade writes new files) of every file of the reading floor
and of the models, the versions of PyYAML and pydantic, the library's limits) and the hash of the
pickle itself. A file whose line names other bytes, other code or other limits, or whose pickle is
not the one it names (truncated, changed), or that cannot be read, is a miss: the library is read
from its text, as without a cache, and the file written anew. A library with a problem is never
kept, so each run finds and reports it as it always did. ``EPISODEKIT_NO_CACHE=1`` turns it off.

The pickle holds only what episodekit itself wrote in the user's own cache folder, and is loaded only
when its hash is the one the first line names.
"""

from __future__ import annotations

import hashlib
import io
import logging
import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pydantic
import yaml

from ..atomic import remove_stale_temps, write_bytes_atomic
from ..models import ReferenceLibrary
from ..paths import cache_root, caches_on, code_files
from . import yamlbuild, yamlsource

FORMAT = 2  # of the file; change it when what it holds changes
_MAGIC = b"episodekit-library"
_READERS = ("files", "models")  # the code a library's models come from
log = logging.getLogger(__name__)
Lines = dict[tuple[Any, ...], int]


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_path(library: Path) -> Path:
    """Where the parsed library of the file ``library`` is kept (one file per channel folder)."""
    return cache_root() / "libraries" / f"{_digest(str(library.resolve().parent).encode())}.pickle"


def reading_state() -> str:
    """The hash of what, besides the library's text, makes what reading it gives: the code that reads
    and checks it (an upgrade or an edited source changes the size or time of its files), the libraries
    it uses, its limits (a test or a caller may lower them)."""
    limits = (yamlsource.MAX_LIBRARY_BYTES, yamlsource.MAX_LIBRARY_NODES, yamlbuild.MAX_DEPTH)
    parts = [FORMAT, yaml.__version__, pydantic.VERSION, yamlsource._Loader.__name__, limits,
             code_files(*_READERS)]
    return _digest(repr(parts).encode())


def _made_from(text: str) -> list[bytes]:
    """The words of the first line but its last (the pickle's hash): what a kept library is made from."""
    return [_MAGIC, str(FORMAT).encode(), _digest(text.encode("utf-8")).encode(), reading_state().encode()]


def cached(library: Path, text: str) -> tuple[ReferenceLibrary, Mapping[tuple[Any, ...], int]] | None:
    """The library and the line of each part of it kept for the text ``text`` of ``library``, or None."""
    if not caches_on():
        return None
    path = cache_path(library)
    try:
        with open(path, "rb") as handle:
            words = handle.readline().split()
            if len(words) != 5 or words[:4] != _made_from(text):
                return None
            payload = handle.read()
        if _digest(payload).encode() != words[4]:
            log.info("the parsed library %s is not the one its first line names; it is ignored", path)
            return None
        stream = io.BytesIO(payload)
        with yamlsource.collector_paused():  # objects that hold no cycles, as reading makes them
            kept = pickle.load(stream)
        lines = KeptLines(stream.read())
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - unreadable, or not what was written: a miss
        log.info("the parsed library %s is ignored: %s", path, exc)
        return None
    return (kept, lines) if isinstance(kept, ReferenceLibrary) else None


class KeptLines(Mapping[tuple[Any, ...], int]):
    """The line of each part of a kept library, unpickled the first time one is asked for: most runs
    ask for none, or for a few, when they report a problem."""

    def __init__(self, pickled: bytes):
        self._pickled: bytes | None = pickled
        self._lines: Lines = {}

    def _loaded(self) -> Lines:
        if self._pickled is not None:
            with yamlsource.collector_paused():
                lines = pickle.loads(self._pickled)
            self._lines = lines if isinstance(lines, dict) else {}
            self._pickled = None
        return self._lines

    def __getitem__(self, loc: tuple[Any, ...]) -> int:
        return self._loaded()[loc]

    def __contains__(self, loc: object) -> bool:
        return loc in self._loaded()

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def keep(library: Path, text: str, parsed: ReferenceLibrary, lines: Lines) -> None:
    """Keep what reading the text ``text`` of ``library`` gave, for the next run on the same text; a
    cache that cannot be written costs a log line."""
    if not caches_on():
        return
    path = cache_path(library)
    with yamlsource.collector_paused():
        payload = b"".join(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in (parsed, lines))
    first = b" ".join([*_made_from(text), _digest(payload).encode()])
    try:
        remove_stale_temps(path)
        write_bytes_atomic(path, first + b"\n" + payload, durable=False)
    except OSError as exc:
        log.info("the parsed library %s was not written: %s", path, exc.strerror or exc)
