"""The one error tree of episodekit, and the problem records that ``check`` reports.

The library raises these exceptions; only the CLI turns them into a message and
an exit code, in one place (``episodekit.cli``).  Each class says what happened,
and carries the documented exit code for it.  Messages never contain secrets.
The tree below is checked against the classes by ``tests/test_errors.py``;
:func:`error_tree` and :func:`exit_code_table` render it from the classes.

    EpisodekitError              exit 1  never raised bare
    ├── InputError               exit 1  a file is invalid: ``problems`` lists every one found
    │   ├── EpisodeError         exit 1  an episode file (or what it refers to)
    │   └── ChannelError         exit 1  channel.yaml, references.yaml or the ledger
    ├── TemplateError            exit 1  a Jinja2 template is broken or asks for a missing value
    ├── ScheduleError            exit 1  a release time cannot be resolved
    ├── MissingFileError         exit 1  a file the action needs is not there (a video, a backup)
    ├── AlignmentError           exit 1  the audio cannot be aligned (no align extra, audio that cannot be decoded)
    ├── RefusedError             exit 1  the action would be unsafe or is not wanted, so nothing was done
    │   ├── NotConfirmedError    exit 1  nobody said yes (no terminal and no --yes, or "no")
    │   └── NoRecordError        exit 1  a DOI or PMID has no record at the service asked
    ├── UploadSessionLost        exit 1  an unfinished upload cannot be resumed
    │   └── UnreadableSession    exit 1  its saved session file cannot be read (the uploader says what to do)
    ├── WorkLeftError            exit 1  stopped early (quota); what was done is recorded
    ├── ConflictError            exit 1  a record disagrees with the reference library; those fields were kept
    ├── OutputError              exit 1  a file or folder cannot be written (nothing, or the count, written)
    ├── UsageError               exit 2  the command line cannot work as given
    ├── YouTubeError             exit 3  YouTube (or Google's sign-in) refused
    │   └── FollowUpFailed       exit 3  the video is up, but a follow-up step (thumbnail, playlist) failed
    └── ServiceError             exit 3  a bibliographic service (doi.org, NCBI) failed or cannot be reached
        ├── ServiceUnreachable   exit 3  offline, a name that does not resolve, a refused connection, a timeout
        └── MalformedRecordError exit 3  the service answered something that is not CSL-JSON

    Interrupted (a KeyboardInterrupt, exit 130): Ctrl-C, with how far the run got
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import IntEnum, unique
from pathlib import Path


@unique
class ExitCode(IntEnum):
    """Documented exit codes of every command; one member per code (no aliases)."""

    OK = 0
    INVALID = 1
    USAGE = 2
    SERVICE = 3
    INTERNAL = 70
    INTERRUPTED = 130

    @property
    def meaning(self) -> str:
        """What the code tells a script, in a few words."""
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "success",
    ExitCode.INVALID: "bad input, a failed check, or an action refused or left unfinished",
    ExitCode.USAGE: "wrong command-line usage",
    ExitCode.SERVICE: "a remote service (YouTube, Google sign-in, doi.org, NCBI, Crossref) refused, failed or "
                      "cannot be reached",
    ExitCode.INTERNAL: "a bug (EX_SOFTWARE of sysexits.h); EPISODEKIT_DEBUG=1 shows the traceback",
    ExitCode.INTERRUPTED: "interrupted by Ctrl-C (128 + SIGINT)",
}


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
        """Whether it is an error (not a warning)."""
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, str, str]:
        """The order problems are listed in: by file, line (none first), field and message."""
        return (self.path, self.line or 0, self.field, self.message)

    def as_dict(self) -> dict[str, object]:
        """The problem as JSON: path, line, field, message, severity."""
        return asdict(self)


def did_you_mean(word: str, choices: Iterable[str], otherwise: str = "", cutoff: float = 0.6) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices`` (at least ``cutoff`` alike), else ``otherwise``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"; did you mean {close[0]!r}?" if close else otherwise


_program: list[str | None] = [None]  # the name the program was run by; the CLI sets it (set_program_name)


def set_program_name(name: str) -> None:
    """Name commands in messages as the user runs them: ``publish.py``, ``python -m episodekit``."""
    _program[0] = name


def program_name() -> str | None:
    """The name the program was run by, as the CLI set it (:func:`set_program_name`); None when the
    library runs in a script of its own."""
    return _program[0]


def command_line(words: str) -> str:
    """A command for the user to run, as messages quote it: ``command_line("auth login")`` is
    ```publish.py auth login``` when run as ``publish.py``, ```episodekit auth login``` from a script."""
    return f"`{_program[0] or 'episodekit'} {words}`"


class EpisodekitError(Exception):
    """Root of every error the library raises on purpose."""

    exit_code: ExitCode = ExitCode.INVALID


class InputError(EpisodekitError):
    """One or more input files are invalid; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class EpisodeError(InputError):
    """An episode file (or what it refers to) is invalid."""


class ChannelError(InputError):
    """``channel.yaml``, the reference library or the ledger is invalid."""


class TemplateError(EpisodekitError):
    """A Jinja2 template is broken or asks for a value that does not exist."""


class ScheduleError(EpisodekitError):
    """A date or slot cannot be resolved (for example a local time skipped by DST)."""


class MissingFileError(EpisodekitError):
    """A file the action needs (a video, a thumbnail, a backup) is not where it should be."""


class AlignmentError(EpisodekitError):
    """Captions cannot be timed from the audio: the ``align`` extra is missing, or the audio cannot be read."""


class RefusedError(EpisodekitError):
    """The action would be unsafe or is not wanted, so nothing was done; the message says why."""


class NotConfirmedError(RefusedError):
    """Nobody confirmed an action that changes YouTube, so nothing was sent."""


class UploadSessionLost(EpisodekitError):
    """An unfinished upload cannot be resumed (expired, or started on another machine)."""


class UnreadableSession(UploadSessionLost):
    """The session file of an unfinished upload is there, but cannot be read or is not what was saved.

    The uploader words it with what to do; anywhere else it is still an unfinished upload that cannot
    be resumed (exit 1).
    """

    def __init__(self, path: Path, why: str):
        super().__init__(f"{path}: {why}")
        self.path, self.why = path, why


class WorkLeftError(EpisodekitError):
    """The run stopped before the end (quota); what was done is recorded, a rerun continues."""


class ConflictError(EpisodekitError):
    """A record (an imported or fetched one) disagrees with an entry of the reference library; the
    differing fields were kept as the library has them (``--replace`` or ``--fix`` takes the record's)."""


class OutputError(EpisodekitError):
    """A file or folder cannot be written: no permission, a file where a folder should be, a full disk."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a run part-way; the message says how far it got. Still an interrupt: exit 130."""

    def __init__(self, message: str, written: int = 0, total: int = 0):
        super().__init__(message)
        self.written, self.total = written, total


class UsageError(EpisodekitError):
    """The command was called in a way that cannot work."""

    exit_code = ExitCode.USAGE


class YouTubeError(EpisodekitError):
    """YouTube refused a request; the message says what to do next."""

    exit_code = ExitCode.SERVICE


class FollowUpFailed(YouTubeError):
    """The video is uploaded, but a follow-up step failed: what is done and what is left, for the rerun."""

    def __init__(self, message: str, *, video_id: str, url: str, done: list[str], pending: list[str]):
        super().__init__(message)
        self.video_id, self.url, self.done, self.pending = video_id, url, list(done), list(pending)


class NoRecordError(RefusedError):
    """The service asked has no record for a DOI or PMID (404): nothing was added or changed."""


class ServiceError(EpisodekitError):
    """A bibliographic service (doi.org, NCBI's citation exporter) failed: busy, refused, or an error."""

    exit_code = ExitCode.SERVICE


class ServiceUnreachable(ServiceError):
    """The service cannot be reached: offline, a name that does not resolve, a refused connection, a timeout."""


class MalformedRecordError(ServiceError):
    """The service answered something that is not CSL-JSON (a web page, broken JSON, another shape)."""


def error_classes() -> list[tuple[int, type[EpisodekitError]]]:
    """Every error class with its depth in the tree, depth first, in the order the classes are defined."""
    found: list[tuple[int, type[EpisodekitError]]] = []

    def walk(cls: type[EpisodekitError], depth: int) -> None:
        found.append((depth, cls))
        for sub in cls.__subclasses__():
            if sub.__module__ == __name__:
                walk(sub, depth + 1)

    walk(EpisodekitError, 0)
    return found


def _summary(cls: type) -> str:
    """The first paragraph of a class's docstring, on one line."""
    return " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())


def error_tree() -> str:
    """The error tree drawn from the classes: each class, its exit code and the first line of its docstring."""
    classes = error_classes()
    named = []
    for index, (depth, cls) in enumerate(classes):
        branch = ""
        for level in range(1, depth + 1):
            later = [d for d, _ in classes[index + 1:] if d <= level]
            last = not later or later[0] < level  # no sibling below at this level
            branch += ("└── " if last else "├── ") if level == depth else ("    " if last else "│   ")
        named.append((f"{branch}{cls.__name__}", int(cls.exit_code), _summary(cls)))
    named.append((f"{Interrupted.__name__} (a KeyboardInterrupt)", int(ExitCode.INTERRUPTED), _summary(Interrupted)))
    width = max(len(name) for name, _, _ in named)
    return "\n".join(f"{name:<{width}}  exit {code:<3}  {text}" for name, code, text in named)


def exit_code_table() -> str:
    """The exit codes as a Markdown table: code, name, meaning and the error classes that end with it."""
    rows = ["| code | name | meaning | error classes |", "| --- | --- | --- | --- |"]
    for code in ExitCode:
        named = ", ".join(f"`{cls.__name__}`" for _, cls in error_classes() if cls.exit_code == code)
        if code == ExitCode.INTERRUPTED:
            named = f"`{Interrupted.__name__}` (a KeyboardInterrupt)"
        elif code == ExitCode.INTERNAL:
            named = "any other exception"
        rows.append(f"| {int(code)} | `{code.name}` | {code.meaning} | {named} |")
    return "\n".join(rows)
