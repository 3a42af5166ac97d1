"""What a reader of an import file gives: each record as it found it, and every problem of the file.

One reader per format (``csljson``, ``bibtex``) walks the file and reports to the file's one
:class:`Problems`; ``sources`` then makes the records library entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem

Places = dict[str, tuple[int, str]]  # CSL field -> (its line, the name the file gives it)


@dataclass
class Raw:
    """A record as a reader found it: CSL-JSON, the line it starts at, and where each field is written."""

    line: int
    record: dict[str, Any]
    places: Mapping[str, tuple[int, str]] = field(default_factory=dict)


class Problems:
    """Every problem of one file, each at its line; reported together, once the file is read."""

    def __init__(self, shown: str):
        self.shown = shown
        self.found: list[Problem] = []

    def add(self, line: int | None, message: str, field: str = "") -> None:
        """Note one problem at ``line``."""
        self.found.append(Problem(self.shown, line, field, message))

    def extend(self, problems: list[Problem]) -> None:
        """Note problems found elsewhere."""
        self.found.extend(problems)
