"""``render`` in worker processes (``EPISODEKIT_JOBS``) gives what one process gives, byte for byte:
the files, what is printed and in which order, the exit code and the build manifest; a failing
episode, a worker that dies and Ctrl-C behave as in one process."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from episodekit.errors import UsageError
from episodekit.pipeline import build, citecache, incremental, output, workers
from episodekit.workspace import Workspace
from testkit import copy_sample

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes are forked on Linux")
COPIES = 7  # of each sample episode: 16 episodes, a localized one and a link among them
PARENT = os.getpid()


@pytest.fixture
def many(tmp_path):
    """The sample channel with copies of its two episodes under other slugs."""
    root = copy_sample(tmp_path / "channel")
    for source in sorted((root / "episodes").glob("*.yaml")):
        for n in range(COPIES):
            shutil.copy2(source, root / "episodes" / f"{source.stem}-{n:02d}.yaml")
    return root


def render(root: Path, jobs: int, monkeypatch, run_cli, *args: str) -> tuple:
    """``render`` with ``jobs`` processes and a cache of its own (cold); what it printed, its exit code,
    the files of ``build/`` and the manifest (file times aside), with ``build/`` moved away."""
    monkeypatch.setenv("EPISODEKIT_JOBS", str(jobs))
    cache = root.parent / f"cache-{jobs}-{len(list(root.parent.iterdir()))}"
    monkeypatch.setenv("EPISODEKIT_CACHE_DIR", str(cache))
    citecache.forget()
    result = run_cli("render", *args, cwd=root)
    base = root / "build"
    files = {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}
    shutil.rmtree(base, ignore_errors=True)
    manifests = {}
    for found in sorted((cache / "builds").glob("*.json")):
        data = json.loads(found.read_text(encoding="utf-8"))
        for record in data["episodes"].values():
            record.get("outputs", {}).pop("stats", None)  # inode and times: another file each run
        manifests[found.name] = data
    return result.code, result.out, result.err, files, manifests


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_write_what_one_process_writes(many, monkeypatch, run_cli, jobs):
    serial = render(many, 1, monkeypatch, run_cli)
    parallel = render(many, jobs, monkeypatch, run_cli)
    assert serial[0] == 0 and len(serial[3]) > 16 * 5 and serial[4]
    assert parallel == serial


def test_the_problems_of_invalid_episodes_come_in_the_same_order(many, monkeypatch, run_cli):
    for slug in ("depression-feedback-loop-01", "what-causes-depression-05"):  # one in each half
        path = many / "episodes" / f"{slug}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("[@", "[@nosuchkey; @", 1), encoding="utf-8")
    serial = render(many, 1, monkeypatch, run_cli)
    parallel = render(many, 2, monkeypatch, run_cli)
    assert serial[0] != 0 and "nosuchkey" in serial[2] and serial[3] == {}
    assert parallel == serial


def test_a_build_that_raises_is_raised_as_in_one_process(many, monkeypatch, run_cli):
    """A bug in one episode's build: the same exception, nothing written, whichever worker met it."""
    real = build.build_one

    def failing(ws, path):
        if path.stem == "what-causes-depression-02":
            raise ZeroDivisionError(f"cannot build {path.stem}")
        return real(ws, path)

    monkeypatch.setattr(build, "build_one", failing)
    for jobs in (1, 2):
        monkeypatch.setenv("EPISODEKIT_JOBS", str(jobs))
        ws = Workspace.open(many)
        with pytest.raises(ZeroDivisionError, match="cannot build what-causes-depression-02"):
            incremental.render_incremental(ws, ws.select(None), many / "build")
        assert not (many / "build").exists()


def test_texts_that_fail_stop_the_writing_at_the_same_episode(many, monkeypatch):
    real = output.caption_track

    def failing(resolved):
        if resolved.episode.slug == "what-causes-depression-04":
            raise ValueError("no captions for this one")
        return real(resolved)

    monkeypatch.setattr(output, "caption_track", failing)
    written = {}
    for jobs in (1, 2):
        monkeypatch.setenv("EPISODEKIT_JOBS", str(jobs))
        monkeypatch.setenv("EPISODEKIT_CACHE_DIR", str(many.parent / f"cache-texts-{jobs}"))
        ws = Workspace.open(many)
        with pytest.raises(ValueError, match="no captions for this one"):
            incremental.render_incremental(ws, ws.select(None), many / "build")
        written[jobs] = sorted(str(p.relative_to(many)) for p in (many / "build").rglob("*"))
        shutil.rmtree(many / "build")
    assert written[1] and written[2] == written[1]


def test_a_worker_that_dies_has_its_episodes_built_by_the_parent(many, monkeypatch, run_cli):
    serial = render(many, 1, monkeypatch, run_cli)
    real = build.build_one

    def dying(ws, path):
        if os.getpid() != PARENT and path.stem == "what-causes-depression-03":
            os._exit(9)  # a worker killed halfway through its episodes
        return real(ws, path)

    monkeypatch.setattr(build, "build_one", dying)
    assert render(many, 2, monkeypatch, run_cli) == serial


def test_ctrl_c_stops_the_workers_and_writes_nothing(many, monkeypatch):
    monkeypatch.setenv("EPISODEKIT_JOBS", "2")
    started = []
    real_fork = workers._fork

    def fork(*args):
        pid = real_fork(*args)
        started.append(pid)
        return pid

    def progress(done, total):
        raise KeyboardInterrupt  # Ctrl-C at the first episode built

    monkeypatch.setattr(workers, "_fork", fork)
    ws = Workspace.open(many)
    with pytest.raises(KeyboardInterrupt):
        incremental.render_incremental(ws, ws.select(None), many / "build", progress=progress)
    assert not (many / "build").exists()
    assert len(started) == 2
    for pid in started:  # stopped and reaped: no process left behind, no zombie
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_what_workers_formatted_is_kept_in_the_citation_cache(many, monkeypatch, run_cli):
    monkeypatch.setenv("EPISODEKIT_JOBS", "2")
    assert run_cli("render", "-q", cwd=many).code == 0
    shutil.rmtree(many / "build")
    for found in (Path(os.environ["EPISODEKIT_CACHE_DIR"]) / "builds").glob("*.json"):
        found.unlink()  # every episode is built again, its references from the cache
    citecache.COUNTS.clear()
    monkeypatch.setenv("EPISODEKIT_JOBS", "1")
    assert run_cli("render", "-q", cwd=many).code == 0
    assert citecache.COUNTS["entries"] == 0 and citecache.COUNTS["hits"] > 0


def test_how_many_workers(monkeypatch):
    monkeypatch.delenv(workers.JOBS_ENV, raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert workers.jobs(workers.MIN_EPISODES - 1) == 0  # too few to pay
    assert workers.jobs(1000) == 4
    assert workers.jobs(1000, share=0.5) == 0  # the cores are busy with other work: no workers
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert workers.jobs(1000) == 0  # one CPU: no workers
    monkeypatch.setenv(workers.JOBS_ENV, "3")
    assert workers.jobs(10, share=0.1) == 3 and workers.jobs(2) == 2 and workers.jobs(1) == 0
    monkeypatch.setenv(workers.JOBS_ENV, "1")
    assert workers.jobs(1000) == 0
    for wrong in ("0", "two", "-2"):
        monkeypatch.setenv(workers.JOBS_ENV, wrong)
        with pytest.raises(UsageError, match="EPISODEKIT_JOBS"):
            workers.jobs(1000)
