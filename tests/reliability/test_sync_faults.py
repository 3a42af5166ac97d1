"""`sync` under faults of the fake YouTube: 5xx, 429 and dropped connections (before and after the
update took effect) at random points, and the quota running out after every update. Reruns finish the
job; then every video shows the fresh render, nothing the tool does not own changed, no video took two
accepted updates, the ledger matches the server, and every changed video is in a backup as it was."""

from __future__ import annotations

import copy
from collections import Counter

import pytest
from invariants import EPISODES, assert_backups_complete, assert_consistent, no_crash, not_owned

from episodekit.retrying import RetryPolicy


@pytest.fixture(autouse=True)
def no_waits(monkeypatch):
    monkeypatch.setattr(RetryPolicy, "wait", lambda self, attempt, retry_after=None: None)


def fix_reference(root) -> None:
    path = root / "references.yaml"
    path.write_text(path.read_text().replace("Decreased expression", "Lower expression"))


def inject(fake, rng) -> list[str]:
    done = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["update", "list", "drop-before", "drop-after", "rate"])
        status = rng.choice([500, 502, 503, 504, 429])
        if kind == "update":
            fake.fail_next("videos.update", status=status, times=rng.randint(1, 3))
        elif kind == "list":
            fake.fail_next("videos.list", status=status)
        elif kind == "rate":
            fake.fail_next("videos.update", status=403, reason="rateLimitExceeded")
        else:
            fake.drop_next("videos.update", times=rng.randint(1, 2), after=kind == "drop-after")
        done.append(f"{kind}:{status}")
    return done


def sync_until_done(run_cli, root, attempts: int) -> list:
    results = []
    for _ in range(attempts):
        results.append(run_cli("sync", "--yes", cwd=root))
        no_crash(results[-1])
        if results[-1].code == 0:
            return results
    raise AssertionError(f"no sync finished in {attempts} runs: {[r.err for r in results]}")


def assert_synced(fake, root, before: dict) -> None:
    assert_consistent(fake, root)
    assert set(fake.videos) == set(before)  # no video made or lost
    for video_id, video in fake.videos.items():
        assert "Lower expression" in video["snippet"]["description"], video_id
        assert not_owned(video) == not_owned(before[video_id]), video_id
    accepted = Counter(r["body"]["id"] for r in fake.requests_for("videos.update") if r.get("status") == 200)
    assert all(n == 1 for n in accepted.values()), accepted
    assert_backups_complete(root, before)


def test_random_faults_during_a_sync_end_with_every_video_right_once(uploaded, fake, run_cli, rng, rounds):
    fix_reference(uploaded.root)
    before = copy.deepcopy(fake.videos)
    first_ledger = (uploaded.root / "published.yaml").read_text()
    for round_ in range(rounds(2, 25)):
        if round_:  # the next round starts from the same videos, the reference changed again
            fake.videos.clear(), fake.videos.update(copy.deepcopy(before)), fake.requests.clear()
            fake._fail_next.clear(), fake._drop_next.clear()
            (uploaded.root / "published.yaml").write_text(first_ledger)
        faults = inject(fake, rng)
        results = sync_until_done(run_cli, uploaded.root, attempts=6)
        assert all(fake.access_token not in r.out + r.err for r in results)
        try:
            assert_synced(fake, uploaded.root, before)
        except AssertionError as exc:
            raise AssertionError(f"round {round_}, faults {faults}: {exc}") from exc


def test_the_quota_running_out_after_every_update_loses_nothing(uploaded, fake, run_cli):
    fix_reference(uploaded.root)
    before = copy.deepcopy(fake.videos)
    fake.quota_limit = fake.quota_used  # spent before the first call
    nothing = run_cli("sync", "--yes", cwd=uploaded.root)
    no_crash(nothing)
    assert nothing.code == 3 and "quota" in nothing.err.lower(), nothing.err
    assert fake.videos == before
    for done in range(1, EPISODES + 1):  # each day's quota affords the channel check, one listing and one update
        fake.quota_limit = fake.quota_used + 1 + 1 + 50
        result = run_cli("sync", "--yes", cwd=uploaded.root)
        no_crash(result)
        assert result.code == (0 if done == EPISODES else 1), result.err
        if done < EPISODES:
            assert f"{EPISODES - done} video" in result.err, result.err  # how many are left for the next run
        updated = [v for v in fake.videos.values() if "Lower expression" in v["snippet"]["description"]]
        assert len(updated) == done
        assert_consistent(fake, uploaded.root)
    assert_synced(fake, uploaded.root, before)
    fake.quota_limit = 10_000
    accepted = [r for r in fake.requests_for("videos.update") if r["status"] == 200]
    assert run_cli("sync", "--yes", cwd=uploaded.root).code == 0 and len(accepted) == EPISODES  # none twice


def test_a_connection_that_keeps_dropping_is_one_line_and_the_rerun_finishes(uploaded, fake, run_cli):
    """Past its one retry, a dropped connection is YouTube out of reach, not an internal error (was exit 70)."""
    fix_reference(uploaded.root)
    before = copy.deepcopy(fake.videos)
    fake.drop_next("videos.update", times=4)
    first = run_cli("sync", "--yes", cwd=uploaded.root)
    no_crash(first)
    assert first.code == 3 and "YouTube could not be reached (RemoteDisconnected)" in first.err, first.err
    assert_consistent(fake, uploaded.root)
    sync_until_done(run_cli, uploaded.root, attempts=1)
    assert_synced(fake, uploaded.root, before)
