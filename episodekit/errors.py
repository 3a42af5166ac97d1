"""The one error root of episodekit, and the problem records that ``check`` reports.

The core raises these plain exceptions; only the CLI turns them into a message
and an exit code (see ``episodekit.cli``).  Messages never contain secrets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes of every command."""

    OK = 0
    INVALID = 1  # bad input, failed check, refused action
    USAGE = 2  # wrong command-line usage
    YOUTUBE = 3  # YouTube answered with an error (quota, auth, rejected field)
    INTERRUPTED = 130


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located as ``path:line: field: message``."""

    path: str
    line: int | None
    field: str
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "" if self.severity == "error" else "warning: "
        if self.field:
            return f"{where}: {label}{self.field}: {self.message}"
        return f"{where}: {label}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class EpisodekitError(Exception):
    """Root of every error the core raises on purpose."""

    exit_code: ExitCode = ExitCode.INVALID


class InputError(EpisodekitError):
    """One or more input files are invalid; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class EpisodeError(InputError):
    """An episode file (or what it refers to) is invalid."""


class ChannelError(InputError):
    """``channel.yaml`` or the reference library is invalid."""


class TemplateError(EpisodekitError):
    """A Jinja2 template is broken or asks for a value that does not exist."""


class ScheduleError(EpisodekitError):
    """A date or slot cannot be resolved (for example a local time skipped by DST)."""


class UsageError(EpisodekitError):
    """The command was called in a way that cannot work."""

    exit_code = ExitCode.USAGE


class YouTubeError(EpisodekitError):
    """YouTube refused a request; the message says what to do next."""

    exit_code = ExitCode.YOUTUBE
