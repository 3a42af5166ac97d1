"""Messages name the ledger as the channel folder's `published.yaml`, also from a subfolder (paths in
messages are relative to the channel folder, whatever the current folder)."""

from __future__ import annotations


def test_sync_from_a_subfolder_names_the_ledger_from_the_channel_folder(channel, run_cli):
    result = run_cli("sync", "test-episode.yaml", cwd=channel.root / "episodes")
    assert result.code == 1
    assert "(published.yaml has no video for it)" in result.err
    assert str(channel.root) not in result.err


def test_the_warning_about_an_edited_release_time_names_the_ledger_from_the_channel_folder(channel, run_cli):
    channel.episode("test-episode", (channel.root / "episodes" / "test-episode.yaml").read_text()
                    .replace("schedule: next", 'schedule: "2031-01-08 09:00"'))
    channel.write("published.yaml", "episodes:\n  test-episode:\n    video_id: AAAAAAAAAAA\n"
                  "    publish_at: '2031-01-01T14:00:00Z'\n")
    here = run_cli("check", cwd=channel.root)
    below = run_cli("check", cwd=channel.root / "episodes")
    assert "as publish_at in published.yaml" in here.out + here.err
    assert below.out + below.err == here.out + here.err  # the same messages from anywhere in the channel
