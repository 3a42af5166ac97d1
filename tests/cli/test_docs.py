"""Every CLI command and option is documented in the README's command reference."""

from __future__ import annotations

import re
import shutil

import pytest
import typer.main

from episodekit.cli import app
from testkit import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
REFERENCE = README.split("## Command reference", 1)[1].split("\n## ", 1)[0]


def _commands():
    group = typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        if getattr(command, "commands", None):  # a group such as `auth`
            for sub_name, sub in sorted(command.commands.items()):
                yield f"{name} {sub_name}", sub
        else:
            yield name, command


COMMANDS = list(_commands())
INTRO = REFERENCE.split("\n### ", 1)[0]  # the global options, before the first command


def _options(command) -> set[str]:
    return {o for p in command.params for o in getattr(p, "opts", []) if o.startswith("--") and o != "--help"}


SHARED = set.intersection(*(_options(command) for _, command in COMMANDS))  # documented once, in the intro


@pytest.mark.parametrize("name, command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_a_heading_in_the_reference(name, command):
    assert re.search(rf"^### `{re.escape(name)}\b", REFERENCE, re.MULTILINE), f"document `{name}`"


@pytest.mark.parametrize("name, command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_option_of_the_command_is_documented(name, command):
    section = REFERENCE.split(f"### `{name}", 1)[1].split("\n### ", 1)[0]
    for option in sorted(_options(command) - SHARED):
        assert option in section, f"`{name}` does not document {option}"


def test_the_options_of_the_program_and_those_every_command_shares_are_documented_before_the_commands():
    program = _options(typer.main.get_command(app))
    assert {"--channel", "--quiet", "--verbose"} <= SHARED <= program
    assert {"--version", "--install-completion", "--show-completion"} <= program
    for option in sorted(program):
        assert f"`{option}" in INTRO, f"the command reference's introduction does not document {option}"
    assert "EPISODEKIT_CHANNEL" in INTRO


def test_the_quick_start_has_exactly_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["python3 scripts/demo.py", "python3 scripts/test.py"]


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert "python3 scripts/test.py" in ci


def test_the_library_example_in_the_readme_runs_on_the_sample_channel(tmp_path, capsys):
    section = README.split("### Using the library from a script", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    channel = tmp_path / "my-channel"
    shutil.copytree(REPO, channel, ignore=shutil.ignore_patterns(".git", ".venv", "build", "__pycache__"))
    exec(compile(code.replace('Path("my-channel")', f"Path({str(channel)!r})"), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "What Causes Depression?" in out and "0 quota units to sync" in out
    assert (channel / "build" / "what-causes-depression" / "description.txt").is_file()


LAYOUT = README.split("## Layout of the code", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def test_the_layout_of_the_code_names_every_folder_and_module_once_per_folder_line():
    package = REPO / "episodekit"
    lines = [line for line in LAYOUT.splitlines() if line.startswith("- `")]
    for folder in sorted(p for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"):
        (line,) = [line for line in lines if line.startswith(f"- `episodekit/{folder.name}/`")]
        files = [p.stem for p in folder.glob("*.py") if p.stem != "__init__"] + [p.name for p in folder.glob("*.j2")]
        for name in sorted(files):
            assert f"`{name}`" in line or f"`{name}.py`" in line, (folder.name, name)
    top = " ".join(line for line in lines if line.startswith("- `episodekit/") and "/`" not in line.split(":")[0])
    for module in sorted(p.name for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")):
        assert f"`{module}`" in top or f"`episodekit/{module}`" in top, module
    tests = next(line for line in lines if line.startswith("- `tests/`"))
    for folder in sorted(p.name for p in (REPO / "tests").iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        assert f"`{folder}/`" in tests, folder
