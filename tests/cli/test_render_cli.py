"""`render` writes every episode or none, says why it cannot, and leaves nothing behind when stopped."""

from __future__ import annotations

import os

import pytest


def test_render_out_naming_a_file_is_one_option_line(channel, run_cli):
    channel.write("notes.txt", "mine\n")
    result = run_cli("render", "--out", "notes.txt", cwd=channel.root)
    assert result.code == 2
    [line] = result.err.splitlines()
    assert line.startswith("error: --out: notes.txt is a file, not a folder")
    assert (channel.root / "notes.txt").read_text() == "mine\n"


def test_an_output_folder_that_cannot_be_made_stops_before_any_episode_is_written(five, run_cli):
    five.write("build/charlie", "a file where charlie's folder should be\n")
    result = run_cli("render", cwd=five.root)
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line.startswith("error: build/charlie: ") and "not a folder" in line and "nothing was written" in line
    assert sorted(p.name for p in (five.root / "build").iterdir()) == ["charlie"]  # no other folder, no file


def test_a_read_only_output_folder_is_one_line_and_nothing_is_written(five, as_a_user):
    run, root = as_a_user
    build = root / "build"
    build.mkdir()
    if os.geteuid() == 0:
        os.chown(build, 65534, 65534)
    build.chmod(0o555)
    result = run("render")
    build.chmod(0o755)
    assert result.code == 1, result.err
    [line] = result.err.splitlines()
    assert line.startswith("error: build: ") and "permission" in line
    assert list(build.iterdir()) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc, where nobody may make a folder")
def test_an_output_folder_nobody_may_create_is_one_line_and_nothing_is_written(five, run_cli):
    result = run_cli("render", "--out", "/proc/episodekit-test/build", cwd=five.root)
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line.startswith("error: ") and "proc/episodekit-test: cannot create the folder" in line
    assert "nothing was written" in line and result.out == ""


def test_an_output_file_that_is_a_folder_stops_before_anything_is_written(five, run_cli):
    (five.root / "build" / "delta" / "script.md").mkdir(parents=True)
    result = run_cli("render", cwd=five.root)
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line.startswith("error: build/delta/script.md: ") and "is a folder" in line
    assert not (five.root / "build" / "alpha").exists()


# --- Ctrl-C in the middle ------------------------------------------------------


def test_ctrl_c_during_render_says_how_many_episodes_were_written_and_leaves_no_temp_files(
    five, run_cli, ctrl_c_at_replace
):
    """Ctrl-C arrives while the 11th file (the first of the third episode) is being put in place."""
    assert run_cli("check", cwd=five.root).code == 0  # the library read and kept: render puts no file of its own
    ctrl_c_at_replace(2 * 5 + 1)  # five files an episode: three texts and two caption tracks
    result = run_cli("render", cwd=five.root)
    assert result.code == 130
    assert result.err.splitlines() == ["interrupted: 2 of 5 episodes written"]
    assert five.leftovers() == []
    written = sorted(str(p.relative_to(five.root / "build")) for p in (five.root / "build").rglob("*") if p.is_file())
    assert written == [f"{slug}/{name}" for slug in ("alpha", "bravo")
                       for name in ("captions.srt", "captions.vtt", "description.txt", "references.txt", "script.md")]


def test_temp_files_left_by_a_killed_run_are_removed_by_the_next_render(five, run_cli):
    gone = 2**22 + 12345  # beyond any process id in use
    stale = [
        five.write(f"build/alpha/.description.txt.{gone}-0a1b2c3d.tmp", ""),
        five.write("build/bravo/.script.md.k3j2h1g0.tmp", ""),  # named by an earlier version
    ]
    mine = five.write("build/notes/.keep.tmp", "not ours\n")
    result = run_cli("render", cwd=five.root)
    assert result.code == 0, result.err
    assert not any(path.exists() for path in stale)
    assert mine.exists()
