"""What sync plans for a video's caption track, decided from the ledger and then from what YouTube shows."""

from __future__ import annotations

import pytest

from episodekit.models.ledger import CaptionRecord, LedgerEntry, sha256_text
from episodekit.pipeline.build import build_valid
from episodekit.publish.captionsync import (
    DEFERRED,
    HELD,
    INSERT,
    KEPT,
    UNCHANGED,
    UPDATE,
    plan_track,
    settle_downloaded,
    settle_listed,
)
from episodekit.publish.captiontrack import lines_hash, track_to_send
from episodekit.workspace import Workspace

VIDEO = "NZNar-LNIBm"
SCRIPT = """\
title: A Test Episode
summary: [First paragraph.]
script:
  - heading: Start
    body: Synapses are lost and genes change. Serafini saw it first.
  - heading: Then
    body: Treatment can help the brain rebuild them.
"""


@pytest.fixture
def episode(channel):
    channel.episode("test-episode", SCRIPT)
    return channel


def _build(channel):
    ws = Workspace.open(channel.root)
    return ws, build_valid(ws, channel.root / "episodes" / "test-episode.yaml")


def _plan(channel, *records: CaptionRecord, force: bool = False):
    ws, build = _build(channel)
    return plan_track(ws, build, LedgerEntry(video_id=VIDEO, captions=list(records)), "episodes/test-episode.yaml",
                      VIDEO, force)


def _sent(channel, **changes) -> CaptionRecord:
    ws, build = _build(channel)
    track = track_to_send(ws, build, None)
    return track.record("AUieDaOurs", track.name, "2026-12-01T10:00:00.000Z").model_copy(update=changes)


def _live(record: CaptionRecord, **snippet) -> dict:
    return {"id": record.id, "snippet": {"language": record.language, "name": record.name, "trackKind": "standard",
                                         "isDraft": False, "lastUpdated": record.last_updated, **snippet}}


def test_the_track_sent_is_unchanged_while_its_cues_are_and_an_edit_of_the_script_updates_it(episode):
    sent = _sent(episode)
    assert _plan(episode, sent).action == UNCHANGED
    episode.episode("test-episode", SCRIPT.replace("lost", "lost over years"))
    change = _plan(episode, sent)
    assert change.action == UPDATE and change.target == sent and change.units == 50 + 200 + 450


def test_new_chapter_times_move_the_cues_of_an_estimated_track(episode):
    sent = _sent(episode)
    episode.episode("test-episode", SCRIPT + 'chapters:\n  - {at: "0:00", title: Start}\n  - {at: "0:40", title: Then}\n'
                    '  - {at: "1:00", title: End}\n')
    assert _plan(episode, sent).action == UPDATE


def test_a_track_timed_from_the_audio_is_compared_by_its_words_and_held_without_the_video(episode):
    aligned = _sent(episode, timing="audio", sent=sha256_text("cues measured in the audio"))
    assert _plan(episode, aligned).action == UNCHANGED  # the same words: the audio's times stand
    episode.episode("test-episode", SCRIPT.replace("lost", "lost over years"))
    held = _plan(episode, aligned)
    assert held.action == HELD and "upload.video" in held.why and held.units == 0
    forced = _plan(episode, aligned, force=True)
    assert forced.action == UPDATE and forced.track.timing == "estimate"


def test_no_track_of_ours_is_an_insert_and_the_creators_track_is_kept_unless_forced(episode):
    change = _plan(episode)
    assert change.action == INSERT and change.units == 50 + 400 and change.track.draft is True
    theirs = CaptionRecord(id="AUieDaTheirs", language="en", name="Hand made")
    kept = _plan(episode, theirs)
    assert kept.action == KEPT and "'Hand made'" in kept.why and kept.units == 0
    forced = _plan(episode, theirs, force=True)
    assert forced.action == UPDATE and forced.target == theirs
    other_language = CaptionRecord(id="AUieDaGerman", language="de", name="Deutsch")
    assert _plan(episode, other_language).action == INSERT


def test_a_track_added_in_studio_beside_where_ours_would_go_is_kept_and_one_of_our_name_is_compared(episode):
    change = _plan(episode)
    studio = CaptionRecord(id="AUieDaStudio", language="en", name="Studio")
    settle_listed(change, [_live(studio)], False, [studio])
    assert change.action == KEPT and change.found == [studio] and change.units == 50
    change = _plan(episode)
    ours_by_name = CaptionRecord(id="AUieDaLost", language="en", name="From the script")
    settle_listed(change, [_live(ours_by_name)], False, [ours_by_name])
    assert change.action == UPDATE and change.target == ours_by_name  # downloaded next, and compared
    settle_downloaded(change, list(change.track.lines), False)
    assert change.action == UNCHANGED and change.record_only  # our track, whose answer was lost


def test_our_track_deleted_in_studio_is_not_added_again_unless_forced(episode):
    sent = _sent(episode)
    episode.episode("test-episode", SCRIPT.replace("lost", "lost over years"))
    change = _plan(episode, sent)
    settle_listed(change, [], False, [])
    assert change.action == KEPT and "deleted in YouTube Studio" in change.why
    forced = _plan(episode, sent, force=True)
    settle_listed(forced, [], True, [])
    assert forced.action == INSERT and forced.units == 450


@pytest.mark.parametrize("moved, kept", [(True, True), (False, False)])
def test_cues_that_differ_from_what_was_sent_are_a_studio_edit_only_when_youtube_says_the_track_changed(
        episode, moved, kept):
    sent = _sent(episode)
    episode.episode("test-episode", SCRIPT.replace("lost", "lost over years"))
    change = _plan(episode, sent)
    settle_listed(change, [_live(sent, lastUpdated="2026-12-03T08:00:00.000Z" if moved else sent.last_updated,
                                 isDraft=False)], False, [])
    assert change.live_draft is False
    settle_downloaded(change, ["00:00:00.000 --> 00:00:02.000  Typed in Studio"], False)
    assert change.action == (KEPT if kept else UPDATE)
    assert "Typed in Studio" in change.cue_diff()  # what --force would lose, or what the update replaces
    assert lines_hash(change.track.lines) == change.track.sent_hash


def test_a_deferred_change_costs_nothing(episode):
    change = _plan(episode)
    change.action, change.reads = DEFERRED, []
    assert change.units == 0 and change.write is None
