"""The program calls itself what the user typed, says its version, completes in the shell, and finds
its channel from an option anywhere on the line or from the environment (for cron)."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

import episodekit
from testkit import REPO

CONSOLE_SCRIPT = Path(sys.executable).parent / "episodekit"
INVOCATIONS = {
    "publish.py": [sys.executable, str(REPO / "publish.py")],
    "python -m episodekit": [sys.executable, "-m", "episodekit"],
    "episodekit": [str(CONSOLE_SCRIPT)],
}


def _run(argv, **kw):
    env = {**os.environ, "PYTHONPATH": str(REPO), **kw.pop("env", {})}
    return subprocess.run(argv, cwd=kw.pop("cwd", REPO), capture_output=True, text=True, timeout=60, env=env, **kw)


@pytest.mark.parametrize("name", INVOCATIONS)
def test_the_usage_line_and_the_messages_name_the_program_as_it_was_run(name):
    if name == "episodekit" and not CONSOLE_SCRIPT.exists():
        pytest.skip("the episodekit command is not installed next to this python")
    usage = _run([*INVOCATIONS[name], "no-such-command"])
    assert usage.returncode == 2
    assert f"Usage: {name} [OPTIONS] COMMAND" in usage.stderr
    message = _run([*INVOCATIONS[name], "new", " "])  # refused before anything is written
    assert message.returncode == 2
    assert f'e.g. `{name} new "Why Sleep Matters"`' in message.stderr
    assert "publish.py" not in message.stderr or name == "publish.py"


def _message_strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_message_of_the_package_hard_codes_a_program_name():
    found = [f"{path.relative_to(REPO)}:{line}: {text!r}" for path in sorted((REPO / "episodekit").rglob("*.py"))
             for line, text in _message_strings(path) if "publish.py" in text]
    assert found == []


def test_a_library_message_names_the_package_command(channel):
    from episodekit.errors import UsageError
    from episodekit.pipeline.scaffold import new_episode
    from episodekit.workspace import Workspace

    with pytest.raises(UsageError) as caught:
        new_episode(Workspace.open(channel.root), " ")
    assert '`episodekit new "Why Sleep Matters"`' in str(caught.value)


def test_version_prints_the_installed_version():
    result = _run([*INVOCATIONS["publish.py"], "--version"])
    assert result.returncode == 0
    assert result.stdout == f"publish.py {importlib.metadata.version('episodekit')}\n"
    assert importlib.metadata.version("episodekit") == episodekit.__version__  # pyproject reads it from there


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="the episodekit command is not installed")
def test_shell_completion_completes_commands_and_their_options():
    words = _run([str(CONSOLE_SCRIPT)], env={"_EPISODEKIT_COMPLETE": "complete_bash", "COMP_WORDS": "episodekit ch",
                                             "COMP_CWORD": "1"})
    assert words.returncode == 0 and words.stdout.split() == ["check"]
    options = _run([str(CONSOLE_SCRIPT)], env={"_EPISODEKIT_COMPLETE": "complete_bash",
                                               "COMP_WORDS": "episodekit sync --", "COMP_CWORD": "2"})
    assert {"--dry-run", "--json", "--channel", "--quiet"} <= set(options.stdout.split())
    # typer asks the process tree which shell runs it: a bash, as when a person types the command
    script = _run(["bash", "-c", f"'{CONSOLE_SCRIPT}' --show-completion bash; exit $?"])
    assert script.returncode == 0 and "_EPISODEKIT_COMPLETE=complete_bash" in script.stdout


@pytest.mark.parametrize("name", ["publish.py", "python -m episodekit"])
@pytest.mark.parametrize("option", ["--show-completion", "--install-completion"])
def test_completion_under_another_name_says_to_use_the_episodekit_command(name, option, tmp_path):
    """A shell completes a command word; ``python -m episodekit`` and ``publish.py`` are not one, so a script for
    them would complete nothing (or every ``python``): refused, with what works instead, and nothing installed."""
    result = _run([*INVOCATIONS[name], option, "bash"], env={"HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{name}: shell completion works for the installed `episodekit` command only" in result.stderr
    assert "episodekit --install-completion" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no ~/.bashrc or completion file written


def test_channel_can_be_given_after_the_command(channel, run_cli, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert run_cli("check", "--channel", str(channel.root), cwd=elsewhere).code == 0
    assert run_cli("auth", "logout", "--channel", str(channel.root), cwd=elsewhere).code == 0


def test_channel_comes_from_the_environment_for_cron(channel, run_cli, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.setenv("EPISODEKIT_CHANNEL", str(channel.root))
    result = run_cli("check", cwd=elsewhere)
    assert result.code == 0 and "checked 1 episode(s)" in result.out


def test_an_option_on_the_line_wins_over_the_environment_and_after_the_command_over_before(
        channel, run_cli, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    nowhere = str(elsewhere / "missing")
    monkeypatch.setenv("EPISODEKIT_CHANNEL", nowhere)
    assert run_cli("check", cwd=elsewhere).code == 1
    assert run_cli("--channel", str(channel.root), "check", cwd=elsewhere).code == 0
    assert run_cli("--channel", nowhere, "check", "--channel", str(channel.root), cwd=elsewhere).code == 0
