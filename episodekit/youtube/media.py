"""A resumable upload body that reads each chunk from the file at its offset.

The stock ``MediaFileUpload`` hands the client a slice of one open stream; when
a chunk is retried (say after a 503) the slice is already drained and an empty
or short body is sent again.  ``OffsetFileUpload`` has no stream: for every
chunk, and for every retry of it, the client calls ``getbytes(begin, length)``
or re-sends the bytes it got, so a retried chunk is whole and memory stays at
about one chunk whatever the size of the video.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from googleapiclient.http import MediaUpload

CHUNK_UNIT = 256 * 1024  # the resumable protocol wants chunks in multiples of 256 KiB
DEFAULT_CHUNKSIZE = 8 * 1024 * 1024
DEFAULT_MIMETYPE = "video/*"


class OffsetFileUpload(MediaUpload):
    """A file sent in resumable chunks of ``chunksize`` bytes, each read at its offset."""

    def __init__(self, path: str | os.PathLike[str], mimetype: str | None = None,
                 chunksize: int = DEFAULT_CHUNKSIZE):
        if isinstance(chunksize, bool) or not isinstance(chunksize, int) \
                or chunksize <= 0 or chunksize % CHUNK_UNIT:
            raise ValueError(
                f"chunk size must be a positive multiple of 256 KiB ({CHUNK_UNIT} bytes), "
                f"not {chunksize!r}")
        self._path = os.fspath(path)
        self._size = os.path.getsize(self._path)  # OSError if missing: the caller words it
        self._chunksize = chunksize
        guessed, _ = mimetypes.guess_type(Path(self._path).name)
        self._mimetype = mimetype or guessed or DEFAULT_MIMETYPE

    @property
    def path(self) -> str:
        """The video file's path."""
        return self._path

    def chunksize(self) -> int:
        """The bytes sent per request."""
        return self._chunksize

    def mimetype(self) -> str:
        """The video's MIME type."""
        return self._mimetype

    def size(self) -> int:
        """The file's size in bytes."""
        return self._size

    def resumable(self) -> bool:
        """Always True: the upload is resumable."""
        return True

    def has_stream(self) -> bool:
        """Always False: chunks are read with ``getbytes``."""
        return False

    def stream(self):
        """Not available: raises NotImplementedError."""
        raise NotImplementedError("OffsetFileUpload has no stream; chunks are read with getbytes()")

    def getbytes(self, begin: int, length: int) -> bytes:
        """Up to ``length`` bytes from offset ``begin`` (fewer at the end of the file)."""
        with open(self._path, "rb") as f:
            f.seek(begin)
            return f.read(length)

    def __repr__(self) -> str:
        return (f"OffsetFileUpload({self._path!r}, mimetype={self._mimetype!r}, "
                f"chunksize={self._chunksize})")
