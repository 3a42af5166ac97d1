"""What must hold after a fault, a kill or hostile input: the invariants the reliability tests check."""

from __future__ import annotations

import os
import stat
from pathlib import Path



def tree(root: Path) -> dict[str, tuple]:
    """Every file and folder under ``root``: its kind, bytes, mode and mtime (ns), by relative path."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if stat.S_ISDIR(info.st_mode):
            found[str(path.relative_to(root))] = ("dir", None, info.st_mode, info.st_mtime_ns)
        else:
            data = os.readlink(path) if path.is_symlink() else path.read_bytes()
            found[str(path.relative_to(root))] = ("file", data, info.st_mode, info.st_mtime_ns)
    return found


def changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """What differs between two ``tree`` snapshots, one line per path."""
    lines = [f"{p}: created" for p in sorted(after.keys() - before.keys())]
    lines += [f"{p}: deleted" for p in sorted(before.keys() - after.keys())]
    lines += [f"{p}: changed" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return lines


def assert_consistent(fake, root: Path) -> None:
    """The ledger parses and agrees with the fake YouTube: at most one video per episode, every video it
    names exists, and what it says was sent is what the video has."""
    from episodekit.ledger import load_ledger
    from episodekit.models.ledger import SentHashes

    ledger = load_ledger(root / "published.yaml")
    ids = [entry.video_id for entry in ledger.episodes.values() if entry.video_id]
    assert len(ids) == len(set(ids)), ids
    assert set(ids) <= set(fake.videos), (ids, list(fake.videos))
    titles = [video["snippet"]["title"] for video in fake.videos.values()]
    assert len(titles) == len(set(titles)), titles  # each episode's title is on one video only
    for slug, entry in ledger.episodes.items():
        if entry.video_id and entry.sent:
            snippet = fake.videos[entry.video_id]["snippet"]
            live = {"title": snippet["title"], "description": snippet["description"], "tags": snippet.get("tags", [])}
            assert entry.sent == SentHashes.of(live), slug


def no_crash(result) -> None:
    """A run of the program that ended as a user should see it: an exit code of the table, no traceback."""
    assert result.code in (0, 1, 3), (result.code, result.err)
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err


EPISODES = 5  # how many episodes the uploaded channel has


OWNED = {"title", "description", "tags", "localized"}  # what sync may change (localized mirrors title and description)


def not_owned(video: dict) -> dict:
    """Everything of a stored video but the fields episodekit owns."""
    return {**{k: v for k, v in video.items() if k != "snippet"},
            "snippet": {k: v for k, v in video["snippet"].items() if k not in OWNED}}


def assert_backups_complete(root: Path, originals: dict[str, dict]) -> None:
    """Every backup file parses and holds a video as it was, and each video that changed was saved
    as it was before the change."""
    import json

    saved: dict[str, list[dict]] = {}
    for path in sorted((root / "backups").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert set(data) == {"id", "snippet", "status", "localizations"} and path.stem == data["id"], path
        saved.setdefault(data["id"], []).append(data)
    for video_id, original in originals.items():
        assert any(b["snippet"] == original["snippet"] and b["status"] == original["status"]
                   and b["localizations"] == original.get("localizations", {})
                   for b in saved.get(video_id, [])), f"no backup of {video_id} as it was"
