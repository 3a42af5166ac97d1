"""A channel folder that cannot be written (a read-only checkout, another user's folder): a command that
must write the ledger says so in one line, exit 1, and changes nothing."""

from __future__ import annotations

import pytest


@pytest.fixture
def renamed(channel):
    channel.write("published.yaml", "episodes:\n  old: {video_id: AAAAAAAAAAA}\n")
    channel.episode("new", "title: The Renamed One\nsummary: [About it.]\n")
    return channel


@pytest.mark.parametrize("leftover_lock", [False, True], ids=["no lock file", "lock file left writable"])
def test_a_read_only_channel_folder_is_one_line_saying_it_is_not_writable(renamed, as_a_user, leftover_lock):
    run, root = as_a_user
    if leftover_lock:
        (root / ".published.lock").touch(mode=0o666)
        (root / ".published.lock").chmod(0o666)
    before = (root / "published.yaml").read_text()
    root.chmod(0o555)
    try:
        result = run("ledger", "move", "old", "new")
    finally:
        root.chmod(0o755)
    assert result.code == 1, result.err
    (line,) = result.err.strip().splitlines()
    assert "not writable" in line and ("published.yaml" in line or ".published.lock" in line)
    assert "internal error" not in line and "Traceback" not in result.err
    assert (root / "published.yaml").read_text() == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".published.lock.holder")) == []


def test_the_message_names_the_folder_and_says_what_to_do(renamed, as_a_user):
    run, root = as_a_user
    root.chmod(0o555)
    try:
        result = run("ledger", "move", "old", "new")
    finally:
        root.chmod(0o755)
    assert result.err.startswith(f"error: published.yaml: cannot be changed, because the channel folder {root} "
                                 "is not writable")
    assert "nothing was written" in result.err and "Make the folder writable" in result.err
