"""The suite runs from a clone in a private folder: a parent only its owner may enter (``/root``'s 0700).

The tests that need a user whom file permissions apply to (a read-only folder, an unreadable video)
used to run the program as ``nobody``, who cannot even read the Python of a clone under ``/root``, so
they errored there. Here a copy of every file git tracks is put in a ``mktemp -d`` folder (0700), and
``scripts/test.py`` runs those tests from it: each must run and pass, none skipped, none erroring.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from testkit import REPO, bytecode_of_the_checkout_for

PERMISSION_TESTS = [
    "tests/cli/test_read_only_channel.py",
    "tests/cli/test_render_cli.py::test_a_read_only_output_folder_is_one_line_and_nothing_is_written",
    "tests/cli/test_upload_safety.py::test_an_unreadable_video_is_refused",
]


def _copy_of_the_checkout(clone: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = REPO / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    (clone / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)  # the .venv this suite runs in


def test_the_permission_tests_run_and_pass_from_a_clone_in_a_private_folder():
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs the git checkout (a source distribution has no .git)")
    private = Path(tempfile.mkdtemp(prefix="episodekit-private-"))
    try:
        assert stat.S_IMODE(private.stat().st_mode) == 0o700  # what /root is
        clone = private / "episodekit"
        _copy_of_the_checkout(clone)
        env = {key: value for key, value in os.environ.items() if key != "EPISODEKIT_CHANNEL"}
        env["PYTHONPATH"] = str(clone)  # the clone's episodekit, not the one .venv was installed from
        bytecode_of_the_checkout_for(clone, env, private)
        runner = ["scripts/test.py"] if Path("/usr/bin/chromium").exists() or os.geteuid() != 0 else ["-m", "pytest"]
        # in one process (-n 0): a handful of tests, not worth a worker per CPU beside the suite's own
        done = subprocess.run([sys.executable, *runner, *PERMISSION_TESTS, "-n", "0", "-q", "-p", "no:randomly",
                               "-p", "no:cacheprovider", "-rs"], cwd=clone, env=env, capture_output=True,
                              text=True, timeout=600)
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        assert "skipped" not in summary and "error" not in summary and " passed" in summary, summary
    finally:
        shutil.rmtree(private, ignore_errors=True)
