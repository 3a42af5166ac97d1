"""Render: a resolved episode becomes its script, description and references block.

Templates are looked up in the channel's ``templates/`` first and in the
package's defaults second. ``StrictUndefined`` makes a missing value an error
instead of a blank in a published description. Templates run in Jinja's sandbox,
so they cannot reach Python's internals, and a channel template that is a link to
a file outside ``templates/`` is refused. Episode text is passed in as data; it
is never compiled as a template.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path

from ..errors import TemplateError
from ..files.yamlsource import not_utf8
from ..models.ledger import SentHashes, shown_text
from ..paths import shown_path
from .layout import description_layout, shown_references
from .limits import DESCRIPTION_MAX_BYTES, description_bytes, sent_description
from .resolve import CITATION_MARKER, ResolvedEpisode
from .sandbox import BoundedEnvironment, render_bounded

TEMPLATE_NAMES = {
    "script": "script.md.j2",
    "description": "description.txt.j2",
    "references": "references.txt.j2",
}
OUTPUT_FILES = {"script": "script.md", "description": "description.txt", "references": "references.txt"}
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_CUE = re.compile(r"\[\d+(?:[,–-]\s*\d+)*\]")
_PACKAGED = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class RenderedEpisode:
    """The three outputs of one episode, plus the figures ``check`` and ``preview`` report."""

    slug: str
    title: str
    description: str
    script: str
    references: str
    tags: list[str]
    words: int
    runtime_seconds: int
    references_kept: int | None = None  # how many references the description lists when it was cut to fit

    def part(self, name: str) -> str:
        """One output by name: ``script``, ``description`` or ``references``."""
        return {"script": self.script, "description": self.description, "references": self.references}[name]

    def as_sent(self) -> dict[str, Any]:
        """Title, description and tags as YouTube receives them: the description without its final newline."""
        return {"title": self.title, "description": sent_description(self.description), "tags": self.tags}

    def sent_hashes(self) -> SentHashes:
        """What the ledger records once these fields are sent."""
        return SentHashes.of(self.as_sent())


def template_environment(channel_templates: Path) -> jinja2.Environment:
    """Jinja2 set up for plain text, sandboxed, channel templates before packaged ones.

    Cached per set of override files, so adding or editing one is noticed.
    """
    overrides = tuple(
        sorted((p.name, _mtime(p)) for p in channel_templates.glob("*.j2"))
    ) if channel_templates.is_dir() else ()
    return _environment(channel_templates, overrides)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # a link that leads nowhere: the loader reports it when it is used
        return path.lstat().st_mtime_ns


class _ChannelLoader(jinja2.FileSystemLoader):
    """The channel's ``templates/`` folder; a template that is a link to a file outside it is refused."""

    def __init__(self, folder: Path):
        super().__init__(str(folder))
        self.folder = folder

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if path.is_symlink() or path.exists():
            shown = shown_path(path)
            if not path.exists():
                raise TemplateError(f"{shown}: is a link to {os.readlink(path)}, which does not exist")
            target = path.resolve()
            if not target.is_relative_to(self.folder.resolve()):
                raise TemplateError(
                    f"{shown}: is a link to {shown_path(target)}, outside templates/; templates are read only from "
                    "inside templates/, so copy the file there instead of linking to it"
                )
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            line, message = not_utf8(path.read_bytes(), exc)
            raise TemplateError(f"{shown_path(path)}:{line}: {message}") from None


@lru_cache(maxsize=8)
def _environment(channel_templates: Path, overrides: tuple[tuple[str, int], ...]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [_ChannelLoader(channel_templates), jinja2.PackageLoader("episodekit", "templates")]
    )
    return BoundedEnvironment(  # a template may not reach Python's internals (or the shell), nor compute too much
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_episode(resolved: ResolvedEpisode, channel_templates: Path) -> RenderedEpisode:
    """Render the script, description and references of a resolved episode with the channel's templates."""
    env = template_environment(channel_templates)
    model = resolved.episode.model
    words = count_words(" ".join(CITATION_MARKER.sub(" ", s.body) for s in model.script))  # cues are not spoken
    runtime = round(words * 60 / resolved.words_per_minute)
    context: dict[str, Any] = {
        "episode": {
            "slug": resolved.episode.slug,
            "title": model.title,
            "summary": model.summary,
            "sections": resolved.sections,
            "videos": resolved.videos,
            "chapters": model.chapters,
            "tags": resolved.tags,
        },
        "channel": {"name": resolved.channel.name, "subscribe_url": str(resolved.channel.subscribe_url)},
        "references": shown_references(resolved),
        "disclaimer": resolved.disclaimer,
        "schedule_line": resolved.schedule_line,
        "headings": dict(resolved.headings),
        "words": words,
        "runtime": format_duration(runtime),
        "words_per_minute": resolved.words_per_minute,
    }
    context["layout"] = description_layout(resolved, context["references"])
    context["references_block"] = _render(env, "references", context).rstrip("\n")
    context["full_references_url"] = None  # set when the description lists only the first references
    description, kept = _description_that_fits(env, context, resolved)
    return RenderedEpisode(
        slug=resolved.episode.slug,
        title=model.title,
        description=description,
        script=_render(env, "script", context),
        references=_render(env, "references", context),
        tags=resolved.tags,
        words=words,
        runtime_seconds=runtime,
        references_kept=kept,
    )


FULL_LIST_LINE = "Full reference list: {url}"


def _description_that_fits(
    env: jinja2.Environment, context: dict[str, Any], resolved: ResolvedEpisode
) -> tuple[str, int | None]:
    """The description, and ``None``; or, under ``description_overflow: truncate-references`` when it
    is over YouTube's limit, the one listing the most whole references that fit, then a line with the
    full list's address, and how many it lists (the one with none when even that is over)."""
    as_typed = resolved.episode.model.layout is not None
    description = _render(env, "description", context, as_typed)
    channel = resolved.channel
    if channel.description_overflow == "error" or description_bytes(description) <= DESCRIPTION_MAX_BYTES:
        return description, None
    url = channel.references_page(resolved.episode.slug)
    entries = context["references"]
    if not entries:
        return description, None
    for kept in range(len(entries) - 1, -1, -1):
        shorter = {**context, "references": entries[:kept], "full_references_url": url}
        block = _render(env, "references", shorter).rstrip("\n") if kept else ""
        shorter["references_block"] = "\n".join(filter(None, [block, FULL_LIST_LINE.format(url=url)]))
        description = _render(env, "description", shorter, as_typed)
        if description_bytes(description) <= DESCRIPTION_MAX_BYTES:
            break
    return description, kept


def count_words(text: str) -> int:
    """Spoken words: citation cues such as ``[4]`` do not count."""
    return len(_WORD.findall(_CUE.sub(" ", text)))


def format_duration(seconds: int) -> str:
    """Seconds as ``m:ss``, or ``h:mm:ss`` from an hour."""
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _render(env: jinja2.Environment, part: str, context: dict[str, Any], as_typed: bool = False) -> str:
    """One part, tidied; ``as_typed`` (an episode with a layout): blank lines kept as the layout has them."""
    text = render_template(env, TEMPLATE_NAMES[part], context)
    return shown_text(text) + "\n" if as_typed else tidy_text(text)


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Template ``name`` of ``env`` filled with ``context``, bounded; a template's mistake is a
    ``TemplateError`` at its file and line."""
    try:
        text = render_bounded(env.get_template(name), context)
    except jinja2.TemplateSyntaxError as exc:
        where = _shown_template(exc.filename) if exc.filename else _template_file(env, name)
        raise TemplateError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except Exception as exc:  # noqa: BLE001 - every failure of a template's own making, at its line
        message = _template_failure(exc)
        if message is None:
            raise
        raise TemplateError(f"{_template_position(exc, env, name)}: {message}") from None
    return text


def _template_failure(exc: Exception) -> str | None:
    """What went wrong in a template, as its message says it; None for what a template cannot cause."""
    if isinstance(exc, jinja2.TemplateNotFound):
        return (f"{exc.name} is not a template in templates/ or the package; a template can include only "
                "other templates, by their name in templates/")
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {exc}"
    if isinstance(exc, jinja2.UndefinedError | jinja2.TemplateRuntimeError):
        return str(exc.message)
    if isinstance(exc, RecursionError):
        return "the template includes itself (or calls itself) without end"
    if isinstance(exc, MemoryError):
        return "the template asks for more memory than there is; make it compute less"
    if isinstance(exc, OverflowError):
        return f"a number in the template is too large ({exc.args[-1] if exc.args else 'overflow'})"
    if isinstance(exc, ArithmeticError | LookupError | TypeError | ValueError | AttributeError):
        return str(exc)
    return None


def _template_position(exc: BaseException, env: jinja2.Environment, name: str) -> str:
    """``file:line`` of the template line that failed (Jinja rewrites tracebacks to templates); the
    template's first line when no line is known."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{_shown_template(frame.filename)}:{frame.lineno}"
    return f"{_template_file(env, name)}:{getattr(exc, 'lineno', None) or 1}"


def _template_file(env: jinja2.Environment, name: str) -> str:
    """The file of template ``name`` as messages show it."""
    try:
        _, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - only for a message: the name is the best left
        return name
    return _shown_template(filename) if filename else name


def _shown_template(filename: str) -> str:
    """A channel template as the user would type its path; a packaged one by its place in the package."""
    path = Path(filename)
    if path.parent == _PACKAGED:
        return f"episodekit/templates/{path.name}"
    return shown_path(path)


def tidy_text(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, exactly one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip("\n") + "\n"
