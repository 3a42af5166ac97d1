"""YouTube's limits on what an upload or an update may carry, checked on the rendered result.

A ``<`` or ``>`` is reported at the :class:`Place` where its text was written (an
episode's line, a line of ``channel.yaml`` or of a template), not at the episode
that happens to show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem
from ..models import Chapter
from ..models.text import FORBIDDEN_MESSAGE, TITLE_MAX_CHARS, has_forbidden, title_problems
from ..files.load import LoadedEpisode

DESCRIPTION_MAX_BYTES = 5000
TAGS_MAX_CHARS = 500
CHAPTERS_MIN = 3
CHAPTER_MIN_SECONDS = 10


@dataclass(frozen=True)
class Place:
    """A text that may reach YouTube, and where it was written: file, line and field."""

    path: str
    line: int | None
    field: str
    text: str

    def problem(self, message: str, severity: str = "error") -> Problem:
        """A problem located here."""
        return Problem(self.path, self.line, self.field, message, severity)


def sent_description(description: str) -> str:
    """A rendered description as YouTube receives it: without the file's final newline."""
    return description.rstrip("\n")


def description_bytes(description: str) -> int:
    """What YouTube counts: UTF-8 bytes of the description as sent."""
    return len(sent_description(description).encode("utf-8"))


def tags_length(tags: list[str]) -> int:
    """Tag length as YouTube counts it: commas between tags, and quotes around a tag with a space."""
    if not tags:
        return 0
    return sum(len(tag) + (2 if " " in tag else 0) for tag in tags) + len(tags) - 1


@dataclass(frozen=True)
class Count:
    """One of YouTube's limits and how much of it an episode uses, as ``check`` and ``preview`` report it."""

    field: str
    used: int
    limit: int
    unit: str

    @property
    def over(self) -> bool:
        """Whether the count is over its limit."""
        return self.used > self.limit


def limit_counts(title: str, description: str, tags: list[str]) -> list[Count]:
    """The description's bytes, the title's length and the tags' length, each against its limit."""
    return [
        Count("description", description_bytes(description), DESCRIPTION_MAX_BYTES, "bytes"),
        Count("title", len(title), TITLE_MAX_CHARS, "characters"),
        Count("tags", tags_length(tags), TAGS_MAX_CHARS, "characters"),
    ]


def check_title(episode: LoadedEpisode, title: str) -> list[Problem]:
    """The problems of the episode's title with YouTube's title rules."""
    return [episode.problem(message, "title") for message in title_problems(title)]


def check_description(
    episode: LoadedEpisode, description: str, overflow: str = "error", references_kept: int | None = None
) -> list[Problem]:
    """The description's size; ``overflow`` is the channel's ``description_overflow`` and
    ``references_kept`` how many references the description kept when it was cut to fit."""
    problems = []
    size = description_bytes(description)
    if size > DESCRIPTION_MAX_BYTES:
        if overflow == "error":
            what, hint = "", " (or set description_overflow: truncate-references in channel.yaml)"
        else:
            what = " even with no references listed" if references_kept == 0 else ""
            hint = ""
        problems.append(episode.problem(
            f"the rendered description is {size} bytes (UTF-8){what}; YouTube allows {DESCRIPTION_MAX_BYTES}: "
            f"shorten it by {size - DESCRIPTION_MAX_BYTES} bytes{hint}",
            "summary",
        ))
    return problems


def forbidden_in_description(description: str, places: list[Place], fallback: Place) -> list[Problem]:
    """Each ``<``/``>`` of the rendered description, reported at the place its text was written.

    ``places`` are the texts that may be shown in the description; a ``<`` or ``>`` that none
    of them explains (a template's own text) is reported once at ``fallback``.
    """
    problems = []
    unexplained = description
    for place in places:
        shown = [line.strip() for line in place.text.splitlines()
                 if has_forbidden(line) and line.strip() in description]
        if shown:
            problems.append(place.problem(FORBIDDEN_MESSAGE))
            for line in shown:
                unexplained = unexplained.replace(line, "")
    for number, line in enumerate(unexplained.splitlines(), start=1):
        if has_forbidden(line):
            problems.append(fallback.problem(
                f"the rendered description has '<' or '>' on its line {number} "
                f"({description.splitlines()[number - 1].strip()[:60]!r}); YouTube rejects them",
            ))
            break
    return problems


def check_tags(episode: LoadedEpisode, tags: list[str]) -> list[Problem]:
    """The length of the tags sent, counted as YouTube counts it (a ``<`` is at its tag's place)."""
    length = tags_length(tags)
    if length > TAGS_MAX_CHARS:
        return [episode.problem(
            f"the channel's and episode's tags come to {length} characters as YouTube counts them "
            f"(commas, and quotes around tags with spaces); the limit is {TAGS_MAX_CHARS}",
            "tags",
        )]
    return []


def forbidden_in_tags(tags: list[str], places: list[Place]) -> list[Problem]:
    """A tag with ``<`` or ``>`` that is sent, reported where it was written (channel or episode)."""
    return [place.problem(FORBIDDEN_MESSAGE) for place in places if has_forbidden(place.text) and place.text in tags]


def check_chapters(episode: LoadedEpisode, chapters: list[Chapter]) -> list[Problem]:
    """YouTube shows chapters only when the first is at 0:00, there are 3+, ascending, each 10 s+."""
    if not chapters:
        return []
    problems = []
    if chapters[0].seconds != 0:
        problems.append(episode.problem("the first chapter must start at 0:00", "chapters", 0, "at"))
    if len(chapters) < CHAPTERS_MIN:
        problems.append(episode.problem(
            f"YouTube needs at least {CHAPTERS_MIN} chapters; there are {len(chapters)}", "chapters"
        ))
    for index in range(1, len(chapters)):
        gap = chapters[index].seconds - chapters[index - 1].seconds
        if gap <= 0:
            problems.append(episode.problem(
                f"{chapters[index].at} is not after the chapter before it ({chapters[index - 1].at})",
                "chapters", index, "at",
            ))
        elif gap < CHAPTER_MIN_SECONDS:
            problems.append(episode.problem(
                f"chapter {chapters[index - 1].at} lasts {gap} s; each chapter needs "
                f"at least {CHAPTER_MIN_SECONDS} s",
                "chapters", index - 1, "at",
            ))
    return problems
