"""A video's ``localizations`` brought into the episode an import writes, each one exact.

A localized description is read the way the channel writes one: its summary (the paragraphs before the
chapters, or before the first paragraph that is the channel's heading, disclaimer or schedule sentence
in that language), its chapter titles (the lines that start with the episode's chapter times) and
``disclaimer: none`` when it lacks the disclaimer the episode would show in that language. That
reading is kept only when the episode, rendered in the language, gives back exactly the live title and
description; otherwise the localization keeps the whole description as typed (``description:``), which
is sent as it is. Either way the round trip is exact.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from ..pipeline.limits import sent_description
from ..pipeline.localize import language_text
from ..workspace import Workspace

Render = Callable[[dict[str, Any]], "dict[str, str] | None"]  # episode data -> language -> description rendered


def with_localizations(ws: Workspace, data: dict[str, Any], live: dict[str, dict[str, str]],
                       render: Render, language: str | None = None) -> tuple[dict[str, Any], list[str]]:
    """``data`` (an episode to write) with each live localization, read as the channel writes it where that
    renders back exactly, else as typed, and ``language`` (the video's ``defaultLanguage``) as its
    ``upload.language`` when it is not the channel's; and the languages kept as typed."""
    if language and language != ws.channel.upload.language:
        data = {**data, "upload": {**data.get("upload", {}), "language": language}}
    if not live:
        return data, []
    read = {language: {"title": text["title"], **_read(ws, data, language, text["description"])}
            for language, text in live.items()}
    rendered = render({**data, "localizations": read}) or {}
    typed = []
    for language, text in live.items():
        if rendered.get(language) != text["description"]:
            read[language] = {"title": text["title"], "description": text["description"]}
            typed.append(language)
    return {**data, "localizations": read}, typed


def typed_note(language: str) -> str:
    """What the import report says of a localization kept as typed."""
    return (f"{language}: kept as typed (the channel's shape and {language} text would not give the same "
            f"description; see languages: {language}: in channel.yaml)")


def _read(ws: Workspace, data: dict[str, Any], language: str, description: str) -> dict[str, Any]:
    """The summary and chapter titles of a localized description (see the module's docstring)."""
    paragraphs = [p.strip("\n") for p in sent_description(description).split("\n\n") if p.strip()]
    times = [chapter["at"] for chapter in data.get("chapters", [])]
    text = language_text(ws, language)
    stops = {*text.headings.values(), text.disclaimer or "", text.schedule_line}
    summary, chapters = [], []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        at_times = [line for line in lines if any(line.startswith(f"{at} ") for at in times)]
        if times and len(at_times) == len(times):
            chapters = [line.split(" ", 1)[1] for line in at_times]
            break
        if lines[0] in stops or paragraph in stops:
            break
        summary.append(" ".join(lines) if len(lines) == 1 else paragraph)
    read: dict[str, Any] = {"summary": summary or [paragraphs[0] if paragraphs else description]}
    if chapters:
        read["chapters"] = chapters
    shown = data.get("disclaimer", "inherit")
    shown = text.disclaimer if shown == "inherit" else None if shown == "none" else shown
    if shown and shown.strip() not in paragraphs:  # a description without the disclaimer the episode would show
        read["disclaimer"] = "none"
    return read


def localized_renders(shadow: Workspace, episodes: MutableMapping[str, Any], path: Path,
                      data: dict[str, Any]) -> dict[str, str] | None:
    """Language -> the description ``data`` (an episode to be written at ``path``) renders in each of its
    localizations, as sent; None when the episode is not valid as it stands. It is put in ``episodes``, the
    catalogue the ``shadow`` view reads."""
    from ..errors import InputError
    from ..pipeline.build import build_one
    from .episodefile import episode_text, loaded_episode

    try:
        loaded = loaded_episode(path, episode_text(data))
    except InputError:
        return None
    episodes[loaded.slug] = loaded
    build = build_one(shadow, path)
    return {language: sent_description(localized.rendered.description)
            for language, localized in build.languages.items() if localized.rendered is not None}
