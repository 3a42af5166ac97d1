"""The local files an upload sends, checked before any request: where they are and what they hold.

A path written in an episode file (``upload.video``, ``upload.thumbnail``) must
resolve, symlinks followed, inside the channel folder; a path given on the
command line (``--video``) may be anywhere, since the person typing it chose it.
The video must be a regular, readable, non-empty file (an empty one would
leave the resumable upload waiting forever for bytes that never come). The
thumbnail must be a JPEG or PNG image, told by its first bytes and not by its
name, of at most 2 MB: what YouTube takes as a custom thumbnail.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import (
    EpisodeError,
    EpisodekitError,
    MissingFileError,
    Problem,
    RefusedError,
)
from ..paths import shown_path

THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024
THUMBNAIL_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
_OTHER_IMAGES = ((b"GIF87a", "a GIF"), (b"GIF89a", "a GIF"), (b"BM", "a BMP"), (b"II*\x00", "a TIFF"),
                 (b"MM\x00*", "a TIFF"))


@dataclass(frozen=True)
class Origin:
    """Where a file's path was given: a line of an episode file, or a command-line option."""

    field: str  # "upload.video", "upload.thumbnail" or "--video"
    episode_file: str | None = None  # None: the command line
    line: int | None = None

    def where(self) -> str:
        """The setting as messages name it: ``file:line: field``."""
        if self.episode_file is None:
            return self.field
        place = f"{self.episode_file}:{self.line}" if self.line else self.episode_file
        return f"{place}: {self.field}"

    def refused(self, message: str) -> EpisodekitError:
        """The error for a file that is there but cannot be sent."""
        if self.episode_file is None:
            return RefusedError(f"{self.field}: {message}")
        return EpisodeError([Problem(self.episode_file, self.line, self.field, message)])

    def missing(self, message: str) -> MissingFileError:
        """A MissingFileError located at this setting."""
        return MissingFileError(f"{self.where()}: {message}")


def channel_file(root: Path, given: str, origin: Origin, elsewhere_hint: str) -> Path:
    """A path written in an episode file: relative to the channel folder, and resolving inside it."""
    path = Path(given).expanduser()
    path = path if path.is_absolute() else root / path
    try:
        real = path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        raise origin.refused(f"{given!r} is not a usable path") from None
    inside = root.resolve()
    if not real.is_relative_to(inside):
        links = f" (it leads to {real})" if real != Path(os.path.abspath(path)) else ""
        raise origin.refused(
            f"{given} is outside the channel folder {inside}{links}; episode files may only name files "
            f"inside it: move the file there, {elsewhere_hint}"
        )
    return path


def _regular(path: Path, origin: Origin, what: str) -> os.stat_result:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise origin.missing(f"{shown_path(path)}: no such {what} file") from None
    except (OSError, ValueError) as exc:
        raise origin.refused(f"cannot read {shown_path(path)} ({getattr(exc, 'strerror', None) or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise origin.refused(f"{shown_path(path)} is not a regular file (a folder, a device or a pipe); "
                             f"give the {what} file itself")
    return info


def _head(path: Path, origin: Origin, size: int) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(size)
    except OSError as exc:
        raise origin.refused(f"cannot read {shown_path(path)} ({exc.strerror or exc}); check its permissions") \
            from None


def check_video(path: Path, origin: Origin) -> None:
    """A regular, readable, non-empty file; ``MissingFileError`` when it is not there."""
    info = _regular(path, origin, "video")
    if info.st_size == 0:
        raise origin.refused(f"{shown_path(path)} is empty (0 bytes), so there is nothing to upload; "
                             "export the video again or point to the right file")
    _head(path, origin, 1)


def check_thumbnail(path: Path, origin: Origin) -> str:
    """The thumbnail's type (``image/jpeg`` or ``image/png``), told by its content; refuses anything else."""
    info = _regular(path, origin, "thumbnail")
    if info.st_size > THUMBNAIL_MAX_BYTES:
        raise origin.refused(
            f"{shown_path(path)} is {info.st_size:,} bytes; YouTube takes thumbnails of at most "
            f"{THUMBNAIL_MAX_BYTES // 2**20} MB ({THUMBNAIL_MAX_BYTES:,} bytes): save it smaller, or as a JPEG")
    head = _head(path, origin, 16)
    kind = image_type(head)
    if kind is None:
        other = next((name for magic, name in _OTHER_IMAGES if head.startswith(magic)), None)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            other = "a WebP"
        found = f"{other} image" if other else "not a JPEG or PNG image"
        raise origin.refused(f"{shown_path(path)} is {found} (told by its content, not its name); "
                             "YouTube takes JPEG or PNG thumbnails: convert it")
    return kind


def image_type(head: bytes) -> str | None:
    """``image/jpeg`` or ``image/png`` from a file's first bytes; None for anything else."""
    return next((kind for magic, kind in THUMBNAIL_TYPES if head.startswith(magic)), None)


def thumbnail_type(path: Path) -> str | None:
    """The type of the image at ``path`` by its content, when it is a JPEG or PNG that can be read."""
    try:
        with open(path, "rb") as f:
            return image_type(f.read(16))
    except OSError:
        return None
