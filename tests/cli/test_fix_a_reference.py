"""The sample library, and the "fix a reference" walk-through of docs/references.md, kept true by running them.

The sample library (references.yaml at the root) is what ``scripts/refresh_sample_library.py`` makes
of the library as it was first typed (tests/cli/data/sample-library-as-typed.yaml) from the recorded
records of the fake doi.org and NCBI: nothing in it was typed from memory. The walk-through on the
reference library's page is run command by command on the sample channel uploaded to the fake
YouTube, and each command's output must be what the page shows (times and video ids aside).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from testkit import REPO, copy_sample

AS_TYPED = Path(__file__).parent / "data" / "sample-library-as-typed.yaml"
SCRIPT = REPO / "scripts" / "refresh_sample_library.py"
PAGE = REPO / "docs" / "references.md"
SECTION = re.compile(r"^## Fixing a reference, walked through on the sample channel\n(.*?)(?:^## |\Z)",
                     re.MULTILINE | re.DOTALL)
BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\dZ")  # release times: the sample schedules "next", from today


def sample_copy(folder: Path, library: Path) -> Path:
    copy_sample(folder)
    shutil.copy(library, folder / "references.yaml")
    return folder


def refresh(folder: Path) -> str:
    done = subprocess.run([sys.executable, str(SCRIPT), "--channel", str(folder)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return (folder / "references.yaml").read_text(encoding="utf-8")


def test_the_sample_library_is_what_the_refresh_makes_of_the_library_as_typed(tmp_path):
    made = refresh(sample_copy(tmp_path, AS_TYPED))
    assert made == (REPO / "references.yaml").read_text(encoding="utf-8")
    assert made != AS_TYPED.read_text(encoding="utf-8")


def test_refreshing_the_sample_library_again_changes_nothing(tmp_path):
    sample = REPO / "references.yaml"
    assert refresh(sample_copy(tmp_path, sample)) == sample.read_text(encoding="utf-8")


def walk_through() -> list[tuple[list[str], str]]:
    """Each ``$ episodekit ...`` line of the page's walk-through, with the output shown under it."""
    text = PAGE.read_text(encoding="utf-8")
    steps: list[tuple[list[str], str]] = []
    for block in BLOCK.findall(SECTION.search(text).group(1)):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command.split()[1:], output))
    return steps


def shown_video_ids(status_output: str) -> dict[str, str]:
    """The video id the page's ``status`` shows for each episode (the fake gives new ones each run)."""
    return {line.split()[0]: line.split()[4] for line in status_output.splitlines() if line.startswith("episodes/")}


def test_the_walk_through_in_the_docs_shows_what_the_commands_print(published, lookup_services, run_cli):
    from episodekit.workspace import Workspace

    steps = walk_through()
    assert [" ".join(args) for args, _ in steps] == [
        "refs verify", "refs verify --fix andre2008", "status", "sync --dry-run"]
    ledger = Workspace.open(published).ledger
    shown_ids = shown_video_ids(steps[2][1])
    ids = {ledger.video_id(path.split("/")[1].removesuffix(".yaml")): shown for path, shown in shown_ids.items()}
    for args, shown in steps:
        result = run_cli(*args, cwd=published)
        printed = result.out + result.err
        for actual, on_page in ids.items():
            printed = printed.replace(actual, on_page)
        assert TIME.sub("<time>", printed) == TIME.sub("<time>", shown), " ".join(args)
    assert "{family: Brunoni, given: André Russowsky}" in (published / "references.yaml").read_text(encoding="utf-8")
