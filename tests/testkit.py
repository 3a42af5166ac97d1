"""What test modules import by name (conftest.py holds the fixtures): where the checkout is, and a
copy of its sample channel, uploaded to the fake YouTube when a test needs it there.

A plain module rather than ``from conftest import ...``: pytest keeps only the last ``conftest`` it
imported under that name (tests/reliability has its own), so what a test module found there would
depend on the order of collection.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent  # the checkout (or the unpacked sdist) the tests run from
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # what a PNG file starts with; the fake YouTube needs no more

# the small channel of conftest's ``channel`` fixture: its channel.yaml, references.yaml and one episode
CHANNEL_YAML = """\
name: Test Channel
subscribe_url: https://example.org/subscribe
timezone: America/New_York
slots:
  - weekday: wednesday
    time: "09:00"
schedule_line: "New every {slots}. Subscribe: {subscribe_url}"
disclaimer: "Education only, not medical advice."
tags: [science]
"""

REFERENCES_YAML = """\
kang2012:
  author:
    - {family: Kang, given: H. J.}
    - {family: Voleti, given: B.}
  authors-incomplete: true
  title: Decreased expression of synapse-related genes
  container-title-short: Nat Med
  issued: 2012
  volume: 18
  issue: 9
  page: 1413-1417
  DOI: 10.1038/nm.2886
serafini2012:
  author: [{family: Serafini, given: G.}]
  title: Neuroplasticity and major depression
  container-title-short: World J Psychiatry
  issued: 2012
  volume: 2
  issue: 3
  page: 49-57
  DOI: 10.5498/wjp.v2.i3.49
"""

EPISODE_YAML = """\
title: A Test Episode
schedule: next
summary:
  - First paragraph.
script:
  - heading: Start
    body: Synapses are lost [@serafini2012] and genes change [@kang2012].
citations: [kang2012, serafini2012]
"""


def copy_sample(folder: Path, *, ledger: bool = True) -> Path:
    """A copy of the repository's sample channel in ``folder`` (made if missing): ``channel.yaml``,
    ``references.yaml``, its two ready ``schedule: next`` episodes and, with ``ledger``, ``published.yaml``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("channel.yaml", "references.yaml", *(("published.yaml",) if ledger else ())):
        shutil.copy2(REPO / name, folder / name)
    shutil.copytree(REPO / "episodes", folder / "episodes")
    return folder


def upload_sample(root: Path, fake) -> Path:
    """Upload both episodes of the sample channel at ``root`` to ``fake`` through the library (a 50,000-byte
    video, ``root / "video.mp4"``), as ``upload`` would, without pinning the channel; returns ``root``."""
    from google.oauth2.credentials import Credentials

    from episodekit.pipeline.build import build_valid
    from episodekit.publish.upload import plan_upload
    from episodekit.workspace import Workspace
    from episodekit.youtube.client import build_service
    from episodekit.retrying import RetryPolicy
    from episodekit.youtube.uploader import run_upload

    (root / "video.mp4").write_bytes(os.urandom(50_000))
    service = build_service(Credentials(token=fake.access_token), fake.root_url)
    for slug in ("what-causes-depression", "depression-feedback-loop"):
        ws = Workspace.open(root)
        plan = plan_upload(ws, build_valid(ws, root / "episodes" / f"{slug}.yaml"), video=root / "video.mp4")
        run_upload(ws, plan, service, chunk_size=256 * 1024, retry=RetryPolicy(base=0.001))
    return root


def bytecode_of_the_checkout_for(copy: Path, env: dict[str, str], folder: Path) -> None:
    """Let a Python run from ``copy`` (a byte-for-byte copy of this checkout: a clone, an unpacked sdist) use
    the bytecode this run keeps (``PYTHONPYCACHEPREFIX``, set by scripts/test.py), through ``env``.

    The bytecode of a file is kept under its absolute path, and a copy is made at a new path every run, so
    the run from it compiled every module it imported again (a clone's .venv, linked to this one, is at a
    new path too) and left a tree of bytecode in .venv/pycache each time. Its prefix is now ``folder``, a
    mirror of this run's prefix in which the way to ``copy`` leads to the bytecode of the checkout.
    Python still checks each file's bytecode against that file's size and time (copies keep both), so a
    file that differs is compiled, never run from the original's bytecode. Without a prefix, nothing
    changes."""
    outer = env.get("PYTHONPYCACHEPREFIX")
    if not outer:
        return
    there, here = Path(outer), folder / "pycache"
    parts = copy.resolve().parts[1:]
    for depth, part in enumerate(parts):
        here.mkdir(parents=True, exist_ok=True)
        for entry in there.iterdir() if there.is_dir() else ():
            if entry.name != part:
                (here / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
        there, here = there / part, here / part
        if depth == len(parts) - 1:
            original = Path(outer).joinpath(*REPO.parts[1:])
            original.mkdir(parents=True, exist_ok=True)
            here.symlink_to(original, target_is_directory=True)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")


def count_parses(monkeypatch) -> Counter[str]:
    """How many times each file (as messages name it) is parsed as YAML from now on, for this test."""
    from episodekit.files import yamlsource

    counts: Counter[str] = Counter()

    class CountingBuilder(yamlsource.Builder):
        def __init__(self, shown: str, *args: object, **kwargs: object) -> None:
            counts[shown] += 1
            super().__init__(shown, *args, **kwargs)

    monkeypatch.setattr(yamlsource, "Builder", CountingBuilder)
    return counts
