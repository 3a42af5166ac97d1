"""A script reads `--json`: stdout is exactly one JSON document, whatever happened, errors included."""

from __future__ import annotations

import json
import os

import pytest

from episodekit.ledger import load_ledger

FIRST = "what-causes-depression"


def document(result):
    """stdout parsed as one JSON document (json.loads refuses a second document or a stray line)."""
    return json.loads(result.out)


def _first_id(root):
    return load_ledger(root / "published.yaml").video_id(FIRST)


@pytest.mark.parametrize("command", [["check"], ["status"], ["calendar"]])
def test_a_broken_channel_yaml_is_the_list_of_its_problems_on_stdout(channel, run_cli, command):
    channel.write("channel.yaml", "name: Test\nslots: [\n")
    result = run_cli(*command, "--json", cwd=channel.root)
    assert result.code == 1
    (problem,) = document(result)
    assert problem["path"] == "channel.yaml" and problem["severity"] == "error"
    assert set(problem) == {"path", "line", "field", "message", "severity"}
    assert result.err == ""


def test_check_json_on_a_valid_channel_is_an_empty_list(channel, run_cli):
    result = run_cli("check", "--json", cwd=channel.root)
    assert result.code == 0 and document(result) == []


def test_status_and_calendar_json_are_lists_of_rows(published, run_cli):
    rows = document(run_cli("status", "--json", cwd=published))
    assert len(rows) == 2 and all(row["video_id"] for row in rows)
    slots = document(run_cli("calendar", "--json", "--weeks", "2", cwd=published))
    assert len(slots) >= 2 and all("utc" in row for row in slots)


def test_sync_json_yes_is_the_plan_and_what_was_done_in_one_document(fixed_reference, run_cli, fake):
    result = run_cli("sync", "--json", "--yes", cwd=fixed_reference)
    assert result.code == 0, result.err
    plan = document(result)
    first = _first_id(fixed_reference)
    assert plan["updated"] == [first] and plan["deferred"] == []
    assert plan["backup"].startswith("backups" + os.sep)
    assert {v["video_id"]: v["action"] for v in plan["videos"]}[first] == "update"
    assert plan["quota_units"] == 52 and plan["live"] is True


def test_sync_json_stopped_by_its_budget_keeps_the_plan_and_says_why(fixed_reference, run_cli, fake):
    result = run_cli("sync", "--json", "--yes", "--budget", "10", cwd=fixed_reference)
    assert result.code == 1
    stopped = document(result)
    assert stopped["error"] == "WorkLeftError" and stopped["exit_code"] == 1
    assert "1 video(s) left for the next run" in stopped["message"]
    assert stopped["deferred"] == [_first_id(fixed_reference)] and stopped["updated"] == []


def test_sync_json_without_a_sign_in_is_an_error_object(fixed_reference, run_cli, youtube_env):
    youtube_env.unlink()
    result = run_cli("sync", "--json", "--yes", cwd=fixed_reference)
    assert result.code == 3
    failed = document(result)
    assert failed["error"] == "YouTubeError" and failed["exit_code"] == 3 and "auth login" in failed["message"]


def test_release_json_is_one_document_for_the_dry_run_and_for_the_upload(upload_ready, run_cli, fake, youtube_env):
    looked = run_cli("release", "--json", cwd=upload_ready.root)
    assert looked.code == 0, looked.err
    found = document(looked)
    assert found["due"] == "episodes/test-episode.yaml" and found["rendered"] == ["test-episode"]
    assert [r["call"] for r in found["dry_run"]["requests"]] == ["channels.list", "videos.insert", "captions.insert"]
    assert found["uploaded"] is None
    applied = run_cli("release", "--json", "--apply", cwd=upload_ready.root)
    assert applied.code == 0, applied.err
    (video_id,) = fake.videos
    assert document(applied)["uploaded"]["video_id"] == video_id
    assert document(run_cli("release", "--json", cwd=upload_ready.root))["due"] is None


def test_release_json_apply_that_youtube_refuses_keeps_what_was_found(upload_ready, run_cli, fake, youtube_env):
    fake.exhaust_quota(units=False, uploads=True)
    result = run_cli("release", "--json", "--apply", cwd=upload_ready.root)
    assert result.code == 3
    failed = document(result)
    assert failed["error"] == "YouTubeError" and "quota" in failed["message"]
    assert failed["due"] == "episodes/test-episode.yaml"


def test_diff_json(fixed_reference, run_cli, fake):
    result = run_cli("diff", FIRST, "--json", cwd=fixed_reference)
    assert result.code == 0, result.err
    change = document(result)
    assert change["action"] == "update" and "+1. Brunoni AR" in change["description_diff"]


def test_diff_json_of_an_episode_not_uploaded(channel, run_cli):
    result = run_cli("diff", "test-episode", "--json", cwd=channel.root)
    assert result.code == 1
    refused = document(result)
    assert refused["error"] == "RefusedError" and "not uploaded yet" in refused["message"]


def test_restore_json(fixed_reference, run_cli, fake):
    assert run_cli("sync", "--yes", cwd=fixed_reference).code == 0
    (backup,) = (fixed_reference / "backups").iterdir()
    dry = document(run_cli("restore", str(backup), "--dry-run", "--json", cwd=fixed_reference))
    assert dry["dry_run"] is True and dry["restored"] == [] and len(dry["updates"]) == 1
    done = run_cli("restore", str(backup), "--yes", "--json", cwd=fixed_reference)
    assert done.code == 0, done.err
    assert document(done)["restored"] == [_first_id(fixed_reference)]


def test_restore_says_what_its_updates_cost(fixed_reference, run_cli, fake):
    assert run_cli("sync", "--yes", cwd=fixed_reference).code == 0
    (backup,) = (fixed_reference / "backups").iterdir()
    shown = run_cli("restore", str(backup), "--dry-run", cwd=fixed_reference)
    assert shown.code == 0, shown.err
    assert f"quota: 50 units for 1 update(s) to channel 'Fake Channel' ({fake.channel_id})" in shown.err.splitlines()
    assert document(run_cli("restore", str(backup), "--dry-run", "--json", cwd=fixed_reference))["quota_units"] == 50


def test_restore_json_of_a_missing_folder(channel, run_cli):
    result = run_cli("restore", "backups/nope", "--json", cwd=channel.root)
    assert result.code == 1
    assert document(result) == {
        "error": "MissingFileError", "exit_code": 1,
        "message": "backups/nope: no such backup folder (sync writes them under backups/)",
    }


def test_auth_status_json_never_holds_the_token(run_cli, channel, fake, youtube_env):
    result = run_cli("auth", "status", "--online", "--json", cwd=channel.root)
    assert result.code == 0, result.err
    facts = document(result)
    assert facts["token_file"] == str(youtube_env) and facts["can_refresh"] is True
    assert facts["channels"] == [{"title": "Fake Channel", "id": fake.channel_id}]
    for secret in (fake.access_token, fake.refresh_token, "test-secret"):
        assert secret not in result.out + result.err


def test_auth_status_json_when_signed_out(run_cli, channel, youtube_env):
    youtube_env.unlink()
    result = run_cli("auth", "status", "--json", cwd=channel.root)
    assert result.code == 3 and document(result)["error"] == "YouTubeError"


def test_upload_json_dry_run_upload_and_refusal(upload_ready, run_cli, fake, youtube_env):
    dry = document(run_cli("upload", "test-episode", "--dry-run", "--json", cwd=upload_ready.root))
    assert dry["quota"]["upload_calls"] == 1 and fake.requests == []
    refused = run_cli("upload", "test-episode", "--json", cwd=upload_ready.root)  # no terminal, no --yes
    assert refused.code == 1 and document(refused)["error"] == "NotConfirmedError"
    done = run_cli("upload", "test-episode", "--json", "--yes", cwd=upload_ready.root)
    assert done.code == 0, done.err
    (video_id,) = fake.videos
    uploaded = document(done)
    assert uploaded["video_id"] == video_id and uploaded["url"] == f"https://youtu.be/{video_id}"
    again = run_cli("upload", "test-episode", "--json", "--yes", cwd=upload_ready.root)
    assert again.code == 1 and document(again)["error"] == "RefusedError" and video_id in document(again)["message"]


@pytest.mark.parametrize("args", [
    ["check", "--json", "--no-such-option"],
    ["calendar", "--json", "--weeks", "0"],
    ["status", "--json", "unexpected-argument"],
    ["-q", "-v", "check", "--json"],  # refused before the command's options are read
])
def test_wrong_usage_with_json_is_a_usage_error_object(channel, run_cli, args):
    result = run_cli(*args, cwd=channel.root)
    assert result.code == 2
    failed = document(result)
    assert failed["error"] == "UsageError" and failed["exit_code"] == 2 and failed["message"]


def test_an_internal_error_with_json_is_an_object_too(channel, run_cli, monkeypatch):
    from episodekit.pipeline import build

    monkeypatch.setattr(build, "render_episode", lambda *a: 1 / 0)  # a bug, as a user would meet one
    result = run_cli("check", "--json", cwd=channel.root)
    assert result.code == 70
    assert document(result) == {"error": "InternalError", "message": "ZeroDivisionError: division by zero",
                                "exit_code": 70}
