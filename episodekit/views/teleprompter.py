"""``preview --teleprompter``: the script as one HTML page to read from on camera.

Large type on black, the citation cues small, stage directions marked (they are not read out), a
mirror toggle (a CSS checkbox, for a beam-splitter glass) and a reading line. The page's one script,
``templates/teleprompter.js``, scrolls it at the episode's speaking rate, shows the current section
and its time left, and takes the keyboard (space, arrows, page keys, + and −, M). The
Content-Security-Policy allows that script by its SHA-256 hash and nothing else: no other script, no
request. Without scripts the page still reads top to bottom and mirrors.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..paths import BUILD_DIR
from ..pipeline.build import EpisodeBuild
from ..pipeline.build import in_language as in_language_build
from ..pipeline.output import in_language, write_page
from ..pipeline.render import count_words, format_duration, render_template, template_environment
from ..pipeline.spoken import spoken_text
from ..workspace import Workspace
from .watchpage import html_environment

TEMPLATE = "teleprompter.html.j2"
SCRIPT = Path(__file__).resolve().parent.parent / "templates" / "teleprompter.js"
PAGE_NAME = "teleprompter.html"
_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_CUE = re.compile(r"\[\d+(?:[,–-]\s*\d+)*\]")


@dataclass(frozen=True)
class Piece:
    kind: str  # "text", "cite" or "direction"
    text: str


def default_page_path(ws: Workspace, slug: str) -> Path:
    """Where ``preview --teleprompter`` writes the page unless told: beside the episode's rendered files."""
    return ws.root / BUILD_DIR / slug / PAGE_NAME


def write_teleprompter(ws: Workspace, build: EpisodeBuild, target: Path | None = None,
                       language: str | None = None) -> Path:
    """Write the teleprompter page of ``build`` (in ``language``, one of its localizations, when given) to
    ``target`` (default ``build/<slug>/teleprompter.html``, ``teleprompter.<lang>.html`` in another language)."""
    build = in_language_build(build, language)
    html = render_template(html_environment(template_environment(ws.templates_dir)), TEMPLATE,
                           {"page": page_context(build)})
    name = in_language(PAGE_NAME, build.language) if build.language else PAGE_NAME
    return write_page(target or default_page_path(ws, build.slug).with_name(name), html)


def page_context(build: EpisodeBuild) -> dict[str, Any]:
    """What the teleprompter page shows: the sections with their reading times, and the script that scrolls them."""
    resolved = build.resolved
    assert resolved is not None
    wpm = resolved.words_per_minute
    sections = []
    for shown, written in zip(resolved.sections, resolved.episode.model.script):
        seconds = count_words(spoken_text(written.body)) * 60 / wpm
        sections.append({"heading": shown.heading, "pieces": pieces(shown.body), "seconds": f"{seconds:.2f}",
                         "length": format_duration(round(seconds))})
    script, digest = packaged_script()
    model = resolved.episode.model
    words = sum(count_words(spoken_text(s.body)) for s in model.script)
    return {
        "title": resolved.title,
        "language": model.upload.language or resolved.channel.upload.language or "en",
        "words_per_minute": wpm,
        "words": words,
        "runtime": format_duration(round(words * 60 / wpm)),
        "sections": sections,
        "script": script,
        "script_hash": digest,
    }


def pieces(body: str) -> list[Piece]:
    """A body (its markers already numbered cues) as text, citation cues and stage directions."""
    found: list[Piece] = []
    at = 0
    for match in _BRACKETED.finditer(body):
        if match.start() > at:
            found.append(Piece("text", body[at:match.start()]))
        kind = "cite" if _CUE.fullmatch(match.group()) else "direction"
        found.append(Piece(kind, match.group() if kind == "cite" else match.group()[1:-1].strip()))
        at = match.end()
    if at < len(body):
        found.append(Piece("text", body[at:]))
    return found


@lru_cache(maxsize=1)
def packaged_script() -> tuple[Markup, str]:
    """The page's script, as the page holds it, and its CSP hash source (``sha256-…``)."""
    text = SCRIPT.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"sha256-{digest}"
