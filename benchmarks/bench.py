"""Speed and memory benchmarks of episodekit: one table of ratios against floors measured in the same run.

    python benchmarks/bench.py [--quick] [--reps N] [--only PART] [--record] [--more] ...

By default, issue 22's table (parts ``preview``, ``render``, ``scale``): the preview of one
episode after a title edit against ``import yaml, jinja2, typer``; the render of 1,000 episodes
citing 6 of 300 references cold, warm and after one reference changed, and of 10,000 citing 6 of
3,000 warm, against parsing the same YAML with ``CSafeLoader`` and writing the same bytes; the
growth of the peak RSS against the growth of the YAML. Three repetitions (``--reps``); each row
gives the median and the worst ratio; the verdict is the median's. Channels, outputs and caches go
to tmpfs (/dev/shm) where there is one, and the output says where they went. ``--record`` adds
the run to benchmarks/RESULTS.md (``--results`` another file). The other parts (``scaling``,
``quota``, ``upload``, ``import``) run with ``--only``; ``--more`` adds the older table.
Standard library only, plus the project itself (and its Google client, for the upload part).

The modules: benchkit (shared, imports no other), bench_targets and bench_scale (issue 22's rows),
bench_render, bench_quota, bench_upload, bench_import, bench_older; only this one imports them all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import benchkit  # noqa: E402
from benchkit import NOTES, TARGETS, target_row  # noqa: E402

PARTS = ("preview", "render", "scale", "scaling", "quota", "upload", "import")
DEFAULT_PARTS = ("preview", "render", "scale")


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: small channels, one repetition (sizes can still be given)")
    parser.add_argument("--reps", type=int, help="repetitions (default 3; --quick 1)")
    parser.add_argument("--episodes", type=int, help="episodes of the render rows (default 1000)")
    parser.add_argument("--references", type=int, help="references of the render rows (default 300)")
    parser.add_argument("--scale-episodes", type=int, help="episodes of the scale rows (default 10000)")
    parser.add_argument("--scale-references", type=int, help="references of the scale rows (default 3000)")
    parser.add_argument("--only", action="append", choices=PARTS, help="only these parts (repeatable)")
    parser.add_argument("--full", action="store_true", help="add the 5,000-episode row to the scaling part")
    parser.add_argument("--scratch", type=Path, help="the folder for channels and outputs (default: tmpfs)")
    parser.add_argument("--record", action="store_true", help="add this run to RESULTS.md")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md", help="the file --record adds to")
    parser.add_argument("--more", action="store_true",
                        help="also the older table (check per episode, YAML limits, upload memory, render before/after)")
    args = parser.parse_args(argv)
    quick = args.quick
    args.reps = args.reps or (1 if quick else 3)
    args.episodes = args.episodes or (30 if quick else 1000)
    args.references = args.references or (20 if quick else 300)
    args.scale_episodes = args.scale_episodes or (60 if quick else 10000)
    args.scale_references = args.scale_references or (40 if quick else 3000)
    args.parts = args.only or list(DEFAULT_PARTS)
    return args


def run_parts(args: argparse.Namespace, base: Path) -> None:
    """Measure each part asked for, into benchkit's table and notes."""
    from bench_scale import scale_targets
    from bench_targets import preview_targets, render_targets, scaling_targets

    parts, reps = args.parts, args.reps
    if "preview" in parts:
        NOTES.extend(preview_targets(target_row, base, reps))
    if "render" in parts:
        NOTES.extend(render_targets(target_row, base, args.episodes, args.references, reps))
    if "scale" in parts:
        big, middle = (args.scale_episodes, args.scale_references), (args.episodes, args.references)
        NOTES.extend(scale_targets(target_row, base, big, middle, reps))
    if "scaling" in parts:
        scaling_targets(target_row, base, args.quick, args.full, reps)
    other_parts(args)


def other_parts(args: argparse.Namespace) -> None:
    """The parts of earlier issues: the quota of sync, uploads, a library import."""
    if "quota" in args.parts:
        from bench_quota import measure as quota

        q = quota(20, 2) if args.quick else quota(500, 7)
        target_row(f"quota: sync of N={q['episodes']} published, k={q['changed']} changed "
                   "(floor: 1+ceil(N/50)+50k)", [q["used"]], [q["floor"]], 1.0, low=1.0, unit="units",
                   note=f"{q['updates']} videos.update; a naive loop (one videos.list per video) would "
                        f"spend {q['naive']} units ({q['naive'] / q['floor']:.2f}x the floor)")
    if "upload" in args.parts:
        from bench_upload import upload_targets

        NOTES.extend(upload_targets(target_row, args.quick, args.reps))
    if "import" in args.parts:
        from bench_import import import_targets

        NOTES.extend(import_targets(target_row, args.quick, args.reps))


def header(args: argparse.Namespace, where: str, argv: list[str]) -> list[str]:
    facts = benchkit.machine()
    return [f"date:     {facts['date']}", f"cpu:      {facts['cpu']}", f"machine:  {facts['machine']}",
            f"python:   {facts['python']}", f"command:  python benchmarks/bench.py {' '.join(argv)}".rstrip(),
            f"reps:     {args.reps} (each row: median and worst of the per-repetition ratios)", where,
            f"load at the start (1/5/15 min): {facts['load']}"]


def record_results(path: Path, lines: list[str]) -> None:
    """Add the run to ``path`` as the newest section (after the file's title)."""
    facts = [line.split(":", 1) for line in lines if ":" in line]
    section = [f"## {facts[0][1].strip()}, `{dict(facts)['command'].strip()}`", ""]
    section += [f"- {name.strip()}: {value.strip()}" for name, value in facts[1:]]
    section += ["", *benchkit.markdown_targets(), "", *[f"  - `{n.strip()}`" if n.startswith(" ") else f"- {n}" for n in NOTES], ""]
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    title, _, rest = text.partition("\n\n")
    path.write_text(f"{title}\n\n" + "\n".join(section) + "\n" + rest, encoding="utf-8")


def bytecode_written() -> str:
    """Let every process measured write its .pyc files, as Python does by default: the first run of each
    row (a warm-up) leaves them and the measured runs read them, as on a user's machine. An environment
    with PYTHONDONTWRITEBYTECODE set (some sandboxes) would have each run compile episodekit's modules
    again, while the floors' libraries come with theirs. Says what was done, for the header."""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is None:
        return "bytecode: written as Python does by default"
    return "bytecode: PYTHONDONTWRITEBYTECODE was set; dropped for the runs (the warm-ups write the .pyc files)"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = options(argv)
    base, where = benchkit.scratch(args.scratch)
    lines = [*header(args, where, argv), bytecode_written()]
    print("\n".join(lines), end="\n\n", flush=True)
    try:
        run_parts(args, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    benchkit.print_targets()
    print()
    end = f"load at the end (1/5/15 min): {benchkit.load()}"
    for note in [*NOTES, end]:
        print(note)
    if args.record and TARGETS:
        record_results(args.results, [*lines, end])
        print(f"recorded in {args.results}")
    if args.more:
        from bench_older import more

        print()
        more(args.quick)


if __name__ == "__main__":
    main()
