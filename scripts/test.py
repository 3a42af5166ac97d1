#!/usr/bin/env python3
"""Run the test suite in .venv (created on first use). Extra arguments go to pytest.

The tests run in parallel, one pytest-xdist worker per CPU (``-n auto --dist worksteal``), unless the
arguments choose otherwise (``-n 0`` runs them in this one process, as a debugger needs).

The browser tests (tests/views/test_*_browser.py) drive the distribution's Chromium, and the alignment
tests (tests/pipeline/test_align.py) speak with the distribution's espeak-ng; when /usr/bin/chromium or
/usr/bin/espeak-ng is missing and this runs as root where apt-get is, the package is installed first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bootstrap import ROOT, ensure_venv

# the distribution's packages some tests use: the package, the program it installs, and what for
SYSTEM_PACKAGES = [
    ("chromium", Path("/usr/bin/chromium"), "the browser tests"),
    ("espeak-ng", Path("/usr/bin/espeak-ng"), "the speech of the alignment tests"),
]


def ensure_system_packages() -> None:
    """Install the distribution's packages the tests use, where this can (root, apt-get)."""
    missing = [(name, why) for name, program, why in SYSTEM_PACKAGES if not program.exists()]
    if not missing or shutil.which("apt-get") is None or getattr(os, "geteuid", lambda: 1)() != 0:
        return
    print(f"installing {', '.join(name for name, _ in missing)} for the tests (apt-get) ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdout": subprocess.DEVNULL, "env": env}
    subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
    for name, why in missing:
        if subprocess.run(["apt-get", "install", "-y", "-qq", name], check=False, **quiet).returncode != 0:
            print(f"could not install {name}; {why} will say so", flush=True)


def pytest_args(args: list[str]) -> list[str]:
    """The arguments for pytest: the caller's, with one worker per CPU unless they name a number.

    Those workers share the tests out by work stealing (``--dist worksteal``): each starts with half, and
    one that runs out takes the rest of another's, so a worker never idles while the other holds a queue
    (tests/conftest.py puts the slowest modules first)."""
    chosen = any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args)
    spread = any(a == "--dist" or a.startswith(("--dist=", "-d")) for a in args)
    return args if chosen or "no:xdist" in args else ["-n", "auto", *([] if spread else ["--dist", "worksteal"]), *args]


if __name__ == "__main__":
    ensure_system_packages()
    python = str(ensure_venv())
    sys.exit(subprocess.run([python, "-m", "pytest", *pytest_args(sys.argv[1:])], cwd=ROOT).returncode)
