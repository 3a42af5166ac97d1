"""scripts/test.py: how many workers the suite runs on, how they share the tests, where a run's bytecode
goes; and testkit's way of letting a copy of the checkout use that bytecode."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from testkit import REPO, bytecode_of_the_checkout_for


@pytest.fixture(scope="module")
def script():
    """scripts/test.py as a module (it imports scripts/bootstrap.py by name, as when it is run)."""
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location("test_script_under_test", REPO / "scripts" / "test.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REPO / "scripts"))
    return module


def test_without_a_worker_count_the_suite_runs_on_two_workers_per_cpu_stealing_work(script):
    two_per_cpu = str(2 * (os.cpu_count() or 1))
    assert script.pytest_args([]) == ["-n", two_per_cpu, "--dist", "worksteal"]
    assert script.pytest_args(["tests/cli", "-q"]) == ["-n", two_per_cpu, "--dist", "worksteal", "tests/cli", "-q"]


@pytest.mark.parametrize("chosen", [["-n", "0"], ["-n4"], ["--numprocesses=3"], ["-p", "no:xdist"]])
def test_a_worker_count_the_caller_chose_is_kept_as_it_is(script, chosen):
    assert script.pytest_args([*chosen, "tests/cli"]) == [*chosen, "tests/cli"]


@pytest.mark.parametrize("spread", [["--dist", "load"], ["--dist=loadfile"], ["-d"]])
def test_a_way_of_sharing_the_tests_the_caller_chose_is_not_overridden(script, spread):
    assert script.pytest_args(spread) == ["-n", str(2 * (os.cpu_count() or 1)), *spread]


def test_the_bytecode_of_the_scratch_folder_s_files_goes_and_the_rest_stays(script, tmp_path):
    prefix, scratch = tmp_path / "pycache", tmp_path / "scratch"
    scratch.mkdir()
    kept = prefix.joinpath(*REPO.parts[1:], "episodekit", "errors.cpython-311.pyc")
    made = prefix.joinpath(*scratch.resolve().parts[1:], "copy", "episodekit", "errors.cpython-311.pyc")
    for pyc in (kept, made):
        pyc.parent.mkdir(parents=True)
        pyc.write_bytes(b"bytecode")
    script.forget_bytecode_of(scratch, {"PYTHONPYCACHEPREFIX": str(prefix)})
    assert kept.is_file() and not made.exists()
    assert not prefix.joinpath(*scratch.resolve().parts[1:]).exists()
    script.forget_bytecode_of(scratch, {})  # without a prefix there is nothing to remove, and no error


def _python(code: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _pycs(folder: Path) -> list[str]:
    """The bytecode files in ``folder`` itself and below, not through its links."""
    return sorted(name for _, _, names in os.walk(folder) for name in names if name.endswith(".pyc"))


def test_a_copy_of_the_checkout_runs_on_the_checkout_s_bytecode_and_compiles_a_file_that_differs(tmp_path):
    prefix = tmp_path / "prefix"
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(prefix), "PYTHONPATH": str(REPO)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    _python("import episodekit.errors", env, tmp_path)  # the checkout's bytecode, as this run keeps it
    compiled = prefix.joinpath(*REPO.parts[1:], "episodekit", "errors.cpython-311.pyc")
    assert compiled.is_file()
    before = compiled.stat().st_mtime_ns
    copy = tmp_path / "copy"
    for name in ("__init__.py", "errors.py"):
        (copy / "episodekit").mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "episodekit" / name, copy / "episodekit" / name)  # as a clone or an sdist: times kept
    env["PYTHONPATH"] = str(copy)
    bytecode_of_the_checkout_for(copy, env, tmp_path / "mirror")
    assert env["PYTHONPYCACHEPREFIX"] == str(tmp_path / "mirror" / "pycache")
    where = _python("import episodekit.errors as e; print(e.__file__)", env, tmp_path)
    assert where == str(copy / "episodekit" / "errors.py")
    assert compiled.stat().st_mtime_ns == before  # read, not compiled again
    assert _pycs(tmp_path / "mirror") == [] and not prefix.joinpath(*copy.parts[1:]).exists()
    with (copy / "episodekit" / "errors.py").open("a", encoding="utf-8") as changed:
        changed.write("\nTHE_COPY_S_OWN = 1\n")
    assert _python("import episodekit.errors as e; print(e.THE_COPY_S_OWN)", env, tmp_path) == "1"


def test_without_a_prefix_a_copy_s_environment_is_left_alone(tmp_path):
    env = {"PATH": os.environ.get("PATH", "")}
    bytecode_of_the_checkout_for(tmp_path / "copy", env, tmp_path / "mirror")
    assert env == {"PATH": os.environ.get("PATH", "")} and not (tmp_path / "mirror").exists()
