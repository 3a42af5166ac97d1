"""How messages name files: a file of a channel by its path inside the channel folder.

Shared by every layer (the pipeline re-exports it from ``pipeline.load``).
"""

from __future__ import annotations

import os
from pathlib import Path


CHANNEL_FILE = "channel.yaml"  # the channel's settings, at the root of its folder


def shown_path(path: Path) -> str:
    """``path`` as messages name it: relative to the folder of the channel it belongs to (the nearest folder
    with a ``channel.yaml``, from ``path`` up), whatever the current folder; absolute outside any channel."""
    absolute = Path(os.path.abspath(path))
    for folder in (absolute, *absolute.parents):
        if (folder / CHANNEL_FILE).is_file():
            return str(absolute.relative_to(folder))  # "." for the channel folder itself
    return str(absolute)
