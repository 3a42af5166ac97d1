"""A channel folder: ``channel.yaml``, ``references.yaml``, ``episodes/``, ``templates/``, the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import InputError, Problem
from .ledger import LEDGER_FILE, Ledger, LedgerEntry, load_ledger, save_ledger
from .models import Channel, ReferenceLibrary
from .pipeline.load import (
    LIBRARY_FILE,
    LoadedEpisode,
    find_channel_file,
    load_channel_source,
    load_episode,
    load_library_source,
)
from .pipeline.yamlsource import YamlDocument

EPISODES_DIR = "episodes"
TEMPLATES_DIR = "templates"
NO_EPISODES_YET = "no episodes yet: create one with `new TITLE`"


@dataclass
class Workspace:
    """Everything a command needs to know about one channel, loaded once."""

    root: Path
    channel: Channel
    library: ReferenceLibrary
    ledger: Ledger
    _catalog: dict[str, LoadedEpisode | InputError] | None = field(default=None, repr=False)
    channel_doc: YamlDocument | None = field(default=None, repr=False)  # lines of channel.yaml
    library_doc: YamlDocument | None = field(default=None, repr=False)  # lines of references.yaml

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

    @property
    def episodes_dir(self) -> Path:
        return self.root / EPISODES_DIR

    @property
    def ledger_path(self) -> Path:
        return self.root / LEDGER_FILE

    @property
    def templates_dir(self) -> Path:
        return self.root / TEMPLATES_DIR

    def save_entry(self, slug: str, entry: LedgerEntry | None) -> None:
        """Replace (or, with None, drop) the ledger's entry for ``slug`` and save the ledger atomically."""
        self.ledger = self.ledger.with_entry(slug, entry)
        save_ledger(self.ledger_path, self.ledger)

    def episode_paths(self) -> list[Path]:
        """Every episode file of the channel, sorted by slug."""
        if not self.episodes_dir.is_dir():
            return []
        return sorted(p for p in self.episodes_dir.iterdir() if p.suffix in (".yaml", ".yml"))

    def select(self, paths: list[Path] | None) -> list[Path]:
        """The episode files a command works on: ``paths``, or all of them (none in a new channel)."""
        if not paths:
            return self.episode_paths()
        return [self._episode_path(p) for p in paths]

    def _episode_path(self, given: Path) -> Path:
        if given.exists() or given.suffix:
            return given.resolve()
        by_slug = self.episodes_dir / f"{given}.yaml"
        return by_slug.resolve() if by_slug.exists() else given.resolve()

    @property
    def catalog(self) -> dict[str, LoadedEpisode | InputError]:
        """Every episode of the channel by slug: loaded, or the error that stopped it."""
        if self._catalog is None:
            self._catalog = {}
            for path in self.episode_paths():
                try:
                    self._catalog[path.stem] = load_episode(path)
                except InputError as exc:
                    self._catalog[path.stem] = exc
        return self._catalog

    def load(self, path: Path) -> LoadedEpisode:
        """The episode at ``path``, from the catalog when it is one of the channel's."""
        entry = self.catalog.get(path.stem)
        if isinstance(entry, LoadedEpisode) and entry.path.resolve() == path.resolve():
            return entry
        if isinstance(entry, InputError) and (self.episodes_dir / path.name).resolve() == path:
            raise entry
        return load_episode(path)

    @cached_property
    def title_of(self) -> dict[str, str]:
        """Episode titles by slug, also for files that failed validation elsewhere."""
        titles = {}
        for slug, entry in self.catalog.items():
            if isinstance(entry, LoadedEpisode):
                titles[slug] = entry.model.title
        return titles
