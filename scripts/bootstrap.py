#!/usr/bin/env python3
"""Create ``.venv`` and install episodekit with its test tools and the alignment extra into it.

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
EXTRAS = ("test", "align")  # the extras the suite runs with (align: captions timed from the audio)


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
        subprocess.run([*pip, "install", "-c", str(LOCK), "-e", f"{ROOT}[{','.join(EXTRAS)}]"], check=True,
                       env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"})  # the tests use the system's
        STAMP.write_text(wanted + "\n")
    return venv_python()


def write_lock() -> None:
    """Pin what pyproject.toml requires (its dependencies and the extras of ``EXTRAS``), and everything those
    require in turn, at the versions installed in .venv; nothing else that happens to be installed."""
    LOCK.write_text(LOCK_HEADER + "".join(f"{pin}\n" for pin in locked_pins(venv_python())))


def project_requirements() -> list[str]:
    import tomllib  # Python 3.11+, checked in ensure_venv

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    return [*project["dependencies"], *(req for name in EXTRAS for req in extras.get(name, []))]


# Run by the venv's python: follows each requirement to the distribution installed for it (with the
# extras asked for, and the markers of this platform) and prints "Name==version" for the whole closure.
_CLOSURE = """\
import json, sys
from importlib import metadata
try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement

todo = [(Requirement(text), {""}) for text in json.loads(sys.argv[1])]
pins, extras = {}, {}
while todo:
    req, parent_extras = todo.pop()
    if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in parent_extras):
        continue
    try:
        dist = metadata.distribution(req.name)
    except metadata.PackageNotFoundError:
        sys.exit(f"{req.name} is required but not installed in .venv; install it, then write the lock again")
    name = dist.metadata["Name"]
    key = name.lower().replace("_", "-").replace(".", "-")
    wanted = {""} | set(req.extras)
    if wanted <= extras.get(key, set()):
        continue
    pins[key], extras[key] = f"{name}=={dist.version}", extras.get(key, set()) | wanted
    todo += [(Requirement(text), extras[key]) for text in dist.requires or []]
print("\\n".join(sorted(pins.values(), key=str.lower)))
"""


def locked_pins(python: Path) -> list[str]:
    """The pins of the closure of pyproject's requirements, as installed for ``python``."""
    import json

    done = subprocess.run([str(python), "-c", _CLOSURE, json.dumps(project_requirements())],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(done.stderr.strip() or f"{python}: could not list the installed requirements")
    return done.stdout.split()


LOCK_HEADER = """\
# The exact versions the test suite runs with. scripts/bootstrap.py installs through it
# (pip install -c requirements.lock -e .[test,align]), so a fresh clone gets the tested set.
# After a change of dependencies, install into .venv and run: python3 scripts/bootstrap.py --lock
"""


if __name__ == "__main__":
    if sys.argv[1:] == ["--lock"]:
        write_lock()
        print(f"wrote {LOCK.relative_to(ROOT)}")
        sys.exit(0)
    ensure_venv()
    print(f"ready: {venv_python()}")
