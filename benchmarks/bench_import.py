"""Issue 20's targets: `refs import` of a Zotero library of 10,000 items, and the channel working after it.

    python benchmarks/bench_import.py [--quick] [--reps N]    (or: python benchmarks/bench.py --only import)

A library of 10,000 items (``librarygen.py``: abstracts, 1 to 40 authors, accents, organisations, DOIs,
PMIDs; ``--quick``: 1,000) is imported into an empty channel, once from its CSL JSON and once from its
BibTeX, each a fresh ``publish.py refs import`` whose wall time, CPU time and peak RSS (the child's own
``ru_maxrss``, from ``os.wait4``) are measured. The targets are absolute (under 10 s, under 200 MB), so
each row's floor is its target and the ratio says how much of it was used; a note gives the floor in the
project's sense too: parsing the same export (``json.loads``, or bibtexparser's splitter, which the
BibTeX reader uses) plus ``CSafeLoader`` of the library written, in a fresh process. Then every later command runs once on the imported library (check, render, preview,
status, calendar, export, the same import again), each timed, each of which must exit 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

Row = Callable[..., None]  # bench.target_row
TIME_TARGET, RSS_TARGET_MIB = 10.0, 200 * 1000 * 1000 / 2**20  # "under 10 s and 200 MB"
CHANNEL = "name: Bench\nsubscribe_url: https://example.org/s\ntimezone: UTC\nslots:\n  - weekday: monday\n" \
          "    time: \"09:00\"\nschedule_line: \"New every {slots}.\"\ndisclaimer: \"Not advice.\"\n"
FLOOR = """
import json, sys, yaml
text = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[1].endswith(".bib"):
    from bibtexparser.splitter import Splitter
    Splitter(text).split()
else:
    json.loads(text)
yaml.load(open(sys.argv[2], encoding="utf-8").read(), Loader=yaml.CSafeLoader)
"""
LATER = [["check"], ["render"], ["preview", "bench-episode"], ["status"], ["calendar", "--ics", "cal.ics"],
         ["export", "--site", "site"]]


def measured(args: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak RSS (MiB) and exit code of ``python ARGS``, a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "EPISODEKIT_CHANNEL"}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode


def _channel(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "episodes").mkdir(parents=True)
    (folder / "channel.yaml").write_text(CHANNEL, encoding="utf-8")
    return folder


def import_targets(row: Row, quick: bool, reps: int, items: int | None = None) -> list[str]:
    """The rows of the import targets (into ``row``, bench.target_row) and the notes; prints nothing."""
    items = items or (1_000 if quick else 10_000)
    notes: list[str] = []
    publish = str(ROOT / "publish.py")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        # made by a child: a child's peak RSS counts the memory its parent had when it was forked, so this
        # process stays small (about 20 MB) and each import's figure is the import's own
        subprocess.run([sys.executable, str(HERE / "librarygen.py"), str(tmp / "zotero"), "--items", str(items)],
                       check=True, capture_output=True)
        files = {"CSL-JSON": tmp / "zotero" / "library.json", "BibTeX": tmp / "zotero" / "library.bib"}
        sizes = ", ".join(f"{kind} {path.stat().st_size / 2**20:.1f} MiB" for kind, path in files.items())
        for kind, path in files.items():
            walls, cpus, peaks, floors = [], [], [], []
            for _ in range(reps):
                channel = _channel(tmp / "channel")
                wall, cpu, peak, code = measured([publish, "refs", "import", str(path)], channel)
                if code != 0:
                    notes.append(f"refs import of the {kind} file FAILED with exit {code}")
                walls.append(wall)
                cpus.append(cpu)
                peaks.append(peak)
                floors.append(measured(["-c", FLOOR, str(path), str(channel / "references.yaml")], tmp)[0])
            label = f"refs import of {items:,} {kind} items"
            row(f"{label}: wall time (floor: the {TIME_TARGET:g} s target)", walls, [TIME_TARGET] * reps, 1.0)
            row(f"{label}: peak RSS (floor: the 200 MB target)", peaks, [RSS_TARGET_MIB] * reps, 1.0, unit="MiB")
            library = (channel / "references.yaml").stat().st_size
            notes.append(f"{label}: CPU {min(cpus):.2f}-{max(cpus):.2f} s; floor (parsing the export + "
                         f"CSafeLoader of the library, fresh process) {min(floors):.2f} s, so "
                         f"{min(walls) / min(floors):.1f}x it; references.yaml {library / 2**20:.2f} MiB")
        notes.append(f"the export: {items:,} items (benchmarks/librarygen.py), {sizes}")
        notes += _later_commands(channel, publish, path)
    return notes


def _later_commands(channel: Path, publish: str, export: Path) -> list[str]:
    """Every later command once on the imported library: its time and exit code (each must be 0)."""
    first = next(line[:-1] for line in (channel / "references.yaml").read_text(encoding="utf-8").splitlines()
                 if line and line[0].isalnum() and line.endswith(":"))
    (channel / "episodes" / "bench-episode.yaml").write_text(
        f"title: Bench\nschedule: next\nsummary: [Text.]\ncitations: [{first}]\n", encoding="utf-8")
    shown = []
    for args in [*LATER, ["refs", "import", str(export)]]:
        wall, _, peak, code = measured([publish, *args], channel)
        shown.append(f"{' '.join(args[:2])} {wall:.1f} s {peak:.0f} MiB" + ("" if code == 0 else f" EXIT {code}"))
    verdict = "all exit 0" if all("EXIT" not in part for part in shown) else "SOME FAILED"
    return [f"later commands on the imported library ({verdict}): " + "; ".join(shown)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 items instead of 10,000")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--items", type=int, help="this many items instead")
    args = parser.parse_args()

    def row(name: str, values: list[float], floors: list[float], target: float, unit: str = "s", **_: object) -> None:
        worst = max(v / f for v, f in zip(values, floors))
        print(f"{name}: {min(values):.2f}-{max(values):.2f} {unit} (worst {worst:.2f}x of the target)")

    for note in import_targets(row, args.quick, args.reps, args.items):
        print(note)


if __name__ == "__main__":
    main()
