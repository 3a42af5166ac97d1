"""Fingerprints of the inputs of what YouTube shows: title, description and tags.

The ledger keeps these next to the hashes of what was sent, so ``status`` can
say offline *why* a live description is stale: each key names an input a
person can fix ("reference kang2012", "disclaimer", "template
description.txt.j2" ...), each value is a short SHA-256 of a canonical form of
that input. Only inputs that reach YouTube count: the spoken script's template,
the upload settings and the release time do not change the description.
"""

from __future__ import annotations

import json
from typing import Any

from ..models.episode import InlineReference, TypedCitation
from ..models.layout import DEFAULT_LAYOUT
from ..models.ledger import sha256_text
from ..models.reference import MARKS
from ..pipeline.build import EpisodeBuild
from ..pipeline.render import TEMPLATE_NAMES, template_environment
from ..pipeline.resolve import ResolvedEpisode, cited_keys
from ..workspace import Workspace

DIGEST_CHARS = 16
CITATION_STYLE = "citation style"  # the input that names the channel's citation style
SHOWN_TEMPLATES = (TEMPLATE_NAMES["description"], TEMPLATE_NAMES["references"])
# episode fields that never reach the title, description or tags
_NOT_SHOWN = {"schedule", "extra", "upload", "review", "captions"}
_UNSET = {("typed", None), ("blank_line_after", False)}
# context names through which a template could show the spoken script
_SCRIPT_NAMES = ("sections", "words", "runtime")


def digest(value: Any) -> str:
    """Short SHA-256 of the canonical JSON form of ``value``."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return sha256_text(text)[:DIGEST_CHARS]


def input_fingerprints(ws: Workspace, build: EpisodeBuild) -> dict[str, str]:
    """Input name -> fingerprint, for every input of ``build``'s title, description and tags."""
    resolved = build.resolved
    assert resolved is not None, "fingerprints need a resolved episode"
    sources = template_sources(ws)
    values: dict[str, Any] = {"episode file": _episode_content(resolved, sources)}
    values.update(_library_references(ws, resolved))
    model = resolved.episode.model
    shown = DEFAULT_LAYOUT if model.layout is None else model.layout  # a bare name is the channel's text
    if model.disclaimer == "inherit" and "disclaimer" in shown:
        values["disclaimer"] = ws.channel.disclaimer
    if "schedule" in shown:
        values["schedule sentence"] = resolved.schedule_line
    values["channel tags"] = ws.channel.tags
    values[CITATION_STYLE] = _citation_style(ws, resolved)
    if ws.channel.reference_identifier != "doi-url":  # a default adds no key: older ledgers stay comparable
        values["reference identifier"] = ws.channel.reference_identifier
    if ws.channel.description_overflow != "error":
        values["description overflow"] = [ws.channel.description_overflow, ws.channel.full_references_url]
    if any("channel." in source for source in sources.values()):
        channel = ws.channel
        values["channel name"] = {"name": channel.name, "subscribe_url": str(channel.subscribe_url)}
    values.update({f"template {name}": source for name, source in sources.items()})
    values.update(_linked_episodes(ws, resolved))
    for language, localized in build.languages.items():  # the channel's text each other language shows
        if localized.resolved is not None:
            shown = localized.resolved
            values[f"channel text {language}"] = [shown.disclaimer, shown.schedule_line, dict(shown.headings)]
    return {name: digest(value) for name, value in values.items()}


def template_sources(ws: Workspace) -> dict[str, str]:
    """The source in effect (channel override, else packaged) of each template YouTube shows.

    Read once per workspace (see :meth:`Workspace.memo`), not once per episode.
    """
    return ws.memo("shown template sources", lambda: _read_sources(ws))


def _read_sources(ws: Workspace) -> dict[str, str]:
    env = template_environment(ws.templates_dir)
    assert env.loader is not None
    return {name: env.loader.get_source(env, name)[0] for name in SHOWN_TEMPLATES}


def _episode_content(resolved: ResolvedEpisode, sources: dict[str, str]) -> dict[str, Any]:
    """The episode's shown fields; of the script only the citation order, unless a template shows it."""
    loaded = resolved.episode
    content = loaded.model.model_dump(mode="json", exclude=_NOT_SHOWN)
    content["citations"] = [c["key"] if isinstance(c, dict) and "typed" in c else c for c in content["citations"]]
    for name in ("chapters", "videos"):  # fields at their defaults add nothing: older ledgers stay comparable
        content[name] = [{k: v for k, v in item.items() if (k, v) not in _UNSET} for item in content[name]]
    if content["layout"] is None:
        del content["layout"]
    if not any(name in source for source in sources.values() for name in _SCRIPT_NAMES):
        content["script"] = [key for key, _ in cited_keys(loaded)]
    return content


def _citation_style(ws: Workspace, resolved: ResolvedEpisode) -> Any:
    """The channel's citation style, and the references this episode shows as typed instead of in it:
    dropping a typed text (``refs restyle``) is a change of the citation style this episode shows."""
    typed = {c.key: [c.typed, c.blank_line_after] for c in resolved.episode.model.citations
             if isinstance(c, TypedCitation)}
    return {"style": ws.channel.citation_style, "typed": typed} if typed else ws.channel.citation_style


def _library_references(ws: Workspace, resolved: ResolvedEpisode) -> dict[str, Any]:
    """Each cited entry of ``references.yaml`` (inline entries are part of the episode file)."""
    model = resolved.episode.model
    inline = {e.id for e in model.citations if isinstance(e, InlineReference)}
    library = ws.library.root
    return {
        f"reference {key}": library[key].model_dump(mode="json", by_alias=True, exclude_none=True, exclude=set(MARKS))
        for key, _ in cited_keys(resolved.episode)
        if key not in inline and key in library
    }


def _linked_episodes(ws: Workspace, resolved: ResolvedEpisode) -> dict[str, Any]:
    """Each linked episode's video id (its link appears once uploaded) and, unless given, its title."""
    links: dict[str, Any] = {}
    for video in resolved.episode.model.videos:
        if not video.episode:
            continue
        shown_title = None if video.title else ws.title_of.get(video.episode)
        links[f"linked episode {video.episode}"] = {
            "video_id": ws.ledger.video_id(video.episode) or "none",
            "title": shown_title,
        }
    return links
