"""Localize: an episode's ``localizations`` become the same episode in each other language.

A localized episode is the episode with its title, summary, chapter titles, script and disclaimer
replaced by the language's own (:class:`LocalizedEpisode`: a problem in one of them is reported at its
line under ``localizations``), and everything else as it is: the chapter times, the tags, the links of
the referenced videos and the references, whose numbers and text are the default language's (a
paper's title is not translated). A linked episode shows its own title in this language when it has
one. The disclaimer, the schedule sentence and the headings are the channel's in that language
(``channel.yaml`` ``languages:``); one the channel lacks is the default language's, with a warning.
The schedule sentence's ``{slots}`` is said in the language (``slotwords``).

A localized description is in the channel's shape, not the episode's ``layout``: the layout, and the
lines typed for chapters and videos, are how the episode's own description was typed, in its language
(a typed heading, a ``text:`` item, its own schedule sentence). So the blocks come in the channel's
order with this language's headings, and each chapter and video line in the channel's form; the
references are shown as in the episode (a typed citation stays as typed). A localization of another
shape is typed whole (``description:``), as ``import`` keeps one.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, replace

from ..errors import Problem
from ..models import Channel, Episode
from ..models.channel import DEFAULT_HEADINGS
from ..paths import CHANNEL_FILE
from ..models.episode import Localization
from ..models.reference import KEY
from ..workspace import Workspace
from . import slotwords
from ..files.load import LoadedEpisode, field_name
from .resolve import CITATION_MARKER, ResolvedEpisode, Section, VideoLink, cited_keys, marker_problems, replace_markers

_KEY = re.compile(rf"@({KEY})")
_REPLACED = ("title", "summary")  # fields a localization always gives
# a chapter or video line in the channel's form: what the episode's own description typed is in its language
_CHANNEL_FORM = {"typed": None, "blank_line_after": False}


@dataclass(frozen=True)
class LocalizedEpisode(LoadedEpisode):
    """An episode file read in one of its other languages: ``model`` holds that language's text."""

    language: str = ""
    source: Episode | None = None  # the episode as written (its default language)

    @property
    def localization(self) -> Localization:
        """This language's entry of the episode's ``localizations``."""
        assert self.source is not None
        return self.source.localizations[self.language]

    def located(self, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
        """Where a field of this language is written: under ``localizations``, or the default language's own."""
        own = self.localization
        here: tuple[str | int, ...] = ("localizations", self.language)
        if not loc:
            return loc
        if own.description is not None and loc[0] in ("summary", "disclaimer"):  # typed whole: it is all there
            return (*here, "description")
        if loc[0] in _REPLACED or (loc[0] == "script" and own.script is not None) \
                or (loc[0] == "disclaimer" and own.disclaimer is not None):
            return here + tuple(loc)
        if loc[0] == "chapters" and len(loc) == 3 and loc[2] == "title" and own.chapters is not None:
            return (*here, "chapters", loc[1])
        return tuple(loc)


@dataclass(frozen=True)
class LanguageText:
    """The channel's text in one language, each piece its own or (``fallbacks``) the default language's."""

    disclaimer: str | None
    schedule_line: str
    headings: dict[str, str]
    fallbacks: tuple[str, ...] = ()  # what the channel lacks in this language: disclaimer, headings.chapters ...
    problems: list[Problem] = field(default_factory=list)  # located in channel.yaml


def default_language(channel: Channel, episode: Episode) -> str:
    """The language of an episode's own text: its ``upload.language``, else the channel's."""
    return episode.upload.language or channel.upload.language


def localize(ws: Workspace, default: ResolvedEpisode, language: str) -> tuple[ResolvedEpisode | None, list[Problem]]:
    """The episode of ``default`` in ``language`` (one of its localizations), and the problems found; None
    instead of the episode when it cannot be made."""
    loaded = default.episode
    own = loaded.model.localizations[language]
    at = ("localizations", language)
    problems = _key_problems(ws, loaded, language)
    if own.chapters is not None and len(own.chapters) != len(loaded.model.chapters):
        problems.append(loaded.problem(
            f"has {len(own.chapters)} title(s) for the episode's {len(loaded.model.chapters)} chapter(s); give one "
            "title per chapter, in order (the times are the episode's)", *at, "chapters"))
    if _key_problems(ws, loaded, language):
        return None, problems
    text = language_text(ws, language)
    localized = LocalizedEpisode(loaded.slug, loaded.path, loaded.shown, loaded.doc,
                                 _model(loaded.model, language, own, text, ws.channel), language, loaded.model)
    problems += [*_fallback_warnings(loaded, language, default, text), *text.problems]
    script = _script_problems(default, localized)
    problems += script
    if any(p.is_error for p in script):  # a key without a number in the episode: no cue to show
        return None, problems
    sections = [Section(s.heading, replace_markers(s.body, default.references)) for s in localized.model.script]
    return replace(default, episode=localized, sections=sections, videos=_videos(ws, default, language),
                   disclaimer=_disclaimer(ws.channel, localized.model, text),
                   schedule_line=text.schedule_line, headings=text.headings), problems


def _model(model: Episode, language: str, own: Localization, text: LanguageText, channel: Channel) -> Episode:
    titles = [*(own.chapters or ()), *(c.title for c in model.chapters[len(own.chapters or ()):])]
    chapters = [chapter.model_copy(update={"title": title, **_CHANNEL_FORM})  # a short list: an error
                for chapter, title in zip(model.chapters, titles)]
    return model.model_copy(update={
        "title": own.title, "summary": own.summary or [own.description], "chapters": chapters, "layout": None,
        "script": model.script if own.script is None else own.script,
        "disclaimer": own.disclaimer or model.disclaimer,
        "upload": model.upload.model_copy(update={"language": language}), "localizations": {},
    })


def _key_problems(ws: Workspace, loaded: LoadedEpisode, language: str) -> list[Problem]:
    default = default_language(ws.channel, loaded.model)
    if language != default:
        return []
    return [loaded.problem(
        f"{language} is this episode's own language (its upload.language, else the channel's), so its text is "
        "the episode's title and summary; give localizations only for other languages", "localizations", language)]


def _script_problems(default: ResolvedEpisode, localized: LocalizedEpisode) -> list[Problem]:
    """A localized script may cite only what the episode cites (the numbers are the episode's)."""
    cited = {key for key, _ in cited_keys(default.episode)}
    problems = marker_problems(localized, cited)
    for index, section in enumerate(localized.model.script):
        for marker in CITATION_MARKER.finditer(section.body):
            for key in _KEY.findall(marker.group(1)):
                if key not in cited:
                    problems.append(localized.problem(
                        f"cites {key!r}, which the episode does not cite; the references are the episode's in every "
                        "language, so cite it in the episode too (or remove the marker)", "script", index, "body"))
    return [p for p in problems if p.field.startswith("localizations")]


def _videos(ws: Workspace, default: ResolvedEpisode, language: str) -> list[VideoLink]:
    """The referenced videos in the channel's form (a line typed in the episode's description is in its
    language); a linked episode of the channel by its title in ``language`` when it has one."""
    links = []
    for video, link in zip(default.episode.model.videos, default.videos):
        linked = ws.catalog.get(video.episode or "")
        own = linked.model.localizations.get(language) if isinstance(linked, LoadedEpisode) else None
        links.append(VideoLink(own.title if own is not None and not video.title else link.title, link.url))
    return links


def _disclaimer(channel: Channel, model: Episode, text: LanguageText) -> str | None:
    choice = model.disclaimer
    if choice == "none":
        return None
    return text.disclaimer if choice == "inherit" else choice


def language_text(ws: Workspace, language: str) -> LanguageText:
    """The channel's disclaimer, schedule sentence and headings in ``language``, worked out once a run."""
    return ws.memo(f"language text {language}", lambda: _language_text(ws, language))


def _language_text(ws: Workspace, language: str) -> LanguageText:
    channel = ws.channel
    own = channel.languages.get(language)
    fallbacks: list[str] = []
    problems: list[Problem] = []
    disclaimer = channel.disclaimer
    if own is not None and own.disclaimer is not None:
        disclaimer = own.disclaimer or None
    elif channel.disclaimer:
        fallbacks.append("disclaimer")
    line = _schedule_line(ws, language, problems) if own is not None and own.schedule_line else None
    if line is None:
        fallbacks.append("schedule_line")
        line = _filled(channel, channel.schedule_line, slotwords.describe_slots_in("en", channel.weekly_slots))
    headings = dict(channel.default_headings)
    for name in DEFAULT_HEADINGS:
        given = getattr(own.headings, name) if own is not None else None
        headings[name] = given or headings[name]
        if not given:
            fallbacks.append(f"headings.{name}")
    return LanguageText(disclaimer, line, headings, tuple(fallbacks), problems)


def _schedule_line(ws: Workspace, language: str, problems: list[Problem]) -> str | None:
    channel = ws.channel
    line = channel.languages[language].schedule_line or ""
    uses_slots = any(name == "slots" for _, name, _, _ in string.Formatter().parse(line))
    if uses_slots and not slotwords.has_slot_words(language):
        loc = ("languages", language, "schedule_line")
        doc = ws.channel_doc
        problems.append(Problem(
            doc.path if doc is not None else CHANNEL_FILE, doc.line_of(loc) if doc is not None else None,
            field_name(loc), f"episodekit cannot say the release slots in {language} (it can in "
            f"{', '.join(slotwords.KNOWN)}); write the days and times into this sentence instead of {{slots}}"))
        return None
    slots = slotwords.describe_slots_in(language, channel.weekly_slots) if uses_slots else ""
    return _filled(channel, line, slots)


def _filled(channel: Channel, line: str, slots: str) -> str:
    return line.format(slots=slots, subscribe_url=str(channel.subscribe_url), channel=channel.name)


def _fallback_warnings(loaded: LoadedEpisode, language: str, default: ResolvedEpisode,
                       text: LanguageText) -> list[Problem]:
    """One warning listing what this episode's ``language`` description shows in the default language."""
    model = loaded.model
    own = model.localizations[language]
    shown = {"disclaimer": model.disclaimer == "inherit" and (own.disclaimer or "inherit") == "inherit",
             "schedule_line": True, "headings.chapters": bool(model.chapters),
             "headings.videos": bool(model.videos), "headings.references": bool(default.references.entries)}
    missing = [name for name in text.fallbacks if shown.get(name)] if own.description is None else []
    if own.disclaimer is None and own.description is None and model.disclaimer not in ("inherit", "none"):
        missing.insert(0, "disclaimer (the episode's own)")
    if not missing:
        return []
    return [loaded.problem(
        f"the {language} description shows {', '.join(missing)} in {default_language(default.channel, model)}: "
        f"the channel has no {language} text for it; add it under languages: {language}: in {CHANNEL_FILE} "
        "(or disclaimer: in this localization)", "localizations", language, severity="warning")]

