"""What the reliability tests share: a snapshot of a folder tree, and the seed of their randomness.

The seeded tests print their seed (``-s`` shows it, and a failure report carries it) and take
``EPISODEKIT_SEED`` to replay one; ``--soak`` (or ``EPISODEKIT_SOAK=1``) runs many more rounds.
"""

from __future__ import annotations

import os
import random
import socket

import pytest


from invariants import EPISODES, assert_consistent, no_crash  # noqa: F401  (the fixtures below use them)


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


@pytest.fixture
def uploaded(channel, fake, youtube_env):
    """The test channel with five episodes that cite kang2012, all on the fake YouTube (uploaded through
    the library, quickly), each video with settings a creator made in YouTube Studio."""
    from google.oauth2.credentials import Credentials

    from episodekit.pipeline.build import build_valid
    from episodekit.publish.upload import plan_upload
    from episodekit.workspace import Workspace
    from episodekit.youtube.client import build_service
    from episodekit.retrying import RetryPolicy
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


