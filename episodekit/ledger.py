"""The ledger of what was sent to YouTube (``published.yaml``).

The ledger is committed with the channel, so it is plain YAML a person can
read, written atomically. It never holds a secret: an upload session's URL
works as a credential, so while an upload is under way the ledger records only
that it started (and when); the URL itself waits in a 0600 file in the user's
state folder (see ``episodekit.youtube.sessions``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field

from .atomic import write_text_atomic
from .errors import ChannelError
from .models.base import StrictModel
from .pipeline.load import shown_path, validate
from .pipeline.yamlsource import read_yaml

LEDGER_FILE = "published.yaml"
LEDGER_HEADER = (
    "# The ledger: what episodekit has sent to YouTube for each episode.\n"
    "# episodekit writes this file; commit it with the channel.\n"
)
FollowUp = Literal["thumbnail", "playlist"]
OWNED_FIELDS = ("title", "description", "tags")  # the fields of a video that episodekit owns


class SentHashes(StrictModel):
    """SHA-256 of what was last sent, to tell our changes from edits made in YouTube Studio."""

    title: str
    description: str
    tags: str

    @classmethod
    def of(cls, fields: Mapping[str, Any]) -> SentHashes:
        """The hashes of ``fields``' title, description (as sent) and tags."""
        return cls(**{name: field_hash(name, fields[name]) for name in OWNED_FIELDS})


class LedgerEntry(StrictModel):
    """What YouTube has for one episode, or an upload under way."""

    video_id: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{11}$")
    publish_at: datetime | None = Field(None, description="UTC instant the video goes public")
    upload_started_at: datetime | None = Field(None, description="Set while an upload is unfinished")
    uploaded_at: datetime | None = None
    updated_at: datetime | None = None
    sent: SentHashes | None = None
    pending: list[FollowUp] = Field(default_factory=list, description="Steps still to do after upload")
    inputs: dict[str, str] = Field(
        default_factory=dict, description="Fingerprint of each input of the description last sent"
    )

    @property
    def uploading(self) -> bool:
        return self.video_id is None and self.upload_started_at is not None


class Ledger(StrictModel):
    """Episode slug -> what was uploaded for it."""

    episodes: dict[str, LedgerEntry] = Field(default_factory=dict)

    def video_id(self, slug: str) -> str | None:
        entry = self.episodes.get(slug)
        return entry.video_id if entry else None

    def with_entry(self, slug: str, entry: LedgerEntry | None) -> Ledger:
        episodes = dict(self.episodes)
        if entry is None:
            episodes.pop(slug, None)
        else:
            episodes[slug] = entry
        return Ledger(episodes=dict(sorted(episodes.items())))


def load_ledger(path: Path) -> Ledger:
    """The ledger at ``path``; a missing or comment-only file is an empty ledger."""
    if not path.exists():
        return Ledger()
    text = path.read_text(encoding="utf-8", errors="replace")
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return Ledger()
    return validate(read_yaml(path, shown_path(path)), Ledger, ChannelError)


def save_ledger(path: Path, ledger: Ledger) -> None:
    """Write the ledger atomically: a crash leaves the old file or the new one."""
    data = ledger.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data.setdefault("episodes", {})
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
    write_text_atomic(path, LEDGER_HEADER + body)


def field_hash(name: str, value: Any) -> str:
    """The hash the ledger keeps of one owned field's value (tags joined by newlines)."""
    return sha256_text("\n".join(value) if name == "tags" else value)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
