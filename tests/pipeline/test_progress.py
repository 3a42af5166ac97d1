"""A long render reports as it goes: ``progress(done, total)`` after each episode."""

from __future__ import annotations

from episodekit.pipeline.build import build_episodes
from episodekit.pipeline.output import RENDERED_FILES, render_to
from episodekit.workspace import Workspace


def test_build_and_render_report_each_episode(channel, tmp_path):
    text = (channel.root / "episodes" / "test-episode.yaml").read_text()
    for n in range(3):
        channel.episode(f"more-{n}", text.replace("A Test Episode", f"More {n}"))
    ws = Workspace.open(channel.root)
    built, written = [], []
    report = build_episodes(ws, ws.episode_paths(), progress=lambda done, total: built.append((done, total)))
    files = render_to(report.builds, tmp_path / "out", progress=lambda done, total: written.append((done, total)))
    assert built == written == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert len(files) == 4 * len(RENDERED_FILES)


def test_no_progress_callback_is_needed(channel, tmp_path):
    ws = Workspace.open(channel.root)
    assert len(render_to(build_episodes(ws, ws.episode_paths()).builds, tmp_path / "out")) == len(RENDERED_FILES)
