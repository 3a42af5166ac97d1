"""Uploads under faults of the fake YouTube: 5xx, 429, dropped connections (before and after the
server acted) at random points, the day's quota at every step, an expired token. After each, reruns
finish the job, and the invariants hold: one video, the server's bytes are the file's, the playlist
holds it once, the ledger parses and matches the server."""

from __future__ import annotations

import hashlib

import pytest
from invariants import assert_consistent, no_crash

from episodekit.ledger import load_ledger
from episodekit.retrying import RetryPolicy

CHUNK = 8 * 1024 * 1024  # the upload command's chunk size
SIZE = 2 * CHUNK + 123_457  # three chunks, the last one short


@pytest.fixture
def no_waits(monkeypatch):
    """Backoff waits are asked for and recorded, not slept: the faults come fast, the rules stay."""
    waits: list[float | None] = []
    monkeypatch.setattr(RetryPolicy, "wait", lambda self, attempt, retry_after=None: waits.append(retry_after))
    return waits


@pytest.fixture
def ready(channel, fake, youtube_env, no_waits):
    """The test episode with a three-chunk video, a thumbnail-free upload and a playlist."""
    channel.ready_to_upload(SIZE, playlist=fake.add_playlist())
    return channel


def inject(fake, rng) -> list[str]:
    """One to three random faults on the way of an upload; returns what was injected."""
    done = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["chunk", "drop-chunk", "insert", "drop-insert", "status", "playlist", "drop-playlist"])
        status = rng.choice([500, 502, 503, 504, 429])
        if kind == "chunk":
            fake.fail_chunk(rng.randint(1, 3), status=status, times=rng.randint(1, 2))
        elif kind == "drop-chunk":
            fake.drop_connection_on_chunk(rng.randint(1, 3), keep=rng.randrange(CHUNK))
        elif kind == "insert":
            fake.fail_next("videos.insert", status=status, retry_after=rng.choice([None, 1, 30]))
        elif kind == "drop-insert":
            fake.drop_next("videos.insert", after=rng.random() < 0.5)
        elif kind == "status":
            fake.fail_next("videos.insert.status", status=status)
        elif kind == "playlist":
            fake.fail_next("playlistItems.insert", status=status)
        else:  # dropped before YouTube acts; after it, see the xfail test below
            fake.drop_next("playlistItems.insert", after=False)
        done.append(f"{kind}:{status}")
    return done


def upload_until_done(run_cli, root, attempts: int = 4):
    for _ in range(attempts):
        result = run_cli("upload", "test-episode", "--yes", cwd=root)
        no_crash(result)
        if result.code == 0:
            return result
    raise AssertionError(f"no upload finished in {attempts} runs: {result.err}")


def assert_uploaded_once(fake, root, playlist_items: int = 1) -> None:
    assert_consistent(fake, root)
    (video_id,) = fake.videos
    assert fake.uploads[video_id].size == SIZE
    assert fake.uploads[video_id].sha256 == hashlib.sha256((root / "video.mp4").read_bytes()).hexdigest()
    entry = load_ledger(root / "published.yaml").episodes["test-episode"]
    assert entry.video_id == video_id and entry.pending == [] and entry.upload_started_at is None
    in_playlist = [i for i in fake.playlist_items if i["contentDetails"]["videoId"] == video_id]
    assert len(in_playlist) == playlist_items, fake.playlist_items


def test_random_faults_on_the_way_leave_one_whole_video(ready, fake, run_cli, rng, rounds):
    for round_ in range(rounds(3, 40)):
        if round_:
            reset(fake, ready.root)
        faults = inject(fake, rng)
        result = upload_until_done(run_cli, ready.root)
        assert fake.access_token not in result.out + result.err
        try:
            assert_uploaded_once(fake, ready.root)
        except AssertionError as exc:
            raise AssertionError(f"round {round_}, faults {faults}: {exc}") from exc


def reset(fake, root) -> None:
    """Forget the video, here and on the fake, for the next round."""
    fake.videos.clear(), fake.uploads.clear(), fake.playlist_items.clear(), fake.requests.clear()
    fake._fail_next.clear(), fake._chunk_fail.clear(), fake._chunk_drop.clear(), fake._drop_next.clear()
    (root / "published.yaml").unlink()


@pytest.mark.parametrize("step", ["videos.insert", "playlistItems.insert"])
def test_the_quota_running_out_at_any_step_loses_nothing_and_the_rerun_finishes(ready, fake, run_cli, step):
    if step == "videos.insert":
        fake.exhaust_quota(units=False, uploads=True)
    else:  # of the day's units, only the check of the signed-in channel is left: the video goes up, its playlist not
        fake.quota_limit = fake.quota_used + 1
    first = run_cli("upload", "test-episode", "--yes", cwd=ready.root)
    assert first.code == 3 and "quota" in first.err.lower() and "Pacific" in first.err, first.err
    no_crash(first)
    assert len(fake.videos) == (0 if step == "videos.insert" else 1)
    assert_consistent(fake, ready.root)
    fake.quota_used = fake.upload_quota_used = 0  # midnight Pacific time
    fake.quota_limit = 10_000
    upload_until_done(run_cli, ready.root, attempts=1)
    assert_uploaded_once(fake, ready.root)


def expire(token_file, fake) -> None:
    """The saved access token is past its expiry, and the fake no longer takes it."""
    token_file.write_text(token_file.read_text().replace('"expiry": "2', '"expiry": "1'))  # a year long gone
    fake.valid_tokens.clear()


def sign_in_again(token_file, fake) -> None:
    """What `auth login` leaves: a fresh token the fake takes."""
    fake.valid_tokens.add(fake.access_token)
    token_file.write_text(token_file.read_text().replace('"expiry": "1', '"expiry": "2'))


def test_an_expired_token_that_cannot_be_renewed_sends_nothing_and_the_rerun_uploads(
        ready, fake, run_cli, youtube_env, offline):
    expire(youtube_env, fake)
    before = (ready.root / "published.yaml").exists()
    result = run_cli("upload", "test-episode", "--yes", cwd=ready.root)
    no_crash(result)
    assert result.code == 3 and len(result.err.strip().splitlines()) == 1, result.err
    assert offline == ["oauth2.googleapis.com"]  # the renewal went to Google, which this machine cannot reach
    assert not fake.requests_for("videos.insert*") and fake.videos == {}
    assert (ready.root / "published.yaml").exists() == before
    sign_in_again(youtube_env, fake)
    upload_until_done(run_cli, ready.root, attempts=1)
    assert_uploaded_once(fake, ready.root)


def test_a_token_refused_after_the_video_is_up_leaves_the_step_pending(ready, fake, run_cli, youtube_env):
    """The client renews the sign-in on a 401, at Google, out of reach here (was exit 70)."""
    fake.fail_next("playlistItems.insert", status=401)  # the sign-in was revoked meanwhile
    first = run_cli("upload", "test-episode", "--yes", cwd=ready.root)
    no_crash(first)
    assert first.code == 3 and "sign-in server could not be reached" in first.err, first.err
    assert "Still to do: playlist" in first.err
    assert len(fake.videos) == 1 and fake.playlist_items == []
    assert_consistent(fake, ready.root)
    upload_until_done(run_cli, ready.root, attempts=1)
    assert_uploaded_once(fake, ready.root)


def test_a_sign_in_youtube_no_longer_takes_is_one_line_and_sends_nothing(ready, fake, run_cli, youtube_env):
    """A token revoked before its expiry: YouTube answers 401, the renewal cannot reach Google (was exit 70)."""
    fake.valid_tokens.clear()
    result = run_cli("upload", "test-episode", "--yes", cwd=ready.root)
    no_crash(result)
    assert result.code == 3 and result.err.count("\n") == 1, result.err
    assert "sign-in server could not be reached" in result.err
    assert fake.videos == {}
    assert fake.access_token not in result.err and fake.refresh_token not in result.err


def test_an_answer_lost_after_the_video_joined_the_playlist_does_not_add_it_twice(ready, fake, run_cli):
    fake.drop_next("playlistItems.insert", times=2, after=True)
    upload_until_done(run_cli, ready.root)
    assert_uploaded_once(fake, ready.root)


def test_an_upload_whose_connection_keeps_dropping_is_one_line_and_the_rerun_finishes(ready, fake, run_cli):
    fake.drop_next("videos.insert", times=20)  # every attempt to open the session, replays included
    first = run_cli("upload", "test-episode", "--yes", cwd=ready.root)
    no_crash(first)
    assert first.code == 3 and "YouTube could not be reached" in first.err, first.err
    assert fake.videos == {}
    fake._drop_next.clear()
    upload_until_done(run_cli, ready.root, attempts=1)
    assert_uploaded_once(fake, ready.root)
