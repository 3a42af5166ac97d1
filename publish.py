#!/usr/bin/env python3
"""Thin entry point: ``python publish.py COMMAND ...`` (the same as the ``episodekit`` command)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from episodekit.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
