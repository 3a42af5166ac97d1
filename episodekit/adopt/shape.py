"""Each imported description made into the episode that renders back to it (the round trip).

The episode is tried in three shapes, the first that renders back exactly is kept: the description's
layout with a citation ``typed`` only where the channel's style would write it otherwise; the same with
every citation as typed (APA's sorted order can differ from the typed one); the whole description kept
as one text, which renders back with the packaged template (its references are then cited, not shown).
When none does (a description template of the channel's own), the first is kept and the round trip
lists what differs. ``--restyle`` then
drops the typed citations, so the channel's style writes them. Last, the layout is left out when the
channel's order renders the same: a description typed as the channel renders needs none.

Only a shape ``check`` accepts is kept (``doubtful``): when neither structured shape would pass and the
errors are in the chapters or the referenced videos, those blocks become text where they were typed, the
episode gets ``review:``, and the shapes are tried again; an episode no shape makes acceptable is not
imported (``EpisodePlan.failed``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, MutableMapping
from typing import Any

from ..errors import InputError, Problem
from ..files.load import LoadedEpisode
from ..pipeline.build import limit_problems
from ..pipeline.layout import shown_references
from ..pipeline.render import RenderedEpisode, render_episode
from ..pipeline.resolve import ResolvedEpisode, resolve_episode, schedule_line
from ..workspace import Workspace
from . import doubtful, episodefile
from .episodefile import Cite, Parts
from .localized import localized_renders, with_localizations
from .planned import EpisodePlan
from .restyle import suspected
from .roundtrip import RoundTrip, compare, same_text

Episodes = MutableMapping[str, "LoadedEpisode | InputError"]  # the catalogue an import's shadow view reads


@dataclasses.dataclass
class _Tried:
    """One shape of the episode: its parts, its file's text, and what it renders (None: not valid)."""

    parts: Parts
    whole: bool = False
    text: str = ""
    resolved: ResolvedEpisode | None = None
    rendered: RenderedEpisode | None = None
    problems: list[Problem] = dataclasses.field(default_factory=list)  # what check would say of it
    data: dict[str, Any] = dataclasses.field(default_factory=dict)  # the episode file's fields

    @property
    def accepted(self) -> bool:
        """It renders, and check finds no error in it (warnings are fine)."""
        return self.rendered is not None and not any(problem.is_error for problem in self.problems)


def shape_episode(shadow: Workspace, episodes: Episodes, plan: EpisodePlan, schedule: str | None, restyle: bool) -> None:
    """Fill in ``plan``'s episode text and round trip; or, when check would refuse it, why it is not imported.

    ``episodes`` is the catalogue the ``shadow`` view reads: each shape tried is put in it, and an episode that
    is not imported is taken out."""
    tried = _chosen(shadow, episodes, plan, schedule)
    if restyle and not tried.whole:  # a suspected misattribution stays as typed until its record is taken
        tried = _render(shadow, episodes, plan, dataclasses.replace(tried.parts, citations=[
            cite if suspected(shadow, cite.key) else Cite(cite.key) for cite in tried.parts.citations]))
    if tried.accepted and tried.parts.layout and not tried.whole:
        plain = _render(shadow, episodes, plan, dataclasses.replace(tried.parts, layout=False))
        if plain.accepted and _description(plain) == _description(tried):
            tried = plain
    if not tried.accepted:
        plan.failed, plan.round_trip = doubtful.not_imported(plan.source.origin or plan.slug, tried.problems), None
        episodes.pop(plan.slug, None)
        return
    data, plan.typed_languages = with_localizations(
        shadow, tried.data, plan.source.localizations, lambda wanted: localized_renders(shadow, episodes, plan.path, wanted),
        plan.source.language)
    plan.text = tried.text if data is tried.data else episodefile.episode_text(data)
    plan.kept_typed = [cite.key for cite in tried.parts.citations if cite.typed is not None and not tried.whole]
    plan.round_trip = _round_trip(plan, tried)


def _chosen(shadow: Workspace, episodes: Episodes, plan: EpisodePlan, schedule: str | None) -> _Tried:
    """The first shape check accepts that renders back exactly; else the first check accepts; else the one
    whose errors say why the episode is not imported. The blocks that make both structured shapes fail are
    kept as text first (``doubtful``), and the description kept whole comes after them."""
    assert plan.parsed is not None
    for _ in range(len(doubtful.KEPT_AS_TEXT) + 1):
        base = _parts(shadow, plan, schedule)
        structured = list(_shapes(shadow, episodes, plan, base))
        exact = next((tried for tried in structured if tried.accepted and _exact(plan, tried)), None)
        if exact is not None:
            return exact
        problems = [problem for tried in structured for problem in tried.problems]
        blocks = [] if any(tried.accepted for tried in structured) else doubtful.failing_blocks(problems, plan.parsed)
        if not blocks:
            break
        plan.reviews += [doubtful.keep_as_text(plan.parsed, kind, problems) for kind in blocks]
    tried = [*structured, _render(shadow, episodes, plan, base, whole=True)]
    return (next((t for t in tried if t.accepted and _exact(plan, t)), None)
            or next((t for t in tried if t.accepted), None) or structured[-1])


def _description(tried: _Tried) -> str | None:
    return tried.rendered.description if tried.rendered is not None else None


def _exact(plan: EpisodePlan, tried: _Tried) -> bool:
    return tried.rendered is not None and same_text(plan.source.description, tried.rendered.description)


def _shapes(shadow: Workspace, episodes: Episodes, plan: EpisodePlan, base: Parts) -> Iterator[_Tried]:
    """The structured shapes: typed only where the channel's style differs, then every citation typed."""
    first = _render(shadow, episodes, plan, base)
    if first.resolved is not None:
        yield _render(shadow, episodes, plan, _typed_where_needed(first.resolved, base))
    yield first


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
                 slug_of_video, shadow.title_of, channel_schedule=schedule_line(channel),
                 review="; ".join(plan.reviews) or None)


def _typed_where_needed(resolved: ResolvedEpisode, parts: Parts) -> Parts:
    """``parts`` with the typed text of a citation left out where the channel's style writes the same."""
    styled = {entry.id: f"{entry.label} {entry.text}".strip() for entry in resolved.references.entries}
    return dataclasses.replace(parts, citations=[
        Cite(cite.key) if cite.typed == styled.get(cite.key) and not cite.blank_line_after else cite
        for cite in parts.citations])


def _render(shadow: Workspace, episodes: Episodes, plan: EpisodePlan, parts: Parts, whole: bool = False) -> _Tried:
    """The episode of ``parts`` written out, read back, rendered and checked (``whole``: the description as
    one text)."""
    assert plan.parsed is not None
    data = (episodefile.whole_data(plan.source.description, parts) if whole
            else episodefile.episode_data(plan.parsed, parts))
    tried = _Tried(parts, whole, episodefile.episode_text(data), data=data)
    try:
        loaded = episodefile.loaded_episode(plan.path, tried.text)
    except InputError as exc:
        tried.problems = list(exc.problems)
        return tried
    episodes[plan.slug] = loaded
    tried.resolved, problems = resolve_episode(shadow, loaded)
    tried.problems = list(problems)
    if tried.resolved is None:
        return tried
    tried.rendered = render_episode(tried.resolved, shadow.templates_dir)
    tried.problems += limit_problems(shadow, tried.resolved, tried.rendered)
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
