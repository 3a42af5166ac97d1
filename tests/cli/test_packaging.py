"""The package as someone installs it: its license, its dependencies, the tested versions, the sdist."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest
from testkit import REPO, bytecode_of_the_checkout_for

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = REPO / "requirements.lock"


def _name(requirement: str) -> str:
    """The normalized project name of a requirement string such as ``"Foo_Bar[x]>=1; extra == 'y'"``."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def _third_party_imports() -> set[str]:
    found = set()
    for path in (REPO / "episodekit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "episodekit"}


def _lock() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"requirements.lock: {line!r} is not an exact pin"
            pins[_name(name)] = version.strip()
    return pins


def test_the_license_is_mit_in_a_file_and_as_an_spdx_string():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 the episodekit authors" in text
    assert PYPROJECT["project"]["license"] == "MIT"
    assert "LICENSE" in PYPROJECT["project"]["license-files"]
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]  # the first with SPDX strings
    assert metadata.metadata("episodekit").get("License-Expression") in (None, "MIT")


def test_every_third_party_module_the_code_imports_is_a_declared_dependency():
    # the align extra's modules are imported only when captions are aligned (episodekit/pipeline/align.py)
    project = PYPROJECT["project"]
    declared = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["align"]}
    providers = metadata.packages_distributions()
    undeclared = {module: providers.get(module) for module in _third_party_imports()
                  if not {_name(d) for d in providers.get(module, [])} & declared}
    assert undeclared == {}


def test_citeproc_py_has_the_tested_version_as_its_lower_bound():
    (spec,) = [r for r in PYPROJECT["project"]["dependencies"] if _name(r) == "citeproc-py"]
    assert spec.replace(" ", "") == "citeproc-py>=0.11.1"
    assert _lock()["citeproc-py"] == "0.11.1"


def test_the_test_extra_has_the_schema_and_property_testing_tools():
    assert {"pytest", "jsonschema", "hypothesis"} <= {_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}


def _closure(requirements: list[str]) -> set[str]:
    """Every project that installing ``requirements`` brings, following each one's own requirements."""
    seen: set[str] = set()
    todo = [_name(r) for r in requirements]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for requirement in metadata.requires(name) or []:
            if "extra ==" not in requirement:  # extras of dependencies are not installed
                marker = requirement.partition(";")[2].strip()
                if not marker or _marker_holds(marker):
                    todo.append(_name(requirement))
    return seen


def _marker_holds(marker: str) -> bool:
    from packaging.markers import Marker  # pip's own marker logic, present wherever pip is

    return Marker(marker).evaluate()


def test_the_lock_pins_exactly_what_pyproject_requires_at_the_version_installed():
    pins = _lock()
    project = PYPROJECT["project"]
    extras = project["optional-dependencies"]
    wanted = _closure(project["dependencies"] + extras["test"] + extras["align"])
    assert sorted(wanted - set(pins)) == [], "not in requirements.lock"
    assert sorted(set(pins) - wanted) == [], "in requirements.lock, but nothing in pyproject.toml requires it"
    differ = {name: (pins[name], metadata.version(name)) for name in wanted if pins[name] != metadata.version(name)}
    assert differ == {}, "requirements.lock differs from .venv: python3 scripts/bootstrap.py --lock"


def test_writing_the_lock_pins_what_pyproject_requires_and_not_what_else_is_installed(tmp_path):
    """A tool installed into .venv by hand (a linter) is not a dependency: ``--lock`` leaves it out."""
    for name in ("pyproject.toml", "scripts/bootstrap.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, tmp_path / name)
    (tmp_path / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)  # the .venv this suite runs in
    by_hand = tmp_path / "installed-by-hand" / "a_linter-1.0.dist-info"
    by_hand.mkdir(parents=True)
    (by_hand / "METADATA").write_text("Metadata-Version: 2.1\nName: a-linter\nVersion: 1.0\n")
    env = {**os.environ, "PYTHONPATH": str(by_hand.parent)}
    done = subprocess.run([sys.executable, "scripts/bootstrap.py", "--lock"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "requirements.lock").read_text(encoding="utf-8")
    assert "a-linter" not in written
    assert written == LOCK.read_text(encoding="utf-8")  # the lock in the repository is what --lock writes


def _bootstrap_in(root: Path):
    for name in ("pyproject.toml", "requirements.lock", "scripts/bootstrap.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, root / name)
    spec = importlib.util.spec_from_file_location("bootstrap_copy", root / "scripts" / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    python = module.venv_python()
    python.parent.mkdir(parents=True)
    python.write_text("")  # an existing .venv: bootstrap only decides whether to install
    return module


def test_bootstrap_installs_through_the_lock_and_reinstalls_when_the_lock_changes(tmp_path, monkeypatch):
    bootstrap = _bootstrap_in(tmp_path)
    commands = []
    monkeypatch.setattr(bootstrap.subprocess, "run", lambda command, **kw: commands.append(command))
    bootstrap.ensure_venv()
    assert commands[0][-5:] == ["install", "-c", str(tmp_path / "requirements.lock"), "-e", f"{tmp_path}[test,align]"]
    bootstrap.ensure_venv()
    assert len(commands) == 1  # nothing changed: no second install
    with (tmp_path / "requirements.lock").open("a") as lock:
        lock.write("example-pin==1.0\n")
    bootstrap.ensure_venv()
    assert len(commands) == 2


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    """The sdist built from a copy of this checkout, offline, and unpacked."""
    source = tmp_path_factory.mktemp("source") / "episodekit"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "backups", "__pycache__", "*.egg-info", ".pytest_cache"))
    dist = tmp_path_factory.mktemp("dist")
    code = f"import setuptools.build_meta as b; print(b.build_sdist({str(dist)!r}))"
    built = subprocess.run([sys.executable, "-c", code], cwd=source, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    archive = dist / built.stdout.strip().splitlines()[-1]
    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    return unpacked / archive.name.removesuffix(".tar.gz")


def test_the_sdist_has_the_tests_the_sample_channel_and_the_golden_files(sdist):
    for name in ("LICENSE", "requirements.lock", "publish.py", "channel.yaml", "references.yaml",
                 "episodes/what-causes-depression.yaml", "tests/conftest.py", "tests/fake_youtube/server.py",
                 "tests/pipeline/golden/what-causes-depression/description.txt", "episodekit/templates/script.md.j2"):
        assert (sdist / name).is_file(), f"the sdist lacks {name}"


def test_the_sdist_has_every_file_of_the_checkout(sdist):
    """A file that git tracks is one a test may read (``.gitignore``, the sample channel, the schemas)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, timeout=60)
    if listed.returncode != 0:
        pytest.skip("not a git checkout (an unpacked sdist)")
    missing = [name for name in listed.stdout.split("\0") if name and not (sdist / name).is_file()]
    assert missing == [], "add them to MANIFEST.in"


# Modules that read files of the checkout in the ways tests do: the sample channel and the golden
# files, README and .ci/run, the package's source. Together they show that tests run
# from the unpacked archive; the listing above shows that every file they could read is in it.
FROM_THE_SDIST = [
    "tests/pipeline/test_golden.py",
    "tests/cli/test_docs.py",
    "tests/test_architecture.py",
]
# The tests of the checkers themselves (a breach planted in a copy of the package, a docs page made stale
# or broken in a copy of docs/) read those files as the tests kept above do; the suite runs them once.
CHECKERS_OWN_TESTS = ("test_a_breach_is_caught or test_what_the_rules_allow_is_not_reported"
                      " or test_the_help_check_fails_on_a_page_out_of_date"
                      " or test_the_strict_build_fails_on_a_broken_link")


def test_tests_reading_the_checkout_run_from_the_unpacked_sdist(sdist, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(sdist)}
    bytecode_of_the_checkout_for(sdist, env, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", f"not ({CHECKERS_OWN_TESTS})",
         *FROM_THE_SDIST],
        cwd=sdist, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr
    assert re.search(r"\b[1-9]\d+ passed", result.stdout), result.stdout[-500:]
