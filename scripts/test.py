#!/usr/bin/env python3
"""Run the test suite in .venv (created on first use). Extra arguments go to pytest.

The tests run in parallel, one pytest-xdist worker per CPU (``-n auto``), unless the arguments
choose otherwise (``-n 0`` runs them in this one process, as a debugger needs).

The browser tests (tests/views/test_watch_browser.py) drive the distribution's Chromium; when
/usr/bin/chromium is missing and this runs as root where apt-get is, it is installed first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bootstrap import ROOT, ensure_venv

CHROMIUM = Path("/usr/bin/chromium")  # the one the browser tests launch


def ensure_chromium() -> None:
    """Install the distribution's Chromium for the browser tests, where this can (root, apt-get)."""
    if CHROMIUM.exists() or shutil.which("apt-get") is None or getattr(os, "geteuid", lambda: 1)() != 0:
        return
    print("installing chromium for the browser tests (apt-get) ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdout": subprocess.DEVNULL, "env": env}
    subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
    if subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, **quiet).returncode != 0:
        print("could not install chromium; the browser tests will say so", flush=True)


def pytest_args(args: list[str]) -> list[str]:
    """The arguments for pytest: the caller's, with one worker per CPU unless they name a number."""
    chosen = any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args)
    return args if chosen or "no:xdist" in args else ["-n", "auto", *args]


if __name__ == "__main__":
    ensure_chromium()
    python = str(ensure_venv())
    sys.exit(subprocess.run([python, "-m", "pytest", *pytest_args(sys.argv[1:])], cwd=ROOT).returncode)
