"""Messages name the ledger by a path that works from where the command was run, also from a subfolder."""

from __future__ import annotations


def test_sync_from_a_subfolder_names_the_ledger_by_a_path_that_leads_to_it(channel, run_cli):
    result = run_cli("sync", "test-episode.yaml", cwd=channel.root / "episodes")
    assert result.code == 1
    assert f"({channel.root / 'published.yaml'} has no video for it)" in result.err


def test_the_warning_about_an_edited_release_time_names_the_ledger_from_a_subfolder(channel, run_cli):
    channel.episode("test-episode", (channel.root / "episodes" / "test-episode.yaml").read_text()
                    .replace("schedule: next", 'schedule: "2031-01-08 09:00"'))
    channel.write("published.yaml", "episodes:\n  test-episode:\n    video_id: AAAAAAAAAAA\n"
                  "    publish_at: '2031-01-01T14:00:00Z'\n")
    here = run_cli("check", cwd=channel.root)
    below = run_cli("check", cwd=channel.root / "episodes")
    assert "as publish_at in published.yaml" in here.out + here.err
    assert f"as publish_at in {channel.root / 'published.yaml'}" in below.out + below.err
