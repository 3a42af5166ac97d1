"""What the reliability tests share: a snapshot of a folder tree, and the seed of their randomness.

The seeded tests print their seed (``-s`` shows it, and a failure report carries it) and take
``EPISODEKIT_SEED`` to replay one; ``--soak`` (or ``EPISODEKIT_SOAK=1``) runs many more rounds.
"""

from __future__ import annotations

import os
import random
import stat
from pathlib import Path

import pytest


def tree(root: Path) -> dict[str, tuple]:
    """Every file and folder under ``root``: its kind, bytes, mode and mtime (ns), by relative path."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if stat.S_ISDIR(info.st_mode):
            found[str(path.relative_to(root))] = ("dir", None, info.st_mode, info.st_mtime_ns)
        else:
            data = os.readlink(path) if path.is_symlink() else path.read_bytes()
            found[str(path.relative_to(root))] = ("file", data, info.st_mode, info.st_mtime_ns)
    return found


def changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """What differs between two ``tree`` snapshots, one line per path."""
    lines = [f"{p}: created" for p in sorted(after.keys() - before.keys())]
    lines += [f"{p}: deleted" for p in sorted(before.keys() - after.keys())]
    lines += [f"{p}: changed" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return lines


def soaking(config: pytest.Config) -> bool:
    return bool(config.getoption("--soak")) or os.environ.get("EPISODEKIT_SOAK") == "1"


@pytest.fixture
def rounds(request):
    """How many rounds a seeded test runs: a few normally, many under soak."""
    return lambda normal, soak: soak if soaking(request.config) else normal


@pytest.fixture
def rng(request):
    """A ``random.Random`` whose seed is printed, from ``EPISODEKIT_SEED`` or fresh."""
    seed = int(os.environ.get("EPISODEKIT_SEED") or random.SystemRandom().randrange(2**32))
    print(f"\n{request.node.nodeid}: seed {seed} (replay with EPISODEKIT_SEED={seed})")
    request.node.user_properties.append(("seed", seed))
    return random.Random(seed)
