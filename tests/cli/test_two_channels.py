"""A creator with two channels (a main one and a Brand Account for a clinic), one channel folder each.

Both sign in with `auth login` in their folder, each picking its account on Google's consent screen
(the fake's one-time codes say which); from then on every write of a folder lands on its own channel,
with its own token, and no environment variable. A sign-in of the other channel is refused before
anything but the check is sent. Real google-api-python-client and google-auth-oauthlib against the
fake YouTube; refreshes go to the fake's token endpoint (EPISODEKIT_TOKEN_URI).
"""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from testkit import CHANNEL_YAML, EPISODE_YAML, REFERENCES_YAML

SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
HEADER = "# The clinic's channel: its own schedule and disclaimer.\n"


def make_folder(root: Path, name: str) -> Path:
    folder = root / name
    (folder / "episodes").mkdir(parents=True)
    (folder / "channel.yaml").write_text(HEADER + CHANNEL_YAML.replace("Test Channel", name))
    (folder / "references.yaml").write_text(REFERENCES_YAML)
    (folder / "episodes" / "test-episode.yaml").write_text(EPISODE_YAML + "upload: {video: video.mp4}\n")
    (folder / "video.mp4").write_bytes(os.urandom(40_000))
    return folder


@pytest.fixture
def world(tmp_path, fake, google_sign_in):
    """Two channel folders and two Google accounts on the fake: the first channel's and a clinic's."""
    clinic = fake.add_account("Clinic Channel")

    class World:
        main, clinic_folder = make_folder(tmp_path, "main"), make_folder(tmp_path, "clinic")
        clinic_account = clinic
        login = staticmethod(google_sign_in)

    return World()


def pinned(folder: Path) -> str | None:
    return yaml.safe_load((folder / "channel.yaml").read_text()).get("youtube_channel")


def signed_in_both(world, run_cli, fake):
    assert world.login(run_cli, world.main, fake.channel_id, "code-main").code == 0
    assert world.login(run_cli, world.clinic_folder, world.clinic_account.channel_id, "code-clinic").code == 0
    fake.requests.clear()


def test_two_folders_signed_in_to_two_channels_each_write_to_their_own(world, fake, run_cli, user_config):
    first = world.login(run_cli, world.main, fake.channel_id, "code-main")
    assert first.code == 0, first.err
    assert f"signed in to YouTube channel 'Fake Channel' ({fake.channel_id})" in first.out
    assert "Brand Account picked on Google's consent screen" in first.out
    second = world.login(run_cli, world.clinic_folder, world.clinic_account.channel_id, "code-clinic")
    assert second.code == 0, second.err

    # each folder names its channel, the title as a comment, its own comments kept
    for folder, channel_id, title in ((world.main, fake.channel_id, "Fake Channel"),
                                      (world.clinic_folder, world.clinic_account.channel_id, "Clinic Channel")):
        text = (folder / "channel.yaml").read_text()
        assert text.startswith(HEADER) and f"youtube_channel: {channel_id}  # {title}\n" in text
    # one token per channel, 0600 in a 0700 folder
    tokens = user_config / "tokens"
    assert sorted(p.name for p in tokens.iterdir()) == sorted(
        [f"{fake.channel_id}.json", f"{world.clinic_account.channel_id}.json"])
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in tokens.iterdir())
    assert "EPISODEKIT_TOKEN_FILE" not in os.environ

    fake.requests.clear()
    for folder in (world.main, world.clinic_folder):
        result = run_cli("upload", "test-episode", "--yes", cwd=folder)
        assert result.code == 0, result.err
    by_channel = sorted((v["snippet"]["channelId"], v["snippet"]["title"]) for v in fake.videos.values())
    assert by_channel == sorted([(fake.channel_id, "A Test Episode"),
                                 (world.clinic_account.channel_id, "A Test Episode")])
    sent = [(r["op"], r["channel"]) for r in fake.requests if r["op"] in ("channels.list", "videos.insert")]
    assert sent == [("channels.list", fake.channel_id), ("videos.insert", fake.channel_id),
                    ("channels.list", world.clinic_account.channel_id),
                    ("videos.insert", world.clinic_account.channel_id)]

    listed = json.loads(run_cli("auth", "status", "--json", cwd=world.main).out)
    assert listed["token_file"] == str(tokens / f"{fake.channel_id}.json")
    assert listed["channel"] == {"id": fake.channel_id, "title": "Fake Channel"}
    folders = {t["channel_id"]: (t["title"], t["folders"]) for t in listed["tokens"]}
    assert folders == {fake.channel_id: ("Fake Channel", [str(world.main)]),
                       world.clinic_account.channel_id: ("Clinic Channel", [str(world.clinic_folder)])}
    shown = run_cli("status", cwd=world.clinic_folder)
    assert f"YouTube channel: 'Clinic Channel' ({world.clinic_account.channel_id})" in shown.err


@pytest.mark.parametrize("command", [
    ["upload", "test-episode", "--yes"], ["release", "--apply"], ["sync", "--yes"], ["sync", "--dry-run"],
    ["import", "--channel-uploads", "--no-lookup"], ["restore", "BACKUP", "--yes"],
], ids=["upload", "release", "sync", "sync-dry-run", "import", "restore"])
def test_the_other_channels_token_is_refused_with_nothing_sent_but_the_check(world, fake, run_cli, user_config,
                                                                             command):
    signed_in_both(world, run_cli, fake)
    if command[0] == "sync":  # something to sync: a video of the main channel
        (world.main / "published.yaml").write_text(f"episodes:\n  test-episode:\n    video_id: {fake.add_video()}\n")
    backup = world.main / "backups" / "20260101T000000Z"
    backup.mkdir(parents=True)
    (backup / "x.json").write_text(json.dumps({"id": "x", "snippet": {"title": "T"}}))
    # the main folder's token file now holds the clinic's sign-in (copied over by hand, say)
    tokens = user_config / "tokens"
    (tokens / f"{fake.channel_id}.json").write_text((tokens / f"{world.clinic_account.channel_id}.json").read_text())
    before = {p: p.read_bytes() for p in world.main.rglob("*") if p.is_file() and "build" not in p.parts}
    fake.requests.clear()

    args = [str(backup) if word == "BACKUP" else word for word in command]
    result = run_cli(*args, cwd=world.main)

    assert result.code == 1, result.err
    (line,) = result.err.strip().splitlines()
    assert f"this folder publishes to YouTube channel 'Fake Channel' ({fake.channel_id})" in line
    assert f"is for channel 'Clinic Channel' ({world.clinic_account.channel_id}); nothing was sent" in line
    assert "auth login` in this folder and pick that channel" in line and "change youtube_channel" in line
    assert [(r["op"], r["channel"]) for r in fake.requests] == [("channels.list", world.clinic_account.channel_id)]
    assert {p: p.read_bytes() for p in world.main.rglob("*") if p.is_file() and "build" not in p.parts} == before


def test_the_environment_override_is_checked_too(world, fake, run_cli, user_config):
    signed_in_both(world, run_cli, fake)
    os.environ["EPISODEKIT_TOKEN_FILE"] = str(user_config / "tokens" / f"{world.clinic_account.channel_id}.json")
    try:
        result = run_cli("upload", "test-episode", "--yes", cwd=world.main)
    finally:
        del os.environ["EPISODEKIT_TOKEN_FILE"]
    assert result.code == 1 and "unset EPISODEKIT_TOKEN_FILE" in result.err
    assert [r["op"] for r in fake.requests] == ["channels.list"] and not fake.videos


def test_a_dry_run_says_which_channel_it_would_write_to_and_counts_the_check(world, fake, run_cli):
    signed_in_both(world, run_cli, fake)
    result = run_cli("upload", "test-episode", "--dry-run", "--json", cwd=world.clinic_folder)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["channel"]["id"] == world.clinic_account.channel_id and report["channel"]["pinned"] is True
    assert report["channel"]["title"] == "Clinic Channel"
    assert report["channel"]["token_file"].endswith(f"tokens/{world.clinic_account.channel_id}.json")
    assert "refuses any other" in report["notes"][0]
    assert [r["call"] for r in report["requests"]] == ["channels.list", "videos.insert", "captions.insert"]
    assert report["quota"]["units"] == 1 + 400 and fake.requests == []


def test_a_folder_that_names_no_channel_uses_the_one_sign_in_and_is_pinned_by_its_first_upload(
        world, fake, run_cli, user_config):
    assert world.login(run_cli, world.main, fake.channel_id, "code-main").code == 0
    text = (world.clinic_folder / "channel.yaml").read_text()  # a third folder, never signed in there
    other = world.clinic_folder.parent / "third"
    other.mkdir()
    for name in ("channel.yaml", "references.yaml", "video.mp4"):
        (other / name).write_bytes((world.clinic_folder / name).read_bytes())
    (other / "episodes").mkdir()
    (other / "episodes" / "test-episode.yaml").write_text(EPISODE_YAML + "upload: {video: video.mp4}\n")
    assert pinned(other) is None and "youtube_channel" not in text

    dry = json.loads(run_cli("upload", "test-episode", "--dry-run", cwd=other).out)
    assert dry["channel"]["pinned"] is False and "the first write YouTube accepts records it" in dry["channel"]["note"]
    fake.fail_upload_limit()  # refused by YouTube: no write accepted, so nothing is pinned yet
    failed = run_cli("upload", "test-episode", "--yes", cwd=other)
    assert failed.code == 3 and pinned(other) is None
    fake.upload_limit_reached = False
    done = run_cli("upload", "test-episode", "--yes", cwd=other)
    assert done.code == 0, done.err
    assert pinned(other) == fake.channel_id
    assert (other / "channel.yaml").read_text().startswith(HEADER)


def test_a_folder_that_names_no_channel_refuses_to_guess_between_two_sign_ins(world, fake, run_cli):
    signed_in_both(world, run_cli, fake)
    third = world.main.parent / "third"
    third.mkdir()
    (third / "channel.yaml").write_text(CHANNEL_YAML)
    (third / "references.yaml").write_text(REFERENCES_YAML)
    (third / "episodes").mkdir()
    (third / "episodes" / "test-episode.yaml").write_text(EPISODE_YAML)
    (third / "published.yaml").write_text("episodes:\n  test-episode:\n    video_id: abcdefghijk\n")
    result = run_cli("sync", "--yes", cwd=third)
    assert result.code == 1
    assert "sign-ins for 2 channels are stored ('Clinic Channel'" in result.err or \
        "sign-ins for 2 channels are stored ('Fake Channel'" in result.err
    assert "cannot be told; nothing was sent" in result.err and fake.requests == []


def test_the_single_token_of_earlier_versions_is_filed_under_its_channel_at_first_use(
        world, fake, run_cli, user_config):
    expiry = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    user_config.mkdir(parents=True, mode=0o700)
    legacy = user_config / "token.json"
    legacy.write_text(json.dumps({"token": world.clinic_account.access_token,
                                  "refresh_token": world.clinic_account.refresh_token, "token_uri": fake.token_uri,
                                  "client_id": "c", "client_secret": "test-secret", "scopes": [SCOPE],
                                  "expiry": expiry}))
    legacy.chmod(0o600)
    (world.main / "channel.yaml").write_text((world.main / "channel.yaml").read_text()
                                             + f"youtube_channel: {fake.channel_id}  # Fake Channel\n")

    refused = run_cli("upload", "test-episode", "--yes", cwd=world.main)  # the main folder: not its channel
    assert refused.code == 1 and "'Clinic Channel'" in refused.err
    adopted = user_config / "tokens" / f"{world.clinic_account.channel_id}.json"
    assert not legacy.exists() and adopted.exists() and stat.S_IMODE(adopted.stat().st_mode) == 0o600

    done = run_cli("upload", "test-episode", "--yes", cwd=world.clinic_folder)  # names no channel: the one sign-in
    assert done.code == 0, done.err
    assert pinned(world.clinic_folder) == world.clinic_account.channel_id
    (video,) = fake.videos.values()
    assert video["snippet"]["channelId"] == world.clinic_account.channel_id


def test_login_in_a_folder_of_another_channel_keeps_its_channel_and_logout_removes_one_token(
        world, fake, run_cli, user_config):
    signed_in_both(world, run_cli, fake)
    again = world.login(run_cli, world.main, world.clinic_account.channel_id, "code-wrong")
    assert again.code == 0
    assert "this folder publishes to channel 'Fake Channel'" in again.err and "keeps doing so" in again.err
    assert pinned(world.main) == fake.channel_id

    out = run_cli("auth", "logout", world.clinic_account.channel_id, cwd=world.main)
    assert out.code == 0 and "removed" in out.out and "myaccount.google.com/permissions" in out.out
    assert sorted(p.name for p in (user_config / "tokens").iterdir()) == [f"{fake.channel_id}.json"]
    assert run_cli("upload", "test-episode", "--yes", cwd=world.main).code == 0
    gone = run_cli("upload", "test-episode", "--yes", cwd=world.clinic_folder)
    assert gone.code == 3 and "not signed in to this folder's YouTube channel" in gone.err
    assert "sign-ins are stored for 'Fake Channel'" in gone.err
    assert run_cli("auth", "logout", "not-a-channel", cwd=world.main).code == 2


def test_logout_outside_any_folder_with_two_sign_ins_asks_which(world, fake, run_cli, tmp_path):
    signed_in_both(world, run_cli, fake)
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    result = run_cli("auth", "logout", cwd=nowhere)
    assert result.code == 2 and "auth logout CHANNEL_ID" in result.err and "'Clinic Channel'" in result.err
    listed = run_cli("auth", "status", cwd=nowhere)  # outside a folder: every stored sign-in still listed
    assert listed.code == 0 and listed.out.count("stored sign-in: ") == 2
