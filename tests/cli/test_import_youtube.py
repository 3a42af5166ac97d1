"""A creator brings an existing channel in from YouTube: `import --channel-uploads` and `import --video`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from episodekit.pipeline.build import build_valid
from episodekit.workspace import Workspace

FIRST_RELEASE = datetime(2023, 1, 4, 14, 0, tzinfo=UTC)  # a Wednesday, 09:00 in New York
LIBRARY = """\
serafini2012:
  author: [{family: Serafini, given: G.}]
  title: Neuroplasticity and major depression
  container-title-short: World J Psychiatry
  issued: 2012
  volume: 2
  issue: 3
  page: 49-57
  DOI: 10.5498/wjp.v2.i3.49
schultz1997:
  author: [{family: Schultz, given: W.}, {family: Dayan, given: P.}, {family: Montague, given: P. R.}]
  title: A neural substrate of prediction and reward
  container-title-short: Science
  issued: 1997
  volume: 275
  issue: 5306
  page: 1593-1599
  DOI: 10.1126/science.275.5306.1593
"""
TYPED_REFERENCES = (  # the same two papers, typed by hand: no numbers, full page ranges, doi: instead of a link
    "Serafini G. Neuroplasticity and major depression. World J Psychiatry. 2012;2(3):49-57. doi:10.5498/wjp.v2.i3.49\n"
    "Schultz W, Dayan P, Montague PR. A neural substrate of prediction and reward. Science. 1997;275(5306):1593-1599. "
    "doi:10.1126/science.275.5306.1593"
)


def channel_description(channel) -> tuple[str, str]:
    """The description the channel renders for an episode citing both papers, and its references block."""
    channel.write("references.yaml", LIBRARY)
    channel.episode("template-episode", "title: Template\nsummary: [SUMMARY]\ncitations: [serafini2012, schultz1997]\n")
    rendered = build_valid(Workspace.open(channel.root), channel.root / "episodes" / "template-episode.yaml").rendered
    (channel.root / "episodes" / "template-episode.yaml").unlink()
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    return rendered.as_sent()["description"], rendered.references.rstrip("\n")


def seed_uploads(fake, channel, count: int, typed_every: int = 10) -> dict[str, str]:
    """``count`` public weekly videos typed as the channel renders them, every ``typed_every``-th with its
    references typed by hand; video id -> title, oldest first."""
    description, block = channel_description(channel)
    videos = {}
    for i in range(count):
        fake.now = lambda i=i: FIRST_RELEASE + timedelta(weeks=i)
        text = description.replace("SUMMARY", f"Episode {i:03d} explains one more finding about synapses.")
        if i % typed_every == 0:
            text = text.replace(block, TYPED_REFERENCES)
        title = f"Synapses, part {i:03d}"
        video_id = fake.add_video(snippet={"title": title, "description": text, "tags": ["science"],
                                           "categoryId": "27"}, status={"privacyStatus": "public"})
        videos[video_id] = title
    fake.now = lambda: datetime.now(UTC)
    return videos


def list_calls(fake) -> dict[str, int]:
    return {op: len(fake.requests_for(op)) for op in ("channels.list", "playlistItems.list", "videos.list")}


def test_a_channel_of_120_videos_comes_in_as_episodes_library_and_ledger_in_sync(channel, fake, youtube_env, run_cli):
    videos = seed_uploads(fake, channel, 120)
    library_before = (channel.root / "references.yaml").read_text()

    result = run_cli("import", "--channel-uploads", "--no-lookup", cwd=channel.root)

    assert result.code == 0, result.err
    assert "1 + 2 x ceil(N/50)" in result.out and "120 upload(s) to read: 7 units" in result.out
    assert list_calls(fake) == {"channels.list": 1, "playlistItems.list": 3, "videos.list": 3}
    assert fake.quota_used == 7 and not fake.requests_for("videos.update")
    assert len(list((channel.root / "episodes").glob("*.yaml"))) == 120
    ledger = yaml.safe_load((channel.root / "published.yaml").read_text())["episodes"]
    assert sorted(entry["video_id"] for entry in ledger.values()) == sorted(videos)
    library = yaml.safe_load((channel.root / "references.yaml").read_text())
    assert list(library) == list(yaml.safe_load(library_before))  # the same two papers: no new entry

    fake.requests.clear()
    synced = run_cli("sync", "--dry-run", cwd=channel.root)
    assert synced.code == 0, synced.err
    assert "videos: 0 update, 120 unchanged, 0 drift, 0 missing" in synced.out  # every one renders back
    assert list_calls(fake) == {"channels.list": 1, "playlistItems.list": 0, "videos.list": 3}  # 1: the check
    status = run_cli("status", cwd=channel.root)
    assert status.code == 0, status.err
    assert status.out.count("up to date") == 120
    assert run_cli("check", cwd=channel.root).code == 0
    typed = [p for p in (channel.root / "episodes").glob("*.yaml") if "typed:" in p.read_text()]
    assert len(typed) == 12  # the references typed by hand are kept as typed; the others need nothing

    restyled = run_cli("refs", "restyle", cwd=channel.root)
    assert restyled.code == 0, restyled.err
    assert "restyled 24 reference(s) in 12 episode(s)" in restyled.out

    status = run_cli("status", cwd=channel.root)
    assert status.out.count("up to date") == 108 and status.out.count("stale: citation style") == 12
    fake.requests.clear()
    synced = run_cli("sync", "--dry-run", cwd=channel.root)
    assert "videos: 12 update, 108 unchanged, 0 drift, 0 missing" in synced.out
    assert synced.out.count("changes only in its references block: the references, in the channel's "
                            "citation style (vancouver)") == 12
    assert list_calls(fake) == {"channels.list": 1, "playlistItems.list": 0, "videos.list": 3}  # 1: the check


def test_with_restyle_the_typed_references_come_in_the_channel_s_style(channel, fake, youtube_env, run_cli):
    seed_uploads(fake, channel, 20)

    result = run_cli("import", "--channel-uploads", "--no-lookup", "--restyle", cwd=channel.root)

    assert result.code == 0, result.err
    assert "round trip: 18 of 20 exact (90%)" in result.out and "[reference style]" in result.out
    assert not any("typed:" in p.read_text() for p in (channel.root / "episodes").glob("*.yaml"))
    status = run_cli("status", cwd=channel.root)
    assert status.out.count("stale: citation style") == 2 and status.out.count("up to date") == 18
    synced = run_cli("sync", "--dry-run", cwd=channel.root)
    assert "videos: 2 update, 18 unchanged, 0 drift, 0 missing" in synced.out


def test_the_dry_run_writes_nothing_and_spends_only_list_units(channel, fake, youtube_env, run_cli):
    seed_uploads(fake, channel, 60)
    before = sorted(p.name for p in channel.root.rglob("*"))

    result = run_cli("import", "--channel-uploads", "--dry-run", "--no-lookup", cwd=channel.root)

    assert result.code == 0, result.err
    assert sorted(p.name for p in channel.root.rglob("*")) == before
    assert fake.quota_used == 1 + 2 + 2 and {r["op"] for r in fake.requests} <= set(list_calls(fake))
    assert "dry run" in result.out


def test_a_limit_reads_only_the_newest_uploads(channel, fake, youtube_env, run_cli):
    videos = seed_uploads(fake, channel, 60)

    result = run_cli("import", "--channel-uploads", "--limit", "5", "--no-lookup", cwd=channel.root)

    assert result.code == 0, result.err
    ledger = yaml.safe_load((channel.root / "published.yaml").read_text())["episodes"]
    assert sorted(e["video_id"] for e in ledger.values()) == sorted(list(videos)[-5:])
    assert fake.quota_used == 3


def test_importing_again_skips_every_video_the_ledger_knows(channel, fake, youtube_env, run_cli):
    seed_uploads(fake, channel, 3)
    assert run_cli("import", "--channel-uploads", "--no-lookup", cwd=channel.root).code == 0
    ledger_before = (channel.root / "published.yaml").read_bytes()

    again = run_cli("import", "--channel-uploads", "--no-lookup", cwd=channel.root)

    assert again.code == 0, again.err
    assert again.out.count("already in the ledger as episode") == 3
    assert (channel.root / "published.yaml").read_bytes() == ledger_before


def test_a_scheduled_video_keeps_its_release_time(channel, fake, youtube_env, run_cli):
    description, _ = channel_description(channel)
    release = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    video_id = fake.add_video(snippet={"title": "Coming soon", "description": description.replace("SUMMARY", "Soon."),
                                       "tags": ["science"]},
                              status={"privacyStatus": "private", "publishAt": release.strftime("%Y-%m-%dT%H:%M:%SZ")})

    result = run_cli("import", "--video", f"https://youtu.be/{video_id}", "--no-lookup", cwd=channel.root)

    assert result.code == 0, result.err
    [entry] = yaml.safe_load((channel.root / "published.yaml").read_text())["episodes"].values()
    assert entry["video_id"] == video_id and entry["publish_at"] == release.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert fake.quota_used == 2


def test_an_unknown_video_is_named_and_nothing_is_imported(channel, fake, youtube_env, run_cli):
    seed_uploads(fake, channel, 1)
    [known] = list(fake.videos)
    before = sorted(p.name for p in channel.root.rglob("*"))

    result = run_cli("import", "--video", known, "--video", "AAAAAAAAAAA", "--no-lookup", cwd=channel.root)

    assert result.code == 1
    assert "video AAAAAAAAAAA: YouTube has no such video" in result.err and "nothing was imported" in result.err
    assert "Traceback" not in result.err
    assert sorted(p.name for p in channel.root.rglob("*")) == before


@pytest.mark.parametrize("args, message", [
    (["--video", "not an id"], "--video not an id: not a YouTube video id"),
    ([], "say what to import, one of: --from-file DESCRIPTION.txt --title TITLE, --channel-uploads, --video ID"),
    (["--channel-uploads", "--video", "AAAAAAAAAAA"], "say what to import"),
    (["--channel-uploads", "--title", "X"], "--title, --published-at and --schedule go with --from-file"),
    (["--video", "AAAAAAAAAAA", "--limit", "3"], "--limit goes with --channel-uploads"),
])
def test_a_wrong_combination_or_id_is_a_usage_error_before_any_call(channel, fake, youtube_env, run_cli, args, message):
    result = run_cli("import", *args, cwd=channel.root)

    assert result.code == 2 and message in result.err
    assert fake.requests == []


def test_quota_running_out_while_listing_writes_nothing_and_says_so(channel, fake, youtube_env, run_cli):
    seed_uploads(fake, channel, 120)
    fake.quota_limit = 3  # channels.list and two pages; the third page is refused
    before = sorted(p.name for p in channel.root.rglob("*"))

    result = run_cli("import", "--channel-uploads", "--no-lookup", cwd=channel.root)

    assert result.code == 3 and "daily API quota" in result.err and "Traceback" not in result.err
    assert sorted(p.name for p in channel.root.rglob("*")) == before


def test_a_slug_the_ledger_holds_for_another_video_is_not_written(channel, fake, youtube_env, run_cli):
    description, _ = channel_description(channel)
    video_id = fake.add_video(snippet={"title": "Old Name", "description": description.replace("SUMMARY", "Hi."),
                                       "tags": ["science"]}, status={"privacyStatus": "public"})
    channel.write("published.yaml", "episodes:\n  old-name:\n    video_id: BBBBBBBBBBB\n")

    result = run_cli("import", "--video", video_id, "--no-lookup", cwd=channel.root)

    assert result.code == 0, result.err
    assert "the ledger already has an entry for old-name (video BBBBBBBBBBB)" in result.out
    assert not (channel.root / "episodes" / "old-name.yaml").exists()
    assert yaml.safe_load((channel.root / "published.yaml").read_text()) == {
        "episodes": {"old-name": {"video_id": "BBBBBBBBBBB"}}}


def test_a_difference_outside_the_references_is_named_as_typed_on_youtube(channel, fake, youtube_env, run_cli):
    description, _ = channel_description(channel)
    channel.write("templates/description.txt.j2",  # a template of the channel's own, which knows no layout
                  "{% for p in episode.summary %}{{ p }}\n\n{% endfor %}"
                  "{% for v in episode.videos %}{{ v.title }} {{ v.url }}\n{% endfor %}\n"
                  "{{ references_block }}\n\n{{ disclaimer }}\n\n{{ schedule_line }}\n")
    typed = description.replace("SUMMARY", "Hi.\n\nVideos referenced in this video\n"
                                "An older one https://www.youtube.com/watch?v=CCCCCCCCCCC")
    video_id = fake.add_video(snippet={"title": "Links", "description": typed, "tags": ["science"]},
                              status={"privacyStatus": "public"})
    assert run_cli("import", "--video", video_id, "--no-lookup", cwd=channel.root).code == 0

    status = run_cli("status", cwd=channel.root)
    synced = run_cli("sync", "--dry-run", cwd=channel.root)

    assert "stale: description as typed on YouTube" in status.out
    assert "update  description" in synced.out and "only in its references block" not in synced.out
    assert "+An older one https://youtu.be/CCCCCCCCCCC" in synced.out


SRT = b"1\n00:00:00,000 --> 00:00:02,000\nHand-made caption.\n"


def test_the_tracks_of_imported_videos_are_recorded_as_the_creators_and_sync_keeps_them(
        channel, fake, youtube_env, run_cli):
    videos = list(seed_uploads(fake, channel, 3))
    studio = fake.add_caption(videos[0], name="Hand made", content=SRT)
    fake.add_caption(videos[0], kind="asr")
    fake.add_caption(videos[1], kind="asr")  # automatic captions only: nothing to read

    result = run_cli("import", "--channel-uploads", "--no-lookup", "--json", cwd=channel.root)

    assert result.code == 0, result.err
    assert fake.quota_used == 1 + 1 + 1 + 50  # one captions.list: only the video with a track of its own
    assert [r["query"]["videoId"] for r in fake.requests_for("captions.list")] == [videos[0]]
    assert "1 caption track(s) found on them" in result.err  # the lines go to stderr beside the JSON document
    document = json.loads(result.out)
    assert document["caption_tracks"] == {"found": 1, "unread": None} and document["quota_units"] == 53
    ledger = yaml.safe_load((channel.root / "published.yaml").read_text())["episodes"]
    by_video = {entry["video_id"]: (slug, entry) for slug, entry in ledger.items()}
    slug, entry = by_video[videos[0]]
    assert entry["captions"] == [{"id": studio, "language": "en", "name": "Hand made",
                                  "last_updated": fake.captions[studio].snippet["lastUpdated"]}]
    assert "captions" not in by_video[videos[1]][1]

    spent = fake.quota_used  # in sync: no script, so no track of episodekit's to send, and nothing read
    assert "caption tracks" not in run_cli("sync", "--dry-run", cwd=channel.root).out
    assert fake.quota_used == spent + 1 + 1  # the channel check and one videos.list
    for video_id in videos[:2]:  # the creator writes the scripts of two videos afterwards
        path = channel.root / "episodes" / f"{by_video[video_id][0]}.yaml"
        path.write_text(path.read_text() + "script:\n  - heading: One\n    body: Synapses change with use.\n")
    plan = run_cli("sync", "--dry-run", cwd=channel.root)
    assert plan.code == 0, plan.err
    assert f"{videos[0]}  captions: kept: the video has a track in en that episodekit did not send ('Hand made'" in plan.out
    assert f"{videos[1]}  captions: insert the script's track (en, 1 cue, a draft to review" in plan.out
    assert "caption tracks: 1 insert, 1 kept\n" in plan.out and "+ 450 units for caption tracks" in plan.out
    assert fake.caption_text(studio) == SRT.decode() and fake.requests_for("captions.insert") == []


def test_a_file_an_interrupted_import_left_without_its_ledger_entry_gets_its_video_s_tracks_too(
        channel, fake, youtube_env, run_cli):
    videos = list(seed_uploads(fake, channel, 2))
    studio = fake.add_caption(videos[1], name="Hand made", content=SRT)
    assert run_cli("import", "--channel-uploads", "--no-lookup", cwd=channel.root).code == 0
    ledger = (channel.root / "published.yaml").read_text()
    (channel.root / "published.yaml").unlink()  # as if killed between the episode files and the ledger

    rerun = run_cli("import", "--channel-uploads", "--no-lookup", "--json", cwd=channel.root)

    assert rerun.code == 0, rerun.err
    document = json.loads(rerun.out)
    assert len(document["completed"]) == 2 and document["caption_tracks"] == {"found": 1, "unread": None}
    assert (channel.root / "published.yaml").read_text() == ledger  # the tracks recorded as the first run did
    entries = yaml.safe_load(ledger)["episodes"].values()
    assert [entry["captions"][0]["id"] for entry in entries if entry["video_id"] == videos[1]] == [studio]
