"""Quota of ``sync``: N published episodes, k of them changed, on the fake YouTube (called by bench.py).

    python benchmarks/bench_quota.py [--episodes 500] [--changed 7]

Not timed: the figure is the units the fake charged. In one process, ``tests/fake_youtube`` runs
on 127.0.0.1; a ``channelgen`` channel of N episodes is uploaded through the real path
(``plan_upload``, ``run_upload``) with a tiny video each, k episode summaries are edited, and
``publish.py sync --yes`` runs in-process, signed in to the fake through ``EPISODEKIT_API_ROOT``
and ``EPISODEKIT_TOKEN_FILE``. The floor is ``1 + ceil(N/50) + 50k`` (the check of the signed-in
channel, one ``videos.list`` of 50 ids per batch, one ``videos.update`` per changed video). Beside it,
a naive loop's figure: one ``videos.list`` per video, measured on the same fake, plus the same check
and 50k of updates.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))

from channelgen import make_channel  # noqa: E402


def _token_file(fake, folder: Path) -> Path:
    token = folder / "token.json"
    token.write_text(json.dumps({
        "token": fake.access_token, "refresh_token": fake.refresh_token, "token_uri": fake.token_uri,
        "client_id": "bench-client", "client_secret": "bench-secret",
        "scopes": ["https://www.googleapis.com/auth/youtube.force-ssl"],
        "expiry": (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }))
    token.chmod(0o600)
    return token


def _upload_all(channel: Path, fake) -> list[str]:
    """Upload every episode of ``channel`` to ``fake``; returns the video ids."""
    from google.oauth2.credentials import Credentials

    from episodekit.pipeline.build import build_episodes
    from episodekit.publish.upload import plan_upload
    from episodekit.workspace import Workspace
    from episodekit.youtube.client import build_service
    from episodekit.retrying import RetryPolicy
    from episodekit.youtube.uploader import run_upload

    video = channel / "video.mp4"
    video.write_bytes(os.urandom(4096))
    service = build_service(Credentials(token=fake.access_token), fake.root_url)
    ws = Workspace.open(channel)
    report = build_episodes(ws, ws.episode_paths())
    ids = []
    for build in report.builds:
        plan = plan_upload(ws, build, video=video)
        ids.append(run_upload(ws, plan, service, chunk_size=256 * 1024, retry=RetryPolicy(base=0.001)).video_id)
    return ids


def _edit_summaries(channel: Path, count: int) -> None:
    for i in range(count):
        path = channel / "episodes" / f"episode-{i * 3:04d}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("long enough to look", "long enough, now edited, to look", 1), encoding="utf-8")


def _sync(channel: Path) -> tuple[int, str]:
    from episodekit.cli import main

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    try:
        os.chdir(channel)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["sync", "--yes"])
    finally:
        os.chdir(here)
    return int(code), out.getvalue() + err.getvalue()


def measure(episodes: int, changed: int) -> dict:
    """Units charged by sync, the floor, and the naive loop's units, for N = ``episodes``, k = ``changed``."""
    from fake_youtube import FakeYouTube
    from google.oauth2.credentials import Credentials

    from episodekit.youtube.client import build_service

    with tempfile.TemporaryDirectory() as name, FakeYouTube(upload_quota_limit=episodes + 10,
                                                            quota_limit=10**9) as fake:
        tmp = Path(name)
        channel = make_channel(tmp / "channel", episodes, 60, 2)
        environment = dict(EPISODEKIT_API_ROOT=fake.root_url, EPISODEKIT_TOKEN_FILE=str(_token_file(fake, tmp)),
                           XDG_STATE_HOME=str(tmp / "state"), EPISODEKIT_CACHE_DIR=str(tmp / "cache"))
        with mock.patch.dict(os.environ, environment):  # put back as it was afterwards
            ids = _upload_all(channel, fake)
            _edit_summaries(channel, changed)
            before = fake.quota_used
            code, text = _sync(channel)
            used = fake.quota_used - before
            updates = len(fake.requests_for("videos.update"))
            before = fake.quota_used
            service = build_service(Credentials(token=fake.access_token), fake.root_url)
            for video_id in ids:  # the naive loop: one videos.list per video
                service.videos().list(part="snippet,status", id=video_id).execute()
            naive_lists = fake.quota_used - before
    if code != 0:
        raise SystemExit(f"sync failed ({code}):\n{text[-2000:]}")
    return {"used": used, "floor": 1 + math.ceil(episodes / 50) + 50 * changed, "updates": updates,
            "naive": 1 + naive_lists + 50 * changed, "episodes": episodes, "changed": changed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=500)
    parser.add_argument("--changed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(measure(args.episodes, args.changed)))


if __name__ == "__main__":
    main()
