"""A sync reports each update YouTube accepted: ``progress(done, total)``."""

from __future__ import annotations

from pathlib import Path

from episodekit.publish.sync import wanted_videos
from episodekit.workspace import Workspace
from episodekit.youtube.syncer import run_sync


def test_each_accepted_update_is_reported(published: Path, fake):
    path = published / "channel.yaml"
    path.write_text(path.read_text().replace("Subscribe so you catch each one", "Subscribe to catch each one"))
    ws = Workspace.open(published)
    reports = []
    result = run_sync(ws, wanted_videos(ws, None), dry_run=False, force=False, budget=10_000,
                      show=lambda plan, live: None, confirm=lambda plan: None,
                      progress=lambda done, total: reports.append((done, total)))
    assert len(result.updated) == 2
    assert reports == [(1, 2), (2, 2)]
