"""A command line that starts with a command's name runs an app made of that one command
(cli.app_for): what the command prints, its help, usage line and errors, is what the whole app prints."""

from __future__ import annotations

import pytest
import typer
import typer.main

from episodekit.cli import _command_name, app, app_for

NAMES = sorted(name for info in app.registered_commands if (name := _command_name(info)) is not None)
GROUPS = sorted(group.name for group in app.registered_groups if group.name)


def printed(application: typer.Typer, args: list[str], capsys) -> tuple[str, str, str]:
    """What running ``args`` printed (out, err) and how it ended."""
    capsys.readouterr()
    try:
        application(args=args, prog_name="episodekit", standalone_mode=False)
        ended = "returned"
    except typer.TyperException as exc:
        ended = f"{type(exc).__name__}: {exc.format_message()}"
    except SystemExit as exc:
        ended = f"exit {exc.code}"
    captured = capsys.readouterr()
    return captured.out, captured.err, ended


def test_every_command_is_found_and_the_groups_are_not_among_them():
    assert {"preview", "check", "render"} <= set(NAMES)
    assert GROUPS and not set(GROUPS) & set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_the_one_command_app_prints_the_same_help_and_makes_only_that_command(name, capsys):
    one = app_for([name, "--help"])
    assert one is not app
    assert list(typer.main.get_command(one).commands) == [name]
    assert printed(one, [name, "--help"], capsys) == printed(app, [name, "--help"], capsys)


@pytest.mark.parametrize("args", [["preview", "--no-such-option"], ["check", "--json", "--bogus"], ["preview"],
                                  ["render", "--out"]])
def test_a_usage_error_reads_the_same(args, capsys):
    ours, whole = printed(app_for(args), args, capsys), printed(app, args, capsys)
    assert ours == whole and whole[2] != "returned"


@pytest.mark.parametrize("args", [[], ["--help"], ["preveiw", "x"], ["--channel", "c", "preview", "x"], *[[g] for g in GROUPS]])
def test_anything_else_runs_the_whole_app(args):
    assert app_for(args) is app


def test_the_whole_app_is_left_whole():
    app_for(["preview"])
    assert len(app.registered_commands) == len(NAMES) and len(app.registered_groups) == len(GROUPS)
