"""render_to: a run stopped by Ctrl-C reports how far it got and leaves no temporary file."""

from __future__ import annotations

import os

import pytest

from episodekit.errors import Interrupted
from episodekit.pipeline.build import build_episodes
from episodekit.pipeline.output import render_to
from episodekit.workspace import Workspace


def test_the_library_reports_the_count_and_removes_its_temp_files(five):
    ws = Workspace.open(five.root)
    seen = []

    def stop_after_two(done, total):
        seen.append((done, total))
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(Interrupted) as stopped:
        render_to(build_episodes(ws, ws.episode_paths()).builds, five.root / "build", progress=stop_after_two)
    assert (stopped.value.written, stopped.value.total) == (2, 5)
    assert str(stopped.value) == "interrupted: 2 of 5 episodes written"
    assert isinstance(stopped.value, KeyboardInterrupt)  # still an interrupt: exit 130
    assert five.leftovers() == []


def test_a_temp_file_another_running_process_is_writing_is_left_alone(five):
    ws = Workspace.open(five.root)
    busy = five.write(f"build/alpha/.script.md.{os.getppid()}-0a1b2c3d.tmp", "")  # our parent is alive
    render_to(build_episodes(ws, ws.episode_paths()).builds, five.root / "build")
    assert busy.exists()
    assert (five.root / "build" / "alpha" / "script.md").read_text().startswith("# Episode alpha")
