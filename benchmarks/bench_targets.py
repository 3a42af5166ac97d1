"""Issue 13's speed targets, each a ratio against a floor measured in the same run (called by bench.py).

Every figure is the wall time of a fresh process, and every ratio is taken against the floor of
its own repetition, so a load that changes during the run weighs on both. Standard library only
(the floors import PyYAML, Jinja2 and Typer, as the project's Python has them).

* render: a ``channelgen`` channel (1,000 episodes x 6 of 300 references; ``--quick``: 100):
  cold (no ``build/``, an empty citation cache), warm (nothing changed) and after one reference
  changed, each ``python publish.py render -q`` against the floor of ``bench_render.FLOOR``
  (``CSafeLoader`` of the same YAML files + the same output bytes to the same number of files).
  After the change, only the episodes citing that reference may get new files: every output is
  first given an old mtime, and the files whose mtime moved are compared with the citing episodes.
* scaling: warm renders of 100 / 1,000 (/ 5,000 with ``--full``) episodes; the time per episode is
  (render of N - render of 1 episode with the same library) / (N - 1), against that of 1,000.
* startup: ``publish.py preview`` of one episode and ``publish.py --help`` against
  ``python -c "import yaml, jinja2, typer"``.
"""

from __future__ import annotations

import json
import os
import re
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

from bench_render import FLOOR, outputs_of, render_env, timed  # noqa: E402
from channelgen import cited, make_channel  # noqa: E402

Row = Callable[..., None]  # row(name, values, floors, target, note="")
OLD_NS = 1_000_000_000_000_000_000  # 2001-09-09: an mtime no render of today writes
CHANGED_REF = 7  # the reference edited for the "one reference changed" row


def _render(channel: Path, cache: Path) -> float:
    return timed([sys.executable, str(ROOT / "publish.py"), "render", "-q"], channel, render_env(cache, False))


def _floor(tmp: Path, channel: Path, blob: Path, rep: int) -> float:
    out = tmp / f"floor-{rep}"
    seconds = timed([sys.executable, "-c", FLOOR, str(channel), str(blob), str(out)], tmp, dict(os.environ))
    shutil.rmtree(out)
    return seconds


def _edit_reference(channel: Path, number: int) -> str:
    """Change the title of reference ``number``; returns the old text of references.yaml."""
    library = channel / "references.yaml"
    old = library.read_text(encoding="utf-8")
    new = old.replace(f"study number {number} of", f"study number {number} (corrected) of", 1)
    assert new != old
    library.write_text(new, encoding="utf-8")
    return old


def _rewritten_after_change(channel: Path, cache: Path, episodes: int) -> tuple[float, int, int, bool]:
    """Age every output, change one reference, render: seconds, episodes rewritten, episodes
    citing it, and whether exactly the citing ones got new files."""
    build = channel / "build"
    for path in build.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD_NS, OLD_NS))
    old = _edit_reference(channel, CHANGED_REF)
    try:
        seconds = _render(channel, cache)
    finally:
        (channel / "references.yaml").write_text(old, encoding="utf-8")
    moved = {p.parent.name for p in build.rglob("*") if p.is_file() and p.stat().st_mtime_ns != OLD_NS}
    key = f"ref{CHANGED_REF:03d}"
    citing = {f"episode-{i:04d}" for i in range(episodes) if key in cited(i, 300, 6)}
    return seconds, len(moved), len(citing), moved == citing


def render_targets(row: Row, quick: bool, reps: int) -> None:
    episodes = 100 if quick else 1000
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        channel = make_channel(tmp / "channel", episodes, 300, 6)
        _render(channel, tmp / "cache-prime")
        blob = tmp / "outputs.json"
        blob.write_text(json.dumps(outputs_of(channel / "build"), ensure_ascii=False), encoding="utf-8")
        floors, cold, warm, changed, checks = [], [], [], [], []
        for rep in range(reps):
            floors.append(_floor(tmp, channel, blob, rep))
            shutil.rmtree(channel / "build")
            cache = tmp / f"cache-{rep}"
            cold.append(_render(channel, cache))
            warm.append(_render(channel, cache))
            seconds, moved, citing, exact = _rewritten_after_change(channel, cache, episodes)
            changed.append(seconds)
            checks.append((moved, citing, exact))
    label = f"{episodes} ep. x 6 of 300 refs"
    row(f"render cold (empty cite cache), {label}", cold, floors, 5.0)
    row(f"render warm (nothing changed), {label}", warm, floors, 2.0)
    moved, citing, _ = checks[-1]
    verdict = "only the citing ones" if all(c[2] for c in checks) else "OTHERS TOO"
    row(f"render after ref{CHANGED_REF:03d} changed, {label}", changed, floors, 2.0,
        note=f"episodes rewritten: {moved} of {episodes}, citing it: {citing} ({verdict})")


def _warm_render(tmp: Path, episodes: int) -> float:
    channel = make_channel(tmp / f"scale-{episodes}", episodes, 300, 6)
    cache = tmp / f"scale-cache-{episodes}"
    _render(channel, cache)  # cold: builds the cache and build/
    return _render(channel, cache)


def scaling_targets(row: Row, quick: bool, full: bool, reps: int) -> None:
    sizes = [20, 100] if quick else [100, 1000] + ([5000] if full else [])
    base = sizes[-1] if quick else 1000
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        per: dict[int, list[float]] = {n: [] for n in sizes}
        for _ in range(reps):
            one = _warm_render(tmp, 1)
            for n in sizes:
                per[n].append((_warm_render(tmp, n) - one) / (n - 1))
                shutil.rmtree(tmp / f"scale-{n}")
                shutil.rmtree(tmp / f"scale-cache-{n}")
            shutil.rmtree(tmp / "scale-1")
            shutil.rmtree(tmp / "scale-cache-1")
    for n in sizes:
        row(f"scaling: warm render per episode, {n} ep. (floor: {base} ep.)", per[n], per[base], 1.2,
            low=0.8, unit="ms")


def _command(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, check=False)
    return time.perf_counter() - start


def startup_targets(row: Row, reps: int) -> None:
    floor_args = ["-c", "import yaml, jinja2, typer"]
    preview = ["publish.py", "preview", "episodes/what-causes-depression.yaml"]
    floors, previews, helps = [], [], []
    _command(preview)  # the sample's citation cache and the .pyc files, once
    for _ in range(reps):
        floors.append(_command(floor_args))
        previews.append(_command(preview))
        helps.append(_command(["publish.py", "--help"]))
    row("preview of one episode (floor: import yaml, jinja2, typer)", previews, floors, 1.5)
    row("--help (floor: import yaml, jinja2, typer)", helps, floors, 1.5)


def import_offenders(args: list[str], count: int = 8) -> list[tuple[int, int, str]]:
    """``-X importtime`` of ``python ARGS``: the ``count`` largest self times (µs) with their cumulative."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    found = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if match:
            found.append((int(match.group(1)), int(match.group(2)), match.group(3)))
    return sorted(found, reverse=True)[:count]


def offender_notes() -> list[str]:
    notes = []
    for args in (["publish.py", "preview", "episodes/what-causes-depression.yaml"], ["publish.py", "--help"]):
        notes.append(f"top imports by self time, python -X importtime {' '.join(args)} (self / cumulative µs):")
        notes += [f"  {own:>8} {total:>8}  {name}" for own, total, name in import_offenders(args)]
    return notes


def median(values: list[float]) -> float:
    return statistics.median(values)
