"""The account problems creators hit, each explained where it happens, with its fix, and nothing lost.

Signed in with `auth login` (the fake's consent screen), as a creator is; then the fake YouTube behaves
as Google does for an API project that has not passed the audit, an OAuth app whose consent screen is in
"Testing" a week after consent, a channel not verified for custom thumbnails, a channel at its upload
limit, and a project whose daily quota is spent. After each, a rerun finishes the job with one video.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from episodekit.ledger import load_ledger

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def creator(channel, fake, google_sign_in, run_cli):
    """The test channel, signed in to the fake's first channel, with a video (and a thumbnail) to upload."""
    channel.ready_to_upload(60_000, thumbnail=True)
    assert google_sign_in(run_cli, channel.root, fake.channel_id, "code-first").code == 0
    fake.requests.clear()
    return channel


def one_line(result) -> str:
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    lines = [line for line in result.err.strip().splitlines() if "WARNING" not in line]
    assert len(lines) == 1, result.err
    return lines[0]


def ledger(channel) -> dict:
    path = channel.root / "published.yaml"
    return load_ledger(path).episodes if path.exists() else {}


def upload(run_cli, channel, *extra):
    return run_cli("upload", "test-episode", "--yes", *extra, cwd=channel.root)


def test_an_upload_an_unaudited_project_keeps_private_says_so_and_where_to_ask_for_the_audit(creator, fake, run_cli):
    fake.unaudited = True
    result = run_cli("upload", "test-episode", "--yes", "--json", cwd=creator.root)
    assert result.code == 0, result.err
    (video_id,) = fake.videos
    assert fake.videos[video_id]["status"]["privacyStatus"] == "private"
    assert "publishAt" not in fake.videos[video_id]["status"]  # YouTube dropped the schedule
    (warning,) = json.loads(result.out)["warnings"]
    assert f"YouTube kept video {video_id} private, not a release at" in warning
    assert "API project that Google has not audited (projects created after 2020-07-28)" in warning
    assert "https://support.google.com/youtube/contact/yt_api_form" in warning and "YouTube Studio" in warning
    assert ledger(creator)["test-episode"].video_id == video_id  # recorded: nothing to redo


def test_a_public_upload_kept_private_is_told_too(creator, fake, run_cli):
    fake.unaudited = True
    text = (creator.root / "episodes" / "test-episode.yaml").read_text().replace("schedule: next\n", "")
    creator.episode("test-episode", text.replace("thumbnail: thumb.png}", "thumbnail: thumb.png, privacy: public}"))
    result = upload(run_cli, creator, "--public-now")
    assert result.code == 0, result.err
    (video_id,) = fake.videos
    assert f"warning: YouTube kept video {video_id} private, not public as the upload asked" in result.err


def week_later(fake) -> None:
    """The consent screen is in "Testing" and the sign-in is eight days old: the access token has run out
    and Google refuses to renew it."""
    fake.testing_consent = True
    later = datetime.now(UTC) + timedelta(days=8)
    fake.now = lambda: later
    fake.valid_tokens.clear()


def test_a_testing_app_whose_week_is_over_says_why_and_how_to_keep_sign_ins(creator, fake, run_cli, user_config):
    (token,) = (user_config / "tokens").iterdir()
    data = json.loads(token.read_text())
    data["expiry"] = (datetime.now(UTC) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")  # an hour after consent
    token.write_text(json.dumps(data))
    saved = token.read_text()
    week_later(fake)

    result = upload(run_cli, creator)

    line = one_line(result)
    assert result.code == 3
    assert "invalid_grant" in line and "\"Testing\"" in line and "7 days after consent" in line
    assert "Publish app" in line and "auth login` and try again" in line
    assert [r["op"] for r in fake.requests] == ["token"] and fake.videos == {}
    assert ledger(creator) == {} and token.read_text() == saved
    assert fake.refresh_token not in result.err and "test-secret" not in result.err


def test_the_sign_in_ending_after_the_video_is_up_leaves_the_thumbnail_for_the_rerun(
        creator, fake, run_cli, google_sign_in):
    fake.testing_consent = True
    fake.fail_next("thumbnails.set", status=401)  # the access token is refused; the renewal, too
    fake.refresh_issued = {t: datetime.now(UTC) - timedelta(days=8) for t in fake.refresh_issued}
    first = upload(run_cli, creator)
    assert first.code == 3
    (video_id,) = fake.videos
    assert f"the video is uploaded (https://youtu.be/{video_id})" in first.err
    assert "Still to do: thumbnail, captions" in first.err  # the caption track waits too: the same sign-in
    assert "7 days after consent" in first.err
    assert ledger(creator)["test-episode"].pending == ["thumbnail", "captions"]

    assert google_sign_in(run_cli, creator.root, fake.channel_id, "code-again").code == 0  # sign in again
    fake.requests.clear()
    again = upload(run_cli, creator)
    assert again.code == 0, again.err
    assert [r["op"] for r in fake.requests if r["op"] != "token"] == ["channels.list", "thumbnails.set",
                                                                      "captions.insert"]
    assert list(fake.videos) == [video_id] and ledger(creator)["test-episode"].pending == []


def test_a_channel_not_verified_for_custom_thumbnails_is_told_how_and_the_rerun_sends_only_it(creator, fake, run_cli):
    fake.unverified.add(fake.channel_id)
    first = upload(run_cli, creator)
    line = one_line(first)
    assert first.code == 3
    (video_id,) = fake.videos
    assert f"the video is uploaded (https://youtu.be/{video_id})" in line
    assert "the thumbnail was not set: YouTube refused it (403 forbidden)" in line
    assert "verify it at https://www.youtube.com/verify" in line and "Still to do: thumbnail" in line
    assert "upload test-episode` again" in line

    fake.unverified.clear()  # verified, and custom thumbnails turned on
    fake.requests.clear()
    again = upload(run_cli, creator)
    assert again.code == 0, again.err
    assert [r["op"] for r in fake.requests] == ["channels.list", "thumbnails.set"]
    assert fake.thumbnails[video_id].size == len(PNG) and list(fake.videos) == [video_id]


def test_a_channel_at_its_upload_limit_is_one_line_and_a_later_rerun_uploads_once(creator, fake, run_cli):
    fake.fail_upload_limit()
    first = upload(run_cli, creator)
    line = one_line(first)
    assert first.code == 3
    assert "uploadLimitExceeded" in line and "not the API project's quota" in line and "24 hours" in line
    assert "nothing was uploaded" in line
    assert fake.videos == {} and ledger(creator) == {}  # not even "upload started"

    fake.upload_limit_reached = False  # a day later
    assert upload(run_cli, creator).code == 0
    assert len(fake.videos) == 1


@pytest.mark.parametrize("bucket", ["uploads", "units"])
def test_the_daily_quota_is_one_line_naming_the_reset_and_more_quota_and_a_rerun_finishes(
        creator, fake, run_cli, bucket):
    fake.exhaust_quota(units=bucket == "units", uploads=bucket == "uploads")
    first = upload(run_cli, creator)
    line = one_line(first)
    assert first.code == 3
    assert "quota" in line and "midnight Pacific time" in line and "nothing was lost" in line
    assert "https://support.google.com/youtube/contact/yt_api_form" in line
    assert ("upload quota" in line) if bucket == "uploads" else ("API quota" in line or "A daily YouTube quota" in line)
    assert fake.videos == {} and "test-episode" not in ledger(creator)
    if bucket == "units":  # the check itself found the quota spent: nothing else was sent
        assert [r["op"] for r in fake.requests] == ["channels.list"]

    fake.quota_used = fake.upload_quota_used = 0  # midnight Pacific time
    done = upload(run_cli, creator)
    assert done.code == 0, done.err
    assert len(fake.videos) == 1
    assert yaml.safe_load((creator.root / "channel.yaml").read_text())["youtube_channel"] == fake.channel_id
