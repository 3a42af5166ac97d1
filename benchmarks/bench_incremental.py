"""Incremental render benchmark: a generated channel cold, warm and after one reference changed, against the floor.

    python benchmarks/bench_incremental.py [--episodes 10000] [--references 3000] [--reps 3] [--tmp DIR]

The channel is ``channelgen.make_channel`` (each episode cites 6 of the references). Each repetition
runs, each in a fresh process and on tmpfs where there is one (``/dev/shm``, else ``--tmp``):

* floor: ``bench_render.FLOOR``, PyYAML's ``CSafeLoader`` over the same YAML files plus writing the
  same output bytes to the same number of files in a new folder;
* cold: ``render -q`` with no ``build/`` and an empty cache (manifest and citation texts);
* warm: ``render -q`` again, nothing changed;
* one reference: ``render -q`` after the title of one reference changed (and how many files changed).

Wall time and peak RSS (``ru_maxrss`` of the child) of each; the ratios are taken against the floor of
the same repetition. ``incremental_rows(record, ...)`` is what a table of ``bench.py`` can call: it
calls ``record(name, values, floors, target)`` once per row. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_render import FLOOR, outputs_of  # noqa: E402  (benchmarks/bench_render.py)
from channelgen import make_channel  # noqa: E402  (benchmarks/channelgen.py)

RUN = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], capture_output=True).returncode
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""
TARGETS = {"cold": 5.0, "warm": 2.0, "one reference": 2.0}  # issue 22's, as ratios to the floor


def measured(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of ``args`` run in a fresh process."""
    proc = subprocess.run([sys.executable, "-c", RUN, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True)
    seconds, rss, code = proc.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(args)} failed ({code})")
    return float(seconds), int(rss) / 1024


def files_state(build: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in build.rglob("*") if p.is_file()}


def one_rep(tmp: Path, channel: Path, rep: int) -> dict[str, tuple[float, float]]:
    """Floor, cold, warm and one-reference figures (seconds, MiB) of one repetition."""
    env = {k: v for k, v in os.environ.items() if k not in ("EPISODEKIT_NO_CACHE", "EPISODEKIT_CHANNEL")}
    env["EPISODEKIT_CACHE_DIR"] = str(tmp / f"cache-{rep}")
    render = [sys.executable, str(ROOT / "publish.py"), "render", "-q"]
    build = channel / "build"
    shutil.rmtree(build, ignore_errors=True)
    figures = {"cold": measured(render, channel, env), "warm": measured(render, channel, env)}
    blob = tmp / "outputs.json"
    blob.write_text(json.dumps(outputs_of(build)), encoding="utf-8")
    floor_out = tmp / f"floor-{rep}"
    figures["floor"] = measured([sys.executable, "-c", FLOOR, str(channel), str(blob), str(floor_out)], tmp, env)
    shutil.rmtree(floor_out)
    library = channel / "references.yaml"
    text = library.read_text(encoding="utf-8")
    before = files_state(build)
    library.write_text(text.replace("title: ", f"title: Changed {rep} ", 1), encoding="utf-8")
    figures["one reference"] = measured(render, channel, env)
    after = files_state(build)
    figures["rewritten"] = (float(sum(after[p] != t for p, t in before.items())), 0.0)
    library.write_text(text, encoding="utf-8")
    measured(render, channel, env)  # back to the library as generated, for the next repetition
    shutil.rmtree(tmp / f"cache-{rep}")
    return figures


def incremental_rows(record: Callable[..., None], episodes: int = 10_000, references: int = 3_000, reps: int = 3,
                     tmp_root: Path | None = None) -> list[dict[str, tuple[float, float]]]:
    """Run ``reps`` repetitions; ``record(name, values, floors, target)`` for each row."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() and tmp_root is None else tmp_root
    with tempfile.TemporaryDirectory(dir=base) as folder:
        tmp = Path(folder)
        channel = make_channel(tmp / "channel", episodes, references, 6)
        runs = [one_rep(tmp, channel, rep) for rep in range(reps)]
    floors = [run["floor"][0] for run in runs]
    for name, target in TARGETS.items():
        record(f"render {name}, {episodes:,} episodes / {references:,} references (s)",
               [run[name][0] for run in runs], floors, target)
    record(f"peak RSS, warm render, {episodes:,} episodes (MiB)", [run["warm"][1] for run in runs],
           [run["floor"][1] for run in runs], None)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--references", type=int, default=3_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--tmp", type=Path, default=None)
    args = parser.parse_args()

    def record(name: str, values: list[float], floors: list[float], target: float | None) -> None:
        ratios = [v / f for v, f in zip(values, floors)]
        goal = f"target <= {target:g}x" if target else "(floor: the floor's own peak)"
        print(f"{name}: median {statistics.median(values):.2f} vs floor {statistics.median(floors):.2f}; "
              f"ratio median {statistics.median(ratios):.2f}x, worst {max(ratios):.2f}x {goal}", flush=True)

    started = time.time()
    runs = incremental_rows(record, args.episodes, args.references, args.reps, args.tmp)
    rewritten = [int(run["rewritten"][0]) for run in runs]
    print(f"files rewritten after one reference changed: {rewritten}; "
          f"max RSS (MiB) cold {[round(r['cold'][1]) for r in runs]}, warm {[round(r['warm'][1]) for r in runs]}, "
          f"floor {[round(r['floor'][1]) for r in runs]}; {time.time() - started:.0f} s in all")
    print(f"(peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB)")


if __name__ == "__main__":
    main()
