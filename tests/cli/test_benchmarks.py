"""The benchmark scripts work: the generated channel renders, and the render benchmark runs end to end.

Nothing here is timed; the figures belong to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import ast
import graphlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testkit import REPO

BENCHMARKS = REPO / "benchmarks"


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


def benchmark_imports(folder: Path) -> dict[str, set[str]]:
    """Which benchmark modules each one imports (at any depth: inside functions too), read from the source."""
    modules = {path.stem for path in folder.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for module in sorted(modules):
        found = set()
        for node in ast.walk(ast.parse((folder / f"{module}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
        graph[module] = (found & modules) - {module}
    return graph


def test_the_benchmarks_import_each_other_without_a_cycle_and_nothing_imports_bench_py():
    graph = benchmark_imports(BENCHMARKS)
    assert {"bench", "benchkit", "bench_render", "bench_targets"} <= graph.keys()
    order = list(graphlib.TopologicalSorter(graph).static_order())  # raises CycleError on a cycle
    assert order.index("benchkit") < order.index("bench_render") < order.index("bench")
    assert not graph["benchkit"] and not [m for m, used in graph.items() if "bench" in used]


def test_a_cycle_among_the_benchmarks_is_caught(tmp_path):
    folder = shutil.copytree(BENCHMARKS, tmp_path / "benchmarks")
    with open(folder / "benchkit.py", "a", encoding="utf-8") as handle:
        handle.write("\n\ndef _late():\n    from bench_render import render_rows\n    return render_rows\n")
    with pytest.raises(graphlib.CycleError):
        graphlib.TopologicalSorter(benchmark_imports(folder)).prepare()


def test_issue_22s_table_runs_with_tiny_channels_on_tmpfs_and_is_recorded(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## an older run\n", encoding="utf-8")
    bench = run(str(BENCHMARKS / "bench.py"), "--quick", "--episodes", "8", "--references", "9",
                "--scale-episodes", "16", "--scale-references", "12", "--record", "--results", str(results),
                cwd=tmp_path)
    assert bench.returncode == 0, bench.stderr
    out = bench.stdout
    assert "cpu:" in out and "cores (nproc)" in out and "python:" in out and "reps:     1" in out
    assert ("(on tmpfs)" in out) == Path("/dev/shm").is_dir()
    for row in ("preview of one episode after a title edit (floor: import yaml, jinja2, typer)",
                "render cold (empty cache), 8 ep. x 6 of 9 refs", "render warm (nothing changed), 8 ep.",
                "render after ref007 changed, 8 ep.", "scale: render warm (nothing changed), 16 ep. x 6 of 12 refs",
                "scale: peak RSS growth 8 -> 16 ep. above a 1-ep. render (floor: YAML growth)"):
        line = next((x for x in out.splitlines() if x.startswith(row)), "")
        assert line.endswith(("met", "NOT MET")) and line.count("x ") >= 2, (row, out)
    assert "(only the citing ones)" in out and "preview imports " in out
    recorded = results.read_text(encoding="utf-8")
    assert recorded.startswith("# Benchmark results\n\n## 20") and recorded.endswith("## an older run\n")
    assert "| measurement | value | floor | ratio | worst | target | verdict |" in recorded
    assert "- cpu: " in recorded and "- outputs: " in recorded and "| preview of one episode" in recorded
    scratch = Path(next(x for x in out.splitlines() if x.startswith("outputs:")).split()[1])
    assert scratch.name.startswith("episodekit-bench-") and not scratch.exists()  # nothing left behind


def test_the_incremental_benchmark_runs_on_a_tiny_channel(tmp_path):
    bench = run(str(BENCHMARKS / "bench_incremental.py"), "--episodes", "6", "--references", "9", "--reps", "1",
                cwd=tmp_path)
    assert bench.returncode == 0, bench.stderr
    for row in ("render cold, 6 episodes / 9 references", "render warm, 6 episodes", "render one reference",
                "files rewritten after one reference changed"):
        assert row in bench.stdout, bench.stdout
