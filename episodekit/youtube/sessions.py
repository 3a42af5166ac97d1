"""Where an unfinished upload's session URL waits: a 0600 file in the user's state folder.

The URL lets anyone holding it send bytes into that upload, so it is kept out
of the channel folder (and so out of git); the ledger only says an upload
started. On Linux the folder follows ``$XDG_STATE_HOME``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from ..atomic import write_text_atomic


@dataclass(frozen=True)
class UploadSession:
    url: str
    video: str
    size: int
    started_at: str


def _folder() -> Path:
    folder = Path(platformdirs.user_state_dir("episodekit")) / "uploads"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def session_file(channel_root: Path, slug: str) -> Path:
    channel = hashlib.sha256(str(channel_root.resolve()).encode()).hexdigest()[:16]
    return _folder() / f"{channel}-{slug}.json"


def save_session(channel_root: Path, slug: str, session: UploadSession) -> None:
    write_text_atomic(session_file(channel_root, slug), json.dumps(asdict(session)), mode=0o600)


def load_session(channel_root: Path, slug: str) -> UploadSession | None:
    path = session_file(channel_root, slug)
    try:
        return UploadSession(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def forget_session(channel_root: Path, slug: str) -> None:
    session_file(channel_root, slug).unlink(missing_ok=True)
