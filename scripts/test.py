#!/usr/bin/env python3
"""Run the test suite in .venv (created on first use). Extra arguments go to pytest.

The tests run in parallel, two pytest-xdist workers per CPU (``-n 2xCPUs --dist worksteal``), unless the
arguments choose otherwise (``-n 0`` runs them in this one process, as a debugger needs).

The browser tests (tests/views/test_*_browser.py) drive the distribution's Chromium, and the alignment
tests (tests/pipeline/test_align.py) speak with the distribution's espeak-ng; when /usr/bin/chromium or
/usr/bin/espeak-ng is missing and this runs as root where apt-get is, the package is installed first.

The run's temporary files (every ``tmp_path``) go to a folder of its own (``TMPDIR``), on tmpfs (/dev/shm)
where there is one: the suite writes some 100,000 small files, which a disk makes slow and uneven, and pytest,
cleaning up the numbered folders of earlier runs, would otherwise delete what other runs left in the shared
/tmp/pytest-of-USER. The folder is removed after a green run and kept (and named) after a red one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
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


def workers() -> int:
    """Two workers per CPU: many tests wait (a program they started, the fake services' pace, a browser),
    and a second worker fills that time. Measured on 2 cores, the whole suite: 164 s of wall with 2
    workers, 114 s with 3, 106 s with 4, for about the same CPU (192-218 s; each worker collects ~1.7 s)."""
    return 2 * (os.cpu_count() or 1)


def pytest_args(args: list[str]) -> list[str]:
    """The arguments for pytest: the caller's, with two workers per CPU unless they name a number.

    Those workers share the tests out by work stealing (``--dist worksteal``): each starts with half, and
    one that runs out takes the rest of another's, so a worker never idles while the other holds a queue
    (tests/conftest.py puts the slowest modules first)."""
    chosen = any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args)
    spread = any(a == "--dist" or a.startswith(("--dist=", "-d")) for a in args)
    return args if chosen or "no:xdist" in args else ["-n", str(workers()), *([] if spread else ["--dist", "worksteal"]), *args]


def scratch_folder() -> Path:
    """A new folder for this run's temporary files: on /dev/shm when it is a writable folder, else in the
    system's temporary folder."""
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None
    return Path(tempfile.mkdtemp(prefix="episodekit-tests-", dir=where))


def compiled(env: dict[str, str]) -> None:
    """Let the run keep the bytecode it compiles, in .venv/pycache (PYTHONPYCACHEPREFIX), never beside the
    sources: with PYTHONDONTWRITEBYTECODE set, each worker and each of the hundred programs the tests start
    compiled episodekit again, and pytest rewrote every test module's asserts in every worker."""
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(ROOT / ".venv" / "pycache"))


def forget_bytecode_of(scratch: Path, env: dict[str, str]) -> None:
    """Remove the bytecode of the Python files the run made in its scratch folder (a test's copy of the
    checkout, a generated script): kept under their paths in .venv/pycache, they would pile up there,
    run after run, under folder names no later run has."""
    prefix = env.get("PYTHONPYCACHEPREFIX")
    if prefix:
        shutil.rmtree(Path(prefix).joinpath(*scratch.resolve().parts[1:]), ignore_errors=True)


def run_tests(python: str, args: list[str]) -> int:
    """pytest with ``args`` in a scratch folder of its own (TMPDIR); the exit code. The folder goes after a
    green run, and stays after a red one, for a look at what the failing tests left."""
    scratch = scratch_folder()
    env = {**os.environ, "TMPDIR": str(scratch)}
    compiled(env)
    code = subprocess.run([python, "-m", "pytest", *pytest_args(args)], cwd=ROOT, env=env).returncode
    forget_bytecode_of(scratch, env)
    if code == 0:
        shutil.rmtree(scratch, ignore_errors=True)
    else:
        print(f"the tests' temporary files are kept in {scratch}", file=sys.stderr)
    return code


if __name__ == "__main__":
    ensure_system_packages()
    sys.exit(run_tests(str(ensure_venv()), sys.argv[1:]))
