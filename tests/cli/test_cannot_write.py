"""A file or folder that cannot be written is one clear line and exit 1, never an internal error,
and nothing is left half-written: no schema file, no episode, no backup, no update sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from episodekit.ledger import load_ledger
from episodekit.youtube import sessions

FIRST = "what-causes-depression"


def one_error_line(result) -> str:
    """The only line on stderr, checked to be an error of exit 1 (not an internal error)."""
    assert result.code == 1, result.err
    assert "internal error" not in result.err and "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    return lines[0]


# ---- schema --out -----------------------------------------------------------------------

def test_schema_out_naming_a_file_is_one_line_and_writes_nothing(channel, run_cli):
    before = (channel.root / "channel.yaml").read_text()
    line = one_error_line(run_cli("schema", "--out", "channel.yaml", cwd=channel.root))
    assert line == "error: channel.yaml: is a file, not a folder; nothing was written"
    assert (channel.root / "channel.yaml").read_text() == before


def test_schema_out_inside_a_file_names_that_file(channel, run_cli):
    line = one_error_line(run_cli("schema", "--out", "episodes/test-episode.yaml/x", cwd=channel.root))
    assert line == "error: episodes/test-episode.yaml: is a file, not a folder; nothing was written"


def test_a_schema_that_cannot_be_replaced_stops_the_export_before_the_first_file(channel, run_cli):
    (channel.root / "out" / "episode.schema.json").mkdir(parents=True)  # the second of the three
    line = one_error_line(run_cli("schema", "--out", "out", cwd=channel.root))
    assert line == "error: out/episode.schema.json: is a folder, not a file; nothing was written"
    assert sorted(p.name for p in (channel.root / "out").iterdir()) == ["episode.schema.json"]


@pytest.mark.skipif(not Path("/proc/1").is_dir(), reason="needs a /proc file system")
def test_schema_out_into_a_folder_nobody_may_write_is_one_line(channel, run_cli):
    line = one_error_line(run_cli("schema", "--out", "/proc/1", cwd=channel.root))
    assert line.startswith("error: /proc/1: ")


# ---- new -------------------------------------------------------------------------------

def test_new_when_episodes_is_a_file_is_one_line(channel, run_cli):
    for path in (channel.root / "episodes").iterdir():
        path.unlink()
    (channel.root / "episodes").rmdir()
    (channel.root / "episodes").write_text("not a folder\n")
    line = one_error_line(run_cli("new", "Sleep and Mood", cwd=channel.root))
    assert line == "error: episodes: is a file, not a folder; episodes/sleep-and-mood.yaml was not created"
    assert (channel.root / "episodes").read_text() == "not a folder\n"


# ---- sync backups ----------------------------------------------------------------------

def test_sync_whose_backup_cannot_be_written_sends_no_update(fixed_reference, fake, run_cli):
    root = fixed_reference
    (root / "backups").write_text("in the way\n")
    ledger_before = (root / "published.yaml").read_text()
    result = run_cli("sync", "--yes", cwd=root)
    line = one_error_line(result)
    assert line == "error: backups: is a file, not a folder; the backup could not be saved, so no video was updated"
    assert fake.requests_for("videos.update") == []
    assert (root / "published.yaml").read_text() == ledger_before


# ---- the upload's state folder and session ----------------------------------------------

def test_upload_with_the_state_folder_pointing_at_a_file_sends_nothing(upload_ready, fake, youtube_env, run_cli,
                                                                        tmp_path, monkeypatch):
    state = tmp_path / "state-file"
    state.write_text("not a folder\n")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    line = one_error_line(run_cli("upload", "test-episode", "--yes", cwd=upload_ready.root))
    assert line.startswith(f"error: {state}: is a file, not a folder;") and "nothing was sent" in line
    assert fake.requests_for("videos.insert") == [] and not fake.videos
    assert load_ledger(upload_ready.root / "published.yaml").episodes == {}


def test_a_damaged_session_file_is_named_and_never_called_missing(upload_ready, fake, youtube_env, run_cli):
    root = upload_ready.root
    (root / "published.yaml").write_text(
        "episodes:\n  test-episode:\n    upload_started_at: '2026-01-07T14:00:00Z'\n"
    )
    session = sessions.session_file(root, "test-episode")
    session.write_text('{"url": "https://upload.example/secret-session", "vid')  # cut short by a crash
    line = one_error_line(run_cli("upload", "test-episode", "--yes", cwd=root))
    assert f"its saved session {session} is damaged" in line and "not on this machine" not in line
    assert "upload test-episode --restart" in line and "secret-session" not in line
    assert fake.requests_for("videos.insert") == []


# ---- auth logout -----------------------------------------------------------------------

def test_logout_of_a_token_that_cannot_be_deleted_is_one_line(channel, youtube_env, run_cli):
    youtube_env.unlink()
    youtube_env.mkdir()  # something that unlink cannot remove
    line = one_error_line(run_cli("auth", "logout", cwd=channel.root))
    assert line == f"error: {youtube_env}: is a folder, not a file; the YouTube sign-in was not removed"


def test_a_session_that_cannot_be_kept_sends_no_byte_and_leaves_no_upload_started(upload_ready, fake, youtube_env,
                                                                                   run_cli):
    root = upload_ready.root
    sessions.session_file(root, "test-episode").mkdir()  # where the session's file would go
    line = one_error_line(run_cli("upload", "test-episode", "--yes", cwd=root))
    assert "is a folder, not a file; the upload's session could not be kept, so no video byte was sent" in line
    assert not fake.videos
    assert load_ledger(root / "published.yaml").episodes == {}  # not marked "upload started"
