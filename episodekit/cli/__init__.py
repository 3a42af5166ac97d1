"""The command line: each command parses its arguments, calls the library, prints.

``_app`` holds the typer app, the shared options and the run's state; ``offline``,
``youtube`` and ``auth`` hold the commands and register them on the app;
``console`` the rich output. Errors are handled in one place, :func:`main`,
which maps each class of ``episodekit.errors`` to its documented exit code and,
in JSON mode, prints the outcome as the one JSON document on stdout; no
traceback reaches the user unless ``EPISODEKIT_DEBUG=1`` is set.
"""

from __future__ import annotations

import copy
import os
import sys
from typing import Any

import typer

from ..errors import EpisodekitError, ExitCode, InputError, UsageError, set_program_name
from . import adopt, auth, captions, ledger, offline, refs, site, youtube
from ._app import Run, add_shared_options, app, echo_err, echo_json, wants_json

for _commands in (offline, captions, youtube, auth, ledger, site, refs, adopt):
    _commands.register(app)
add_shared_options(app)


def main(argv: list[str] | None = None, prog_name: str | None = None) -> int:
    """Run the CLI once and map every outcome to a documented exit code.

    Messages and the usage line name the program as it was invoked (``publish.py``,
    ``episodekit``, ``python -m episodekit``); called with ``argv``, it is ``episodekit``.
    """
    run = Run(prog=prog_name or (invoked_name() if argv is None else "episodekit"))
    args = sys.argv[1:] if argv is None else list(argv)
    set_program_name(run.prog)
    with run.active():
        code, error = _invoke(run, args)
        if run.json:
            document = _outcome(run, code, error)
            if document is not None:
                echo_json(document)
        elif error is not None:
            _report(error)
    return code


def _invoke(run: Run, args: list[str]) -> tuple[int, BaseException | None]:
    """Run the app; the exit code and the error that ended the run, if one did."""
    try:
        _refuse_completion_by_another_name(run.prog, args)
        result = app_for(args)(args=args, prog_name=run.prog, standalone_mode=False)
    except SystemExit as exc:  # shell completion ends this way
        return _exit_status(exc.code), None
    except (KeyboardInterrupt, typer.Abort) as exc:
        return ExitCode.INTERRUPTED, exc
    except (typer.TyperException, UsageError) as exc:  # wrong usage, maybe found before --json was read
        run.json = run.json or wants_json(args)
        return exc.exit_code, exc
    except EpisodekitError as exc:
        return exc.exit_code, exc
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, no locals
        if os.environ.get("EPISODEKIT_DEBUG"):
            raise
        return ExitCode.INTERNAL, exc
    if result == ExitCode.INTERRUPTED and run.interrupt is not None:
        return ExitCode.INTERRUPTED, run.interrupt
    return _exit_status(result), None


def app_for(args: list[str]) -> typer.Typer:
    """The app to run ``args`` with: when they start with the name of a command (not a group), the app with
    that one command, so typer makes the parameters of one command instead of every command's (a tenth of a
    preview's start); else the whole app. The root's options and callback are the same, and so is whatever
    the command prints: its help, usage line and errors name only itself (tests/cli/test_one_command_app.py)."""
    wanted = [info for info in app.registered_commands if args and _command_name(info) == args[0]]
    if len(wanted) != 1 or any(group.name == args[0] for group in app.registered_groups):
        return app
    one = copy.copy(app)
    one.registered_commands, one.registered_groups = wanted, []
    return one


def _command_name(info: Any) -> str | None:
    if info.name is not None:
        return str(info.name)
    return typer.main.get_command_name(info.callback.__name__) if info.callback is not None else None


COMPLETION_OPTIONS = ("--show-completion", "--install-completion")
COMPLETED_NAME = "episodekit"  # the console script: the one name a shell can complete


def _refuse_completion_by_another_name(prog: str, args: list[str]) -> None:
    """A shell completes the first word of a command line, so ``python -m episodekit`` (whose first word is
    ``python``) and ``publish.py`` (run as ``python publish.py``) cannot be completed: a script for them would
    do nothing, or take over the completion of every ``python`` command."""
    options = args[: args.index("--")] if "--" in args else args
    if prog != COMPLETED_NAME and any(arg.split("=")[0] in COMPLETION_OPTIONS for arg in options):
        raise UsageError(
            f"{prog}: shell completion works for the installed `{COMPLETED_NAME}` command only; "
            f"run `{COMPLETED_NAME} --install-completion` (the command is installed next to python, as in .venv/bin/)"
        )


def _report(error: BaseException) -> None:
    """The error for a person, on stderr."""
    if isinstance(error, InputError):
        for problem in error.problems:
            echo_err(str(problem))
    elif isinstance(error, EpisodekitError):
        echo_err(f"error: {error}")
    elif isinstance(error, typer.TyperException):
        from typer import rich_utils

        rich_utils.rich_format_error(error)  # the usage line and the message, as typer shows them
    elif isinstance(error, (KeyboardInterrupt, typer.Abort)):
        echo_err(str(error) or "interrupted")  # errors.Interrupted says how far the run got
    else:
        echo_err(f"internal error: {_internal(error)} (set EPISODEKIT_DEBUG=1 for details)")


def _outcome(run: Run, code: int, error: BaseException | None) -> Any:
    """The run's one JSON document: the command's, with the error merged in when one stopped it.

    Bad input is the list of problems (``path``, ``line``, ``field``, ``message``, ``severity``),
    as ``check --json`` prints it; any other failure is an object with the error's class,
    message and exit code.
    """
    if isinstance(error, InputError):
        return [problem.as_dict() for problem in error.problems]
    if error is None and (code == ExitCode.OK or run.has_document):
        return run.document if run.has_document else None
    failure = {"error": _error_name(error, code), "message": _message(error, code), "exit_code": int(code)}
    return {**run.document, **failure} if isinstance(run.document, dict) else failure


def _error_name(error: BaseException | None, code: int) -> str:
    if isinstance(error, EpisodekitError):
        return type(error).__name__
    if isinstance(error, typer.TyperException):
        return "UsageError"
    if code == ExitCode.INTERRUPTED:
        return "Interrupted"
    return "InternalError" if error is not None else "Failed"


def _message(error: BaseException | None, code: int) -> str:
    if isinstance(error, EpisodekitError):
        return str(error)
    if isinstance(error, typer.TyperException):
        return error.format_message()
    if code == ExitCode.INTERRUPTED:
        return str(error or "") or "interrupted"
    return _internal(error) if error is not None else f"exit status {code}"


def _internal(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _exit_status(code: object) -> int:
    if code is None:
        return ExitCode.OK
    return code if isinstance(code, int) else ExitCode.INVALID


def invoked_name() -> str:
    """How the program was started: ``python -m episodekit``, else the file name run (``publish.py``)."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and spec.name.endswith(".__main__"):
        return f"python -m {spec.name.removesuffix('.__main__')}"
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "episodekit"


__all__ = ["app", "main"]
