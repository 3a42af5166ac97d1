"""Record: the ledger of what was sent to YouTube (``published.yaml``).

The ledger is committed with the channel, so it is plain YAML that a person
can read. The sample channel ships with an empty one: nothing is uploaded.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import Field

from .load import shown_path, validate
from .errors import ChannelError
from .models.base import StrictModel
from .yamlsource import read_yaml

LEDGER_FILE = "published.yaml"


class LedgerEntry(StrictModel):
    """What YouTube has for one episode."""

    video_id: str = Field(pattern=r"^[A-Za-z0-9_-]{11}$")
    publish_at: datetime | None = Field(None, description="UTC instant the video goes public")
    uploaded_at: datetime | None = None


class Ledger(StrictModel):
    """Episode slug -> what was uploaded for it."""

    episodes: dict[str, LedgerEntry] = Field(default_factory=dict)

    def video_id(self, slug: str) -> str | None:
        entry = self.episodes.get(slug)
        return entry.video_id if entry else None


def load_ledger(path: Path) -> Ledger:
    """The ledger at ``path``; a missing or comment-only file is an empty ledger."""
    if not path.exists():
        return Ledger()
    text = path.read_text(encoding="utf-8", errors="replace")
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return Ledger()
    return validate(read_yaml(path, shown_path(path)), Ledger, ChannelError)
