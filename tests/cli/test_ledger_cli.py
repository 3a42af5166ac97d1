"""The ledger and the episode files agree, or `check` says why: renamed and deleted episode files, one video
recorded twice, a ledger emptied or cut short, two files for one slug, a release time without a time zone;
and `ledger move`, which gives a renamed episode its video back."""

from __future__ import annotations

import os
import re

import pytest

from episodekit.errors import ChannelError
from episodekit.ledger import load_ledger

EPISODES = "episodes"


@pytest.fixture
def uploaded(channel, run_cli, fake, youtube_env):
    """The test channel with its episode uploaded to the fake, as a creator would have done it."""
    (channel.root / "video.mp4").write_bytes(os.urandom(100_000))
    result = run_cli("upload", "test-episode", "--video", "video.mp4", "--yes", cwd=channel.root)
    assert result.code == 0, result.err
    return channel


def rename(channel, old: str, new: str) -> None:
    (channel.root / EPISODES / f"{old}.yaml").rename(channel.root / EPISODES / f"{new}.yaml")


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --- a renamed episode file -------------------------------------------------------------------------------

def test_a_renamed_episode_is_refused_as_a_second_video_and_ledger_move_gives_it_its_video(uploaded, run_cli, fake):
    (video_id,) = fake.videos
    rename(uploaded, "test-episode", "better-name")

    checked = run_cli("check", cwd=uploaded.root)
    ledger_text = (uploaded.root / "published.yaml").read_text()
    assert checked.code == 1
    assert (f"published.yaml:{line_of(ledger_text, 'test-episode:')}: episodes.test-episode: video {video_id} "
            "has no episode file") in checked.err
    assert "`episodekit ledger move test-episode better-name`" in checked.err

    again = run_cli("upload", "better-name", "--video", "video.mp4", "--yes", cwd=uploaded.root)
    assert again.code == 1
    assert "same title and description as episode 'test-episode'" in again.err
    assert "`episodekit ledger move test-episode better-name`" in again.err
    assert list(fake.videos) == [video_id] and len(fake.requests_for("videos.insert")) == 1

    looked = run_cli("ledger", "move", "test-episode", "better-name", "--dry-run", cwd=uploaded.root)
    assert looked.code == 0 and "would move" in looked.out
    assert (uploaded.root / "published.yaml").read_text() == ledger_text

    moved = run_cli("ledger", "move", "test-episode", "better-name", cwd=uploaded.root)
    assert moved.code == 0, moved.err
    assert f"moved: test-episode -> better-name, video {video_id}" in moved.out
    ledger = load_ledger(uploaded.root / "published.yaml")
    assert list(ledger.episodes) == ["better-name"] and ledger.video_id("better-name") == video_id
    assert run_cli("check", cwd=uploaded.root).code == 0
    assert re.search(rf"^episodes/better-name\.yaml .* {video_id}  up to date$", run_cli("status", cwd=uploaded.root).out,
                     re.MULTILINE)
    refused = run_cli("upload", "better-name", "--video", "video.mp4", "--yes", cwd=uploaded.root)
    assert refused.code == 1 and f"already uploaded as video {video_id}" in refused.err
    assert list(fake.videos) == [video_id]


def test_a_renamed_episode_whose_description_changed_since_is_still_recognised_by_its_title(uploaded, run_cli, fake):
    rename(uploaded, "test-episode", "renamed")
    path = uploaded.root / EPISODES / "renamed.yaml"
    path.write_text(path.read_text().replace("First paragraph.", "A better first paragraph."))

    result = run_cli("upload", "renamed", "--video", "video.mp4", "--yes", cwd=uploaded.root)

    assert result.code == 1 and "same title as episode 'test-episode'" in result.err
    assert len(fake.videos) == 1


def test_an_entry_whose_episode_was_deleted_is_an_error_at_its_line(channel, run_cli):
    channel.write("published.yaml", """\
        episodes:
          test-episode: {video_id: AAAAAAAAAAA}
          deleted-one:
            video_id: BBBBBBBBBBB
        """)

    result = run_cli("check", cwd=channel.root)

    assert result.code == 1
    assert "published.yaml:3: episodes.deleted-one: video BBBBBBBBBBB has no episode file" in result.err
    assert "delete this entry" in result.err and "1 error(s)" in result.out


def test_an_unfinished_upload_whose_file_is_gone_is_reported_too(channel, run_cli):
    channel.write("published.yaml", "episodes:\n  half-done: {upload_started_at: '2026-01-05T11:00:00Z'}\n")

    result = run_cli("check", cwd=channel.root)

    assert result.code == 1
    assert "published.yaml:2: episodes.half-done: an upload of episodes/half-done.yaml started" in result.err


# --- ledger move refuses what would lose or double something --------------------------------------------

@pytest.mark.parametrize(("ledger", "files", "args", "says"), [
    ("old: {video_id: AAAAAAAAAAA}", ["old", "new"], ("old", "new"),
     "episodes/old.yaml is still there, so its entry stays with it"),
    ("old: {video_id: AAAAAAAAAAA}", [], ("old", "new"), "episodes/new.yaml: no such episode file"),
    ("old: {video_id: AAAAAAAAAAA}\n  new: {video_id: BBBBBBBBBBB}", ["new"], ("old", "new"),
     "episode 'new' already has an entry (video BBBBBBBBBBB); nothing was moved"),
    ("old: {video_id: AAAAAAAAAAA}", ["new"], ("olde", "new"), "no entry for episode 'olde'; did you mean 'old'?"),
    ("old: {upload_started_at: '2026-01-05T11:00:00Z'}", ["new"], ("old", "new"), "has not finished"),
    ("old: {video_id: AAAAAAAAAAA}", ["old"], ("old", "old"), "OLD and NEW are the same slug"),
])
def test_ledger_move_refuses_and_writes_nothing(channel, run_cli, ledger, files, args, says):
    text = f"episodes:\n  {ledger}\n"
    channel.write("published.yaml", text)
    for slug in files:
        channel.episode(slug, f"title: Episode {slug}\nsummary: [About {slug}.]\n")

    result = run_cli("ledger", "move", *args, cwd=channel.root)

    assert result.code == 1 and says in result.err, result.err
    assert (channel.root / "published.yaml").read_text() == text


def test_ledger_move_names_the_episodes_that_still_link_to_the_old_slug(channel, run_cli):
    channel.write("published.yaml", "episodes:\n  old: {video_id: AAAAAAAAAAA}\n")
    channel.episode("new", "title: The Renamed One\nsummary: [About it.]\n")
    channel.episode("sequel", "title: The Sequel\nsummary: [More.]\nvideos:\n  - episode: old\n")

    result = run_cli("ledger", "move", "old", "new", cwd=channel.root)

    assert result.code == 0, result.err
    assert "note: episodes/sequel.yaml still links to episode 'old'; change it to `episode: new`" in result.err


# --- one video, two episodes --------------------------------------------------------------------------------

def test_two_episodes_with_one_video_id_fail_check_and_sync_sends_nothing(uploaded, run_cli, fake):
    (video_id,) = fake.videos
    uploaded.episode("twin", "title: Another Episode\nsummary: [Something else.]\n")
    ledger = uploaded.root / "published.yaml"
    ledger.write_text(ledger.read_text() + f"  twin:\n    video_id: {video_id}\n")

    checked = run_cli("check", cwd=uploaded.root)
    assert checked.code == 1
    assert (f"published.yaml:{line_of(ledger.read_text(), 'twin:') + 1}: episodes.twin.video_id: video {video_id} "
            "is also recorded for episode 'test-episode'") in checked.err

    before = len(fake.requests)
    synced = run_cli("sync", "--force", "--yes", cwd=uploaded.root)
    assert synced.code == 1
    assert f"video {video_id} is recorded for episodes 'test-episode', 'twin', so nothing was synced" in synced.err
    assert fake.requests_for("videos.update") == [] and len(fake.requests) == before
    assert fake.videos[video_id]["snippet"]["title"] == "A Test Episode"


# --- a ledger emptied or cut short -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "\n  \n", "# The ledger: what episodekit has sent to YouTube.\n"],
                         ids=["0 bytes", "blank lines", "only a comment"])
def test_an_emptied_ledger_is_an_error_that_says_to_restore_it_not_a_new_channel(uploaded, run_cli, fake, text):
    (uploaded.root / "published.yaml").write_text(text)

    for args in (("check",), ("status",), ("upload", "test-episode", "--video", "video.mp4", "--yes")):
        result = run_cli(*args, cwd=uploaded.root)
        assert result.code == 1, args
        assert result.err.startswith("published.yaml: the ledger is empty") and "git checkout" in result.err
    assert len(fake.videos) == 1


def test_without_a_ledger_file_the_channel_is_new(channel, run_cli):
    assert not (channel.root / "published.yaml").exists()
    assert run_cli("check", cwd=channel.root).code == 0


def test_a_ledger_cut_short_anywhere_in_a_line_is_an_error_never_fewer_uploads(uploaded, run_cli):
    path = uploaded.root / "published.yaml"
    whole = path.read_bytes()
    cuts = [n for n in range(1, len(whole)) if whole[n - 1:n] != b"\n"]
    for cut in cuts:  # every place a copy, a disk full or a crash could have cut it
        path.write_bytes(whole[:cut])
        with pytest.raises(ChannelError) as caught:
            load_ledger(path)
        (problem,) = caught.value.problems
        assert problem.path == "published.yaml" and (problem.line or "the ledger is empty" in problem.message), cut
    for cut in cuts[:: len(cuts) // 5]:  # and the commands say so
        path.write_bytes(whole[:cut])
        result = run_cli("check", cwd=uploaded.root)
        assert result.code == 1 and result.err.startswith("published.yaml:"), (cut, result.err)
    path.write_bytes(whole[:-1])
    result = run_cli("status", cwd=uploaded.root)
    last = whole.decode().count("\n")
    assert result.code == 1 and f"published.yaml:{last}: the ledger ends in the middle of a line" in result.err


# --- two files, one slug -----------------------------------------------------------------------------------

def test_dup_yaml_and_dup_yml_are_one_error_naming_both_wherever_episodes_are_listed(channel, run_cli):
    channel.write("episodes/dup.yaml", "title: One\nsummary: [One.]\n")
    channel.write("episodes/dup.yml", "title: Two\nsummary: [Two.]\n")

    checked = run_cli("check", cwd=channel.root)
    assert checked.code == 1
    mentions = [line for line in checked.err.splitlines() if "dup." in line]
    assert mentions == ["episodes/dup.yaml: episodes/dup.yaml and episodes/dup.yml both exist, but a slug has "
                        "exactly one file; keep one (with what the other says) and delete the other"]
    assert "checked 2 episode(s): 1 error(s)" in checked.out

    status = run_cli("status", cwd=channel.root)
    assert re.search(r"^episodes/dup\.yaml\s+invalid", status.out, re.MULTILINE), status.out
    assert "dup.yml" not in status.out
    for given in ("dup", "episodes/dup.yml"):
        refused = run_cli("upload", given, "--dry-run", cwd=channel.root)
        assert refused.code == 1 and "both exist" in refused.err


# --- a release time without a time zone --------------------------------------------------------------------

def test_a_publish_at_without_a_time_zone_is_a_problem_at_its_line_not_an_internal_error(channel, run_cli):
    channel.write("published.yaml", """\
        episodes:
          test-episode:
            video_id: AAAAAAAAAAA
            publish_at: 2026-11-25 14:00:00
        """)

    for command in ("status", "check", "calendar"):
        result = run_cli(command, cwd=channel.root)
        assert result.code == 1, command
        assert result.err.strip() == (
            "published.yaml:4: episodes.test-episode.publish_at: 2026-11-25 14:00:00 has no time zone, so the "
            "instant is unknown; write it in UTC with a Z, e.g. 2026-11-25T14:00:00Z"
        )
