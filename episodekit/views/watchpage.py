"""``preview --html``: one episode as a YouTube watch page, in one self-contained HTML file.

The page is made from what ``preview`` prints: the rendered title, description and tags (so a
channel's own ``description.txt.j2`` shows as it will be published), with the description cut
and linked the way the watch page shows it (``watchtext``), the chapters with their lengths, and
the counts and warnings of ``check``. It is filled into ``watch.html.j2``, which a channel may
override in its ``templates/`` like the text templates; it runs in the same sandbox, with
autoescape on, so an episode's text is always text in the page, never markup. The page loads
nothing and runs no script (its Content-Security-Policy forbids both); "…more" is a CSS toggle.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ..models import Chapter
from ..paths import BUILD_DIR
from ..pipeline import schedule
from ..pipeline.build import EpisodeBuild
from ..pipeline.build import in_language as in_language_build
from ..pipeline.captions import CaptionTrack, caption_track, clock, language_of
from ..pipeline.limits import limit_counts, sent_description
from ..pipeline.output import in_language, write_page
from ..pipeline.render import format_duration, render_template, template_environment
from ..workspace import Workspace
from .watchtext import FOLD_CHARS, FOLD_LINES, SNIPPET_CHARS, description_pieces, fold_at, snippet_of, timestamp_href

TEMPLATE = "watch.html.j2"
PAGE_NAME = "watch.html"


@dataclass(frozen=True)
class ChapterRow:
    at: str
    title: str
    href: str | None
    length: str | None  # None for the last chapter: it lasts to the end of the video, not known here


@dataclass(frozen=True)
class CueRow:
    at: str
    href: str | None
    lines: tuple[str, ...]


def default_page_path(ws: Workspace, slug: str) -> Path:
    """Where ``preview --html`` writes the page unless told: beside the episode's rendered files."""
    return ws.root / BUILD_DIR / slug / PAGE_NAME


def watch_page(ws: Workspace, build: EpisodeBuild, languages: list[dict[str, Any]] | None = None) -> str:
    """The HTML page of ``build`` (an episode that was rendered), with all of its problems shown;
    ``languages``: the links to its pages in the episode's other languages."""
    assert build.rendered is not None and build.loaded is not None
    return render_template(html_environment(template_environment(ws.templates_dir)), TEMPLATE,
                           {"page": {**page_context(ws, build), "languages": languages or []}})


def write_watch_page(ws: Workspace, build: EpisodeBuild, target: Path | None = None,
                     language: str | None = None) -> Path:
    """Write the page of ``build`` to ``target`` (default: ``build/<slug>/watch.html``) atomically, and one
    page for each of its other languages beside it (``watch.pt-BR.html``), each linking to the others;
    the path of the page in ``language`` (default: the episode's own) is returned."""
    target = target or default_page_path(ws, build.slug)
    pages = {None: build, **build.languages}
    paths = {name: target.with_name(in_language(target.name, name)) if name else target for name in pages}
    chosen = in_language_build(build, language)
    for name, page in pages.items():
        links = [{"code": language_of(other.resolved), "href": paths[key].name, "current": key == name}
                 for key, other in pages.items() if other.resolved is not None]
        write_page(paths[name], watch_page(ws, page, links if len(links) > 1 else []))
    return paths[chosen.language]


def page_context(ws: Workspace, build: EpisodeBuild) -> dict[str, Any]:
    """What the template is given: every text as data, every number already counted."""
    rendered, loaded = build.rendered, build.loaded
    assert rendered is not None and loaded is not None
    video_id = ws.ledger.video_id(build.slug)
    description = sent_description(rendered.description)
    fold = fold_at(description)
    pieces = description_pieces(description, video_id)
    assert build.resolved is not None
    track = caption_track(build.resolved)
    return {
        "title": rendered.title,
        "slug": build.slug,
        "channel": ws.channel.name,
        "language": language_of(build.resolved),
        "video_id": video_id,
        "release": _release(build.slot),
        "runtime": format_duration(rendered.runtime_seconds),
        "words": rendered.words,
        "hashtags": [p for p in pieces if p.kind == "hashtag"][:3],  # YouTube shows three above the title
        "collapsed": description_pieces(description, video_id, fold) if fold < len(description) else None,
        "description": pieces,
        "snippet": snippet_of(description),
        "chapters": chapter_rows(loaded.model.chapters, video_id),
        "tags": rendered.tags,
        "counts": limit_counts(rendered.title, rendered.description, rendered.tags),
        "problems": [{"severity": p.severity, "text": str(p)} for p in build.problems],
        "fold": {"lines": FOLD_LINES, "chars": FOLD_CHARS},
        "snippet_chars": SNIPPET_CHARS,
        "cues": [CueRow(clock(c.start_ms / 1000), timestamp_href(c.start_ms // 1000, video_id), c.lines)
                 for c in track.cues],
        "video": _video(ws, build, track),
    }


def _video(ws: Workspace, build: EpisodeBuild, track: CaptionTrack) -> dict[str, str] | None:
    """The episode's own video file and its caption track (WebVTT in a data: address) for the page's
    player, when ``upload.video`` names a file that is there; None otherwise."""
    import base64

    assert build.loaded is not None
    name = build.loaded.model.upload.video
    path = ws.root / name if name else None
    if path is None or not path.is_file():
        return None
    vtt = base64.b64encode(track.as_format("vtt").encode("utf-8")).decode("ascii")
    return {"src": path.resolve().as_uri(), "track": f"data:text/vtt;base64,{vtt}", "language": track.language or "en"}


def chapter_rows(chapters: list[Chapter], video_id: str | None) -> list[ChapterRow]:
    """Each chapter with its link and how long it lasts (until the next one starts)."""
    rows = []
    for index, chapter in enumerate(chapters):
        after = chapters[index + 1].seconds if index + 1 < len(chapters) else None
        length = format_duration(after - chapter.seconds) if after is not None else None
        rows.append(ChapterRow(chapter.at, chapter.title, timestamp_href(chapter.seconds, video_id), length))
    return rows


def _release(slot: schedule.ResolvedSlot | None) -> str | None:
    return f"{slot.local:%a %d %b %Y, %H:%M %Z}" if slot is not None else None


@lru_cache(maxsize=8)
def html_environment(text_environment: jinja2.Environment) -> jinja2.Environment:
    """The text templates' environment (the same loader and sandbox), escaping every value for HTML."""
    return text_environment.overlay(autoescape=True, cache_size=50)

