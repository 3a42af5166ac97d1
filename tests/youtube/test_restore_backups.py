"""`restore` of a backup folder holding a file sync did not write: one `file:line` line, nothing sent."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def video(fake):
    return fake.add_video(snippet={"title": "Live title", "description": "Live description"})


def _backup(channel, name: str, text: str):
    return channel.write(f"backups/20260101T000000Z/{name}", text)


def _run_restore(run_cli, channel):
    return run_cli("restore", "backups/20260101T000000Z", "--yes", cwd=channel.root)


def _one_line(result) -> str:
    assert result.code == 1, result.err
    assert "internal error" not in result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    return lines[0]


def test_a_backup_without_a_snippet_is_named_with_its_line(channel, video, fake, youtube_env, run_cli):
    _backup(channel, f"{video}.json", json.dumps({"id": video, "status": {"privacyStatus": "private"}}, indent=2))
    line = _one_line(_run_restore(run_cli, channel))
    assert line.startswith(f"backups/20260101T000000Z/{video}.json:1: ")
    assert "snippet" in line and "not a backup written by sync" in line
    assert not fake.requests_for("videos.update")
    assert fake.videos[video]["snippet"]["title"] == "Live title"


@pytest.mark.parametrize("body, line_no, field", [
    ('{\n  "id": "VID",\n  "snippet": ["not", "a", "mapping"]\n}\n', 3, "snippet"),
    ('{\n  "id": "VID",\n  "snippet": {"title": "T"},\n  "status": "public"\n}\n', 4, "status"),
    ('{\n  "snippet": {"title": "T"}\n}\n', 1, "id"),
    ('{\n  "id": "VID",\n  "snippet": {"title": "T"\n}\n', 5, "JSON syntax error"),
    ('[1, 2]\n', 1, "mapping"),
    ('{"id": "VID", "snippet": ' + "[" * 100_000 + "]" * 100_000 + "}\n", 1, "nested"),
], ids=["snippet a list", "status a string", "no id", "bad JSON", "a list", "nested too deep"])
def test_a_malformed_backup_is_one_located_line_and_nothing_is_sent(
    body, line_no, field, channel, video, fake, youtube_env, run_cli
):
    _backup(channel, f"{video}.json", body.replace("VID", video))
    line = _one_line(_run_restore(run_cli, channel))
    assert line.startswith(f"backups/20260101T000000Z/{video}.json:{line_no}: "), line
    assert field in line
    assert not fake.requests_for("videos.update")


def test_one_bad_backup_stops_the_restore_of_every_video(channel, video, fake, youtube_env, run_cli):
    other = fake.add_video(snippet={"title": "Other"})
    good = {"id": other, "snippet": {"title": "Restored", "description": "", "categoryId": "27"}}
    _backup(channel, f"{other}.json", json.dumps(good))
    _backup(channel, f"{video}.json", json.dumps({"id": video}))
    _one_line(_run_restore(run_cli, channel))
    assert not fake.requests_for("videos.update")
    assert fake.videos[other]["snippet"]["title"] == "Other"


def test_a_restore_keeps_a_follow_up_step_another_run_finished_meanwhile(channel, video, fake, youtube_env):
    """The restore's workspace was opened before an upload's rerun set the thumbnail: both are kept."""
    from episodekit.ledger import LedgerStore, load_ledger
    from episodekit.models.ledger import LedgerEntry
    from episodekit.workspace import Workspace
    from episodekit.youtube.restore import record_restored

    channel.write("published.yaml", f"episodes:\n  test-episode:\n    video_id: {video}\n"
                  "    pending: [thumbnail, playlist]\n")
    restoring = Workspace.open(channel.root)
    done = LedgerEntry(video_id=video, pending=["playlist"])  # another run set the thumbnail meanwhile
    LedgerStore(Workspace.open(channel.root)).save_entry("test-episode", done)

    snippet = {"title": "Live title", "description": "Live description", "tags": ["x"]}
    record_restored(LedgerStore(restoring), [("snippet", {"id": video, "snippet": snippet})])

    entry = load_ledger(channel.root / "published.yaml").episodes["test-episode"]
    assert entry.pending == ["playlist"] and entry.sent is not None and entry.updated_at is not None
