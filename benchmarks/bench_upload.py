"""Upload benchmark: one video through the real upload path to the fake YouTube on 127.0.0.1.

``bench.py`` calls ``upload_rows``; each measurement runs ``python bench_upload.py --child``
in a fresh process, which starts ``tests/fake_youtube`` in a *second* process (the fake keeps
every received byte in memory, so it must not share the measured process) and uploads as
``tests/youtube/test_upload.py`` does: ``Workspace.open``, ``plan_upload``, ``build_service``,
``run_upload``. Measured in the uploading process only: wall time of ``run_upload``, peak RSS
growth during it (``VmHWM`` after, reset with ``/proc/self/clear_refs`` just before, minus
``VmRSS`` just before) and, in a separate run, the ``tracemalloc`` peak above the start.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 2**20

CHANNEL_YAML = """\
name: Bench Channel
subscribe_url: https://example.org/subscribe
timezone: America/New_York
slots:
  - weekday: wednesday
    time: "09:00"
schedule_line: "New every {slots}. Subscribe: {subscribe_url}"
disclaimer: "Education only, not medical advice."
tags: [science]
"""

EPISODE_YAML = """\
title: A Benchmark Episode
schedule: next
summary: [First paragraph.]
upload: {video: video.mp4}
"""


# ---------------------------------------------------------------- the fake, in its own process

def serve_fake(conn, fail_chunk: int) -> None:
    """Run FakeYouTube until told to stop; answer with what it received."""
    sys.path.insert(0, str(ROOT / "tests"))
    from fake_youtube import FakeYouTube

    with FakeYouTube() as fake:
        if fail_chunk:
            fake.fail_chunk(fail_chunk, status=503)
        conn.send((fake.root_url, fake.access_token))
        conn.recv()  # "stop"
        conn.send({
            "videos": len(fake.videos),
            "sessions": len(fake.requests_for("videos.insert")),
            "chunk_puts": len(fake.requests_for("videos.insert.chunk")),
            "status_queries": len(fake.requests_for("videos.insert.status")),
            "sha256": [u.sha256 for u in fake.uploads.values()],
        })


# ---------------------------------------------------------------- the uploading process

def _proc_status(key: str) -> int:
    """A ``/proc/self/status`` field in bytes (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_peak_rss() -> bool:
    """Reset ``VmHWM`` to the current RSS (Linux >= 4.0: ``echo 5 > /proc/self/clear_refs``)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _make_channel(folder: Path, size: int) -> Path:
    (folder / "episodes").mkdir()
    (folder / "channel.yaml").write_text(CHANNEL_YAML, encoding="utf-8")
    (folder / "episodes" / "bench-episode.yaml").write_text(EPISODE_YAML, encoding="utf-8")
    with open(folder / "video.mp4", "wb") as f:  # 1 MiB at a time: the file never sits in memory
        for _ in range(size // MIB):
            f.write(os.urandom(MIB))
    return folder / "video.mp4"


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(MIB):
            digest.update(block)
    return digest.hexdigest()


def curl_put(root_url: str, token: str, body: dict, video: Path) -> float:
    """The floor: open a resumable session as the client does, then ``curl -T`` the whole file to it
    in one PUT (``Expect:`` off, so curl does not wait for a 100 Continue); seconds of the PUT."""
    import urllib.request

    request = urllib.request.Request(
        f"{root_url}upload/youtube/v3/videos?uploadType=resumable&part=snippet,status",
        data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "X-Upload-Content-Length": str(video.stat().st_size), "X-Upload-Content-Type": "video/mp4"})
    with urllib.request.urlopen(request) as answer:
        location = answer.headers["Location"]
    start = time.perf_counter()
    subprocess.run(["curl", "-sS", "-f", "-o", os.devnull, "-H", "Expect:", "-H", "Content-Type: video/mp4",
                    "-T", str(video), location], check=True)
    return time.perf_counter() - start


def child(size: int, chunk: int, fail_chunk: int, trace: bool, curl: bool = False) -> dict:
    """Upload one ``size``-byte video in ``chunk``-byte chunks; returns the measurements."""
    import tracemalloc

    from google.oauth2.credentials import Credentials

    from episodekit.pipeline.build import build_valid
    from episodekit.publish.upload import plan_upload
    from episodekit.workspace import Workspace
    from episodekit.youtube.client import build_service
    from episodekit.retrying import RetryPolicy
    from episodekit.youtube.uploader import run_upload

    spawn = multiprocessing.get_context("spawn")
    parent_end, child_end = spawn.Pipe()
    fake = spawn.Process(target=serve_fake, args=(child_end, fail_chunk), daemon=True)
    fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_STATE_HOME"] = str(Path(tmp) / "state")
        folder = Path(tmp) / "channel"
        folder.mkdir()
        video = _make_channel(folder, size)
        root_url, token = parent_end.recv()
        ws = Workspace.open(folder)
        plan = plan_upload(ws, build_valid(ws, folder / "episodes" / "bench-episode.yaml"))
        service = build_service(Credentials(token=token), root_url)
        if curl:
            seconds = curl_put(root_url, token, plan.body, video)
            parent_end.send("stop")
            server_saw = parent_end.recv()
            assert server_saw["videos"] == 1 and server_saw["sha256"] == [_sha256(video)], server_saw
            fake.join(10)
            return {"seconds": seconds, **server_saw}
        if trace:
            tracemalloc.start()
        base_traced = tracemalloc.get_traced_memory()[0]
        rss_before, reset = _proc_status("VmRSS"), _reset_peak_rss()
        start = time.perf_counter()
        outcome = run_upload(ws, plan, service, chunk_size=chunk, retry=RetryPolicy(base=0.001))
        seconds = time.perf_counter() - start
        hwm, traced_peak = _proc_status("VmHWM"), tracemalloc.get_traced_memory()[1]
        parent_end.send("stop")
        server_saw = parent_end.recv()
        sent_sha = _sha256(video)
    fake.join(10)
    assert server_saw["videos"] == 1 and server_saw["sessions"] == 1, server_saw
    assert server_saw["sha256"] == [sent_sha], "the fake did not receive the file intact"
    return {"seconds": seconds, "rss_before": rss_before, "hwm": hwm, "hwm_reset": reset,
            "traced_peak": traced_peak - base_traced if trace else None,
            "video_id": outcome.video_id, **server_saw}


# ---------------------------------------------------------------- driver, called from bench.py

def run_child(size: int, chunk: int, fail_chunk: int = 0, trace: bool = False, curl: bool = False) -> dict:
    args = [sys.executable, str(Path(__file__).resolve()), "--child", str(size), str(chunk),
            str(fail_chunk), "1" if trace else "0", *(["--curl"] if curl else [])]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"upload benchmark child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(size: int, chunk: int, reps: int, fail_chunk: int = 0) -> dict:
    """``reps`` untraced runs (time, RSS) and one traced run (tracemalloc), fresh processes."""
    runs = [run_child(size, chunk, fail_chunk) for _ in range(reps)]
    traced = run_child(size, chunk, fail_chunk, trace=True)
    if not all(r["hwm_reset"] for r in runs):
        raise SystemExit("cannot reset VmHWM (/proc/self/clear_refs); RSS growth would be wrong")
    return {
        "seconds": [r["seconds"] for r in runs],
        "mib_per_s": [size / MIB / r["seconds"] for r in runs],
        "rss_growth_mib": [max(0, r["hwm"] - r["rss_before"]) / MIB for r in runs],
        "hwm_mib": [r["hwm"] / MIB for r in runs],
        "traced_mib": [traced["traced_peak"] / MIB],
        "chunk_puts": runs[0]["chunk_puts"], "status_queries": runs[0]["status_queries"],
    }


def upload_rows(quick: bool, record) -> list[str]:
    """Measure, add rows with ``record(name, samples, goal, unit)``; returns extra notes."""
    sizes, reps = ([16 * MIB], 2) if quick else ([16 * MIB, 64 * MIB], 3)
    notes, clean = [], {}
    for chunk in (8 * MIB, 1 * MIB):
        goal = (3 * chunk + 30 * MIB) / MIB
        for size in sizes:
            label = f"upload {size // MIB} MiB, chunk {chunk // MIB} MiB"
            m = measure(size, chunk, reps)
            clean[size, chunk] = m
            record(f"{label}: throughput", m["mib_per_s"], unit="MiB/s")
            record(f"{label}: peak RSS growth", m["rss_growth_mib"], goal=goal, unit="MiB")
            record(f"{label}: tracemalloc peak", m["traced_mib"], goal=goal, unit="MiB")
            notes.append(f"{label}: VmHWM of the uploading process "
                         f"{max(m['hwm_mib']):.1f} MiB (imports included), {m['chunk_puts']} chunk PUTs")
    size = sizes[-1]
    chunk = 8 * MIB if size >= 4 * 8 * MIB else MIB  # chunk 3 must exist and not be the last
    failed, base = measure(size, chunk, reps, fail_chunk=3), clean[size, chunk]
    assert failed["chunk_puts"] == base["chunk_puts"] + 1, "the injected 503 did not happen"
    label = f"upload {size // MIB} MiB, chunk {chunk // MIB} MiB, 503 on chunk 3"
    record(f"{label}: throughput", failed["mib_per_s"], unit="MiB/s")
    record(f"{label}: peak RSS growth", failed["rss_growth_mib"], goal=(3 * chunk + 30 * MIB) / MIB,
           unit="MiB")
    extra = statistics.median(failed["seconds"]) - statistics.median(base["seconds"])
    record(f"{label}: extra time", [extra], unit="ms")
    notes.append(f"{label}: {failed['chunk_puts']} chunk PUTs (clean: {base['chunk_puts']}), "
                 f"{failed['status_queries']} status queries; extra time = its median minus the "
                 "clean median; RetryPolicy(base=0.001) sleeps 0.5-1 ms")
    return notes


def upload_targets(row, quick: bool, reps: int) -> list[str]:
    """Issue 13's upload rows: throughput of the client against ``curl -T`` of the same file to the same
    fake (each rep: one curl, one client, fresh processes), and the client's peak RSS for two sizes."""
    small, big = (16 * MIB, 64 * MIB) if quick else (256 * MIB, 1024 * MIB)
    chunk = 8 * MIB  # episodekit.youtube.media.DEFAULT_CHUNKSIZE
    ours, floors = [], []
    for _ in range(reps):
        floors.append(big / MIB / run_child(big, chunk, curl=True)["seconds"])
        ours.append(big / MIB / run_child(big, chunk)["seconds"])
    row(f"upload {big // MIB} MiB, chunk {chunk // MIB} MiB: throughput (floor: curl -T), MiB/s", ours, floors,
        0.9, higher=True, unit="MiB/s")
    hwm = {size: [run_child(size, chunk)["hwm"] / MIB for _ in range(max(1, reps - 1))] for size in (small, big)}
    row(f"upload peak RSS (VmHWM), {big // MIB} MiB file (floor: {small // MIB} MiB file), MiB",
        hwm[big], hwm[small], 10.0, difference=True, unit="MiB")
    return [f"upload: the client sends {chunk // MIB} MiB chunks through plan_upload/run_upload; curl PUTs the whole "
            "file to a session opened the same way; both to tests/fake_youtube in its own process"]


def main() -> None:
    parser = argparse.ArgumentParser(description="one upload, in this process (used by bench.py)")
    parser.add_argument("--child", nargs=4, type=int, required=True,
                        metavar=("SIZE", "CHUNK", "FAIL_CHUNK", "TRACE"))
    parser.add_argument("--curl", action="store_true", help="the floor: curl -T of the file, not the client")
    args = parser.parse_args()
    size, chunk, fail_chunk, trace = args.child
    sys.path.insert(0, str(ROOT))
    print(json.dumps(child(size, chunk, fail_chunk, bool(trace), args.curl)))


if __name__ == "__main__":
    main()
