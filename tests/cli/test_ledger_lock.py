"""One writer at a time: real processes share one channel, and the ledger keeps what each of them did.

The commands run as separate processes (``python -m episodekit``), as two terminals or two CI jobs
would run them; YouTube is the fake server of the test process, reached through EPISODEKIT_API_ROOT.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from episodekit.ledger import load_ledger
from testkit import REPO

EPISODE = """\
title: {title}
schedule: next
summary: [{title} in one paragraph.]
upload: {{video: {slug}.mp4}}
"""
HOLD_THE_LOCK = """\
import sys
from pathlib import Path
from episodekit.ledger import ledger_lock
with ledger_lock(Path("published.yaml")):
    print("holding", flush=True)
    sys.stdin.read()
"""


def episodekit(*args: str, cwd: Path, **env: str) -> subprocess.Popen[str]:
    """``publish.py ARGS`` as its own process, in ``cwd``."""
    return subprocess.Popen(
        [sys.executable, "-m", "episodekit", *args], cwd=cwd, env={**os.environ, **env},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def hold_the_lock(root: Path) -> subprocess.Popen[str]:
    """Another process, ``hold-the-ledger.py``, that takes the ledger's lock and keeps it until its stdin closes."""
    script = root / "hold-the-ledger.py"
    script.write_text(HOLD_THE_LOCK)
    holder = subprocess.Popen([sys.executable, str(script)], cwd=root, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
    return holder


def hold_each_upload_until_both_started(fake) -> None:  # noqa: ANN001
    """The fake answers the first byte request of an upload only once the other upload has started too,
    so the two processes are sure to overlap: each has read the ledger before the other writes it."""
    barrier, seen = threading.Barrier(2, timeout=60), set()
    answer = fake._handle_request

    def handle(method, target, headers, body):  # noqa: ANN001
        upload_id = parse_qs(urlsplit(target).query).get("upload_id", [None])[0]
        if upload_id and upload_id not in seen:
            seen.add(upload_id)
            barrier.wait()
        return answer(method, target, headers, body)

    fake._handle_request = handle


@pytest.fixture
def two_episodes(channel):
    for slug, title in (("first-half", "The First Half"), ("second-half", "The Second Half")):
        channel.episode(slug, EPISODE.format(slug=slug, title=title))
        (channel.root / f"{slug}.mp4").write_bytes(os.urandom(200_000))
    return channel


def test_two_uploads_at_the_same_time_both_end_up_in_the_ledger(two_episodes, fake, youtube_env):
    hold_each_upload_until_both_started(fake)

    runs = [episodekit("upload", slug, "--yes", cwd=two_episodes.root) for slug in ("first-half", "second-half")]
    results = [(run.communicate(timeout=120), run.returncode) for run in runs]
    results = [(code, out, err) for (out, err), code in results]

    assert [code for code, _, _ in results] == [0, 0], results
    assert len(fake.videos) == 2
    ledger = load_ledger(two_episodes.root / "published.yaml")
    recorded = {slug: ledger.video_id(slug) for slug in ("first-half", "second-half")}
    assert set(recorded.values()) == set(fake.videos), recorded
    for slug, video_id in recorded.items():
        assert f"https://youtu.be/{video_id}" in dict(zip(("first-half", "second-half"), results))[slug][1]


def test_a_writer_waits_for_the_lock_and_says_who_holds_it(channel):
    channel.write("published.yaml", "episodes:\n  old-name: {video_id: AAAAAAAAAAA}\n")
    (channel.root / "episodes" / "test-episode.yaml").rename(channel.root / "episodes" / "new-name.yaml")
    holder = hold_the_lock(channel.root)
    try:
        writer = episodekit("ledger", "move", "old-name", "new-name", cwd=channel.root)
        assert writer.stderr is not None
        waiting = writer.stderr.readline()
        assert "waiting" in waiting and f"pid {holder.pid}" in waiting and "hold-the-ledger.py" in waiting, waiting
        assert writer.poll() is None  # still waiting, and nothing written yet
        assert "old-name" in (channel.root / "published.yaml").read_text()
    finally:
        holder.communicate("")  # the holder finishes
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    ledger = load_ledger(channel.root / "published.yaml")
    assert ledger.video_id("new-name") == "AAAAAAAAAAA" and "old-name" not in ledger.episodes


def test_a_writer_that_waited_too_long_names_the_holder_and_writes_nothing(channel):
    ledger_text = "episodes:\n  old-name: {video_id: AAAAAAAAAAA}\n"
    channel.write("published.yaml", ledger_text)
    (channel.root / "episodes" / "test-episode.yaml").rename(channel.root / "episodes" / "new-name.yaml")
    holder = hold_the_lock(channel.root)
    try:
        writer = episodekit("ledger", "move", "old-name", "new-name", cwd=channel.root,
                            EPISODEKIT_LOCK_TIMEOUT="0.5")
        out, err = writer.communicate(timeout=60)
    finally:
        holder.communicate("")

    assert writer.returncode == 1, err
    last = err.strip().splitlines()[-1]
    assert f"pid {holder.pid}" in last and "published.yaml" in last and "Traceback" not in err
    assert (channel.root / "published.yaml").read_text() == ledger_text


def test_the_lock_files_are_ignored_by_git_and_are_not_ledgers():
    from episodekit.paths import LEDGER_FILE, LOCK_FILE, LOCK_HOLDER_FILE

    assert not LOCK_FILE.endswith((".yaml", ".yml")) and not LOCK_HOLDER_FILE.endswith((".yaml", ".yml"))
    assert LOCK_FILE != LEDGER_FILE
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert LOCK_FILE in ignored and LOCK_HOLDER_FILE in ignored
