"""Files the tool writes follow the umask (or keep the mode of the file they replace); secrets stay 0600.

The token's side is in tests/youtube/test_token_mode.py.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Run the test under a chosen umask, as a user's shell would set it."""
    previous = os.umask(0o022)

    def set_umask(value: int) -> None:
        os.umask(value)

    yield set_umask
    os.umask(previous)


@pytest.fixture
def sample(sample_channel):
    root = sample_channel
    (root / "video.mp4").write_bytes(os.urandom(50_000))
    return root


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640)], ids=["umask-022", "umask-027"])
def test_every_file_written_follows_the_umask(sample, run_cli, fake, youtube_env, umask, mask, expected):
    umask(mask)
    (sample / "published.yaml").unlink()  # the first upload creates the ledger
    assert run_cli("new", "Sleep and Mood", cwd=sample).code == 0
    assert run_cli("render", cwd=sample).code == 0
    assert run_cli("schema", cwd=sample).code == 0
    upload = run_cli("upload", "what-causes-depression", "--video", "video.mp4", "--yes", cwd=sample)
    assert upload.code == 0, upload.err
    references = sample / "references.yaml"
    references.write_text(references.read_text().replace("given: R. B.", "given: R. C."))
    synced = run_cli("sync", "--yes", cwd=sample)
    assert synced.code == 0, synced.err
    written = [
        sample / "episodes" / "sleep-and-mood.yaml",
        *sorted((sample / "build").rglob("*.*")),
        *sorted((sample / "schema").glob("*.json")),
        sample / "published.yaml",
        *sorted((sample / "backups").rglob("*.json")),
    ]
    assert len(written) >= 1 + 9 + 3 + 1 + 1
    assert {str(p.relative_to(sample)): oct(mode(p)) for p in written} == {
        str(p.relative_to(sample)): oct(expected) for p in written
    }
    assert not list(sample.rglob(".*.tmp"))


def test_a_ledger_shared_with_the_group_stays_so_after_an_upload(sample, run_cli, fake, youtube_env, umask):
    ledger = sample / "published.yaml"
    ledger.chmod(0o664)
    result = run_cli("upload", "what-causes-depression", "--video", "video.mp4", "--yes", cwd=sample)
    assert result.code == 0, result.err
    assert "video_id:" in ledger.read_text()
    assert mode(ledger) == 0o664
