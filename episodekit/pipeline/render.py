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
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateError
from ..ledger import SentHashes
from .limits import sent_description
from .load import shown_path
from .resolve import CITATION_MARKER, ResolvedEpisode

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

    def part(self, name: str) -> str:
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
        return super().get_source(environment, template)


@lru_cache(maxsize=8)
def _environment(channel_templates: Path, overrides: tuple[tuple[str, int], ...]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [_ChannelLoader(channel_templates), jinja2.PackageLoader("episodekit", "templates")]
    )
    return SandboxedEnvironment(  # a template may not reach Python's internals (or the shell)
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_episode(resolved: ResolvedEpisode, channel_templates: Path) -> RenderedEpisode:
    env = template_environment(channel_templates)
    model = resolved.episode.model
    words = count_words(" ".join(CITATION_MARKER.sub(" ", s.body) for s in model.script))  # cues are not spoken
    runtime = round(words * 60 / resolved.channel.words_per_minute)
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
        "references": resolved.references.entries,
        "disclaimer": resolved.disclaimer,
        "schedule_line": resolved.schedule_line,
        "words": words,
        "runtime": format_duration(runtime),
        "words_per_minute": resolved.channel.words_per_minute,
    }
    context["references_block"] = _render(env, "references", context).rstrip("\n")
    return RenderedEpisode(
        slug=resolved.episode.slug,
        title=model.title,
        description=_render(env, "description", context),
        script=_render(env, "script", context),
        references=_render(env, "references", context),
        tags=resolved.tags,
        words=words,
        runtime_seconds=runtime,
    )


def count_words(text: str) -> int:
    """Spoken words: citation cues such as ``[4]`` do not count."""
    return len(_WORD.findall(_CUE.sub(" ", text)))


def format_duration(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _render(env: jinja2.Environment, part: str, context: dict[str, Any]) -> str:
    name = TEMPLATE_NAMES[part]
    try:
        text = env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = _shown_template(exc.filename) if exc.filename else name
        raise TemplateError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name} not found in templates/ or the package") from None
    except SecurityError as exc:
        raise TemplateError(f"{_template_position(exc, name)}: not allowed in a template: {exc}") from None
    except (jinja2.UndefinedError, jinja2.TemplateRuntimeError) as exc:
        raise TemplateError(f"{_template_position(exc, name)}: {exc.message}") from None
    except RecursionError as exc:
        raise TemplateError(
            f"{_template_position(exc, name)}: the template includes itself (or calls itself) without end"
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        raise TemplateError(f"{_template_position(exc, name)}: {exc}") from None
    return tidy_text(text)


def _template_position(exc: BaseException, name: str) -> str:
    """``file:line`` of the template line that failed (Jinja rewrites tracebacks to templates)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{_shown_template(frame.filename)}:{frame.lineno}"
    return name


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
