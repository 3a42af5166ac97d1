"""``export --site``: each episode as a web post that static-site generators and blog importers read.

A post is ``DIR/<slug>.md`` (or ``.html``): YAML front matter between ``---`` lines (title, date in
RFC 3339 in the channel's zone, slug, tags, video id, description; ``draft: true`` without a release
time), then the embedded video, the summary, the chapters as timestamp links, the referenced videos
(another episode by the relative address of its post), the references with their DOI and PubMed
links, and the disclaimer. Every post is made from the pipeline's build before anything is written;
then the changed ones are written all together or not at all, and a post whose text is unchanged is
left as it is (its modification time too), so a site generator or a sync tool sees no change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..atomic import remove_own_temps, write_texts_atomic
from ..errors import Interrupted, OutputError
from ..models.episode import InlineReference, video_url
from ..models.reference import DOI_PREFIX, Reference
from ..paths import shown_path
from ..pipeline.build import EpisodeBuild, require_valid
from ..pipeline.captions import language_of
from ..pipeline.output import prepare_folders
from ..pipeline.render import render_template, tidy_text
from ..workspace import Workspace
from .site_format import TEMPLATE_NAMES, post_environment

EMBED_URL = "https://www.youtube-nocookie.com/embed/{}"  # YouTube's embed that sets no cookie until played
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{}/"


@dataclass(frozen=True)
class SiteExport:
    """What ``export --site`` did: the posts written and those already as they would be."""

    written: list[Path]
    unchanged: list[Path]


def export_site(ws: Workspace, builds: Sequence[EpisodeBuild], out_dir: Path, fmt: str = "md") -> SiteExport:
    """Write a post for each of ``builds`` into ``out_dir``; nothing at all when one is invalid or any
    post cannot be made or written. ``OutputError`` names what cannot be written."""
    builds = list(builds)
    require_valid(builds)
    pages = [(b, page) for b in builds for page in (b, *b.languages.values())]  # a post per language
    slugs = {page_slug(page) for _, page in pages}
    posts = {out_dir / post_name(page_slug(page), fmt): post_text(ws, page, fmt, slugs, translations(episode, fmt))
             for episode, page in pages}
    changed = {path: text for path, text in posts.items() if not _holds(path, text)}
    if not posts:  # a channel without episodes yet: no folder is made
        return SiteExport(written=[], unchanged=[])
    try:
        prepare_folders([list(posts)])
        write_texts_atomic(changed, durable=False)
    except KeyboardInterrupt:
        for path in changed:
            remove_own_temps(path)
        raise Interrupted("interrupted: no post was written", 0, len(builds)) from None
    except OSError as exc:
        where = shown_path(Path(exc.filename)) if exc.filename else shown_path(out_dir)
        raise OutputError(f"{where}: cannot write: {exc.strerror}; no post was written") from None
    return SiteExport(written=list(changed), unchanged=[p for p in posts if p not in changed])


def post_name(slug: str, fmt: str) -> str:
    """The file of an episode's post; links between posts use it as their relative address."""
    return f"{slug}.{fmt}"


def page_slug(build: EpisodeBuild) -> str:
    """The name of a post without its suffix: the slug, and the language of a localized episode
    (``what-causes-depression.pt-BR``)."""
    return f"{build.slug}.{build.language}" if build.language else build.slug


def translations(build: EpisodeBuild, fmt: str) -> dict[str, str]:
    """Language -> post of each language of an episode with localizations (empty without)."""
    if not build.languages:
        return {}
    pages = (build, *build.languages.values())
    return {language_of(page.resolved): post_name(page_slug(page), fmt) for page in pages if page.resolved}


def post_text(ws: Workspace, build: EpisodeBuild, fmt: str, exported: set[str],
              languages: dict[str, str] | None = None) -> str:
    """The post of one valid episode, from its template (``TemplateError`` at the template's line);
    ``languages``: the posts of the episode in each of its languages."""
    env = post_environment(ws.templates_dir, fmt)
    context = post_context(ws, build, fmt, exported)
    context["post"]["translations"] = languages or {}
    return tidy_text(render_template(env, TEMPLATE_NAMES[fmt], context))


def post_context(ws: Workspace, build: EpisodeBuild, fmt: str, exported: set[str]) -> dict[str, Any]:
    """What a post template is given: ``post`` (the episode as a post) and ``channel``."""
    resolved, rendered = build.resolved, build.rendered
    assert resolved is not None and rendered is not None
    model = resolved.episode.model
    video_id = ws.ledger.video_id(build.slug)
    when = release_time(ws, build)
    post = {
        "slug": build.slug,
        "title": rendered.title,
        "date": when.isoformat() if when else None,
        "release": f"{when:%A %d %B %Y, %H:%M %Z}" if when else None,
        "draft": when is None,
        "tags": rendered.tags,
        "description": model.summary[0],
        "video_id": video_id,
        "video_url": video_url(video_id) if video_id else None,
        "embed_url": EMBED_URL.format(video_id) if video_id else None,
        "summary": model.summary,
        "chapters": [
            {"at": c.at, "seconds": c.seconds, "title": c.title,
             "url": f"{video_url(video_id)}?t={c.seconds}" if video_id else None}
            for c in model.chapters
        ],
        "videos": _videos(build, fmt, exported),
        "references": _references(ws, build),
        "disclaimer": resolved.disclaimer,
        "format": fmt,
        "language": language_of(resolved),
        "headings": dict(resolved.headings),
    }
    channel = ws.channel
    return {"post": post, "channel": {"name": channel.name, "subscribe_url": str(channel.subscribe_url),
                                      "timezone": channel.timezone}}


def release_time(ws: Workspace, build: EpisodeBuild) -> datetime | None:
    """When the episode comes out (or came out), in the channel's zone; None for a draft."""
    if build.slot is not None:
        return build.slot.local
    entry = ws.ledger.episodes.get(build.slug)
    if entry is not None and entry.video_id and entry.uploaded_at is not None:  # made public at once
        return entry.uploaded_at.astimezone(ws.channel.zone)
    return None


def _videos(build: EpisodeBuild, fmt: str, exported: set[str]) -> list[dict[str, Any]]:
    """The referenced videos; one that is another episode links to its post (``url`` relative)."""
    assert build.resolved is not None
    listed = build.resolved.episode.model.videos  # a valid build resolved each of them, in order
    videos = []
    for wanted, link in zip(listed, build.resolved.videos, strict=True):
        localized = f"{wanted.episode}.{build.language}"  # the linked episode's post in this language, if any
        stem = localized if build.language and localized in exported else wanted.episode
        post = stem in exported
        url = post_name(stem, fmt) if post and stem else link.url
        videos.append({"title": link.title, "url": url, "episode": wanted.episode, "post": post})
    return videos


def _references(ws: Workspace, build: EpisodeBuild) -> list[dict[str, Any]]:
    """The formatted references, each with its DOI and its PubMed address when the entry has them."""
    assert build.resolved is not None
    written_here = {c.id: c for c in build.resolved.episode.model.citations if isinstance(c, InlineReference)}
    found = []
    for entry in build.resolved.references.entries:
        source: Reference | None = written_here.get(entry.id) or ws.library.root.get(entry.id)
        doi = DOI_PREFIX.sub("", source.DOI.strip()) if source and source.DOI else None
        pmid = str(source.PMID).strip() if source and source.PMID else None
        found.append({
            "id": entry.id, "label": entry.label, "text": entry.text,
            "doi": doi,  # the text links it already (pipeline.cite)
            "pmid": pmid, "pubmed_url": PUBMED_URL.format(pmid) if pmid else None,
        })
    return found


def _holds(path: Path, text: str) -> bool:
    """Whether ``path`` already holds exactly ``text`` (then it is not written again)."""
    try:
        return path.is_file() and not path.is_symlink() and path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def describe(export: SiteExport, out_dir: Path) -> str:
    """One line saying what was done, for the command."""
    posts = len(export.written) + len(export.unchanged)
    return (f"exported {posts} post(s) into {shown_path(out_dir)}: {len(export.written)} written, "
            f"{len(export.unchanged)} unchanged")
