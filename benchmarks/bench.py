"""Speed and memory benchmarks of episodekit; prints one table of ratios against floors.

Run from anywhere:  python benchmarks/bench.py [--quick] [--full] [--only PART] [--more]
Standard library only, plus the project itself (and its Google client, for the upload
measurement in bench_upload.py). Results are recorded by hand in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_upload import upload_rows  # noqa: E402  (benchmarks/bench_upload.py)
from bench_render import render_rows  # noqa: E402  (benchmarks/bench_render.py)

ROWS: list[tuple[str, str, str, str, str]] = []  # name, median, worst, goal, verdict


UNITS = {"s": (1.0, "{:.3f} s"), "ms": (1000.0, "{:.1f} ms"), "MiB": (1.0, "{:.1f} MiB"),
         "MiB/s": (1.0, "{:.0f} MiB/s"), "x": (1.0, "{:.1f}x")}


def record(name: str, samples: list[float], goal: float | None = None, unit: str = "s") -> None:
    """Add a row: median and worst of ``samples``; the goal is checked against the worst.
    For a rate (unit ending in "/s") the worst sample is the lowest, otherwise the highest."""
    rate = unit.endswith("/s")
    med, worst = statistics.median(samples), (min(samples) if rate else max(samples))
    scale, fmt = UNITS[unit]
    met = goal is not None and (worst >= goal if rate else worst <= goal)
    verdict = "" if goal is None else ("met" if met else "NOT MET")
    goal_text = "" if goal is None else ("> " if rate else "< ") + fmt.format(goal * scale)
    ROWS.append((name, fmt.format(med * scale), fmt.format(worst * scale), goal_text, verdict))


def print_table() -> None:
    head = ("measurement", "median", "worst", "goal", "verdict")
    widths = [max(len(r[i]) for r in [head, *ROWS]) for i in range(5)]
    for row in [head, tuple("-" * w for w in widths), *ROWS]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def header() -> None:
    print(f"date:    {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}")
    print(f"machine: {platform.platform()} ({platform.machine()}), {os.cpu_count()} CPUs")
    print(f"python:  {platform.python_version()} ({PY})")
    print()


# ---------------------------------------------------------------- 1. cold start

def time_command(args: list[str], reps: int) -> list[float]:
    """Wall time of ``python ARGS`` in a fresh process, from the repo root."""
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run([PY, *args], cwd=ROOT, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return samples


def cold_start(reps: int) -> None:
    """Fresh interpreter each run; the OS file cache is warm after the first one."""
    record("cold: python -c pass (interpreter)", time_command(["-c", "pass"], reps))
    record("cold: publish.py --help", time_command(["publish.py", "--help"], reps))
    check = ["publish.py", "check"]
    record("cold: publish.py check (sample, 2 ep.)", time_command(check, reps), goal=1.5)
    preview = ["publish.py", "preview", "episodes/what-causes-depression.yaml"]
    record("cold: publish.py preview", time_command(preview, reps), goal=1.5)


def import_top(statement: str, count: int = 5) -> list[tuple[int, str]]:
    """``-X importtime`` of ``statement``: the ``count`` largest cumulative imports (µs),
    among top-level imports and their direct children."""
    proc = subprocess.run([PY, "-X", "importtime", "-c", statement],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    found = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(3)) <= 3:
            found.append((int(match.group(2)), "  " * (len(match.group(3)) // 2) + match.group(4)))
    return sorted(found, reverse=True)[:count]


HEAVY_CHECK = """
import contextlib, io, sys
from episodekit.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    main(['check'])
heavy = ('googleapiclient', 'google_auth_oauthlib', 'httplib2', 'google.auth')
print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m == 'google.auth')))
"""


def google_imported() -> str:
    proc = subprocess.run([PY, "-c", HEAVY_CHECK], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return proc.stdout.strip()


# ---------------------------------------------------------------- 2. scaling

REFERENCE = """{key}:
  author: [{{family: Author{i}, given: A. B.}}, {{family: Second{i}, given: C.}}]
  title: A synthetic study number {i} of neuroplasticity and mood
  container-title: Journal of Synthetic Results
  container-title-short: J Synth Res
  issued: {year}
  volume: {i}
  issue: 2
  page: {p}-{q}
  DOI: 10.1000/synthetic.{i}
"""

EPISODE = """title: Synthetic episode {i} about circuits and mood
schedule: next
summary:
  - A first summary paragraph of synthetic episode {i}, long enough to look real.
  - A second paragraph that says what the episode covers and why it matters.
script:
{sections}
citations: [{keys}]
tags: [synthetic, episode{i}]
chapters: [{{at: "0:00", title: Intro}}, {{at: "1:00", title: Middle}}, {{at: "2:00", title: End}}]
"""


def make_channel(folder: Path, n: int) -> Path:
    """A channel with ``n`` references and ``n`` episodes, each citing 6 keys in its script."""
    shutil.copy(ROOT / "channel.yaml", folder / "channel.yaml")
    refs = [REFERENCE.format(key=f"ref{i}", i=i, year=1990 + i % 30, p=100 + i, q=110 + i)
            for i in range(n)]
    (folder / "references.yaml").write_text("\n".join(refs), encoding="utf-8")
    (folder / "episodes").mkdir()
    for i in range(n):
        keys = [f"ref{(i + k) % n}" for k in range(6)]
        sections = "\n".join(
            f"  - heading: Part {k}\n    body: Sentence {k} of the script with a cue [@{key}]."
            " More words follow to make a realistic paragraph of spoken text."
            for k, key in enumerate(keys))
        text = EPISODE.format(i=i, sections=sections, keys=", ".join(keys))
        (folder / "episodes" / f"episode-{i:04d}.yaml").write_text(text, encoding="utf-8")
    return folder


def run_check_here() -> int:
    """``episodekit.cli.main(["check"])`` in the current folder, output swallowed."""
    from episodekit.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check"])
    if code != 0:
        raise SystemExit(f"check failed in {os.getcwd()}:\n{err.getvalue()[:2000]}")
    return code


def scaling(sizes: list[int], reps: int) -> None:
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            os.chdir(make_channel(Path(tmp), 6))
            run_check_here()  # warm-up: imports and CSL style parsing are paid once here
            for n in sizes:
                folder = Path(tmp) / f"n{n}"
                folder.mkdir()
                os.chdir(make_channel(folder, n))
                samples = []
                for _ in range(reps):
                    start = time.perf_counter()
                    run_check_here()
                    samples.append(time.perf_counter() - start)
                record(f"check, in-process, N={n}: total", samples)
                record(f"check, in-process, N={n}: per episode", [s / n for s in samples],
                       goal=0.100, unit="ms")
        finally:
            os.chdir(here)


# ---------------------------------------------------------------- 3. memory

MEMORY_CHILD = """
import os, resource, sys, tracemalloc
sys.path.insert(0, {root!r})
if {trace}:
    tracemalloc.start()
os.chdir({folder!r})
import contextlib, io
from episodekit.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(['check'])
peak = tracemalloc.get_traced_memory()[1]
hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')] or ['0']
print(code, peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, hwm[0])
"""


def memory(n: int) -> dict[str, float]:
    """Peak memory of checking ``n`` episodes in a fresh process (imports included)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_channel(Path(tmp), n)
        out = {}
        for trace in (False, True):
            code = MEMORY_CHILD.format(root=str(ROOT), folder=str(folder), trace=trace)
            proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
            status, peak, maxrss, hwm = proc.stdout.split()
            if trace:
                out["tracemalloc peak MiB"] = int(peak) / 2**20
            else:  # Linux: KiB; ru_maxrss also counts the parent's RSS at fork, VmHWM does not
                out["ru_maxrss MiB"] = int(maxrss) / 1024
                out["VmHWM MiB (this process only)"] = int(hwm) / 1024
            assert status == "0", proc.stderr
    return out


# ---------------------------------------------------------------- 4. YAML limits

def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def time_read(path: Path, reps: int, max_bytes: int) -> list[float]:
    """Seconds to read ``path`` with the given size limit, accepted or rejected."""
    from episodekit.errors import InputError
    from episodekit.files.yamlsource import read_yaml

    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        try:
            read_yaml(path, max_bytes=max_bytes)
        except InputError:
            pass
        samples.append(time.perf_counter() - start)
    return samples


def _keys_file(path: Path, size: int) -> Path:
    line = "k{:07d}: v\n"
    text = "".join(line.format(i) for i in range(size // len(line.format(0))))
    path.write_text(text, encoding="utf-8")
    return path


def yaml_limits(reps: int) -> None:
    from episodekit.files.yamlsource import MAX_EPISODE_BYTES, MAX_FILE_BYTES

    with tempfile.TemporaryDirectory() as tmp:
        for label, limit in (("episode", MAX_EPISODE_BYTES), ("library", MAX_FILE_BYTES)):
            kib = limit // 1024
            over = _keys_file(Path(tmp) / f"{label}-over.yaml", limit + 4096)
            record(f"yaml: {label} file over {kib} KiB (rejected)", time_read(over, reps, limit),
                   goal=2.0, unit="ms")
            under = _keys_file(Path(tmp) / f"{label}-under.yaml", limit - 64)
            record(f"yaml: {label} file just under {kib} KiB", time_read(under, reps, limit),
                   goal=2.0, unit="ms")
        bomb = Path(tmp) / "bomb.yaml"
        bomb.write_text(alias_bomb(), encoding="utf-8")
        record("yaml: alias bomb (9^9 nodes, rejected)", time_read(bomb, reps, MAX_FILE_BYTES),
               goal=2.0, unit="ms")


# ---------------------------------------------------------------- issue 13's table: ratios to floors

TARGETS: list[tuple[str, ...]] = []  # measurement, value, floor, ratio, worst ratio, target, verdict
NOTES: list[str] = []
PARTS = ("render", "scaling", "startup", "quota", "upload", "import")


def _fmt(value: float, unit: str) -> str:
    return {"s": f"{value:.3f} s", "ms": f"{value * 1000:.2f} ms", "MiB": f"{value:.1f} MiB",
            "MiB/s": f"{value:.0f} MiB/s", "units": f"{value:.0f} units"}[unit]


def target_row(name: str, values: list[float], floors: list[float], target: float, *, note: str = "",
               low: float | None = None, higher: bool = False, difference: bool = False, unit: str = "s") -> None:
    """A row of the table: medians of ``values`` and of ``floors`` (one per repetition, measured side by
    side), the median and worst per-repetition ratio (or, with ``difference``, value minus floor), and
    whether the median meets ``target``: ratio <= target, >= target with ``higher``, within
    [``low``, target] with ``low``, |difference| <= target with ``difference``."""
    if difference:
        ratios = [v - f for v, f in zip(values, floors)]
        worst, med = max(ratios, key=abs), statistics.median(ratios)
        shown, goal, met = (f"{med:+.1f} MiB", f"{worst:+.1f} MiB"), f"within ±{target:g} MiB", abs(med) <= target
    else:
        ratios = [v / f for v, f in zip(values, floors)]
        med = statistics.median(ratios)
        worst = min(ratios) if higher else (max(ratios, key=lambda r: abs(r - 1)) if low else max(ratios))
        shown = (f"{med:.2f}x", f"{worst:.2f}x")
        if low is not None:
            goal, met = f"{low:g}x to {target:g}x", low <= med <= target
        elif higher:
            goal, met = f">= {target:g}x", med >= target
        else:
            goal, met = f"<= {target:g}x", med <= target
    TARGETS.append((name, _fmt(statistics.median(values), unit), _fmt(statistics.median(floors), unit),
                    *shown, goal, "met" if met else "NOT MET"))
    if note:
        NOTES.append(f"{name}: {note}")


def print_targets() -> None:
    head = ("measurement", "value", "floor", "ratio", "worst", "target", "verdict")
    widths = [max(len(r[i]) for r in [head, *TARGETS]) for i in range(len(head))]
    for row in [head, tuple("-" * w for w in widths), *TARGETS]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def machine_lines(argv: list[str]) -> list[str]:
    import yaml

    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0") \
        if os.path.exists("/proc/meminfo") else "0"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return [f"date:    {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S UTC}",
            f"machine: {platform.platform()}, {os.cpu_count()} CPUs (nproc), {int(mem) / 2**20:.1f} GiB RAM",
            f"python:  {platform.python_version()} ({PY}); PyYAML {yaml.__version__}, libyaml "
            f"{'present (CSafeLoader)' if getattr(yaml, '__with_libyaml__', False) else 'ABSENT'}",
            f"command: python benchmarks/bench.py {' '.join(argv)}".rstrip(),
            f"load at the start (1/5/15 min): {load}"]


def run_targets(parts: list[str], quick: bool, full: bool) -> None:
    from bench_import import import_targets
    from bench_quota import measure as quota
    from bench_targets import offender_notes, render_targets, scaling_targets, startup_targets
    from bench_upload import upload_targets

    reps = 1 if quick else 3
    if "render" in parts:
        render_targets(target_row, quick, reps)
    if "scaling" in parts:
        scaling_targets(target_row, quick, full, reps)
    if "startup" in parts:
        startup_targets(target_row, 3 if quick else 10)
        NOTES.extend(offender_notes())
    if "quota" in parts:
        q = quota(20, 2) if quick else quota(500, 7)
        target_row(f"quota: sync of N={q['episodes']} published, k={q['changed']} changed "
                   "(floor: 1+ceil(N/50)+50k)", [q["used"]], [q["floor"]], 1.0, low=1.0, unit="units",
                   note=f"{q['updates']} videos.update; a naive loop (one videos.list per video) would "
                        f"spend {q['naive']} units ({q['naive'] / q['floor']:.2f}x the floor)")
    if "upload" in parts:
        NOTES.extend(upload_targets(target_row, quick, reps))
    if "import" in parts:
        NOTES.extend(import_targets(target_row, quick, reps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: small sizes, one repetition")
    parser.add_argument("--full", action="store_true", help="add the 5,000-episode scaling row")
    parser.add_argument("--only", action="append", choices=PARTS, help="only these rows (repeatable)")
    parser.add_argument("--more", action="store_true",
                        help="also the older table (check per episode, YAML limits, upload memory, render before/after)")
    args = parser.parse_args()
    for line in machine_lines(sys.argv[1:]):
        print(line)
    print()
    run_targets(args.only or list(PARTS), args.quick, args.full)
    print_targets()
    print()
    for note in NOTES:
        print(note)
    print(f"load at the end (1/5/15 min): {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.more:
        print()
        more(args.quick)


def more(quick: bool) -> None:
    """The older table: absolute times and memory, with goals of their own."""
    reps, sizes, mem_n = (3, [10, 50], 50) if quick else (10, [10, 50, 200], 200)
    mem = memory(mem_n)
    cold_start(reps)
    scaling(sizes, 3 if quick else 5)
    yaml_limits(reps)
    upload_notes = upload_rows(quick, record)
    upload_notes += render_rows(quick, record)
    print_table()
    print()
    for note in upload_notes:
        print(note)
    for key, value in mem.items():
        print(f"memory, check of {mem_n} episodes in a fresh process: {key} = {value:.1f}")
    heavy = google_imported()
    print(f"Google client modules after main(['check']): {heavy or 'none (good)'}")
    for statement in ("import episodekit.cli", "from episodekit.cli import main; main(['check'])"):
        print(f"top 5 cumulative imports, python -X importtime -c \"{statement}\" (µs):")
        for micros, name in import_top(statement):
            print(f"  {micros:>8}  {name}")


if __name__ == "__main__":
    main()
