"""What the reliability tests share: a snapshot of a folder tree, and the seed of their randomness.

The seeded tests print their seed (``-s`` shows it, and a failure report carries it) and take
``EPISODEKIT_SEED`` to replay one; ``--soak`` (or ``EPISODEKIT_SOAK=1``) runs many more rounds.
"""

from __future__ import annotations

import os
import random
import socket
import stat
from pathlib import Path

import pytest


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


def soaking(config: pytest.Config) -> bool:
    return bool(config.getoption("--soak")) or os.environ.get("EPISODEKIT_SOAK") == "1"


@pytest.fixture
def rounds(request):
    """How many rounds a seeded test runs: a few normally, many under soak."""
    return lambda normal, soak: soak if soaking(request.config) else normal


@pytest.fixture
def rng(request):
    """A ``random.Random`` whose seed is printed, from ``EPISODEKIT_SEED`` or fresh."""
    seed = int(os.environ.get("EPISODEKIT_SEED") or random.SystemRandom().randrange(2**32))
    print(f"\n{request.node.nodeid}: seed {seed} (replay with EPISODEKIT_SEED={seed})")
    request.node.user_properties.append(("seed", seed))
    return random.Random(seed)


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--soak", default=False):  # read at import by the hypothesis settings
        os.environ["EPISODEKIT_SOAK"] = "1"


def assert_consistent(fake, root: Path) -> None:
    """The ledger parses and agrees with the fake YouTube: at most one video per episode, every video it
    names exists, and what it says was sent is what the video has."""
    from episodekit.ledger import SentHashes, load_ledger

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


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """No test here reaches the internet: names other than the loopback's do not resolve, as on a
    machine without a network, and each one asked for is recorded."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in ("127.0.0.1", "::1", "localhost"):
            asked.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return asked


EPISODES = 5  # how many episodes the uploaded channel has


@pytest.fixture
def uploaded(channel, fake, youtube_env):
    """The test channel with five episodes that cite kang2012, all on the fake YouTube (uploaded through
    the library, quickly), each video with settings a creator made in YouTube Studio."""
    from google.oauth2.credentials import Credentials

    from episodekit.pipeline.build import build_valid
    from episodekit.publish.upload import plan_upload
    from episodekit.workspace import Workspace
    from episodekit.youtube.client import build_service
    from episodekit.youtube.retry import RetryPolicy
    from episodekit.youtube.uploader import run_upload

    (channel.root / "episodes" / "test-episode.yaml").unlink()
    (channel.root / "video.mp4").write_bytes(os.urandom(20_000))
    service = build_service(Credentials(token=fake.access_token), fake.root_url)
    for n in range(1, EPISODES + 1):
        path = channel.episode(f"episode-{n}", f"title: Episode {n}\nschedule: next\nsummary: [Part {n}.]\n"
                                               f"script:\n  - heading: One\n    body: Genes change [@kang2012].\n")
        ws = Workspace.open(channel.root)
        plan = plan_upload(ws, build_valid(ws, path), video=channel.root / "video.mp4")
        run_upload(ws, plan, service, chunk_size=256 * 1024, retry=RetryPolicy(base=0.001))
    for video in fake.videos.values():
        video["snippet"]["defaultAudioLanguage"] = "en-US"
        video["status"].update({"embeddable": False, "license": "creativeCommon", "publicStatsViewable": False})
        video["localizations"] = {"de": {"title": "Folge", "description": "Beschreibung"}}
    fake.requests.clear()
    return channel


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
        assert set(data) == {"id", "snippet", "status"} and path.stem == data["id"], path
        saved.setdefault(data["id"], []).append(data)
    for video_id, original in originals.items():
        assert any(b["snippet"] == original["snippet"] and b["status"] == original["status"]
                   for b in saved.get(video_id, [])), f"no backup of {video_id} as it was"
