"""The typer app, the options every command shares, and the helpers commands print with.

This module imports no command: the command modules register on ``app``
(``register(app)``), and ``episodekit.cli`` puts them together.

One run of the program is one :class:`Run`. ``main()`` makes it; the shared
options fill it in wherever they stand on the line (``--channel``, ``-q``,
``-v`` before or after the command, ``--json`` on the commands that have it);
the print helpers below read it; and ``main()``'s error handler reads it to
know whether an error must come out as a JSON document. In JSON mode stdout
carries exactly one document: a command hands it over with :func:`emit_json`
and ``main()`` prints it at the end, with the error merged in if one stopped
the run.
"""

from __future__ import annotations

import copy
import inspect
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.main
from typer.core import TyperCommand, TyperOption

from ..errors import InputError, NotConfirmedError, UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from typer.models import OptionInfo

    from ..ledger import LedgerStore
    from ..workspace import Workspace

CHANNEL_ENV = "EPISODEKIT_CHANNEL"
LOGGER = "episodekit"  # the library's modules log under it (logging.getLogger(__name__))

app = typer.Typer(
    name="episodekit",
    help="Turn one YAML file per episode into its script, YouTube description and references.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # locals may hold tokens
)


@dataclass
class Run:
    """What the command line asked of this run, gathered from wherever the options stood."""

    prog: str = "episodekit"
    channel: Path | None = None
    quiet: bool = False
    verbose: bool = False
    json: bool = False
    document: Any = None  # the JSON document, printed by main() at the end
    has_document: bool = False
    interrupt: BaseException | None = None  # the Ctrl-C that stopped the command (typer keeps only its exit code)
    _handler: logging.Handler | None = field(default=None, repr=False)
    _saved: tuple[int, bool] = (logging.NOTSET, True)
    _console: Console | None = field(default=None, repr=False)
    live: Progress | None = None  # the progress display drawn on stderr right now, if any

    def stderr_console(self) -> Console:
        """The one rich console on stderr of this run: log lines and progress bars share it, so they do not collide."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True)
        return self._console

    def stderr_may_be_terminal(self) -> bool:
        """False when rich would surely find stderr plain, without importing rich: no tty and neither
        ``TTY_COMPATIBLE=1`` nor ``FORCE_COLOR`` set (the only ways rich takes a stream for a terminal).
        True means "ask rich" (``stderr_console().is_terminal``)."""
        if self._console is not None:
            return True
        if os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR"):
            return True
        try:
            return sys.stderr.isatty()
        except (AttributeError, ValueError):  # no stream, or a closed one
            return False

    @contextmanager
    def active(self) -> Iterator[Run]:
        """Make this the run under way for the ``with`` block; leave logging as found after it."""
        token = _RUN.set(self)
        try:
            yield self
        finally:
            self.stop_logging()
            _RUN.reset(token)

    def set_verbosity(self, quiet: bool, verbose: bool) -> None:
        """Add ``-q``/``-v`` from one place on the line; both at once is a usage error."""
        self.quiet, self.verbose = self.quiet or quiet, self.verbose or verbose
        if self.quiet and self.verbose:
            raise UsageError("-q/--quiet and -v/--verbose ask for opposite things; give one of them")

    def start_logging(self) -> None:
        """Library log records to stderr: warnings by default, errors with -q, everything with -v."""
        logger = logging.getLogger(LOGGER)
        self.stop_logging()
        self._handler = _log_handler(self)
        self._saved = (logger.level, logger.propagate)
        logger.addHandler(self._handler)
        logger.propagate = False
        logger.setLevel(logging.ERROR if self.quiet else logging.DEBUG if self.verbose else logging.WARNING)

    def stop_logging(self) -> None:
        """Leave the logger as it was found (a script calling ``main()`` twice gets no second handler)."""
        if self._handler is not None:
            logger = logging.getLogger(LOGGER)
            logger.removeHandler(self._handler)
            logger.setLevel(self._saved[0])
            logger.propagate = self._saved[1]
            self._handler = None


_RUN: ContextVar[Run] = ContextVar("episodekit_run")


def current_run() -> Run:
    """The run under way (one made on the spot when the app is called without ``main()``)."""
    try:
        return _RUN.get()
    except LookupError:
        _RUN.set(Run())
        return _RUN.get()


def _log_handler(run: Run) -> logging.Handler:
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        return RichHandler(console=run.stderr_console(), show_path=False, markup=False, rich_tracebacks=False)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


# The options every command has. At the top they go before the command (``--channel X check``);
# the same ones on each command take them after it (``check --channel X``), which wins.
_CHANNEL_HELP = f"channel.yaml or its folder (default: ${CHANNEL_ENV}, else found in . or a parent)"
ChannelOption = Annotated[
    Optional[Path], typer.Option("--channel", readable=False, envvar=CHANNEL_ENV, show_envvar=False, help=_CHANNEL_HELP)
]
CommandChannelOption = Annotated[  # no envvar here: it would override a --channel given before the command
    Optional[Path], typer.Option("--channel", readable=False, help=_CHANNEL_HELP)
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only: no progress, no summary")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Also log what is read and sent, with timings")]
EpisodePaths = Annotated[
    Optional[list[Path]], typer.Argument(readable=False, help="Episode files or slugs (default: every episodes/*.yaml)")
]


def _folder(value: str) -> Path:
    """A folder given on the command line; an empty one (``--out ""``) would mean the current folder."""
    if not value.strip():
        raise typer.BadParameter("is empty; give a folder (it is created when missing), or leave the option out")
    return Path(value)


def out_option(help: str) -> OptionInfo:
    """The ``--out DIR`` option of a command that writes a folder of files."""
    return typer.Option("--out", parser=_folder, metavar="DIR", help=help)


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"{current_run().prog} {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    channel: ChannelOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit")
    ] = False,
) -> None:
    run = current_run()
    run.channel = channel
    run.set_verbosity(quiet, verbose)


def json_option(help: str) -> OptionInfo:
    """The ``--json`` option of a command; it switches the run to JSON mode before anything else is read."""

    def switch(value: bool) -> bool:
        current_run().json = current_run().json or bool(value)
        return value

    return typer.Option("--json", help=help, callback=switch, is_eager=True)


def wants_json(args: list[str]) -> bool:
    """Whether a command line that failed before its options were read asked for ``--json``."""
    return "--json" in (args[: args.index("--")] if "--" in args else args)


def _shared_options(
    shared_channel: CommandChannelOption = None,
    shared_quiet: QuietOption = False,
    shared_verbose: VerboseOption = False,
) -> None:
    """Apply the options every command also takes after its name; typer makes those options from this signature."""
    run = current_run()
    run.channel = shared_channel if shared_channel is not None else run.channel
    run.set_verbosity(shared_quiet, shared_verbose)
    run.start_logging()


def _shared_params() -> list[TyperOption]:
    """Fresh click parameters for ``--channel``, ``-q`` and ``-v``: copies of the ones typer made once from
    :func:`_shared_options` (making them again for each of the commands took a tenth of a preview's start)."""
    return [copy.copy(param) for param in _shared_templates()]


@lru_cache(maxsize=1)
def _shared_templates() -> tuple[TyperOption, ...]:
    options = typer.Typer(add_completion=False)
    options.command()(_shared_options)
    return tuple(param for param in typer.main.get_command(options).params if isinstance(param, TyperOption))


class SharedOptionsCommand(TyperCommand):
    """A command with ``--channel``, ``-q`` and ``-v`` among its own options: they set up the run, then the
    command's function runs with its own values only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_shared_params())

    def invoke(self, ctx: typer.Context) -> Any:
        """Apply the shared options, then run the command (a Ctrl-C is kept on the run: typer keeps only its code)."""
        _shared_options(**{name: ctx.params.pop(name) for name in inspect.signature(_shared_options).parameters})
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:  # errors.Interrupted says how far the command got
            current_run().interrupt = exc
            raise


def add_shared_options(root: typer.Typer) -> None:
    """Give every registered command (in groups too) the shared options; call once, after registering."""
    for info in root.registered_commands:
        info.cls = SharedOptionsCommand
    for group in root.registered_groups:
        if group.typer_instance is not None:
            add_shared_options(group.typer_instance)


def workspace() -> Workspace:
    """The channel of this run: ``--channel``, else ``$EPISODEKIT_CHANNEL``, else the nearest ``channel.yaml``."""
    from ..workspace import Workspace  # imported here to keep --help fast

    return Workspace.open(Path.cwd(), current_run().channel)


def ledger_store(ws: Workspace) -> LedgerStore:
    """The writer of ``ws``'s ledger for a command that records what it sent: waiting for another writer, it
    says so on stderr."""
    from ..ledger import LedgerStore

    return LedgerStore(ws, on_lock_wait=echo_err)


def workspace_if_any() -> Workspace | None:
    """The channel of this run as :func:`workspace` finds it, or None when there is no ``channel.yaml`` to find
    (for the commands that work outside a channel folder too, such as ``auth``)."""
    from ..paths import find_channel_file

    if current_run().channel is None:
        try:
            find_channel_file(Path.cwd())
        except InputError:
            return None
    return workspace()


def _write(line: str, err: bool) -> None:
    """One line on stdout or stderr; while a progress bar is drawn, above it, never into it."""
    live = current_run().live
    if live is None:
        typer.echo(line, err=err)
        return
    live.stop()  # the bar is erased; the line takes its place, and the bar is drawn again below it
    try:
        typer.echo(line, err=err)
    finally:
        live.start()


def echo(line: str = "") -> None:
    """What the command was asked for (a table, a diff): stdout, or stderr while stdout is the JSON document."""
    _write(line, current_run().json)


def say(line: str) -> None:
    """A line about what was done (``wrote …``, ``updated …``); -q silences it."""
    if not current_run().quiet:
        _write(line, current_run().json)


def warn(line: str) -> None:
    """A warning on stderr; -q silences it."""
    if not current_run().quiet:
        _write(f"warning: {line}", True)


def echo_err(line: str) -> None:
    """One line on stderr (above a progress bar, if one is drawn)."""
    _write(line, True)


def json_text(data: Any) -> str:
    """``data`` as indented JSON, non-ASCII kept as it is."""
    return json.dumps(data, indent=2, ensure_ascii=False)


def echo_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout now (outside JSON mode's one document)."""
    typer.echo(json_text(data))


def emit_json(data: Any) -> None:
    """Hand over the run's JSON document; ``main()`` prints it once, at the end (with an error, if any)."""
    run = current_run()
    run.document, run.has_document = data, True


def confirm(yes: bool, question: str) -> None:
    """Go ahead with --yes or a "yes" at a terminal; otherwise stop with exit 1, having sent nothing.

    Ctrl-C at the question is an interrupt (exit 130) like anywhere else; end of input is a "no".
    """
    if yes:
        return
    if not sys.stdin.isatty():
        raise NotConfirmedError("not a terminal, so nothing was sent: pass --yes to go ahead without a prompt")
    try:
        answer = typer.confirm(question, default=False, err=True)
    except typer.Abort as exc:
        echo_err("")
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt("interrupted: nothing was sent") from None
        raise NotConfirmedError("no answer, so nothing was sent") from None
    if not answer:
        raise NotConfirmedError("nothing was sent")
