"""Each file of a channel is read, and parsed, once per run: a render of 1,000 episodes opens every
episode file, ``channel.yaml``, ``references.yaml`` and ``published.yaml`` once, and no file of the
channel or of the packaged templates twice (the schedule catalogue and the build share one load)."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from episodekit.files import yamlsource
from episodekit.pipeline.build import build_episodes
from episodekit.pipeline.output import render_to
from episodekit.workspace import Workspace
from testkit import REPO, count_parses

PACKAGED_TEMPLATES = REPO / "episodekit" / "templates"
sys.path.insert(0, str(REPO / "benchmarks"))

from channelgen import make_channel  # noqa: E402  (benchmarks/channelgen.py)

EPISODES = 1000
_opened: list[str] | None = None  # the files opened for reading while a test listens, else None


def _on_audit(event: str, args: tuple) -> None:
    """Python's audit hook: every ``open`` (``open()``, ``io.open``, ``os.open``) of a file, for reading."""
    if _opened is None or event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    mode, flags = args[1], args[2]
    reads = ("r" in mode or "+" in mode) if isinstance(mode, str) else (flags & os.O_ACCMODE) != os.O_WRONLY
    path = os.path.abspath(os.fsdecode(args[0]))
    if reads and os.path.isfile(path):  # a folder opened to make a write durable is not a read
        _opened.append(path)


sys.addaudithook(_on_audit)  # an audit hook cannot be removed; it listens only while _opened is a list


@pytest.fixture
def opened() -> Iterator[list[str]]:
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each file (as messages name it) was parsed as YAML."""
    return count_parses(monkeypatch)


@pytest.fixture(scope="module")
def big_channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_channel(tmp_path_factory.mktemp("big") / "channel", episodes=EPISODES, references=12, cites=2)
    (root / "published.yaml").write_text(
        "episodes:\n  episode-0000:\n    video_id: AAAAAAAAAAA\n    publish_at: '2027-01-06T14:00:00Z'\n",
        encoding="utf-8")
    (root / "templates").mkdir()
    packaged = (PACKAGED_TEMPLATES / "script.md.j2").read_text(encoding="utf-8")
    (root / "templates" / "script.md.j2").write_text(packaged, encoding="utf-8")  # an override, read once too
    return root


def test_a_render_of_1000_episodes_reads_and_parses_each_file_once(big_channel, opened, parsed):
    ws = Workspace.open(big_channel)
    report = build_episodes(ws, ws.select(None))
    written = render_to(report.valid, big_channel / "build")

    assert len(report.valid) == EPISODES and written
    reads = Counter(opened)
    inputs = [big_channel / name for name in ("channel.yaml", "references.yaml", "published.yaml")]
    inputs += sorted((big_channel / "episodes").glob("*.yaml"))
    assert len(inputs) == EPISODES + 3
    assert {str(path): reads[str(path)] for path in inputs} == {str(path): 1 for path in inputs}
    assert reads[str(big_channel / "templates" / "script.md.j2")] == 1
    ours = (str(big_channel), str(PACKAGED_TEMPLATES))
    assert {path: n for path, n in reads.items() if n > 1 and path.startswith(ours)} == {}
    shown = ["channel.yaml", "references.yaml", "published.yaml", *(f"episodes/{p.name}" for p in inputs[3:])]
    assert dict(parsed) == {name: 1 for name in shown}


def test_the_count_sees_a_second_read(big_channel, opened):
    """The listener is not blind: a file read twice in a run is counted twice."""
    episode = big_channel / "episodes" / "episode-0001.yaml"
    episode.read_text(encoding="utf-8")
    yamlsource.read_yaml(episode)
    assert Counter(opened)[str(episode)] == 2
