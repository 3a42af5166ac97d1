"""The script becomes the video's caption track: sent after the video, kept in sync, and never taken from
the creator. Every test drives the real google-api-python-client against the fake YouTube."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials

from episodekit.ledger import load_ledger
from episodekit.pipeline.build import build_valid
from episodekit.pipeline.captions import srt_cue_lines
from episodekit.publish.captiontrack import lines_hash
from episodekit.publish.upload import plan_upload
from episodekit.retrying import RetryPolicy
from episodekit.workspace import Workspace
from episodekit.youtube.client import build_service
from episodekit.youtube.uploader import run_upload

FIRST, SECOND = "what-causes-depression", "depression-feedback-loop"
FAST = RetryPolicy(attempts=4, base=0.001, cap=0.01)


def _entry(root: Path, slug: str):
    return load_ledger(root / "published.yaml").episodes[slug]


def _track(fake, root: Path, slug: str):
    (record,) = _entry(root, slug).captions
    return record, fake.captions[record.id]


def _edit_script(root: Path, old: str, new: str, slug: str = SECOND) -> None:
    path = root / "episodes" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _upload(root: Path, fake, slug: str = FIRST):
    ws = Workspace.open(root)
    plan = plan_upload(ws, build_valid(ws, root / "episodes" / f"{slug}.yaml"), video=root / "video.mp4")
    return run_upload(ws, plan, build_service(Credentials(token=fake.access_token), fake.root_url),
                      chunk_size=256 * 1024, retry=FAST)


def test_the_upload_sends_the_script_as_a_draft_track_after_the_video_and_records_it(published, fake, run_cli):
    record, stored = _track(fake, published, FIRST)
    video_id = _entry(published, FIRST).video_id
    assert stored.snippet["videoId"] == video_id and stored.snippet["language"] == "en"
    assert stored.snippet["name"] == "From the script" and stored.snippet["isDraft"] is True
    ops = [r["op"] for r in fake.requests if r["op"] != "videos.insert.chunk"]
    assert ops.index("captions.insert") > ops.index("videos.insert")  # after the video
    assert fake.requests_for("captions.insert")[0]["query"]["uploadType"] == "multipart"
    assert "sync" not in fake.requests_for("captions.insert")[0]["query"]  # retired by YouTube
    assert record.language == "en" and record.timing == "estimate" and record.last_updated
    assert record.sent == lines_hash(srt_cue_lines(fake.caption_text(record.id)))
    assert _entry(published, FIRST).pending == []
    written = run_cli("captions", FIRST, cwd=published)  # what `captions` writes is what was sent
    assert written.code == 0, written.err
    assert (published / "build" / FIRST / "captions.srt").read_text(encoding="utf-8") == fake.caption_text(record.id)


def test_captions_draft_no_publishes_the_track_and_an_episode_can_turn_captions_off(published, fake):
    for slug in (FIRST, SECOND):
        fake.videos.clear()
    (published / "published.yaml").write_text("episodes: {}\n")
    with (published / "channel.yaml").open("a") as channel:
        channel.write("captions: {draft: no, name: Exact transcript}\n")
    _edit_script(published, "tags:", "captions: {upload: no}\ntags:")
    _upload(published, fake, FIRST)
    outcome = _upload(published, fake, SECOND)
    _, stored = _track(fake, published, FIRST)
    assert stored.snippet["isDraft"] is False and stored.snippet["name"] == "Exact transcript"
    assert _entry(published, SECOND).captions == [] and fake.captions_of(outcome.video_id) == []


def test_a_refused_track_leaves_the_video_up_and_the_step_pending_for_a_rerun_without_the_video(
        published, fake, run_cli):
    (published / "published.yaml").write_text("episodes: {}\n")
    fake.videos.clear()
    fake.captions.clear()
    fake.fail_next("captions.insert", status=403, reason="forbidden")
    failed = run_cli("upload", FIRST, "--video", "video.mp4", "--yes", cwd=published)
    assert failed.code == 3
    assert "the captions were not sent" in failed.err and "403 forbidden" in failed.err
    entry = _entry(published, FIRST)
    assert entry.video_id in fake.videos and entry.pending == ["captions"] and entry.captions == []
    (published / "video.mp4").unlink()  # the rerun needs no video file
    rerun = run_cli("upload", FIRST, "--yes", cwd=published)
    assert rerun.code == 0, rerun.err
    assert "captions sent, a draft to review and publish in YouTube Studio" in rerun.out
    assert len(fake.videos) == 1 and len(fake.captions) == 1 and _entry(published, FIRST).pending == []


def test_an_insert_whose_answer_was_lost_is_recorded_once_not_sent_twice(published, fake):
    (published / "published.yaml").write_text("episodes: {}\n")
    fake.videos.clear()
    fake.captions.clear()
    fake.drop_next("captions.insert", times=1, after=True)  # YouTube made the track; its answer never came
    outcome = _upload(published, fake, FIRST)
    assert outcome.done == ["captions"] and len(fake.captions_of(outcome.video_id)) == 1
    assert [r["status"] for r in fake.requests_for("captions.insert")[-2:]] == [None, 409]
    record, _ = _track(fake, published, FIRST)
    assert record.id in fake.captions


def test_a_sync_of_unchanged_scripts_reads_and_sends_no_caption_track(published, fake, run_cli):
    before = len(fake.requests_for("captions.*"))
    result = run_cli("sync", "--yes", cwd=published)
    assert result.code == 0, result.err
    assert len(fake.requests_for("captions.*")) == before
    assert "caption tracks: 2 unchanged\n" in result.out and "units for caption tracks" not in result.out


def test_a_changed_script_shows_a_cue_diff_priced_in_the_dry_run_and_updates_exactly_one_track(
        published, fake, run_cli):
    first, first_before = _track(fake, published, FIRST)
    second, _ = _track(fake, published, SECOND)
    first_text = fake.caption_text(first.id)
    fake.edit_caption(second.id, draft=False)  # the creator reviewed it and published it in Studio
    _edit_script(published, "the loop turns again", "the loop goes round again")
    dry = run_cli("sync", "--dry-run", cwd=published)
    assert dry.code == 0, dry.err
    assert f"captions: update the en track {second.id}" in dry.out
    assert "the loop turns again" in "".join(line for line in dry.out.splitlines() if line.startswith("-0"))
    assert "the loop goes round again" in "".join(line for line in dry.out.splitlines() if line.startswith("+0"))
    assert "+ 700 units for caption tracks" in dry.out  # captions.list 50, captions.download 200, update 450
    assert fake.requests_for("captions.update") == []
    applied = run_cli("sync", "--yes", cwd=published)
    assert applied.code == 0, applied.err
    updates = fake.requests_for("captions.update")
    assert len(updates) == 1 and updates[0]["query"]["uploadType"] == "multipart"
    assert "the loop goes round again" in fake.caption_text(second.id)
    assert fake.captions[second.id].snippet["isDraft"] is False  # stays published
    assert fake.caption_text(first.id) == first_text and len(fake.captions) == 2
    record, _ = _track(fake, published, SECOND)
    assert record.sent == lines_hash(srt_cue_lines(fake.caption_text(second.id))) != second.sent
    again = run_cli("sync", "--yes", cwd=published)
    assert len(fake.requests_for("captions.update")) == 1 and "2 unchanged" in again.out


def test_new_chapter_times_retime_the_estimated_track(published, fake, run_cli):
    record, _ = _track(fake, published, FIRST)
    text = (published / "episodes" / f"{FIRST}.yaml").read_text(encoding="utf-8")
    assert "chapters:" in text
    _edit_script(published, '"1:05"', '"1:15"', slug=FIRST)
    result = run_cli("sync", "--yes", "--json", cwd=published)
    assert result.code == 0, result.err
    (change,) = [c for c in json.loads(result.out)["captions"] if c["action"] == "update"]
    assert change["video_id"] == _entry(published, FIRST).video_id and "00:01:15,000 -->" in fake.caption_text(record.id)


def test_a_track_edited_in_studio_is_kept_and_reported_unless_forced(published, fake, run_cli):
    second, _ = _track(fake, published, SECOND)
    studio = fake.caption_text(second.id).replace("Nobody can yet", "Nobody can yet (says the creator)")
    fake.edit_caption(second.id, content=studio.encode())
    _edit_script(published, "the loop turns again", "the loop goes round again")
    kept = run_cli("sync", "--yes", cwd=published)
    assert kept.code == 0, kept.err
    assert "edited in YouTube Studio since episodekit sent it; it is kept" in kept.out
    lost = [line for line in kept.out.splitlines() if line.startswith("-0") and "(says the creator)" in line]
    assert len(lost) == 1  # the cue diff shows what --force would lose
    assert fake.requests_for("captions.update") == [] and fake.caption_text(second.id) == studio
    forced = run_cli("sync", "--yes", "--force", cwd=published)
    assert forced.code == 0, forced.err
    assert "(says the creator)" not in fake.caption_text(second.id)
    assert "the loop goes round again" in fake.caption_text(second.id)


def test_a_track_added_or_deleted_in_studio_is_left_as_it_is(published, fake, run_cli):
    first, _ = _track(fake, published, FIRST)
    second, _ = _track(fake, published, SECOND)
    video = _entry(published, SECOND).video_id
    german = fake.add_caption(video, language="de", name="Deutsch", content=b"1\n00:00:00,000 --> 00:00:01,000\nHallo\n")
    del fake.captions[first.id]  # deleted in Studio
    _edit_script(published, "the loop turns again", "the loop goes round again")
    result = run_cli("sync", "--yes", cwd=published)
    assert result.code == 0, result.err
    assert f"a track in de, 'Deutsch' ({german})" in result.out
    assert german in fake.captions and fake.requests_for("captions.delete") == []
    assert [r.id for r in _entry(published, SECOND).captions] == [second.id, german]  # known from now on
    assert all(r["body"] is None or r["op"] != "captions.insert" for r in fake.requests_for("captions.insert")[2:])
    assert len(fake.requests_for("captions.insert")) == 2  # the deleted track was not added again


@pytest.mark.parametrize("limit", ["budget", "quota"])
def test_caption_work_that_does_not_fit_waits_for_the_next_run(published, fake, run_cli, limit):
    _edit_script(published, "the loop turns again", "the loop goes round again")
    if limit == "budget":
        stopped = run_cli("sync", "--yes", "--budget", "500", cwd=published)
    else:
        fake.quota_limit = fake.quota_used + 1 + 1 + 250  # the check, the list and the reads fit, the update does not
        stopped = run_cli("sync", "--yes", cwd=published)
    assert stopped.code == 1 and "1 video(s) left for the next run" in stopped.err
    assert [r["status"] for r in fake.requests_for("captions.update")] == ([] if limit == "budget" else [403])
    assert "the loop turns again" in fake.caption_text(_entry(published, SECOND).captions[0].id)
    fake.quota_limit = 10**6
    rerun = run_cli("sync", "--yes", cwd=published)
    assert rerun.code == 0, rerun.err
    assert [r["status"] for r in fake.requests_for("captions.update")][-1] == 200
    assert "the loop goes round again" in fake.caption_text(_entry(published, SECOND).captions[0].id)
