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


def _diff_block(out: str, video_id: str = "") -> str:
    """The unified diff (of ``video_id``) inside a command's output: from its ``---`` header to the end of its hunks
    (the next diff, of a localization's description, starts at its own ``---``)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"--- {video_id}"))
    end = start + 2
    while end < len(lines) and lines[end][:1] in (" ", "+", "-", "@", "\\") and not lines[end].startswith("--- "):
        end += 1
    return "\n".join(lines[start:end]) + "\n"


def _apply(diff: str, original: str, tmp_path) -> str:
    """``original`` (a YouTube description: no final line break) with ``diff`` applied by the real
    ``patch`` program, without fuzz, or by a strict parser where there is no ``patch``."""
    if shutil.which("patch"):
        (tmp_path / "live.txt").write_text(original)
        (tmp_path / "change.diff").write_text(diff)
        done = subprocess.run(["patch", "--fuzz=0", "-o", "new.txt", "live.txt", "change.diff"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "fuzz" not in done.stdout and "offset" not in done.stdout, done.stdout
        return (tmp_path / "new.txt").read_text()
    return _apply_unified(diff, original)


def _apply_unified(diff: str, original: str) -> str:
    """A strict reader of one-file unified diffs: every hunk line must carry its prefix, counts must add
    up, and a last line without a line break must be followed by ``\\ No newline at end of file``."""
    old, new, lines = original.split("\n"), [], diff.splitlines()[2:]
    at, i = 0, 0
    while i < len(lines):
        head = re.match(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", lines[i])
        assert head, f"not a hunk header: {lines[i]!r}"
        start, count = int(head.group(1)), int(head.group(2) or 1)
        new += old[at:start - 1]
        at, i, seen = start - 1, i + 1, 0
        while i < len(lines) and lines[i][:1] in (" ", "-", "+", "\\"):
            line = lines[i]
            if line[0] in " -":
                assert old[at] == line[1:], f"context does not match: {line!r}"
                last_of_old = at == len(old) - 1
                at, seen = at + 1, seen + 1
                marked = i + 1 < len(lines) and lines[i + 1].startswith("\\")
                assert marked == last_of_old, f"the last line's missing line break is not marked: {line!r}"
            if line[0] in " +":
                new.append(line[1:])
            i += 1
        assert seen == count, f"hunk of {count} old lines has {seen}"
    return "\n".join(new + old[at:])


def _last_line_changed(channel_root) -> None:
    """A new closing sentence: the last line of every description changes."""
    path = channel_root / "channel.yaml"
    path.write_text(path.read_text().replace("Subscribe so you catch each one:", "Subscribe to catch every one:"))


@pytest.mark.parametrize("where", ["middle", "last line", "both"])
@pytest.mark.parametrize("command", [["sync", "--dry-run"], ["diff", FIRST]])
def test_a_piped_diff_is_whole_and_patch_turns_the_live_description_into_the_render(
        published, run_cli, fake, tmp_path, command, where):
    if where in ("middle", "both"):  # the docs' correction of an author's name, inside the references
        path = published / "references.yaml"
        path.write_text(path.read_text().replace("{family: André, given: R. B.}", "{family: Brunoni, given: A. R.}"))
    if where in ("last line", "both"):
        _last_line_changed(published)
    video_id = load_ledger(published / "published.yaml").video_id(FIRST)
    live = fake.videos[video_id]["snippet"]["description"]
    assert not live.endswith("\n")  # as YouTube keeps it
    result = run_cli(*command, cwd=published)
    assert result.code == 0, result.err
    diff = _diff_block(result.out, video_id)
    if where != "last line":
        changed = [line for line in diff.splitlines() if line.startswith("+1. ")]
        assert len(changed) == 1 and len(changed[0]) > 200  # longer than any console, and not folded
    patched = _apply(diff, live, tmp_path)
    assert not ANSI.search(result.out)
    assert run_cli("sync", "--yes", cwd=published).code == 0
    assert patched == fake.videos[video_id]["snippet"]["description"] != live  # exactly what sync sends


def test_the_strict_reader_refuses_a_last_line_without_its_marker():
    diff = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n same\n-old\n+new\n"
    with pytest.raises(AssertionError, match="not marked"):
        _apply_unified(diff, "same\nold")
    marked = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n same\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n"
    assert _apply_unified(marked, "same\nold") == "same\nnew"


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


def test_at_a_terminal_a_changed_last_line_is_marked_too():
    diff = ("--- live\n+++ new\n@@ -1,2 +1,2 @@\n same\n-Subscribe so you catch\n\\ No newline at end of file\n"
            "+Subscribe to catch\n\\ No newline at end of file")
    text = diff_text(diff)
    marked = {text.plain[s.start:s.end] for s in text.spans if s.style in (CHANGED_REMOVED, CHANGED_ADDED)}
    assert marked == {"so you", "to"}
    assert text.plain == diff


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
    assert result.out.splitlines() == ["rendered 31 episode(s) into build: 155 files"]
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
    channel.ready_to_upload(300_000)
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = run_cli("release", "--apply", cwd=channel.root)
    assert result.code == 0, result.err
    assert "300.0/300.0 kB" in ANSI.sub("", result.err)


def _run_at_a_terminal(args: list[str], cwd, columns: int = 120) -> str:
    """``python -m episodekit ARGS`` with stdout and stderr on one pseudo-terminal, as a person sees it:
    everything the terminal received."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import sys
    import termios

    main_fd, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS")}
    process = subprocess.Popen([sys.executable, "-m", "episodekit", *args], cwd=cwd, env={**env, "TERM": "xterm"},
                               stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal)
    os.close(terminal)
    received = b""
    while True:
        ready, _, _ = select.select([main_fd], [], [], 60)
        assert ready, "no output for 60 s"
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the other end is closed: the program has ended
            break
        if not chunk:
            break
        received += chunk
    os.close(main_fd)
    assert process.wait(timeout=60) == 0, received.decode(errors="replace")
    return received.decode("utf-8", errors="replace")


def _screen(text: str) -> list[str]:
    """The lines a terminal shows after receiving ``text``: carriage returns, line feeds, erasing a line and
    moving the cursor up are followed; colours and the cursor's visibility are ignored."""
    rows: dict[int, list[str]] = {}
    row = col = 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\r|\n|[^\x1b\r\n]", text):
        if token == "\r":
            col = 0
        elif token == "\n":
            row += 1
        elif token.startswith("\x1b["):
            final, number = token[-1], (token[2:-1].lstrip("?") or "0").split(";")[0]
            if final == "A":
                row = max(0, row - max(1, int(number)))
            elif final == "K":
                line = rows.setdefault(row, [])
                del line[0 if number == "2" else col:]
        else:
            line = rows.setdefault(row, [])
            line.extend(" " * (col - len(line) + 1))
            line[col] = token
            col += 1
    return ["".join(rows.get(n, [])).rstrip() for n in range(max(rows, default=-1) + 1)]


def test_an_upload_at_a_terminal_has_a_labelled_bar_and_its_link_on_a_line_of_its_own(channel, fake, youtube_env):
    channel.ready_to_upload(3_000_000)
    received = _run_at_a_terminal(["upload", "test-episode", "--yes"], channel.root)
    (video_id,) = fake.videos
    assert f"uploaded test-episode: https://youtu.be/{video_id}" in _screen(received)
    shown = ANSI.sub("", received)
    assert "uploading test-episode" in shown and "3.0/3.0 MB" in shown  # the bar, with what it is for
    assert "/? bytes" not in shown  # it appears once the size is known
