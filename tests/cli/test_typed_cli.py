"""The command line's values have their real types, and typer reads the commands' own signatures."""

from __future__ import annotations

import ast
from pathlib import Path

import typer.main

from episodekit.cli import app
from testkit import REPO

CLI = REPO / "episodekit" / "cli"


def _bare_any(path: Path) -> list[str]:
    """Named parameters and results annotated as plain ``Any`` (``*args``/``**kwargs`` and JSON values aside)."""
    found = []
    for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            named = [(a.arg, a.annotation) for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]]
            for name, annotation in [*named, ("return", fn.returns)]:
                if annotation is not None and ast.unparse(annotation) in ("Any", "list[Any]"):
                    found.append(f"{path.name}:{fn.lineno}: {fn.name}() {name}")
    return found


def test_the_youtube_commands_type_their_values():
    assert _bare_any(CLI / "youtube.py") == []


def test_no_cli_module_rewrites_a_signature():
    assert [p.name for p in sorted(CLI.glob("*.py")) if "__signature__" in p.read_text(encoding="utf-8")] == []


def test_each_command_function_keeps_its_own_signature_and_gets_the_shared_options_from_its_class():
    group = typer.main.get_command(app)
    check = group.commands["check"]
    assert type(check).__name__ == "SharedOptionsCommand"
    names = [param.name for param in check.params]
    assert names[-3:] == ["shared_channel", "shared_quiet", "shared_verbose"]
    assert "shared_channel" not in check.callback.__wrapped__.__code__.co_varnames
