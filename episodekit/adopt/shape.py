"""Each imported description made into the episode that renders back to it (the round trip).

The episode is tried in three shapes, the first that renders back exactly is kept: the description's
layout with a citation ``typed`` only where the channel's style would write it otherwise; the same with
every citation as typed (APA's sorted order can differ from the typed one); the whole description kept
as one text, which renders back with the packaged template (its references are then cited, not shown).
When none does (a description template of the channel's own), the first is kept and the round trip
lists what differs. ``--restyle`` then
drops the typed citations, so the channel's style writes them. Last, the layout is left out when the
channel's order renders the same: a description typed as the channel renders needs none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..errors import InputError
from ..pipeline.layout import shown_references
from ..pipeline.render import RenderedEpisode, render_episode
from ..pipeline.resolve import ResolvedEpisode, resolve_episode, schedule_line
from ..workspace import Workspace
from . import episodefile
from .episodefile import Cite, Parts
from .planned import EpisodePlan
from .roundtrip import RoundTrip, compare, same_text


@dataclasses.dataclass
class _Tried:
    """One shape of the episode: its parts, its file's text, and what it renders (None: not valid)."""

    parts: Parts
    whole: bool = False
    text: str = ""
    resolved: ResolvedEpisode | None = None
    rendered: RenderedEpisode | None = None
    problem: str | None = None


def shape_episode(shadow: Workspace, plan: EpisodePlan, schedule: str | None, restyle: bool) -> None:
    """Fill in ``plan``'s episode text and round trip; an episode that would not be valid is skipped."""
    base = _parts(shadow, plan, schedule)
    tried: _Tried | None = None
    first: _Tried | None = None  # none renders back (a template of the channel's own): the first that renders
    for tried in _shapes(shadow, plan, base):
        first = first or (tried if tried.rendered is not None else None)
        if tried.rendered is not None and same_text(plan.source.description, tried.rendered.description):
            break
    else:
        tried = first or tried
    assert tried is not None
    if restyle and not tried.whole:
        tried = _render(shadow, plan, dataclasses.replace(tried.parts, citations=[
            Cite(cite.key) for cite in tried.parts.citations]))
    if tried.rendered is not None and tried.parts.layout and not tried.whole:
        plain = _render(shadow, plan, dataclasses.replace(tried.parts, layout=False))
        if plain.rendered is not None and plain.rendered.description == tried.rendered.description:
            tried = plain
    if tried.rendered is None or tried.resolved is None:
        plan.skipped = tried.problem
        return
    plan.text = tried.text
    plan.kept_typed = [cite.key for cite in tried.parts.citations if cite.typed is not None and not tried.whole]
    plan.round_trip = _round_trip(plan, tried)


def _shapes(shadow: Workspace, plan: EpisodePlan, base: Parts) -> Iterator[_Tried]:
    first = _render(shadow, plan, base)
    if first.resolved is not None:
        yield _render(shadow, plan, _typed_where_needed(first.resolved, base))
    yield first
    yield _render(shadow, plan, base, whole=True)


def _parts(shadow: Workspace, plan: EpisodePlan, schedule: str | None) -> Parts:
    source, parsed, channel = plan.source, plan.parsed, shadow.channel
    assert parsed is not None
    when = episodefile.local_time(source.published_at, channel.zone) if source.published_at else schedule
    own = parsed.disclaimer
    channel_tags = {tag.casefold() for tag in channel.tags}
    tags = list(dict.fromkeys(tag for tag in source.tags if tag.casefold() not in channel_tags))
    slug_of_video = {entry.video_id: slug for slug, entry in shadow.ledger.episodes.items() if entry.video_id}
    items = parsed.references
    citations = [Cite(cited.key or "", cited.typed, item.blank_line_after) for cited, item in zip(plan.citations, items)]
    return Parts(source.title, citations, own if own and own != channel.disclaimer else "inherit", when, tags,
                 slug_of_video, shadow.title_of, channel_schedule=schedule_line(channel))


def _typed_where_needed(resolved: ResolvedEpisode, parts: Parts) -> Parts:
    """``parts`` with the typed text of a citation left out where the channel's style writes the same."""
    styled = {entry.id: f"{entry.label} {entry.text}".strip() for entry in resolved.references.entries}
    return dataclasses.replace(parts, citations=[
        Cite(cite.key) if cite.typed == styled.get(cite.key) and not cite.blank_line_after else cite
        for cite in parts.citations])


def _render(shadow: Workspace, plan: EpisodePlan, parts: Parts, whole: bool = False) -> _Tried:
    """The episode of ``parts`` written out, read back and rendered (``whole``: the description as one text)."""
    assert plan.parsed is not None
    data = (episodefile.whole_data(plan.source.description, parts) if whole
            else episodefile.episode_data(plan.parsed, parts))
    tried = _Tried(parts, whole, episodefile.episode_text(data))
    try:
        loaded = episodefile.loaded_episode(plan.path, tried.text)
    except InputError as exc:
        tried.problem = "it would not be a valid episode: " + "; ".join(str(p) for p in exc.problems)
        return tried
    shadow._catalog[plan.slug] = loaded  # type: ignore[index]
    tried.resolved, problems = resolve_episode(shadow, loaded)
    if tried.resolved is None:
        tried.problem = "it would not render: " + "; ".join(str(p) for p in problems if p.is_error)
        return tried
    tried.rendered = render_episode(tried.resolved, shadow.templates_dir)
    return tried


def _round_trip(plan: EpisodePlan, tried: _Tried) -> RoundTrip:
    """The rendered episode against the description as imported."""
    assert plan.parsed is not None and tried.resolved is not None and tried.rendered is not None
    resolved = tried.resolved
    references = [f"{e.label} {e.text}".strip() for e in shown_references(resolved)]
    references += [e.text for e in resolved.references.entries]
    channel = (resolved.disclaimer or "", resolved.schedule_line)
    trip = compare(plan.source.description, tried.rendered.description, plan.parsed, references, channel)
    trip.kept_whole = tried.whole
    return trip
