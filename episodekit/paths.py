"""The names of a channel's files and folders, where the channel is, and how messages name its files.

The one home of these names: every module that opens a channel's file takes its name from here. A file
of a channel is shown by its path inside the channel folder, and the state of episodekit's own files that the
caches compare. Imports nothing of episodekit but errors.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from .errors import ChannelError, Problem


CHANNEL_FILE = "channel.yaml"  # the channel's settings, at the root of its folder
LIBRARY_FILE = "references.yaml"  # the channel's reference library
LEDGER_FILE = "published.yaml"  # what was sent to YouTube for each episode
LOCK_FILE = ".published.lock"  # held by the one process writing the ledger (never committed)
LOCK_HOLDER_FILE = ".published.lock.holder"  # who holds it: pid, host, command, since when
EPISODES_DIR = "episodes"  # one <slug>.yaml per episode
TEMPLATES_DIR = "templates"  # the channel's own templates, each overriding the packaged one of its name
BUILD_DIR = "build"  # what render writes, by default: build/<slug>/...
SCHEMA_DIR = "schema"  # the JSON Schemas `schema` exports, by default
BACKUPS_DIR = "backups"  # what sync saved of each video before it changed it
CACHE_ENV = "EPISODEKIT_CACHE_DIR"  # where every cache lives; else the user cache folder of episodekit
NO_CACHE_ENV = "EPISODEKIT_NO_CACHE"  # 1: no cache that can only make a run faster is read or written


def cache_root() -> Path:
    """The folder of every cache: ``$EPISODEKIT_CACHE_DIR``, else the user cache folder of episodekit."""
    return Path(os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("episodekit"))


def caches_on() -> bool:
    """Whether the caches that only make a run faster (the build manifest, the citation texts, the parsed
    library) may be used: ``EPISODEKIT_NO_CACHE`` unset, empty or 0."""
    return os.environ.get(NO_CACHE_ENV, "").strip() in ("", "0")


def shown_path(path: Path) -> str:
    """``path`` as messages name it: relative to the folder of the channel it belongs to (the nearest folder
    with a ``channel.yaml``, from ``path`` up), whatever the current folder; absolute outside any channel."""
    absolute = Path(os.path.abspath(path))
    for folder in (absolute, *absolute.parents):
        if (folder / CHANNEL_FILE).is_file():
            return str(absolute.relative_to(folder))  # "." for the channel folder itself
    return str(absolute)


def find_channel_file(start: Path, explicit: Path | None = None) -> Path:
    """``channel.yaml`` given with ``--channel``, or in ``start`` or its nearest parent."""
    if explicit is not None:
        candidate = explicit / CHANNEL_FILE if explicit.is_dir() else explicit
        if not candidate.is_file():
            raise ChannelError([Problem(str(explicit), None, "", "no channel.yaml there")])
        return candidate.resolve()
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / CHANNEL_FILE).is_file():
            return folder / CHANNEL_FILE
    raise ChannelError(
        [Problem(str(start), None, "", "no channel.yaml here or in any parent folder; use --channel")]
    )


PACKAGE_DIR = Path(__file__).resolve().parent  # episodekit's own code: a change of it is an upgrade


def code_files(*parts: str, suffixes: tuple[str, ...] = (".py",)) -> list[tuple[str, int, int]]:
    """The path (inside episodekit), size and modification time of each of episodekit's own files with
    one of ``suffixes`` under the subfolders ``parts`` (all of it without them), sorted: what a cache
    compares to know that the code which made it is the code running now."""
    found = []
    for top in [PACKAGE_DIR / part for part in parts] or [PACKAGE_DIR]:
        for folder, _, names in os.walk(top):
            for name in names:
                if name.endswith(suffixes):
                    path = os.path.join(folder, name)
                    info = os.stat(path)
                    found.append((os.path.relpath(path, PACKAGE_DIR), info.st_size, info.st_mtime_ns))
    return sorted(found)
