"""The benchmark scripts work: the generated channel renders, and the render benchmark runs end to end.

Nothing here is timed; the figures belong to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from testkit import REPO


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "EPISODEKIT_CHANNEL"}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_generated_channel_is_valid_and_each_episode_cites_its_share_of_the_library(tmp_path):
    made = run(str(REPO / "benchmarks" / "channelgen.py"), "gen", "--episodes", "5", "--references", "9",
               "--cites", "3", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "5 episodes citing 3 of 9 references" in made.stdout
    rendered = run(str(REPO / "publish.py"), "render", "-q", cwd=tmp_path / "gen")
    assert rendered.returncode == 0, rendered.stderr
    lists = [p.read_text() for p in sorted((tmp_path / "gen" / "build").glob("*/references.txt"))]
    assert len(lists) == 5 and all(len(text.splitlines()) == 3 for text in lists)


def test_the_render_benchmark_runs_and_prints_its_rows(tmp_path):
    bench = run(str(REPO / "benchmarks" / "bench_render.py"), "--quick", "--episodes", "3", cwd=tmp_path)
    assert bench.returncode == 0, bench.stderr
    for row in ("floor (CSafeLoader", "render cold, BEFORE (cache off), 3 ep.", "render cold, AFTER (cache on)",
                "render warm, BEFORE", "render warm, AFTER", "ratio to the floor"):
        assert row in bench.stdout
    assert "outputs identical with and without the cache" in bench.stdout
    assert "cache layout, " in bench.stdout and "one file per entry writes in" in bench.stdout


def test_the_target_table_runs_in_quick_mode_and_sync_spends_exactly_the_floor(tmp_path):
    bench = run(str(REPO / "benchmarks" / "bench.py"), "--quick", "--only", "quota", cwd=tmp_path)
    assert bench.returncode == 0, bench.stderr
    assert "libyaml present" in bench.stdout and "load at the start" in bench.stdout
    lines = bench.stdout.splitlines()
    header, row = lines[lines.index(next(x for x in lines if x.startswith("measurement")))::2][:2]
    assert header.split()[:4] == ["measurement", "value", "floor", "ratio"]
    assert "N=20 published, k=2 changed" in row and "102 units  102 units  1.00x" in row and row.endswith("met")
    assert "2 videos.update; a naive loop (one videos.list per video) would spend 121 units" in bench.stdout


def test_the_import_benchmark_imports_both_formats_and_runs_every_later_command(tmp_path):
    bench = run(str(REPO / "benchmarks" / "bench_import.py"), "--items", "50", "--reps", "1", cwd=tmp_path)
    assert bench.returncode == 0, bench.stderr
    for row in ("refs import of 50 CSL-JSON items: wall time", "refs import of 50 BibTeX items: peak RSS",
                "the export: 50 items", "later commands on the imported library (all exit 0): check"):
        assert row in bench.stdout, bench.stdout
    assert "FAILED" not in bench.stdout
