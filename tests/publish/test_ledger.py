"""The ledger from a script's side: each change, through a LedgerStore, is merged into the ledger as it is on
disk, by episode; a Workspace only reads."""

from __future__ import annotations

import pytest

from episodekit.errors import RefusedError
from episodekit.ledger import LedgerStore, load_ledger
from episodekit.models.ledger import LedgerEntry, SentHashes
from episodekit.workspace import Workspace

STARTED = "2026-01-05T11:00:00Z"


def test_a_workspace_opened_before_another_one_wrote_keeps_what_the_other_wrote(channel):
    channel.episode("second", "title: Second\nsummary: [Two.]\n")
    early, late = Workspace.open(channel.root), Workspace.open(channel.root)  # both read an empty ledger

    LedgerStore(early).save_entry("test-episode", LedgerEntry(video_id="AAAAAAAAAAA"))
    LedgerStore(late).save_entry("second", LedgerEntry(video_id="BBBBBBBBBBB"))

    on_disk = load_ledger(channel.root / "published.yaml")
    assert {slug: e.video_id for slug, e in on_disk.episodes.items()} == {
        "second": "BBBBBBBBBBB", "test-episode": "AAAAAAAAAAA"}
    assert late.ledger.video_id("test-episode") == "AAAAAAAAAAA"  # the workspace sees the merged ledger


def test_dropping_an_entry_drops_only_that_episode(channel):
    channel.write("published.yaml", f"episodes:\n  a: {{video_id: AAAAAAAAAAA}}\n  b: {{upload_started_at: '{STARTED}'}}\n")
    ws = Workspace.open(channel.root)
    channel.write("published.yaml", "episodes:\n  a: {video_id: AAAAAAAAAAA}\n  b: {video_id: BBBBBBBBBBB}\n"
                  "  c: {video_id: CCCCCCCCCCC}\n")

    LedgerStore(ws).save_entry("a", None)

    assert sorted(load_ledger(channel.root / "published.yaml").episodes) == ["b", "c"]
    assert ws.ledger.video_id("b") == "BBBBBBBBBBB"


def test_a_lock_timeout_that_is_not_a_number_is_a_usage_error(channel, run_cli, monkeypatch):
    channel.write("published.yaml", "episodes:\n  old: {video_id: AAAAAAAAAAA}\n")
    (channel.root / "episodes" / "test-episode.yaml").rename(channel.root / "episodes" / "new.yaml")
    monkeypatch.setenv("EPISODEKIT_LOCK_TIMEOUT", "soon")

    result = run_cli("ledger", "move", "old", "new", cwd=channel.root)

    assert result.code == 2
    assert "EPISODEKIT_LOCK_TIMEOUT: expected a number of seconds, got 'soon'" in result.err
    assert "old:" in (channel.root / "published.yaml").read_text()


SENT = {"title": "a" * 64, "description": "b" * 64, "tags": "c" * 64}


def test_two_workspaces_changing_different_fields_of_one_entry_both_keep_their_change(channel):
    channel.write("published.yaml", "episodes:\n  test-episode:\n    video_id: AAAAAAAAAAA\n"
                  "    pending: [thumbnail, playlist]\n")
    uploader, syncer = Workspace.open(channel.root), Workspace.open(channel.root)  # both read the same entry

    LedgerStore(uploader).update_entry("test-episode", pending=lambda entry: [p for p in entry.pending if p != "thumbnail"])
    LedgerStore(syncer).update_entry("test-episode", sent=SentHashes(**SENT))  # its copy still lists the thumbnail

    entry = load_ledger(channel.root / "published.yaml").episodes["test-episode"]
    assert entry.pending == ["playlist"] and entry.sent == SentHashes(**SENT)
    assert entry.video_id == "AAAAAAAAAAA"
    assert syncer.ledger.episodes["test-episode"] == entry


def test_updating_an_entry_that_another_command_removed_is_refused(channel):
    channel.write("published.yaml", "episodes:\n  test-episode: {video_id: AAAAAAAAAAA}\n")
    stale = Workspace.open(channel.root)
    LedgerStore(Workspace.open(channel.root)).save_entry("test-episode", None)
    with pytest.raises(RefusedError, match="'test-episode' is gone"):
        LedgerStore(stale).update_entry("test-episode", pending=[])
    assert load_ledger(channel.root / "published.yaml").episodes == {}


def test_a_workspace_only_reads_and_its_store_writes(channel):
    """Purity is a type: the plans get a Workspace, which has no way to write; the store is the one writer."""
    writing = {"save_entry", "update_entry", "change_ledger", "change", "on_lock_wait"}
    assert writing & set(dir(Workspace)) == set()
    ws = Workspace.open(channel.root)
    assert writing & set(vars(ws)) == set()
    store = LedgerStore(ws)
    store.save_entry("test-episode", LedgerEntry(video_id="AAAAAAAAAAA"))
    assert ws.ledger.video_id("test-episode") == "AAAAAAAAAAA"  # the view sees what its store wrote
    assert store.path == ws.ledger_path == channel.root / "published.yaml"
