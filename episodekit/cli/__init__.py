"""The command line: each command parses its arguments, calls the library, prints.

``_app`` holds the typer app and the shared options; ``offline``, ``youtube``
and ``auth`` hold the commands and register them on the app; ``console`` the
rich output. Errors are handled in one place, :func:`main`, which maps each
class of ``episodekit.errors`` to its documented exit code; no traceback
reaches the user unless ``EPISODEKIT_DEBUG=1`` is set.
"""

from __future__ import annotations

import os
import sys

from ..errors import EpisodekitError, ExitCode, InputError
from . import auth, ledger, offline, youtube
from ._app import app, echo_err

for _commands in (offline, youtube, auth, ledger):
    _commands.register(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and map every outcome to a documented exit code."""
    try:
        app(args=argv, prog_name="publish.py")  # typer handles usage errors (exit 2) itself
    except SystemExit as exc:
        interrupt = _interrupt_behind(exc)
        if interrupt is None:
            return _exit_status(exc.code)
        echo_err(str(interrupt) or "interrupted")  # errors.Interrupted says how far the run got
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt as exc:
        echo_err(str(exc) or "interrupted")
        return ExitCode.INTERRUPTED
    except InputError as exc:
        for problem in exc.problems:
            echo_err(str(problem))
        return exc.exit_code
    except EpisodekitError as exc:
        echo_err(f"error: {exc}")
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, no locals
        if os.environ.get("EPISODEKIT_DEBUG"):
            raise
        echo_err(f"internal error: {type(exc).__name__}: {exc} (set EPISODEKIT_DEBUG=1 for details)")
        return ExitCode.INTERNAL
    return ExitCode.OK


def _interrupt_behind(exc: SystemExit) -> BaseException | None:
    """The Ctrl-C that typer turned into a silent exit 130, if that is what this exit is."""
    if exc.code != ExitCode.INTERRUPTED:
        return None
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, KeyboardInterrupt):
        cause = cause.__cause__ or cause.__context__
    return cause


def _exit_status(code: object) -> int:
    if code is None:
        return ExitCode.OK
    return code if isinstance(code, int) else ExitCode.INVALID


__all__ = ["app", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
