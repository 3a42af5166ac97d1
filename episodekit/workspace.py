"""A channel folder, read once: ``channel.yaml``, ``references.yaml``, ``episodes/``, ``templates/``, the ledger.

:class:`Workspace` is a read-only view of the channel: what the plans and the renders need, and no way to
write. The ledger is written only through ``ledger.LedgerStore``, which the commands that send to YouTube
(and ``ledger move``) make over a workspace; its writes become the workspace's ledger.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from .errors import EpisodeError, InputError, Problem, UsageError
from .files.load import (
    LoadedEpisode,
    load_channel_source,
    load_episode,
    load_library_source,
)
from .files.yamlsource import YamlDocument
from .ledger import load_ledger
from .models import Channel, ReferenceLibrary
from .models.ledger import Ledger
from .models.slug import episode_slug, known_slugs, slug_problem
from .paths import EPISODES_DIR, LEDGER_FILE, LIBRARY_FILE, TEMPLATES_DIR, find_channel_file, shown_path

T = TypeVar("T")


@dataclass
class Workspace:
    """Everything a command needs to know about one channel, read once; nothing here writes a file."""

    root: Path
    channel: Channel
    library: ReferenceLibrary
    ledger: Ledger
    _catalog: dict[str, LoadedEpisode | InputError] | None = field(default=None, repr=False)
    channel_doc: YamlDocument | None = field(default=None, repr=False)  # lines of channel.yaml
    library_doc: YamlDocument | None = field(default=None, repr=False)  # lines of references.yaml
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, start: Path | None = None, channel_path: Path | None = None) -> Workspace:
        """Find ``channel.yaml`` (``--channel`` or the nearest parent) and load the channel.

        Problems in the channel file, the library and the ledger are all reported together.
        """
        channel_file = find_channel_file(start or Path.cwd(), channel_path)
        root = channel_file.parent
        problems: list[Problem] = []
        loaded = []
        for loader, path in (
            (load_channel_source, channel_file),
            (load_library_source, root / LIBRARY_FILE),
            (load_ledger, root / LEDGER_FILE),
        ):
            try:
                loaded.append(loader(path))
            except InputError as exc:
                problems.extend(exc.problems)
        if problems:
            raise InputError(problems)
        (channel, channel_doc), (library, library_doc), ledger = loaded
        return cls(root, channel, library, ledger, channel_doc=channel_doc, library_doc=library_doc)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for, its result after that: what every episode
        of a run shares (a template's text) is read once per workspace, as the episodes are."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def episodes_dir(self) -> Path:
        """The channel's ``episodes/`` folder."""
        return self.root / EPISODES_DIR

    @property
    def ledger_path(self) -> Path:
        """The channel's ledger, ``published.yaml``."""
        return self.root / LEDGER_FILE

    @property
    def templates_dir(self) -> Path:
        """The channel's ``templates/`` folder."""
        return self.root / TEMPLATES_DIR

    def episode_paths(self) -> list[Path]:
        """Every episode file of the channel, sorted, one per slug.

        Of ``x.yaml`` and ``x.yml``, only ``x.yaml`` is listed, and loading it is an error naming both.
        """
        return [paths[0] for paths in self.files_by_slug().values()]

    def files_by_slug(self) -> dict[str, list[Path]]:
        """The episode files of the channel by slug (a slug with two files lists both), not read."""
        if not self.episodes_dir.is_dir():
            return {}
        files: dict[str, list[Path]] = {}
        for path in sorted(self.episodes_dir.iterdir()):
            slug = episode_slug(path.name)  # `.yaml` too: its slug is empty, which loading it says
            if slug is not None:
                files.setdefault(slug, []).append(path)
        return files

    def select(self, paths: list[Path] | None) -> list[Path]:
        """The episode files a command works on: ``paths``, or all of them (none in a new channel)."""
        if not paths:
            return self.episode_paths()
        return [self._episode_path(p) for p in paths]

    def _episode_path(self, given: Path) -> Path:
        """The episode file an argument names: a slug (``x``), a file name (``x.yaml``) or a path to a file
        in ``episodes/``; ``UsageError`` for anything else, such as ``../channel`` or ``channel.yaml``."""
        if len(given.parts) == 1 and not given.exists():  # a slug, or the name of a file in episodes/
            slug = episode_slug(given.name)
            if slug is None:
                problem = slug_problem(given.name, self.files_by_slug())
                if problem:
                    raise UsageError(f"{given}: {problem}")
                return self.episodes_dir / f"{given.name}.yaml"
            given = self.episodes_dir / given.name
        folder = Path(os.path.abspath(given)).parent
        if folder.resolve() != self.episodes_dir.resolve() or episode_slug(given.name) is None:
            raise UsageError(
                f"{given}: is not an episode file of this channel; an episode is a file "
                f"{EPISODES_DIR}/<slug>.yaml: give its slug (the file name without .yaml) or that path"
            )
        return self.episodes_dir / given.name

    @property
    def catalog(self) -> dict[str, LoadedEpisode | InputError]:
        """Every episode of the channel by slug: loaded, or the error that stopped it."""
        if self._catalog is None:
            self._catalog = {}
            files = self.files_by_slug()
            with known_slugs(files):  # a link that is not a slug is told the episode it most likely means
                for slug, (path, *others) in files.items():
                    try:
                        if others:
                            raise _one_file_per_slug([path, *others])
                        self._catalog[slug] = load_episode(path)
                    except InputError as exc:
                        self._catalog[slug] = exc
        return self._catalog

    def load(self, path: Path) -> LoadedEpisode:
        """The episode at ``path``, from the catalog when it is one of the channel's."""
        entry = self.catalog.get(path.stem)
        if isinstance(entry, LoadedEpisode) and entry.path.resolve() == path.resolve():
            return entry
        if isinstance(entry, InputError) and (self.episodes_dir / path.name).resolve() == path:
            raise entry
        return load_episode(path)

    def with_episodes(self, catalog: Mapping[str, LoadedEpisode | InputError], titles: Mapping[str, str]) -> Workspace:
        """A view of the same channel whose episodes come from ``catalog`` (read elsewhere: the incremental
        render loads only the files it must) and whose episode titles are ``titles``; this view is unchanged.

        ``catalog`` is read as it is when asked, not copied: its owner may go on changing it (the import's
        shadow puts in each shape of an episode it tries)."""
        view = replace(self, _catalog=catalog)  # type: ignore[arg-type]
        view.__dict__["title_of"] = dict(titles)
        return view

    def with_inputs(self, channel: Channel, library: ReferenceLibrary, ledger: Ledger) -> Workspace:
        """A view of the same folder with other settings, library and ledger (the channel as an import
        will leave it); nothing worked out from this view's own is kept. This view is unchanged."""
        return replace(self, channel=channel, library=library, ledger=ledger, _memo={})

    @cached_property
    def title_of(self) -> dict[str, str]:
        """Episode titles by slug, also for files that failed validation elsewhere."""
        titles = {}
        for slug, entry in self.catalog.items():
            if isinstance(entry, LoadedEpisode):
                titles[slug] = entry.model.title
        return titles


def _one_file_per_slug(paths: list[Path]) -> EpisodeError:
    """``x.yaml`` and ``x.yml`` both exist: which one is the episode is unknown, so neither is."""
    names = " and ".join(f"{p.parent.name}/{p.name}" for p in paths)
    return EpisodeError([Problem(shown_path(paths[0]), None, "", (
        f"{names} both exist, but a slug has exactly one file; keep one (with what the other says) and "
        "delete the other"
    ))])
