"""SIGKILL at random points: the program runs as a real process against the fake YouTube in this test
process, is killed when the fake has seen a random number of requests (plus a random few milliseconds,
so some kills land inside a chunk), and the next run finishes the job. Then: one video with the file's
bytes, every video right once, the ledger parses and matches the server, backups complete."""

from __future__ import annotations

import copy
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from invariants import no_crash
from test_sync_faults import assert_synced, fix_reference
from test_upload_faults import SIZE, assert_uploaded_once

from episodekit.ledger import load_ledger
from testkit import REPO

PUBLISH = REPO / "publish.py"


def run_and_kill(args: list[str], cwd: Path, fake, after_requests: int, delay: float,
                 logs: list[str] | None = None) -> int | None:
    """Start ``publish.py ARGS``; SIGKILL it once the fake has logged ``after_requests`` more requests
    and ``delay`` seconds passed. Returns its exit code, or None when it was killed; what it wrote to
    stderr goes to ``logs``."""
    seen = len(fake.requests)
    process = subprocess.Popen([sys.executable, str(PUBLISH), *args], cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if len(fake.requests) - seen >= after_requests:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.0005)
    err = process.communicate(timeout=120)[1]
    if logs is not None:
        logs.append(err.decode("utf-8", "replace"))
    return None if process.returncode == -signal.SIGKILL else process.returncode


@pytest.fixture
def ready(channel, fake, youtube_env):
    channel.ready_to_upload(SIZE, playlist=fake.add_playlist())
    return channel


def finish(run_cli, args: list[str], root: Path, attempts: int = 2):
    for _ in range(attempts):
        result = run_cli(*args, cwd=root)
        no_crash(result)
        if result.code == 0:
            return result
    raise AssertionError(f"{args} did not finish after a kill: {result.err}")


def test_an_upload_killed_at_a_random_point_is_finished_by_the_rerun(ready, fake, run_cli, rng, rounds):
    for round_ in range(rounds(3, 30)):
        if round_:
            fake.videos.clear(), fake.uploads.clear(), fake.playlist_items.clear()
            for name in ("published.yaml",):
                (ready.root / name).unlink(missing_ok=True)
        after, delay = rng.randint(1, 5), rng.uniform(0, 0.03)
        code = run_and_kill(["upload", "test-episode", "--yes"], ready.root, fake, after, delay)
        try:
            assert code in (None, 0), code
            rerun = run_cli("upload", "test-episode", "--yes", cwd=ready.root)
            no_crash(rerun)
            if rerun.code == 1 and "cannot be resumed" in rerun.err:
                # killed between YouTube opening the session and the session's file being saved: no byte
                # was sent, so there is no video to find in Studio, and the message's --restart is safe
                assert fake.videos == {} and "--restart" in rerun.err, rerun.err
                finish(run_cli, ["upload", "test-episode", "--yes", "--restart"], ready.root, attempts=1)
            else:
                assert rerun.code == 0, rerun.err
            assert_uploaded_once(fake, ready.root)
        except AssertionError as exc:
            raise AssertionError(f"round {round_}: killed after {after} requests + {delay:.3f} s: {exc}") from exc


def test_a_sync_killed_at_a_random_point_is_finished_by_the_rerun(uploaded, fake, run_cli, rng, rounds):
    fix_reference(uploaded.root)
    before = copy.deepcopy(fake.videos)
    ledger = (uploaded.root / "published.yaml").read_text()
    for round_ in range(rounds(2, 20)):
        if round_:
            fake.videos.clear(), fake.videos.update(copy.deepcopy(before)), fake.requests.clear()
            (uploaded.root / "published.yaml").write_text(ledger)
        after, delay = rng.randint(1, 6), rng.uniform(0, 0.02)
        code = run_and_kill(["sync", "--yes"], uploaded.root, fake, after, delay)
        try:
            assert code in (None, 0), code
            load_ledger(uploaded.root / "published.yaml")  # the kill left a whole ledger, old or new
            finish(run_cli, ["sync", "--yes"], uploaded.root)
            assert_synced(fake, uploaded.root, before)
        except AssertionError as exc:
            raise AssertionError(f"round {round_}: killed after {after} requests + {delay:.3f} s: {exc}") from exc
