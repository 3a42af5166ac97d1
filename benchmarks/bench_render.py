"""Render benchmark: a generated channel, cold and warm, before (cache off) and after the citation cache.

    python benchmarks/bench_render.py [--quick] [--reps N] [--style vancouver|ama|apa] [--episodes N]

``bench.py`` calls ``render_rows``. The channel is ``channelgen.make_channel``: 1,000 episodes
(``--quick``: 100), each citing 6 of 300 shared references. Every figure is the wall time of a
fresh process, ``python publish.py render -q`` in the channel folder:

* cold: no ``build/`` and an empty citation cache (a new ``EPISODEKIT_CACHE_DIR``);
* warm: ``build/`` and the cache as the cold run left them, nothing changed;
* BEFORE: ``EPISODEKIT_NO_CACHE=1`` (each episode's list formatted by citeproc-py, as before);
  AFTER: the cache on.

The floor, measured in the same run and in a fresh process too, is parsing the same YAML files
with PyYAML's ``CSafeLoader`` plus writing the same output bytes to the same number of files in
a new folder. Each repetition measures the floor and the four renders one after the other, and
a ratio is taken against the floor of its own repetition, so a load that changes during the run
weighs on both. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchkit import PUBLISH, floor, outputs_of, print_table, record, save_blob, timed  # noqa: E402
from channelgen import make_channel  # noqa: E402  (benchmarks/channelgen.py)

Record = Callable[..., None]
ROWS = ("floor (CSafeLoader + same bytes to the same files)", "render cold, BEFORE (cache off)",
        "render cold, AFTER (cache on)", "render warm, BEFORE (cache off)", "render warm, AFTER (cache on)")
GOALS = {2: 5.0, 4: 2.0}  # issue 13's targets for the AFTER rows: cold <= 5x, warm <= 2x the floor


def render_env(cache: Path, off: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("EPISODEKIT_NO_CACHE", "EPISODEKIT_CHANNEL")}
    env["EPISODEKIT_CACHE_DIR"] = str(cache)
    if off:
        env["EPISODEKIT_NO_CACHE"] = "1"
    return env


def one_rep(tmp: Path, channel: Path, blob: Path, rep: int) -> list[float]:
    """Floor, cold before, cold after, warm before, warm after: seconds of each."""
    render, build = [*PUBLISH, "render", "-q"], channel / "build"
    times = [floor(channel, blob, tmp / f"floor-{rep}").seconds]
    off, on = render_env(tmp / f"cache-off-{rep}", True), render_env(tmp / f"cache-on-{rep}", False)
    shutil.rmtree(build, ignore_errors=True)
    times.append(timed(render, channel, off))
    before = outputs_of(build)
    shutil.rmtree(build)
    times.append(timed(render, channel, on))
    if outputs_of(build) != before:
        raise SystemExit("the citation cache changed the output: the cold renders differ")
    times.append(timed(render, channel, off))
    times.append(timed(render, channel, on))
    if outputs_of(build) != before:
        raise SystemExit("the citation cache changed the output: the warm render differs")
    return times


def layout_note(cache_file: Path, reps: int = 5) -> str:
    """One cache file per style (what episodekit does) against one file per entry, for the
    entries of ``cache_file``: best of ``reps`` writes (atomic, as the cache writes) and reads."""
    entries = json.loads(cache_file.read_text(encoding="utf-8"))["entries"]

    def write_text_atomic(path: Path, text: str) -> None:
        """What the cache does: a temporary file beside the target, then a rename."""
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)

    def best(action: Callable[[], object]) -> float:
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        return min(times) * 1000

    with tempfile.TemporaryDirectory() as name:
        one, per = Path(name) / "one.json", Path(name) / "per"
        per.mkdir()
        figures = [
            best(lambda: write_text_atomic(one, json.dumps({"entries": entries}))),
            best(lambda: json.loads(one.read_bytes())),
            best(lambda: [write_text_atomic(per / k, v) for k, v in entries.items()]),
            best(lambda: {k: (per / k).read_text(encoding="utf-8") for k in entries}),
        ]
    return (f"cache layout, {len(entries)} entries: one file per style writes in {figures[0]:.1f} ms and "
            f"reads in {figures[1]:.1f} ms; one file per entry writes in {figures[2]:.1f} ms and reads in "
            f"{figures[3]:.1f} ms (best of {reps})")


def render_rows(quick: bool, record: Record, reps: int | None = None, style: str = "vancouver",
                episodes: int | None = None) -> list[str]:
    """Measure, add the rows through ``record(name, samples, goal=None, unit=...)``; return notes."""
    size, reps = (100, reps or 1) if quick else (1000, reps or 3)
    episodes = episodes or size
    label = f"{episodes} ep."
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        channel = make_channel(tmp / "channel", episodes, 300, 6, style)
        prime = render_env(tmp / "cache-prime", True)
        timed([*PUBLISH, "render", "-q"], channel, prime)  # the bytes
        outputs = outputs_of(channel / "build")
        blob = tmp / "outputs.bin"
        total = save_blob(outputs, blob)
        samples = [one_rep(tmp, channel, blob, rep) for rep in range(reps)]
        cache_files = sorted((tmp / "cache-on-0" / "cite").glob("*.json"))
        cache_bytes = sum(p.stat().st_size for p in cache_files)
        layout = layout_note(cache_files[0]) if style != "apa" else ""
    for i, row in enumerate(ROWS):
        column = [s[i] for s in samples]
        record(f"{row}, {label}", column)
        if i:
            record("  ratio to the floor", [s[i] / s[0] for s in samples], goal=GOALS.get(i), unit="x")
    return [f"render rows: {episodes} episodes x 6 of 300 references, style {style}, {reps} repetition(s); "
            f"{len(outputs)} output files, {total / 2**20:.1f} MiB; cache file(s) after a cold run: "
            f"{len(cache_files)}, {cache_bytes / 1024:.0f} KiB; cold and warm outputs identical with and "
            "without the cache (checked each repetition)", *([layout] if layout else [])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 episodes, 1 repetition")
    parser.add_argument("--reps", type=int, help="repetitions (default 3, --quick 1)")
    parser.add_argument("--style", default="vancouver", choices=["vancouver", "ama", "apa"])
    parser.add_argument("--episodes", type=int, help="channel size (default 1000, --quick 100)")
    args = parser.parse_args()
    notes = render_rows(args.quick, record, args.reps, args.style, args.episodes)
    print_table()
    print()
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
