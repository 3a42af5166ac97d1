"""The pure plans: what an upload would send, and which live videos a sync would change."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from episodekit.errors import EpisodeError, RefusedError
from episodekit.models.ledger import LedgerEntry, SentHashes
from episodekit.pipeline.build import build_episodes, build_valid
from episodekit.publish.quota import cost_of
from episodekit.publish.sync import (
    SyncPlan,
    VideoChange,
    Wanted,
    plan_from_ledger,
    plan_video,
    sent_after_update,
    update_body,
    wanted_videos,
)
from episodekit.publish.upload import plan_upload
from episodekit.workspace import Workspace
from tests.conftest import CHANNEL_YAML

NOW = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)  # Monday; the next slot is Wed 2026-01-07 09:00 New York
VIDEO_ID = "abcdefghijk"
UNSCHEDULED = "title: Someday\nsummary: [x]\n"


def plan(channel, slug: str = "test-episode", text: str | None = None, **options):
    if text is not None:
        channel.episode(slug, text)
    ws = Workspace.open(channel.root)
    build = build_valid(ws, ws.episodes_dir / f"{slug}.yaml", NOW)
    return plan_upload(ws, build, now=NOW, **options)


def ledger(channel, slug: str = "test-episode", extra: str = "") -> None:
    channel.write("published.yaml", f"episodes:\n  {slug}:\n    video_id: {VIDEO_ID}\n{extra}")


# --- plan_upload ----------------------------------------------------------------------------------


def test_an_episode_with_a_future_slot_is_uploaded_private_with_publish_at_in_utc(channel):
    upload = plan(channel)

    assert upload.body["status"] == {
        "privacyStatus": "private", "selfDeclaredMadeForKids": False, "publishAt": "2026-01-07T14:00:00Z",
    }
    assert upload.publish_at == datetime(2026, 1, 7, 14, 0, tzinfo=UTC)
    assert upload.notes == ["the caption track follows the video: 1 cues in en, timed by the estimate, named "
                            "'From the script', as a draft to review and publish in YouTube Studio"]


def test_a_scheduled_episode_stays_private_until_release_even_if_it_asks_for_public(channel):
    upload = plan(channel, text="title: T\nschedule: next\nsummary: [x]\nupload: {privacy: public}\n")

    assert upload.body["status"]["privacyStatus"] == "private"
    assert upload.body["status"]["publishAt"] == "2026-01-07T14:00:00Z"


def test_without_a_release_time_the_episodes_privacy_is_used_and_a_note_says_so(channel):
    upload = plan(channel, text=UNSCHEDULED + "upload: {privacy: unlisted}\n")

    assert upload.body["status"] == {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False}
    assert upload.publish_at is None
    assert upload.notes == ["no future release time: the video is not scheduled"]


@pytest.mark.parametrize("channel_upload, expected", [("", "private"), ("upload: {privacy: public}\n", "public")])
def test_without_a_release_time_the_channels_default_privacy_is_used(channel, channel_upload, expected):
    channel.write("channel.yaml", CHANNEL_YAML + channel_upload)

    assert plan(channel, text=UNSCHEDULED, public_now=True).body["status"]["privacyStatus"] == expected


def test_a_public_video_without_a_release_time_needs_public_now(channel):
    channel.write("channel.yaml", CHANNEL_YAML + "upload: {privacy: public}\n")

    with pytest.raises(RefusedError, match="--public-now"):
        plan(channel, text=UNSCHEDULED)


def test_a_release_time_in_the_past_is_not_sent_and_its_warning_is_a_note(channel):
    upload = plan(channel, text="title: T\nschedule: '2026-01-05 07:00'\nsummary: [x]\n")

    assert "publishAt" not in upload.body["status"]
    assert upload.publish_at is None
    assert upload.notes[0] == "no future release time: the video is not scheduled"
    assert any("is in the past" in note for note in upload.notes[1:])


def test_the_snippet_carries_what_was_rendered_and_the_category_as_text(channel):
    ws = Workspace.open(channel.root)
    rendered = build_valid(ws, ws.episodes_dir / "test-episode.yaml", NOW).rendered

    snippet = plan(channel).body["snippet"]

    assert snippet == {**rendered.as_sent(), "categoryId": "27", "defaultLanguage": "en"}
    assert not snippet["description"].endswith("\n")


def test_the_episodes_upload_settings_win_over_the_channels(channel):
    channel.write("channel.yaml", CHANNEL_YAML + "upload: {category: 22, language: fr}\n")
    settings = "upload: {category: 28, language: de, made_for_kids: true}\n"

    upload = plan(channel, text=UNSCHEDULED + settings)

    assert (upload.body["snippet"]["categoryId"], upload.body["snippet"]["defaultLanguage"]) == ("28", "de")
    assert upload.body["status"]["selfDeclaredMadeForKids"] is True


def test_the_channels_upload_defaults_fill_what_the_episode_leaves_out(channel):
    channel.write("channel.yaml", CHANNEL_YAML + "upload: {category: 22, language: fr}\n")

    snippet = plan(channel, text=UNSCHEDULED).body["snippet"]

    assert (snippet["categoryId"], snippet["defaultLanguage"]) == ("22", "fr")


def test_an_episode_already_uploaded_is_refused_and_sync_is_suggested(channel):
    ledger(channel)

    with pytest.raises(RefusedError) as caught:
        plan(channel)

    assert f"already uploaded as video {VIDEO_ID} (https://youtu.be/{VIDEO_ID})" in str(caught.value)
    assert "`episodekit sync`" in str(caught.value)


def test_an_upload_with_follow_ups_left_or_resumed_is_not_refused(channel):
    ledger(channel, extra="    pending: [thumbnail]\n")

    assert plan(channel).slug == "test-episode"
    ledger(channel)
    assert plan(channel, resume=True).slug == "test-episode"


def test_a_link_to_an_episode_without_a_video_is_refused(channel):
    channel.episode("sequel", UNSCHEDULED + "videos:\n  - episode: test-episode\n")

    with pytest.raises(RefusedError) as caught:
        plan(channel, "sequel")

    assert "links to episode 'test-episode', which has no video yet; upload it first" in str(caught.value)


def test_a_link_to_an_uploaded_episode_is_planned_with_its_url(channel):
    ledger(channel)

    upload = plan(channel, "sequel", UNSCHEDULED + "videos:\n  - episode: test-episode\n")

    assert f"A Test Episode https://youtu.be/{VIDEO_ID}" in upload.description


def test_an_invalid_episode_is_not_planned(channel):
    channel.episode("broken", "title: T\nsummary: [x]\ncitations: [nobody2020]\n")
    ws = Workspace.open(channel.root)
    build = build_episodes(ws, [ws.episodes_dir / "broken.yaml"], NOW).builds[0]

    with pytest.raises(EpisodeError, match="unknown citation key 'nobody2020'"):
        plan_upload(ws, build, now=NOW)


def test_thumbnail_and_playlist_become_follow_ups_in_order(channel):
    upload = plan(channel, text=UNSCHEDULED + "upload: {playlist: PL123, thumbnail: art/thumb.png}\n")

    assert upload.follow_ups == ["thumbnail", "playlist"]
    assert upload.thumbnail == channel.root.resolve() / "art" / "thumb.png"
    assert upload.playlist == "PL123"


def test_the_channels_playlist_alone_is_a_follow_up(channel):
    channel.write("channel.yaml", CHANNEL_YAML + "upload: {playlist: PLchannel}\n")

    assert plan(channel).follow_ups == ["playlist", "captions"]


def test_no_thumbnail_and_no_playlist_leaves_the_caption_track_the_only_follow_up(channel):
    assert plan(channel).follow_ups == ["captions"]


@pytest.mark.parametrize("where", ["channel.yaml", "episode"])
def test_captions_upload_no_or_an_episode_without_a_script_sends_no_track(channel, where):
    if where == "channel.yaml":
        channel.write("channel.yaml", CHANNEL_YAML + "captions: {upload: no}\n")
    else:
        channel.episode("test-episode", "title: T\nschedule: next\nsummary: [x]\n")
    upload = plan(channel)
    assert upload.follow_ups == [] and upload.captions is None


def test_the_video_file_is_relative_to_the_channel_or_to_the_current_folder_when_given(channel, monkeypatch):
    channel.episode("test-episode", UNSCHEDULED + "upload: {video: media/ep.mp4}\n")
    monkeypatch.chdir(channel.root / "episodes")

    assert plan(channel).video == channel.root.resolve() / "media" / "ep.mp4"
    assert plan(channel, video=Path("take2.mp4")).video == Path.cwd() / "take2.mp4"


# --- sync: plan_video -----------------------------------------------------------------------------

OLD = {"title": "The title", "description": "Line one\nLine two", "tags": ["science"]}
NEW = {"title": "The title", "description": "Line one\nLine 2", "tags": ["science"]}


def wanted(fields: dict = NEW, sent: dict | None = OLD) -> Wanted:
    entry = LedgerEntry(video_id=VIDEO_ID, sent=SentHashes.of(sent) if sent else None)
    return Wanted("ep", "episodes/ep.yaml", VIDEO_ID, dict(fields), entry, {})


def live(**snippet) -> dict:
    return {"id": VIDEO_ID, "snippet": snippet}


def test_a_video_no_longer_on_youtube_is_missing(channel):
    assert plan_video(wanted(), None).action == "missing"


def test_a_video_showing_what_we_would_send_is_unchanged():
    change = plan_video(wanted(), live(**NEW, channelId="UCabc"))

    assert (change.action, change.changes, change.drift) == ("unchanged", {}, {})


def test_a_live_description_that_differs_only_where_youtube_shows_nothing_is_unchanged():
    shown_alike = {**NEW, "description": "Line one  \r\nLine 2\r\n\n  "}  # CRLF, spaces at the ends, blank end

    change = plan_video(wanted(NEW, sent=shown_alike), live(**shown_alike))

    assert (change.action, change.changes, change.drift) == ("unchanged", {}, {})
    assert SentHashes.of(shown_alike) == SentHashes.of(NEW)  # the ledger records it as the same text
    moved = plan_video(wanted(NEW, sent=shown_alike), live(**{**NEW, "description": "Line one\n\nLine 2"}))
    assert moved.action == "drift"  # a blank line more is a change YouTube shows


def test_our_new_description_is_an_update_with_the_live_and_new_text():
    change = plan_video(wanted(), live(**OLD))

    assert change.action == "update"
    assert change.changes == {"description": ("Line one\nLine two", "Line one\nLine 2")}
    assert change.description_diff().endswith(
        "-Line two\n\\ No newline at end of file\n+Line 2\n\\ No newline at end of file")  # as patch needs it
    assert change.description_diff().startswith(f"--- {VIDEO_ID} (live)\n+++ ep (new)")


def test_a_title_edited_in_studio_is_drift_and_is_kept():
    change = plan_video(wanted(NEW, sent=NEW), live(**{**NEW, "title": "Studio title"}))

    assert change.action == "drift"
    assert change.changes == {}
    assert change.drift == {"title": ("Studio title", "The title")}


def test_force_overwrites_a_studio_edit():
    change = plan_video(wanted(NEW, sent=NEW), live(**{**NEW, "title": "Studio title"}), force=True)

    assert change.action == "update"
    assert (change.changes, change.drift) == ({"title": ("Studio title", "The title")}, {})


def test_our_change_is_sent_while_a_studio_edit_next_to_it_is_kept():
    change = plan_video(wanted(), live(**{**OLD, "tags": ["edited"]}))

    assert change.action == "update"
    assert list(change.changes) == ["description"]
    assert change.drift == {"tags": (["edited"], ["science"])}


def test_without_a_record_of_what_was_sent_a_difference_is_not_called_drift():
    change = plan_video(wanted(sent=None), live(**{**NEW, "title": "Studio title"}))

    assert change.action == "update"
    assert change.changes == {"title": ("Studio title", "The title")}


def test_live_tags_that_are_absent_count_as_no_tags():
    change = plan_video(wanted(sent=None), live(title="The title", description="Line one\nLine 2"))

    assert change.changes == {"tags": ([], ["science"])}


def test_a_category_other_than_ours_is_changed_even_without_force():
    fields = {**NEW, "categoryId": "27"}

    change = plan_video(wanted(fields, sent=NEW), live(**NEW, categoryId="22"))

    assert (change.action, change.changes) == ("update", {"categoryId": ("22", "27")})


# --- sync: plan_from_ledger, update_body, sent_after_update, quota ---------------------------------


def test_planning_from_the_ledger_updates_exactly_the_fields_whose_hash_changed():
    plan_ = plan_from_ledger([wanted(), wanted(sent=NEW), wanted(sent=None)])

    assert [v.action for v in plan_.videos] == ["update", "unchanged", "update"]
    assert plan_.videos[0].changes == {"description": (None, "Line one\nLine 2")}
    assert list(plan_.videos[2].changes) == ["title", "description", "tags"]
    assert plan_.videos[0].description_diff() == ""
    assert (plan_.count("update"), plan_.count("unchanged")) == (2, 1)


def test_the_update_body_keeps_the_live_snippets_other_fields():
    snippet = {**OLD, "tags": ["edited"], "categoryId": "22", "defaultAudioLanguage": "en-US",
               "channelId": "UCabc", "publishedAt": "2026-01-01T00:00:00Z"}
    change = plan_video(wanted(), live(**snippet))

    assert update_body(change) == {"id": VIDEO_ID, "snippet": {
        "title": "The title", "description": "Line one\nLine 2", "tags": ["edited"],
        "categoryId": "22", "defaultAudioLanguage": "en-US",
    }}


def test_after_an_update_the_ledger_keeps_the_old_hash_of_a_drifted_field():
    fields = {**NEW, "tags": ["science", "mood"]}
    change = plan_video(wanted(fields), live(**{**OLD, "tags": ["edited"]}))
    assert change.drift == {"tags": (["edited"], ["science", "mood"])}

    sent = sent_after_update(change)

    assert sent.tags == SentHashes.of(OLD).tags != SentHashes.of(fields).tags
    assert sent.description == SentHashes.of(NEW).description
    assert sent.title == SentHashes.of(NEW).title


def test_after_a_first_recorded_update_the_ledger_holds_our_hashes():
    change = plan_video(wanted(sent=None), live(**OLD))

    assert sent_after_update(change) == SentHashes.of(NEW)
    assert wanted(sent=NEW).recorded and not wanted().recorded


@pytest.mark.parametrize("videos, updates", [(0, 0), (1, 0), (1, 1), (50, 2), (51, 2), (120, 3)])
def test_a_sync_costs_the_channel_check_one_list_call_per_50_videos_and_each_update(videos, updates):
    changes = [VideoChange(wanted(), "update") for _ in range(updates)]
    changes += [VideoChange(wanted(), "unchanged") for _ in range(videos - updates)]

    check = cost_of("channels.list").units if videos else 0  # a sync of nothing asks YouTube nothing
    expected = check + math.ceil(videos / 50) * cost_of("videos.list").units + updates * cost_of("videos.update").units

    assert SyncPlan(changes).units == expected


def test_fifty_one_videos_with_two_updates_cost_103_units():
    changes = [VideoChange(wanted(), "update")] * 2 + [VideoChange(wanted(), "unchanged")] * 49

    assert SyncPlan(changes).units == 1 + 2 + 100  # the channel check, two videos.list, two updates


# --- sync: wanted_videos from a channel -----------------------------------------------------------


def test_only_uploaded_episodes_are_wanted_with_their_category_and_language(channel):
    channel.episode("test-episode", UNSCHEDULED + "upload: {category: 28, language: de}\n")
    channel.episode("draft", UNSCHEDULED)
    ledger(channel)

    [item] = wanted_videos(Workspace.open(channel.root), None)

    assert (item.slug, item.video_id) == ("test-episode", VIDEO_ID)
    assert item.fields["categoryId"] == "28" and item.fields["defaultLanguage"] == "de"
    assert item.fields["title"] == "Someday"


def test_syncing_an_episode_that_is_not_uploaded_is_refused(channel, monkeypatch):
    monkeypatch.chdir(channel.root)
    with pytest.raises(RefusedError) as caught:
        wanted_videos(Workspace.open(channel.root), [channel.root / "episodes" / "test-episode.yaml"])

    assert str(caught.value) == "test-episode.yaml: not uploaded yet (published.yaml has no video for it)"
