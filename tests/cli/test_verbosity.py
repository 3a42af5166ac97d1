"""-q prints errors only; -v logs what is read, what is sent and how long it took; neither shows a secret."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def video_size():
    return 600_000


def _secrets(fake, token_file):
    saved = json.loads(token_file.read_text())
    sessions = [f"{r['path']}?{'&'.join(f'{k}={v}' for k, v in r['query'].items())}"
                for r in fake.requests if "upload_id" in r["query"]]
    upload_ids = {r["query"]["upload_id"] for r in fake.requests if "upload_id" in r["query"]}
    return {fake.access_token, fake.refresh_token, saved["token"], saved["refresh_token"], "test-secret",
            *fake.valid_tokens, *sessions, *upload_ids}


def test_verbose_upload_logs_what_is_read_and_sent_with_timings_and_no_secret(upload_ready, run_cli, fake,
                                                                                youtube_env):
    fake.fail_chunk(1, status=503)  # a retried chunk is logged too
    result = run_cli("upload", "test-episode", "--yes", "-v", cwd=upload_ready.root)
    assert result.code == 0, result.err
    log = result.err
    assert "read episodes/test-episode.yaml" in log and "read channel.yaml" in log
    assert "read the YouTube sign-in from " in log
    assert "videos.insert: opening a resumable upload" in log
    assert "a chunk failed" in log
    assert "uploaded video " in log and " s" in log
    assert " INFO episodekit.youtube.uploader: " in log  # plain, timestamped lines in a pipe
    for secret in _secrets(fake, youtube_env):
        assert secret not in log + result.out, secret
    assert "upload_id" not in log


def test_verbose_sync_logs_the_calls_and_no_secret(fixed_reference, run_cli, fake, youtube_env):
    result = run_cli("-v", "sync", "--yes", cwd=fixed_reference)
    assert result.code == 0, result.err
    assert "videos.list part=snippet,status,localizations of 2 id(s):" in result.err
    assert "videos.update " in result.err and "(description, localizations.pt-BR)" in result.err
    for secret in _secrets(fake, youtube_env):
        assert secret not in result.err + result.out, secret


def test_without_v_nothing_is_logged(upload_ready, run_cli, fake, youtube_env):
    result = run_cli("upload", "test-episode", "--yes", cwd=upload_ready.root)
    assert result.code == 0, result.err
    assert result.err == ""


def test_quiet_prints_errors_only(channel, run_cli):
    channel.episode("draft", "title: TODO a title\nsummary: [x]\n")  # valid, with a warning
    quiet = run_cli("check", "-q", cwd=channel.root)
    assert quiet.code == 0 and quiet.out == "" and quiet.err == ""
    assert "warning" in run_cli("check", cwd=channel.root).err
    channel.episode("broken", "title: T\nsummary: [x]\ndisclaimer: [3]\n")
    failed = run_cli("-q", "check", cwd=channel.root)
    assert failed.code == 1 and failed.out == ""
    assert failed.err.splitlines() == [line for line in failed.err.splitlines() if "broken.yaml:3" in line]
    assert failed.err


def test_quiet_and_verbose_together_is_wrong_usage(channel, run_cli):
    result = run_cli("-q", "check", "-v", cwd=channel.root)
    assert result.code == 2 and "-q/--quiet and -v/--verbose" in result.err


# With -q a command prints on stdout only what was asked for (False: nothing), and nothing on stderr.
ASKED_FOR = {
    ("check",): False, ("render",): False, ("preview", "draft"): True, ("status",): True,
    ("calendar",): True, ("new", "Another episode"): False, ("schema",): False,
}


@pytest.mark.parametrize("command", list(ASKED_FOR), ids=lambda c: c[0])
def test_quiet_on_every_offline_command_prints_no_summary_and_no_warning(channel, run_cli, command):
    channel.episode("draft", "title: TODO a title\nsummary: [x]\n")  # valid, with a warning
    loud = run_cli(*command, cwd=channel.root)
    assert loud.code == 0, loud.err
    if not ASKED_FOR[command] or command[0] == "preview":
        assert loud.err or loud.out  # a summary or a warning that -q must silence
    (channel.root / "episodes" / "another-episode.yaml").unlink(missing_ok=True)  # `new` can run again
    quiet = run_cli(*command, "-q", cwd=channel.root)
    assert quiet.code == 0
    assert quiet.err == ""
    assert quiet.out == (loud.out if ASKED_FOR[command] else "")


def test_quiet_preview_still_prints_the_error_that_stops_it(channel, run_cli):
    channel.episode("broken", "title: T\nsummary: [x]\ndisclaimer: [3]\n")
    result = run_cli("preview", "broken", "-q", cwd=channel.root)
    assert result.code == 1 and result.out == ""
    assert "broken.yaml:3" in result.err
