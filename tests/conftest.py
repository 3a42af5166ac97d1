"""Shared test fixtures: a small channel built inline, and a way to run the CLI in-process."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fake_youtube import FakeYouTube

from episodekit.cli import main

REPO = Path(__file__).resolve().parent.parent

CHANNEL_YAML = """\
name: Test Channel
subscribe_url: https://example.org/subscribe
timezone: America/New_York
slots:
  - weekday: wednesday
    time: "09:00"
schedule_line: "New every {slots}. Subscribe: {subscribe_url}"
disclaimer: "Education only, not medical advice."
tags: [science]
"""

REFERENCES_YAML = """\
kang2012:
  author:
    - {family: Kang, given: H. J.}
    - {family: Voleti, given: B.}
  authors-incomplete: true
  title: Decreased expression of synapse-related genes
  container-title-short: Nat Med
  issued: 2012
  volume: 18
  issue: 9
  page: 1413-1417
  DOI: 10.1038/nm.2886
serafini2012:
  author: [{family: Serafini, given: G.}]
  title: Neuroplasticity and major depression
  container-title-short: World J Psychiatry
  issued: 2012
  volume: 2
  issue: 3
  page: 49-57
"""

EPISODE_YAML = """\
title: A Test Episode
schedule: next
summary:
  - First paragraph.
script:
  - heading: Start
    body: Synapses are lost [@serafini2012] and genes change [@kang2012].
citations: [kang2012, serafini2012]
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output"
    )


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``publish.py ARGS`` in-process from folder ``cwd``; returns exit code, stdout, stderr."""

    def run(*args: str, cwd: Path) -> Result:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(int(code), captured.out, captured.err)

    return run


@pytest.fixture
def channel(tmp_path: Path):
    """A channel folder with one valid episode; returns a helper to write more files."""

    class Channel:
        root = tmp_path

        def write(self, relative: str, text: str | bytes) -> Path:
            path = tmp_path / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
            return path

        def episode(self, slug: str, text: str | bytes) -> Path:
            return self.write(f"episodes/{slug}.yaml", text)

    helper = Channel()
    helper.write("channel.yaml", CHANNEL_YAML)
    helper.write("references.yaml", REFERENCES_YAML)
    helper.episode("test-episode", EPISODE_YAML)
    return helper


@pytest.fixture
def fake():
    """A fake YouTube Data API on 127.0.0.1 (see tests/fake_youtube)."""
    with FakeYouTube() as server:
        yield server


@pytest.fixture
def youtube_env(fake, tmp_path_factory, monkeypatch):
    """Signed in to the fake through EPISODEKIT_API_ROOT and EPISODEKIT_TOKEN_FILE, as the README says."""
    folder = tmp_path_factory.mktemp("config")
    token = folder / "token.json"
    token.write_text(json.dumps({
        "token": fake.access_token, "refresh_token": fake.refresh_token, "token_uri": fake.token_uri,
        "client_id": "test-client", "client_secret": "test-secret",
        "scopes": ["https://www.googleapis.com/auth/youtube.force-ssl"],
        "expiry": (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }))
    token.chmod(0o600)
    monkeypatch.setenv("EPISODEKIT_API_ROOT", fake.root_url)
    monkeypatch.setenv("EPISODEKIT_TOKEN_FILE", str(token))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    return token
