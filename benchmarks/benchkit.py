"""What every benchmark module shares: the scratch folder, child processes, the floor, the tables.

The lowest module of benchmarks/: it imports no other benchmark module, and each of them may
import it (``bench.py`` imports the others; none imports ``bench.py``). Standard library only.

* ``scratch()``: a new folder on tmpfs (``/dev/shm``) when there is one, else in the system's
  temporary folder, and a line that says which. A disk that makes a 3,000-file write swing
  from 0.3 s to 3 s between runs would otherwise measure the disk, not the program.
* ``run()``: a fresh process, its wall time and (``own_rss``) its own peak RSS (``os.wait4``, Linux).
* ``render_env()``: the environment of a render whose cache is the given folder. episodekit finds its
  cache in ``EPISODEKIT_CACHE_DIR``, else through platformdirs (``XDG_CACHE_HOME`` on Linux): both are
  pointed at the folder, so a new folder is an empty cache whichever the code consults.
* ``FLOOR``: parsing the channel's YAML files with PyYAML's ``CSafeLoader`` and writing the same
  output bytes to the same files, in a fresh process (the bytes come from one blob, read at once).
* ``target_row()`` and ``TARGETS``: the table of ratios; ``record()`` and ``ROWS``: the older table.
"""

from __future__ import annotations

import os
import platform
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
PUBLISH = [PY, str(ROOT / "publish.py")]
TMPFS = Path("/dev/shm")


# ---------------------------------------------------------------- where the files go

def on_tmpfs(folder: Path) -> bool:
    """Whether ``folder`` is on a tmpfs mount (from /proc/mounts; False where there is none)."""
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return False
    target, best = str(folder.resolve()), ("", "")
    for fields in mounts:
        point, kind = fields[1], fields[2]
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) > len(best[0]):
            best = (point, kind)
    return best[1] == "tmpfs"


def scratch(base: Path | None = None) -> tuple[Path, str]:
    """A new empty folder for channels, outputs and caches, and a line saying where it is."""
    if base is None and TMPFS.is_dir() and os.access(TMPFS, os.W_OK) and on_tmpfs(TMPFS):
        base = TMPFS
    folder = Path(tempfile.mkdtemp(prefix="episodekit-bench-", dir=base))
    where = "tmpfs" if on_tmpfs(folder) else "disk (no tmpfs found)" if base is None else "disk"
    return folder, f"outputs:  {folder} (on {where})"


# ---------------------------------------------------------------- child processes

@dataclass(frozen=True)
class Child:
    seconds: float
    rss_mib: float  # peak resident set size: the child's own with ``own_rss``, else see ``run``
    out: str
    err: str


# Linux counts in a process's peak RSS the memory of the process it was spawned from (the parent's
# pages at fork and exec), so a child of this benchmark, which holds the outputs of a large channel,
# would report the benchmark's peak. Spawned from this small launcher instead, it reports its own
# (or the launcher's ~10 MiB, if that were more).
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as handle:
    handle.write(str(usage.ru_maxrss))
sys.exit(min(255, abs(os.waitstatus_to_exitcode(status))))
"""


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True,
        own_rss: bool = False) -> Child:
    """Run ``args`` in a fresh process: wall time, peak RSS and what it printed. With ``own_rss`` the
    process is spawned through ``LAUNCHER`` (about 30 ms more of wall time) and the RSS is its own;
    without, the RSS may be this benchmark's, and the time is the process's alone."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        command = [PY, "-c", LAUNCHER, rss.name, *args] if own_rss else args
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak = int(rss.read() or 0) if own_rss else usage.ru_maxrss
        child = Child(seconds, peak / 1024, out.read().decode(errors="replace"), err.read().decode(errors="replace"))
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} in {cwd} failed ({proc.returncode}):\n{child.err[-2000:]}")
    return child


def timed(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Wall time of a fresh process that must succeed."""
    return run(args, cwd, env).seconds


def render_env(cache: Path) -> dict[str, str]:
    """The environment of a run whose cache is ``cache`` (a new folder: an empty cache)."""
    env = {k: v for k, v in os.environ.items() if k not in ("EPISODEKIT_NO_CACHE", "EPISODEKIT_CHANNEL")}
    env["EPISODEKIT_CACHE_DIR"] = str(cache)
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def render(channel: Path, cache: Path, own_rss: bool = False) -> Child:
    """``publish.py render -q`` in ``channel``, with ``cache`` as the cache."""
    return run([*PUBLISH, "render", "-q"], channel, render_env(cache), own_rss=own_rss)


def empty(folder: Path) -> Path:
    """``folder``, removed first if it was there (an empty cache, say)."""
    shutil.rmtree(folder, ignore_errors=True)
    return folder


# ---------------------------------------------------------------- the floor

FLOOR = """
import os, sys, yaml
channel, blob, out = sys.argv[1:4]
files = [os.path.join(channel, n) for n in ("channel.yaml", "references.yaml")]
files += sorted(os.path.join(channel, "episodes", n) for n in os.listdir(os.path.join(channel, "episodes")))
for name in files:
    with open(name, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
with open(blob + ".index", encoding="utf-8") as handle:
    index = [line.rsplit(" ", 1) for line in handle.read().splitlines()]
with open(blob, "rb") as handle:
    data = handle.read()
made, at = set(), 0
for relative, size in index:
    target = os.path.join(out, relative)
    folder = os.path.dirname(target)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    with open(target, "wb") as handle:
        handle.write(data[at:at + int(size)])
    at += int(size)
"""


def outputs_of(build: Path) -> list[tuple[str, bytes]]:
    """Every file under ``build``, as (relative path, bytes), sorted."""
    return [(p.relative_to(build).as_posix(), p.read_bytes()) for p in sorted(build.rglob("*")) if p.is_file()]


def save_blob(outputs: list[tuple[str, bytes]], blob: Path) -> int:
    """Write the outputs as one blob and an index (what the floor writes back); returns the bytes."""
    blob.write_bytes(b"".join(data for _, data in outputs))
    blob.with_name(blob.name + ".index").write_text(
        "".join(f"{name} {len(data)}\n" for name, data in outputs), encoding="utf-8")
    return sum(len(data) for _, data in outputs)


def floor(channel: Path, blob: Path, out: Path) -> Child:
    """The floor, once, in a fresh process; its output folder is removed afterwards."""
    child = run([PY, "-c", FLOOR, str(channel), str(blob), str(empty(out))], channel.parent, dict(os.environ))
    shutil.rmtree(out, ignore_errors=True)
    return child


def file_states(build: Path) -> dict[Path, tuple[int, int, int, int]]:
    """Inode, size, modification and change time of every output: any write changes one of them (the
    change time cannot be set back), and reading them changes nothing the render looks at."""
    states = {}
    for path in build.rglob("*"):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            states[path] = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return states


def yaml_bytes(channel: Path) -> int:
    """The size of the channel's YAML: channel.yaml, references.yaml and every episode file."""
    files = [channel / "channel.yaml", channel / "references.yaml", *(channel / "episodes").glob("*.yaml")]
    return sum(p.stat().st_size for p in files if p.exists())


# ---------------------------------------------------------------- the machine

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> dict[str, str]:
    """Date, CPU model and cores, RAM, OS, Python and PyYAML of this run."""
    import yaml

    mem = "0"
    if os.path.exists("/proc/meminfo"):
        mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    libyaml = "present (CSafeLoader)" if getattr(yaml, "__with_libyaml__", False) else "ABSENT"
    return {"date": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S UTC}",
            "cpu": f"{cpu_model()}, {os.cpu_count()} cores (nproc)",
            "machine": f"{platform.platform()}, {int(mem) / 2**20:.1f} GiB RAM",
            "python": f"{platform.python_version()} ({PY}); PyYAML {yaml.__version__}, libyaml {libyaml}",
            "load": load()}


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


# ---------------------------------------------------------------- the table of ratios

TARGETS: list[tuple[str, ...]] = []  # measurement, value, floor, ratio, worst ratio, target, verdict
NOTES: list[str] = []
HEAD = ("measurement", "value", "floor", "ratio", "worst", "target", "verdict")


def _fmt(value: float, unit: str) -> str:
    return {"s": f"{value:.3f} s", "ms": f"{value * 1000:.2f} ms", "MiB": f"{value:.1f} MiB",
            "MiB/s": f"{value:.0f} MiB/s", "units": f"{value:.0f} units", "x": f"{value:.2f}x"}[unit]


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
    widths = [max(len(r[i]) for r in [HEAD, *TARGETS]) for i in range(len(HEAD))]
    for row in [HEAD, tuple("-" * w for w in widths), *TARGETS]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def markdown_targets() -> list[str]:
    """The table of ratios as Markdown."""
    lines = ["| " + " | ".join(HEAD) + " |", "|" + " --- |" * len(HEAD)]
    return lines + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in TARGETS]


# ---------------------------------------------------------------- the older table (absolute figures)

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
