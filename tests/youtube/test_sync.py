"""Fix a reference once; exactly the videos that cite it are updated, and nothing else is touched."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from episodekit.ledger import load_ledger
from testkit import copy_sample, upload_sample

FIRST, SECOND = "what-causes-depression", "depression-feedback-loop"


@pytest.fixture
def sample(tmp_path, fake, youtube_env):
    """The shipped sample channel, both episodes uploaded to the fake, signed in through the env."""
    return upload_sample(copy_sample(tmp_path), fake)


def _ids(root):
    ledger = load_ledger(root / "published.yaml")
    return ledger.video_id(FIRST), ledger.video_id(SECOND)


def _fix_reference(root):
    path = root / "references.yaml"
    text = path.read_text().replace("{family: André, given: R. B.}", "{family: Brunoni, given: A. R.}")
    path.write_text(text)


def _studio_settings(fake, video_id):
    """Fields a creator set in YouTube Studio, which a sync must leave alone."""
    video = fake.videos[video_id]
    video["snippet"]["defaultAudioLanguage"] = "en-US"
    video["status"].update({"embeddable": False, "license": "creativeCommon", "publicStatsViewable": False})


def test_fixing_a_reference_updates_exactly_the_citing_video_and_preserves_everything_else(sample, fake, run_cli):
    first, second = _ids(sample)
    _studio_settings(fake, first)
    before, spent = copy.deepcopy(fake.videos), fake.quota_used
    _fix_reference(sample)
    result = run_cli("sync", "--yes", cwd=sample)
    assert result.code == 0, result.err
    assert f"updated https://youtu.be/{first}" in result.out
    assert f"updated https://youtu.be/{second}" not in result.out
    updates = fake.requests_for("videos.update")
    assert [r["body"]["id"] for r in updates] == [first]
    after = fake.videos
    assert after[second] == before[second]
    assert "Brunoni AR, Lopes M, Fregni F." in after[first]["snippet"]["description"]
    assert "André" not in after[first]["snippet"]["description"]
    changed = {k: v for k, v in after[first]["snippet"].items() if before[first]["snippet"].get(k) != v}
    assert "description" in changed and set(changed) <= {"description", "localized"}  # localized mirrors it
    assert after[first]["status"] == before[first]["status"]
    assert after[first]["snippet"]["tags"] == before[first]["snippet"]["tags"]
    assert after[first]["snippet"]["defaultAudioLanguage"] == "en-US"
    assert fake.quota_used - spent == 1 + 1 + 50  # the channel check, one videos.list for two videos, one update
    assert [r["op"] for r in fake.requests_for("captions.*")] == ["captions.insert"] * 2  # the upload's: unchanged since


def test_dry_run_lists_the_changed_video_with_its_diff_and_cost_and_sends_no_update(sample, fake, run_cli):
    first, _ = _ids(sample)
    _fix_reference(sample)
    result = run_cli("sync", "--dry-run", cwd=sample)
    assert result.code == 0, result.err
    assert f"{first}  update  description" in result.out
    assert "-1. André RB, Lopes M, Fregni F." in result.out
    assert "+1. Brunoni AR, Lopes M, Fregni F." in result.out
    assert "videos: 1 update, 1 unchanged, 0 drift, 0 missing" in result.out
    assert "= 52 units" in result.out
    assert fake.requests_for("videos.update") == []


def test_dry_run_without_a_token_uses_the_ledger(sample, fake, run_cli, monkeypatch):
    monkeypatch.setenv("EPISODEKIT_TOKEN_FILE", str(sample / "missing-token.json"))
    _fix_reference(sample)
    result = run_cli("sync", "--dry-run", "--json", cwd=sample)
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    actions = {Path(v["episode"]).stem: v["action"] for v in plan["videos"]}
    assert actions == {FIRST: "update", SECOND: "unchanged"}
    assert plan["quota_units"] == 52 and plan["live"] is False
    assert fake.requests_for("videos.list") == []  # nothing fetched without credentials


def test_without_a_terminal_or_yes_the_plan_is_shown_and_nothing_applied(sample, fake, run_cli):
    _fix_reference(sample)
    result = run_cli("sync", cwd=sample)
    assert result.code == 1
    assert "pass --yes" in result.err
    assert fake.requests_for("videos.update") == []


def test_an_edit_made_in_youtube_studio_is_drift_and_kept_unless_forced(sample, fake, run_cli):
    first, _ = _ids(sample)
    fake.videos[first]["snippet"]["description"] += "\nPinned: see my new book!"
    _fix_reference(sample)
    plan = run_cli("sync", "--dry-run", cwd=sample)
    assert "drift" in plan.out and "+Pinned" not in plan.out and "-Pinned: see my new book!" in plan.out
    kept = run_cli("sync", "--yes", cwd=sample)
    [update] = fake.requests_for("videos.update")  # the Portuguese description, whose references changed too
    assert kept.code == 0 and update["query"]["part"] == "localizations" and "snippet" not in update["body"]
    assert fake.videos[first]["snippet"]["description"].endswith("Pinned: see my new book!")
    forced = run_cli("sync", "--yes", "--force", cwd=sample)
    assert forced.code == 0
    assert "Pinned" not in fake.videos[first]["snippet"]["description"]


def test_backup_then_restore_round_trip(sample, fake, run_cli):
    first, _ = _ids(sample)
    original = copy.deepcopy(fake.videos[first])
    _fix_reference(sample)
    assert run_cli("sync", "--yes", cwd=sample).code == 0
    (backup,) = (sample / "backups").iterdir()
    saved = json.loads((backup / f"{first}.json").read_text())
    assert saved["snippet"]["description"] == original["snippet"]["description"]
    dry = run_cli("restore", str(backup), "--dry-run", cwd=sample)
    assert dry.code == 0 and len(fake.requests_for("videos.update")) == 1
    restored = run_cli("restore", str(backup), "--yes", cwd=sample)
    assert restored.code == 0, restored.err
    assert _without_localized(fake.videos[first]["snippet"]) == _without_localized(original["snippet"])
    assert fake.videos[first]["status"] == original["status"]


def _without_localized(snippet):
    return {k: v for k, v in snippet.items() if k != "localized"}


def test_quota_stops_the_run_cleanly_and_the_next_run_continues(sample, fake, run_cli):
    first, second = _ids(sample)
    path = sample / "channel.yaml"
    path.write_text(path.read_text().replace("Subscribe so you catch each one", "Subscribe to catch each one"))
    fake.fail_next("videos.update", status=403, reason="quotaExceeded")
    stopped = run_cli("sync", "--yes", cwd=sample)
    assert stopped.code == 1
    assert "2 video(s) left" in stopped.err and "ledger keeps what was done" in stopped.err
    resumed = run_cli("sync", "--yes", cwd=sample)
    assert resumed.code == 0, resumed.err
    updated = [r["body"]["id"] for r in fake.requests_for("videos.update") if r["status"] == 200]
    assert sorted(updated) == sorted([first, second])  # each exactly once
    assert "Subscribe to catch each one" in fake.videos[second]["snippet"]["description"]


def test_the_budget_defers_what_does_not_fit(sample, fake, run_cli):
    path = sample / "channel.yaml"
    path.write_text(path.read_text().replace("Subscribe so you catch each one", "Subscribe to catch each one"))
    result = run_cli("sync", "--yes", "--budget", "60", cwd=sample)
    assert result.code == 1 and "1 video(s) left" in result.err
    assert len(fake.requests_for("videos.update")) == 1


def test_a_500_during_an_update_is_retried_once(sample, fake, run_cli):
    first, _ = _ids(sample)
    _fix_reference(sample)
    fake.fail_next("videos.update", status=500)
    result = run_cli("sync", "--yes", cwd=sample)
    assert result.code == 0, result.err
    assert [r["status"] for r in fake.requests_for("videos.update")] == [500, 200]


def test_killed_after_an_update_before_the_ledger_write_the_rerun_does_not_update_again(sample, fake, run_cli, monkeypatch):
    from episodekit import ledger as ledger_module

    first, _ = _ids(sample)
    _fix_reference(sample)
    real = ledger_module.save_ledger
    monkeypatch.setattr(ledger_module, "save_ledger", lambda path, ledger: (_ for _ in ()).throw(KeyboardInterrupt()))
    assert run_cli("sync", "--yes", cwd=sample).code == 130
    monkeypatch.setattr(ledger_module, "save_ledger", real)
    assert run_cli("sync", "--yes", cwd=sample).code == 0
    assert len(fake.requests_for("videos.update")) == 1
    entry = load_ledger(sample / "published.yaml").episodes[FIRST]
    assert entry.updated_at is not None


def test_diff_shows_the_live_description_against_the_render(sample, fake, run_cli):
    _fix_reference(sample)
    result = run_cli("diff", FIRST, cwd=sample)
    assert result.code == 0, result.err
    assert "+1. Brunoni AR" in result.out and "-1. André RB" in result.out
    assert fake.requests_for("videos.update") == []


def test_status_names_the_reference_that_made_a_description_stale(sample, fake, run_cli):
    _fix_reference(sample)
    result = run_cli("status", cwd=sample)
    assert result.code == 0, result.err
    lines = {line.split()[0]: line for line in result.out.splitlines()}
    assert "stale: reference andre2008" in lines[f"episodes/{FIRST}.yaml"]
    assert "up to date" in lines[f"episodes/{SECOND}.yaml"]
    assert run_cli("sync", "--yes", cwd=sample).code == 0
    assert "stale" not in run_cli("status", cwd=sample).out


def test_diff_of_an_episode_not_uploaded_says_so(channel, run_cli):
    result = run_cli("diff", "test-episode", cwd=channel.root)
    assert result.code == 1
    assert "test-episode.yaml: not uploaded yet" in result.err


def test_restore_from_a_missing_folder_is_one_clear_line(channel, run_cli):
    result = run_cli("restore", "backups/19990101T000000Z", cwd=channel.root)
    assert result.code == 1
    assert result.err.strip() == "error: backups/19990101T000000Z: no such backup folder (sync writes them under backups/)"
