"""Ctrl-C at the confirmation question exits 130, like Ctrl-C anywhere; "no" and end of input exit 1.

The command runs in a real pseudo-terminal, so the question is really asked and Ctrl-C really
is the terminal's interrupt character.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import time
from pathlib import Path

import pytest
from testkit import REPO

pty = pytest.importorskip("pty")


def _at_a_terminal(cwd: Path, args: list[str], answer: bytes) -> tuple[int, str]:
    """Run ``publish.py ARGS`` in a pseudo-terminal, type ``answer`` at its question; exit code and screen."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program, with the terminal as its stdin, stdout and stderr
        os.chdir(cwd)
        # Ctrl-C reaches it as at a shell's prompt: a blocked or ignored SIGINT stays so across exec, and
        # a test process (a worker thread, a run started with `&`) may have one; the program would not end
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.execve(sys.executable, [sys.executable, str(REPO / "publish.py"), *args],
                  {**os.environ, "PYTHONPATH": str(REPO), "TERM": "dumb"})
    screen = _read_until(fd, b"[y/N]")
    _wait_until_reading(pid)  # the question is printed a moment before the program reads the answer
    os.write(fd, answer)
    screen += _read_until(fd, None, timeout=20)
    status = _exit_status(pid)
    os.close(fd)
    assert status is not None, "the program did not end after the answer:\n" + screen.decode("utf-8", "replace")
    return os.waitstatus_to_exitcode(status), screen.decode("utf-8", "replace")


def _wait_until_reading(pid: int, timeout: float = 10) -> None:
    """Wait until the program sleeps in a read of its terminal (Linux names the wait in /proc/PID/wchan)."""
    wchan = Path(f"/proc/{pid}/wchan")
    deadline = time.monotonic() + timeout
    while wchan.exists() and time.monotonic() < deadline:
        if "tty" in wchan.read_text(errors="replace") or "wait_woken" in wchan.read_text(errors="replace"):
            return
        time.sleep(0.02)


def _exit_status(pid: int, timeout: float = 20) -> int | None:
    """The child's wait status, or None (after killing it) when it has not ended within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None


def _read_until(fd: int, marker: bytes | None, timeout: float = 60) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline and (marker is None or marker not in seen):
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    assert marker is None or marker in seen, seen.decode("utf-8", "replace")
    return seen


@pytest.fixture
def video_size():
    return 10_000


def test_ctrl_c_at_the_question_exits_130_and_sends_nothing(upload_ready, fake, youtube_env):
    code, screen = _at_a_terminal(upload_ready.root, ["upload", "test-episode"], b"\x03")
    assert code == 130, screen
    assert "interrupted: nothing was sent" in screen and "Aborted" not in screen
    assert fake.requests == []


def test_no_at_the_question_exits_1_and_sends_nothing(upload_ready, fake, youtube_env):
    code, screen = _at_a_terminal(upload_ready.root, ["upload", "test-episode"], b"n\r")
    assert code == 1, screen
    assert "error: nothing was sent" in screen
    assert fake.requests == []


def test_end_of_input_at_the_question_is_a_no(upload_ready, fake, youtube_env):
    code, screen = _at_a_terminal(upload_ready.root, ["upload", "test-episode"], b"\x04")
    assert code == 1, screen
    assert "error: no answer, so nothing was sent" in screen
    assert fake.requests == []
