"""`import --channel-uploads` stopped at any moment, SIGKILL included, and run again: each video ends up
once as an episode file and once in the ledger, and a second import changes no file. The program runs as
a real process against the fake YouTube in this test process; it is killed at a seeded random moment:
after a number of YouTube requests, or once its n-th episode file (or the library, or the ledger) is on
disk, plus a few random milliseconds. An episode file whose ledger entry is missing is completed by the
rerun, never skipped, whether it names its video (files written now) or not (files written before)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from invariants import assert_consistent, changes, no_crash, tree
from test_kills import PUBLISH

from episodekit.pipeline.build import build_valid
from episodekit.publish.adopted import source_video
from episodekit.workspace import Workspace

VIDEOS = 24
FIRST_RELEASE = datetime(2022, 1, 5, 14, 0, tzinfo=UTC)  # a Wednesday, 09:00 in New York
IMPORT = ["import", "--channel-uploads", "--no-lookup"]


def rendered_description(channel) -> str:
    """What the test channel renders for an episode citing its two papers, with SUMMARY to fill in."""
    channel.episode("template", "title: Template\nsummary: [SUMMARY]\ncitations: [kang2012, serafini2012]\n")
    description = build_valid(Workspace.open(channel.root), channel.root / "episodes" / "template.yaml").rendered
    (channel.root / "episodes" / "template.yaml").unlink()
    return description.as_sent()["description"]


@pytest.fixture
def uploads(channel, fake, youtube_env):
    """The test channel without episodes, and VIDEOS public weekly videos on the fake YouTube, two of them
    with titles of one slug (so the import gives one a `-2` slug)."""
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    description = rendered_description(channel)
    for i in range(VIDEOS):
        fake.now = lambda i=i: FIRST_RELEASE + timedelta(weeks=i)
        title = {3: "Synapses again", 4: "Synapses, again!"}.get(i, f"Synapses, part {i:02d}")
        fake.add_video(snippet={"title": title, "description": description.replace("SUMMARY", f"Finding {i}."),
                                "tags": ["science"]}, status={"privacyStatus": "public"})
    fake.now = lambda: datetime.now(UTC)
    fake.requests.clear()
    return channel


def kill_during_import(root: Path, fake, rng) -> str:
    """Start the import as a process and SIGKILL it at a seeded random moment; say when it was killed."""
    import signal
    import subprocess
    import sys

    episodes = root / "episodes"
    moment = rng.choice(["requests", "episodes", "episodes", "last episode", "library", "ledger"])
    count = rng.randint(1, 3) if moment == "requests" else rng.randint(1, VIDEOS)
    delay = rng.uniform(0, 0.004)
    seen = len(fake.requests)
    library = (root / "references.yaml").stat().st_mtime_ns

    def reached() -> bool:
        if moment == "requests":
            return len(fake.requests) - seen >= count
        if moment in ("episodes", "last episode"):
            written = len(list(episodes.glob("*.yaml"))) if episodes.is_dir() else 0
            return written >= (count if moment == "episodes" else VIDEOS)
        if moment == "library":
            return (root / "references.yaml").stat().st_mtime_ns != library
        return (root / "published.yaml").exists()

    process = subprocess.Popen([sys.executable, str(PUBLISH), *IMPORT], cwd=root, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if reached():
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.0003)
    err = process.communicate(timeout=120)[1].decode("utf-8", "replace")
    assert process.returncode in (0, -signal.SIGKILL), err
    return f"killed at {moment} {count} + {delay * 1000:.1f} ms (exit {process.returncode})"


def assert_each_video_once(root: Path, fake) -> None:
    """Every video is one episode file (naming it) and one ledger entry (for that file), nothing else."""
    named = [source_video(path.read_text(encoding="utf-8")) for path in sorted((root / "episodes").glob("*.yaml"))]
    assert sorted(named) == sorted(fake.videos), named
    ledger = yaml.safe_load((root / "published.yaml").read_text(encoding="utf-8"))["episodes"]
    assert sorted(entry["video_id"] for entry in ledger.values()) == sorted(fake.videos)
    for slug, entry in ledger.items():
        assert source_video((root / "episodes" / f"{slug}.yaml").read_text(encoding="utf-8")) == entry["video_id"]
    assert_consistent(fake, root)


def test_an_import_killed_at_a_random_moment_is_finished_by_the_rerun(uploads, fake, run_cli, rng, rounds):
    library = (uploads.root / "references.yaml").read_bytes()
    for round_ in range(rounds(4, 30)):
        for leftover in [*(uploads.root / "episodes").glob("*"), uploads.root / "published.yaml"]:
            leftover.unlink(missing_ok=True)
        (uploads.root / "references.yaml").write_bytes(library)
        when = kill_during_import(uploads.root, fake, rng)
        try:
            rerun = run_cli(*IMPORT, cwd=uploads.root)
            no_crash(rerun)
            assert rerun.code == 0, rerun.err
            assert_each_video_once(uploads.root, fake)
            assert uploads.leftovers() == []  # no temporary file of the killed run is left
            assert run_cli("check", cwd=uploads.root).code == 0
            before = tree(uploads.root)
            again = run_cli(*IMPORT, cwd=uploads.root)
            assert again.code == 0 and again.out.count("already in the ledger") == VIDEOS, again.out
            assert changes(before, tree(uploads.root)) == []  # a second import changes no file
        except AssertionError as exc:
            raise AssertionError(f"round {round_}: {when}: {exc}") from exc


def test_episode_files_without_their_ledger_entries_are_completed_not_skipped(uploads, fake, run_cli):
    assert run_cli(*IMPORT, cwd=uploads.root).code == 0
    ledger = (uploads.root / "published.yaml").read_text(encoding="utf-8")
    files = {path: path.read_bytes() for path in (uploads.root / "episodes").glob("*.yaml")}
    (uploads.root / "published.yaml").unlink()  # as if killed between the episode files and the ledger

    rerun = run_cli(*IMPORT, cwd=uploads.root)

    assert rerun.code == 0, rerun.err
    assert rerun.out.count("complete: episodes/") == VIDEOS and "create:" not in rerun.out
    assert (uploads.root / "published.yaml").read_text(encoding="utf-8") == ledger
    assert {path: path.read_bytes() for path in (uploads.root / "episodes").glob("*.yaml")} == files


def test_files_an_import_wrote_before_they_named_their_video_are_completed_too(uploads, fake, run_cli):
    assert run_cli(*IMPORT, cwd=uploads.root).code == 0
    ledger = (uploads.root / "published.yaml").read_text(encoding="utf-8")
    for path in (uploads.root / "episodes").glob("*.yaml"):  # as an import of the last release wrote them
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("# imported from YouTube")))
    (uploads.root / "published.yaml").unlink()

    rerun = run_cli(*IMPORT, cwd=uploads.root)

    assert rerun.code == 0, rerun.err
    assert "create:" not in rerun.out and len(list((uploads.root / "episodes").glob("*.yaml"))) == VIDEOS
    assert (uploads.root / "published.yaml").read_text(encoding="utf-8") == ledger


def test_a_file_of_the_same_name_that_is_not_the_video_s_stays_and_the_video_gets_another(uploads, fake, run_cli):
    mine = uploads.episode("synapses-part-00", "title: My own draft\nsummary: [Not imported.]\n")
    draft = mine.read_bytes()

    result = run_cli(*IMPORT, cwd=uploads.root)

    assert result.code == 0, result.err
    assert mine.read_bytes() == draft
    assert (uploads.root / "episodes" / "synapses-part-00-2.yaml").exists()
    ledger = yaml.safe_load((uploads.root / "published.yaml").read_text(encoding="utf-8"))["episodes"]
    assert "synapses-part-00" not in ledger and "synapses-part-00-2" in ledger


def test_the_rerun_removes_the_temporary_files_a_killed_import_left_even_beside_files_it_keeps(
        uploads, fake, run_cli):
    import subprocess
    import sys

    assert run_cli(*IMPORT, cwd=uploads.root).code == 0
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)  # the process id of a writer that is no longer running
    left = [uploads.root / f".{name}.{dead}-0badf00d.tmp" for name in ("channel.yaml", "references.yaml")]
    left.append(uploads.root / "episodes" / f".synapses-part-01.yaml.{dead}-0badf00d.tmp")
    for path in left:
        path.write_text("half of a file\n", encoding="utf-8")

    rerun = run_cli(*IMPORT, cwd=uploads.root)

    assert rerun.code == 0, rerun.err
    assert uploads.leftovers() == []
