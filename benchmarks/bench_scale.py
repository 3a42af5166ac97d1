"""Issue 22's scale rows: 10,000 episodes citing 6 of 3,000 references (called by bench.py).

* warm: ``publish.py render -q`` with nothing changed since the render before, against
  ``benchkit.FLOOR`` for the same channel (``CSafeLoader`` of the same YAML + the same output
  bytes to the same files), in the same repetition; target 2x.
* peak RSS: how much the render's own peak resident memory grows from the 1,000-episode channel
  (6 of 300 references) to the 10,000-episode one, above what a 1-episode render of the same
  generator takes (the interpreter, the imports, a style), against how much the channel's YAML
  grows: ``(RSS(10,000) - RSS(1)) / (RSS(1,000) - RSS(1))`` over ``YAML(10,000) / YAML(1,000)``,
  all warm renders measured in the same repetition; target 1x (memory growing no faster than
  the YAML). The absolute figures are in a note. Each render is spawned through
  ``benchkit.LAUNCHER``, so its peak RSS is its own, not this benchmark's (which holds the outputs).
  A warm render that rewrites any output file stops the benchmark: its figures would be a cold one's.
  The same growth for the first (cold) renders is given in a note.

The first render of each channel (cold, into its own new cache folder) prepares the warm ones;
its time is given in a note, beside the floor of the first repetition. Standard library only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchkit import empty, file_states, floor, outputs_of, render, save_blob, yaml_bytes  # noqa: E402
from channelgen import make_channel  # noqa: E402

Row = Callable[..., None]  # benchkit.target_row
CITES = 6


def still_warm(channel: Path, before: dict[Path, tuple[int, int, int, int]]) -> None:
    """A warm render rewrites nothing; one that did was not warm (the code changed under the run, say,
    which makes the build manifest stale) and its figures would be a cold render's."""
    after = file_states(channel / "build")
    if after != before:
        changed = sum(before.get(path) != state for path, state in after.items()) + len(before.keys() - after.keys())
        raise SystemExit(f"the warm render of {channel.name} rewrote {changed} output file(s): it was not warm "
                         "(was episodekit's code edited during the run, or did a release slot pass?)")


def scale_targets(row: Row, base: Path, big: tuple[int, int], middle: tuple[int, int], reps: int) -> list[str]:
    """The warm-render and peak-RSS rows for ``big`` = (episodes, references); returns the notes."""
    tmp = base / "scale"
    sizes = {"big": big, "middle": middle, "one": (1, CITES)}
    channels = {name: make_channel(tmp / name, episodes, refs, CITES) for name, (episodes, refs) in sizes.items()}
    caches = {name: empty(tmp / f"cache-{name}") for name in sizes}
    first = {name: render(channels[name], caches[name], own_rss=True) for name in sizes}
    outputs = outputs_of(channels["big"] / "build")
    size = save_blob(outputs, tmp / "outputs.bin")
    del outputs
    floors, warm, rss = [], [], {name: [] for name in sizes}
    for _ in range(reps):
        floors.append(floor(channels["big"], tmp / "outputs.bin", tmp / "floor-out").seconds)
        for name in sizes:
            before = file_states(channels[name] / "build")
            again = render(channels[name], caches[name], own_rss=True)
            still_warm(channels[name], before)
            rss[name].append(again.rss_mib)
            if name == "big":
                warm.append(again.seconds)
    yaml = {name: yaml_bytes(channels[name]) for name in sizes}
    label = f"{big[0]} ep. x {CITES} of {big[1]} refs"
    row(f"scale: render warm (nothing changed), {label}", warm, floors, 2.0)
    growth = [(b - o) / max(m - o, 1e-9) for b, m, o in zip(rss["big"], rss["middle"], rss["one"])]
    yaml_growth = yaml["big"] / yaml["middle"]
    row(f"scale: peak RSS growth {middle[0]} -> {big[0]} ep. above a 1-ep. render (floor: YAML growth)",
        growth, [yaml_growth] * reps, 1.0, unit="x")
    mib = {name: max(values) for name, values in rss.items()}
    cold = (first["big"].rss_mib - first["one"].rss_mib) / max(first["middle"].rss_mib - first["one"].rss_mib, 1e-9)
    return [f"scale rows: the same growth for the first (cold) renders, measured once: {cold:.2f}x against the YAML's "
            f"{yaml_growth:.2f}x ({first['one'].rss_mib:.0f} / {first['middle'].rss_mib:.0f} / {first['big'].rss_mib:.0f} MiB "
            f"at 1 / {middle[0]} / {big[0]} episodes)",
            "scale rows: each warm render is timed through the launcher that reads its own peak RSS (about 30 ms "
            "more than the render alone; the floor runs without it), and was checked to rewrite no output file",
            f"scale rows: YAML {yaml['middle'] / 2**20:.1f} MiB at {middle[0]} episodes, {yaml['big'] / 2**20:.1f} MiB "
            f"at {big[0]}; warm peak RSS (worst) {mib['one']:.0f} MiB at 1 episode, {mib['middle']:.0f} MiB at "
            f"{middle[0]}, {mib['big']:.0f} MiB at {big[0]}; {size / 2**20:.1f} MiB of outputs",
            f"scale rows: the first (cold) render of {big[0]} episodes took {first['big'].seconds:.1f} s, "
            f"{first['big'].rss_mib:.0f} MiB at its peak ({first['big'].seconds / floors[0]:.1f}x the floor of the "
            "first repetition; measured once)"]
