"""Where an unfinished upload's session URL waits: a 0600 file in the user's state folder.

The URL lets anyone holding it send bytes into that upload, so it is kept out
of the channel folder (and so out of git); the ledger only says an upload
started. On Linux the folder follows ``$XDG_STATE_HOME``. A folder that cannot
be made is ``OutputError``, found before an upload starts; a session file that
is there but cannot be read is :class:`UnreadableSession`, never "no session".
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from ..atomic import remove_stale_temps, write_failure, write_text_atomic
from ..errors import OutputError, UnreadableSession
from ..models.ledger import sha256_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadSession:
    url: str
    video: str
    size: int
    started_at: str


def _folder_path() -> Path:
    return Path(platformdirs.user_state_dir("episodekit")) / "uploads"


def state_folder() -> Path:
    """The folder of the session files, created 0700; ``OutputError`` saying why when it cannot be."""
    folder = _folder_path()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
    except OSError as exc:
        where, why = write_failure(exc, folder, folder=True)
        raise OutputError(
            f"{where}: {why}; an unfinished upload's session is kept in {folder} (the user state folder, "
            "$XDG_STATE_HOME on Linux), so nothing was sent: make that a folder episodekit can write"
        ) from None
    return folder


def session_file(channel_root: Path, slug: str, folder: Path | None = None) -> Path:
    """The file that keeps an unfinished upload's session, per channel folder and slug."""
    channel = sha256_text(str(channel_root.resolve()))[:16]
    return (folder or state_folder()) / f"{channel}-{slug}.json"


def save_session(channel_root: Path, slug: str, session: UploadSession) -> None:
    """Keep ``session`` (0600) until the upload is done; ``OutputError`` when it cannot be written."""
    path = session_file(channel_root, slug)
    try:
        remove_stale_temps(path)  # half a session file of a run killed while it wrote one: its URL goes too
        write_text_atomic(path, json.dumps(asdict(session)), mode=0o600)
    except OSError as exc:
        where, why = write_failure(exc, path)
        raise OutputError(f"{where}: {why}; the upload's session could not be kept, so no video byte was sent") \
            from None


def load_session(channel_root: Path, slug: str) -> UploadSession | None:
    """The saved session of ``slug``'s unfinished upload; None when there is none on this machine."""
    path = session_file(channel_root, slug)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableSession(path, f"cannot be read ({getattr(exc, 'strerror', None) or type(exc).__name__})") \
            from None
    try:
        return UploadSession(**json.loads(text))
    except (ValueError, TypeError):  # never the text itself: it holds the session's URL
        raise UnreadableSession(path, "is damaged (not the session episodekit saved)") from None


def forget_session(channel_root: Path, slug: str) -> None:
    """Delete the session file of a finished upload; one that cannot be deleted is only logged."""
    path = session_file(channel_root, slug, _folder_path())
    try:
        remove_stale_temps(path)
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not delete the finished upload's session file %s: %s", path, exc.strerror or exc)
