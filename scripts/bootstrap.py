#!/usr/bin/env python3
"""Create ``.venv`` and install episodekit with its test tools into it.

Needs only python3 (3.11 or newer). The versions come from ``requirements.lock``
(exact ``==`` pins of what the tests ran with), so a fresh clone gets the tested
set. Re-running is cheap: the install is skipped while ``pyproject.toml`` and
``requirements.lock`` are unchanged since the last one.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".episodekit-installed"
LOCK = ROOT / "requirements.lock"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install_stamp() -> str:
    """What the installed .venv was made from: the hashes of pyproject.toml and the lock file."""
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", LOCK):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def ensure_venv() -> Path:
    """The virtual environment's python, created and up to date."""
    if sys.version_info < (3, 11):
        sys.exit(f"episodekit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not venv_python().exists():
        print(f"creating {VENV.relative_to(ROOT)} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = install_stamp()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("installing episodekit and its dependencies into .venv ...", flush=True)
        pip = [str(venv_python()), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", "-c", str(LOCK), "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted + "\n")
    return venv_python()


def write_lock() -> None:
    """Pin every package installed in .venv (but pip and episodekit itself) into requirements.lock."""
    freeze = subprocess.run([str(venv_python()), "-m", "pip", "freeze", "--all", "--exclude-editable"],
                            check=True, capture_output=True, text=True).stdout.splitlines()
    pins = sorted((line for line in freeze if "==" in line and not line.lower().startswith("pip==")), key=str.lower)
    LOCK.write_text(LOCK_HEADER + "".join(f"{pin}\n" for pin in pins))


LOCK_HEADER = """\
# The exact versions the test suite runs with. scripts/bootstrap.py installs through it
# (pip install -c requirements.lock -e .[test]), so a fresh clone gets the tested set.
# After a change of dependencies, install into .venv and run: python3 scripts/bootstrap.py --lock
"""


if __name__ == "__main__":
    if sys.argv[1:] == ["--lock"]:
        write_lock()
        print(f"wrote {LOCK.relative_to(ROOT)}")
        sys.exit(0)
    ensure_venv()
    print(f"ready: {venv_python()}")
