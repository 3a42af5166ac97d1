"""Piped, the output is plain and whole (a diff `patch` accepts, one summary line); at a terminal,
bars and colours on top. FORCE_COLOR=1 makes rich take the captured streams for a terminal."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from episodekit.cli.console import CHANGED_ADDED, CHANGED_REMOVED, diff_text
from episodekit.ledger import load_ledger

FIRST = "what-causes-depression"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _diff_block(out: str) -> str:
    """The unified diff inside a command's output: from its ``---`` header to the end of its hunks."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("--- "))
    end = start + 2
    while end < len(lines) and lines[end][:1] in (" ", "+", "-", "@"):
        end += 1
    return "\n".join(lines[start:end]) + "\n"


def _apply(diff: str, original: str, tmp_path) -> str:
    """``original`` with ``diff`` applied by the real ``patch`` program, or by a strict parser without it."""
    if shutil.which("patch"):
        (tmp_path / "live.txt").write_text(original + "\n")
        (tmp_path / "change.diff").write_text(diff)
        done = subprocess.run(["patch", "-o", "new.txt", "live.txt", "change.diff"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stdout + done.stderr
        return (tmp_path / "new.txt").read_text().rstrip("\n")
    return _apply_unified(diff, original)


def _apply_unified(diff: str, original: str) -> str:
    """A strict reader of one-file unified diffs: every hunk line must carry its prefix, and counts must add up."""
    old, new, lines = original.splitlines(), [], diff.splitlines()[2:]
    at, i = 0, 0
    while i < len(lines):
        head = re.match(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", lines[i])
        assert head, f"not a hunk header: {lines[i]!r}"
        start, count = int(head.group(1)), int(head.group(2) or 1)
        new += old[at:start - 1]
        at, i, seen = start - 1, i + 1, 0
        while seen < count:
            line = lines[i]
            assert line[:1] in (" ", "-", "+"), f"a hunk line without its prefix: {line!r}"
            if line[0] in " -":
                assert old[at] == line[1:], f"context does not match: {line!r}"
                at, seen = at + 1, seen + 1
            if line[0] in " +":
                new.append(line[1:])
            i += 1
        while i < len(lines) and lines[i].startswith("+"):
            new.append(lines[i][1:])
            i += 1
    return "\n".join(new + old[at:])


@pytest.mark.parametrize("command", [["sync", "--dry-run"], ["diff", FIRST]])
def test_a_piped_diff_is_whole_and_patch_turns_the_live_description_into_the_render(
        fixed_reference, run_cli, fake, tmp_path, command):
    video_id = load_ledger(fixed_reference / "published.yaml").video_id(FIRST)
    live = fake.videos[video_id]["snippet"]["description"]
    result = run_cli(*command, cwd=fixed_reference)
    assert result.code == 0, result.err
    diff = _diff_block(result.out)
    changed = [line for line in diff.splitlines() if line.startswith("+1. ")]
    assert len(changed) == 1 and len(changed[0]) > 200  # longer than any console, and not folded
    wanted = run_cli("preview", FIRST, cwd=fixed_reference).out
    assert _apply(diff, live, tmp_path) == wanted.rstrip("\n")
    assert not ANSI.search(result.out)


def test_the_strict_reader_refuses_a_folded_line(tmp_path):
    diff = "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new line that was\nfolded here\n"
    with pytest.raises(AssertionError):
        _apply_unified(diff, "old")


def test_at_a_terminal_the_changed_characters_of_a_line_are_marked():
    diff = "--- live\n+++ new\n@@ -1,2 +1,2 @@\n same\n-1. André RB, Lopes M.\n+1. Brunoni AR, Lopes M."
    text = diff_text(diff)
    marked = {(text.plain[s.start:s.end], str(s.style)) for s in text.spans if s.style in (CHANGED_REMOVED, CHANGED_ADDED)}
    assert marked == {("André RB", CHANGED_REMOVED), ("Brunoni AR", CHANGED_ADDED)}
    assert text.plain == diff  # the same lines, styled


def test_the_sync_plan_at_a_terminal_is_coloured(fixed_reference, run_cli, fake, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = run_cli("sync", "--dry-run", cwd=fixed_reference)
    assert result.code == 0, result.err
    assert ANSI.search(result.out)
    assert "+1. Brunoni AR, Lopes M, Fregni F." in ANSI.sub("", result.out)


@pytest.fixture
def many_episodes(channel):
    text = (channel.root / "episodes" / "test-episode.yaml").read_text()
    for n in range(30):
        channel.episode(f"episode-{n:02d}", text.replace("A Test Episode", f"Episode number {n}"))
    return channel


def test_render_of_many_episodes_into_a_pipe_prints_one_summary_line(many_episodes, run_cli):
    result = run_cli("render", cwd=many_episodes.root)
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["rendered 31 episode(s) into build: 93 files"]
    assert result.err == ""


def test_render_at_a_terminal_draws_bars_on_stderr_and_quiet_silences_everything(many_episodes, run_cli, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    shown = run_cli("render", cwd=many_episodes.root)
    assert shown.code == 0
    bars = ANSI.sub("", shown.err)
    assert "rendering" in bars and "31/31" in bars and "writing" in bars
    quiet = run_cli("render", "-q", cwd=many_episodes.root)
    assert quiet.code == 0 and quiet.out == "" and quiet.err == ""


def test_sync_at_a_terminal_shows_the_updates_going_out(fixed_reference, run_cli, fake, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = run_cli("sync", "--yes", cwd=fixed_reference)
    assert result.code == 0, result.err
    assert "updating" in ANSI.sub("", result.err) and "1/1" in ANSI.sub("", result.err)


def test_release_apply_at_a_terminal_shows_the_upload_going_out(channel, run_cli, fake, youtube_env, monkeypatch):
    (channel.root / "video.mp4").write_bytes(b"\0" * 300_000)
    channel.episode("test-episode", (channel.root / "episodes" / "test-episode.yaml").read_text()
                    + "upload: {video: video.mp4}\n")
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = run_cli("release", "--apply", cwd=channel.root)
    assert result.code == 0, result.err
    assert "300.0/300.0 kB" in ANSI.sub("", result.err)
