"""Issue 22's table, each row a ratio against a floor measured in the same run (called by bench.py).

Every figure is the wall time of a fresh process run through the command line (``publish.py``),
and every ratio is taken against the floor of its own repetition, so a load that changes during
the run weighs on both. Files (channels, outputs, caches) live in the folder bench.py gives,
on tmpfs where there is one. Standard library only.

* preview: ``publish.py preview`` of one episode of a copy of the sample channel, right after
  its title was edited (the cache as the run before left it), against
  ``python -c "import yaml, jinja2, typer"``; target 1.5x.
* render: a ``channelgen`` channel (1,000 episodes x 6 of 300 references): cold (no ``build/``,
  a new cache folder: ``benchkit.render_env``), warm (nothing changed) and after one reference
  changed, each ``publish.py render -q`` against ``benchkit.FLOOR`` (``CSafeLoader`` of the same
  YAML files + the same output bytes to the same files); targets 5x, 2x, 2x. After the change,
  only the episodes citing that reference may get new files: the inode, size and times of every
  output are taken before and after, and the episodes whose files changed are compared with the
  citing episodes (the outputs are not touched, so the render sees them as a user's would). The
  cold and warm outputs must be the bytes of the first render (checked each repetition).
* scaling: warm renders of 100 / 1,000 (/ 5,000 with ``--full``) episodes; the time per episode
  is (render of N - render of 1 episode with the same library) / (N - 1), against that of 1,000.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchkit import (  # noqa: E402
    PUBLISH, PY, ROOT, empty, file_states, floor, outputs_of, render, render_env, run, save_blob, timed,
)
from channelgen import cited, make_channel  # noqa: E402

Row = Callable[..., None]  # benchkit.target_row(name, values, floors, target, note="", unit="s")
CHANGED_REF = 7  # the reference edited for the "one reference changed" row
CITES = 6
SAMPLE = ("channel.yaml", "references.yaml", "published.yaml", "episodes", "templates")
PREVIEWED = "episodes/what-causes-depression.yaml"
FLOOR_IMPORTS = ["-c", "import yaml, jinja2, typer"]
# The least any typer app pays over that floor: one command, one path argument, run once. typer 0.29
# coerces each parameter through a pydantic TypeAdapter, built when the command line is parsed.
BARE_APP = """\
from pathlib import Path
import yaml, jinja2, typer
app = typer.Typer()
@app.command()
def preview(episode: Path) -> None:
    pass
app(["episode.yaml"], standalone_mode=False)
"""


# ---------------------------------------------------------------- preview

def sample_channel(folder: Path) -> Path:
    """A copy of the repository's sample channel in ``folder``."""
    folder.mkdir(parents=True)
    for name in SAMPLE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        elif source.exists():
            shutil.copy2(source, folder / name)
    return folder


def retitle(episode: Path, take: int) -> None:
    """Edit the episode's title (a new one each take), as a creator does before a preview."""
    text = episode.read_text(encoding="utf-8")
    new, count = re.subn(r"(?m)^title: .*$", f"title: Edited title number {take} of this episode", text, count=1)
    assert count == 1, f"no title line in {episode}"
    episode.write_text(new, encoding="utf-8")


def preview_targets(row: Row, base: Path, reps: int) -> list[str]:
    """The preview row; returns its notes (what preview imports against the floor)."""
    channel = sample_channel(base / "preview" / "channel")
    env = render_env(base / "preview" / "cache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # else no run writes episodekit's .pyc files, and each compiles it
    command = [*PUBLISH, "preview", PREVIEWED]
    run(command, channel, env)  # the .pyc files and the cache, as the run before an edit leaves them
    bare = base / "preview" / "bare_app.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    floors, previews, apps = [], [], []
    for take in range(1, reps + 1):
        floors.append(timed([PY, *FLOOR_IMPORTS], channel))
        apps.append(timed([PY, str(bare)], channel))
        retitle(channel / PREVIEWED, take)
        previews.append(run(command, channel, env).seconds)
    row("preview of one episode after a title edit (floor: import yaml, jinja2, typer)", previews, floors, 1.5)
    ratios = sorted(app / low for app, low in zip(apps, floors))
    bare_note = (f"a typer app of one command with one path argument, doing nothing, takes {ratios[len(ratios) // 2]:.2f}x "
                 f"the same floor (worst {ratios[-1]:.2f}x): typer builds a pydantic adapter for each parameter it parses")
    ours, theirs = imported([*PUBLISH[1:], "preview", PREVIEWED], channel, env), imported(FLOOR_IMPORTS, channel)
    notes = [bare_note, f"preview imports {len(ours)} modules, the floor {len(theirs)}; among them citeproc: "
             f"{'yes' if 'citeproc' in ours else 'no'}, lxml: {'yes' if 'lxml' in ours else 'no'}, "
             f"rich: {'yes' if 'rich' in ours else 'no'}, Google client: "
             f"{'yes' if {'googleapiclient', 'google.auth', 'httplib2'} & ours else 'no'}",
             "top imports of that preview by self time (self / cumulative µs):"]
    return notes + [f"  {own:>8} {total:>8}  {name}" for own, total, name in import_offenders(
        [*PUBLISH[1:], "preview", PREVIEWED], channel, env)]


def importtime(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> list[tuple[int, int, str]]:
    """``python -X importtime ARGS``: (self µs, cumulative µs, module) of each import, in its order."""
    child = run([PY, "-X", "importtime", *args], cwd, env, check=False)
    found = []
    for line in child.err.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if match:
            found.append((int(match.group(1)), int(match.group(2)), match.group(3)))
    return found


def imported(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> set[str]:
    return {name for _, _, name in importtime(args, cwd, env)}


def import_offenders(args: list[str], cwd: Path, env: dict[str, str] | None, count: int = 8) -> list[tuple[int, int, str]]:
    return sorted(importtime(args, cwd, env), reverse=True)[:count]


# ---------------------------------------------------------------- render: cold, warm, one reference changed

def edit_reference(channel: Path, number: int) -> str:
    """Change the title of reference ``number``; returns the old text of references.yaml."""
    library = channel / "references.yaml"
    old = library.read_text(encoding="utf-8")
    new = old.replace(f"study number {number} of", f"study number {number} (corrected) of", 1)
    assert new != old, f"no reference {number} in {library}"
    library.write_text(new, encoding="utf-8")
    return old


def rewritten_after_change(channel: Path, cache: Path, episodes: int, references: int) -> tuple[float, int, int, bool]:
    """Change one reference, render: seconds, episodes rewritten, episodes citing it, and whether
    exactly the citing ones got new files. The outputs are left as the render before wrote them (ageing
    their times instead would make the render hash all of them again, which is another case)."""
    build = channel / "build"
    before = file_states(build)
    old = edit_reference(channel, CHANGED_REF)
    try:
        seconds = render(channel, cache).seconds
    finally:
        (channel / "references.yaml").write_text(old, encoding="utf-8")
    after = file_states(build)
    moved = {p.parent.name for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    key = f"ref{CHANGED_REF:03d}"
    citing = {f"episode-{i:04d}" for i in range(episodes) if key in cited(i, references, CITES)}
    return seconds, len(moved), len(citing), moved == citing


def same_outputs(expected: list[tuple[str, bytes]], build: Path, what: str) -> None:
    if outputs_of(build) != expected:
        raise SystemExit(f"the {what} render wrote other bytes than the first render of the same channel")


def render_targets(row: Row, base: Path, episodes: int, references: int, reps: int) -> list[str]:
    """The cold, warm and one-reference-changed rows; returns their notes."""
    tmp = base / "render"
    channel = make_channel(tmp / "channel", episodes, references, CITES)
    render(channel, empty(tmp / "cache-first"))
    outputs = outputs_of(channel / "build")
    size = save_blob(outputs, tmp / "outputs.bin")
    floors, cold, warm, changed, checks = [], [], [], [], []
    for rep in range(reps):
        floors.append(floor(channel, tmp / "outputs.bin", tmp / "floor-out").seconds)
        shutil.rmtree(channel / "build")
        cache = empty(tmp / f"cache-{rep}")
        cold.append(render(channel, cache).seconds)
        same_outputs(outputs, channel / "build", "cold")
        warm.append(render(channel, cache).seconds)
        same_outputs(outputs, channel / "build", "warm")
        seconds, moved, citing, exact = rewritten_after_change(channel, cache, episodes, references)
        changed.append(seconds)
        checks.append((moved, citing, exact))
    label = f"{episodes} ep. x {CITES} of {references} refs"
    row(f"render cold (empty cache), {label}", cold, floors, 5.0)
    row(f"render warm (nothing changed), {label}", warm, floors, 2.0)
    moved, citing, _ = checks[-1]
    verdict = "only the citing ones" if all(c[2] for c in checks) else "OTHERS TOO, or not all the citing ones"
    row(f"render after ref{CHANGED_REF:03d} changed, {label}", changed, floors, 2.0,
        note=f"episodes rewritten: {moved} of {episodes}, citing it: {citing} ({verdict})")
    return [f"render rows: {len(outputs)} output files, {size / 2**20:.1f} MiB; cold and warm outputs the bytes of "
            f"the first render (checked each repetition)"]


# ---------------------------------------------------------------- scaling (issue 13)

def _warm_render(tmp: Path, episodes: int) -> float:
    channel = make_channel(tmp / f"scaling-{episodes}", episodes, 300, CITES)
    cache = tmp / f"scaling-cache-{episodes}"
    render(channel, cache)  # cold: builds the cache and build/
    return render(channel, cache).seconds


def scaling_targets(row: Row, base: Path, quick: bool, full: bool, reps: int) -> None:
    sizes = [20, 100] if quick else [100, 1000] + ([5000] if full else [])
    reference = sizes[-1] if quick else 1000
    tmp = base / "scaling"
    tmp.mkdir()
    per: dict[int, list[float]] = {n: [] for n in sizes}
    for _ in range(reps):
        one = _warm_render(tmp, 1)
        for n in [*sizes, 1]:
            if n != 1:
                per[n].append((_warm_render(tmp, n) - one) / (n - 1))
            shutil.rmtree(tmp / f"scaling-{n}")
            shutil.rmtree(tmp / f"scaling-cache-{n}")
    for n in sizes:
        row(f"scaling: warm render per episode, {n} ep. (floor: {reference} ep.)", per[n], per[reference], 1.2,
            low=0.8, unit="ms")
