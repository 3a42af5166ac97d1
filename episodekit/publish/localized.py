"""The sync plan of a video's ``localizations``: which languages change, which stay as YouTube Studio left
them, and the whole map that ``videos.update`` is sent.

YouTube replaces the whole map when the ``localizations`` part is sent, so a language left out is
deleted: the map sent is the live one with only episodekit's changes made (read, modify, write back).
A language is one change, named ``localizations.<code>`` (its title and description together):

- in the episode and live as the episode has it: nothing to do;
- in the episode, and live as someone edited it in Studio since episodekit sent it (or live though
  episodekit never sent it: added in Studio): drift, kept unless ``--force``;
- in the episode and not live (or live as episodekit last sent it): sent;
- live and not in the episode: deleted when it is what episodekit last sent (the episode dropped the
  language); kept as drift when Studio added or edited it, unless ``--force``.
"""

from __future__ import annotations

from typing import Any

from ..models.ledger import LOCALIZED_FIELDS, LocalizedHashes, SentHashes

PREFIX = "localizations."  # a change of one language: ``localizations.pt-BR``
Pair = tuple[Any, Any]  # (live, new): a language's {title, description}, None where there is none


def change_name(language: str) -> str:
    """The name a sync gives to a change of ``language``'s localization."""
    return PREFIX + language


def language_of(name: str) -> str | None:
    """The language a change or drift name is about, None for a snippet field."""
    return name.removeprefix(PREFIX) if name.startswith(PREFIX) else None


def plan_languages(ours: dict[str, dict[str, str]], live: dict[str, Any], sent: SentHashes | None,
                   force: bool) -> tuple[dict[str, Pair], dict[str, Pair]]:
    """The changes and the drift of one video's localizations (see the module's docstring)."""
    recorded = sent.localizations if sent is not None else {}
    changes: dict[str, Pair] = {}
    drift: dict[str, Pair] = {}
    for language in [*ours, *(code for code in live if code not in ours)]:
        new, current = ours.get(language), _shown(live.get(language))
        if new is not None and current is not None and _same(current, new):
            continue
        if current is None:
            changes[change_name(language)] = (None, new)
            continue
        ours_before = language in recorded and LocalizedHashes.of(current) == recorded[language]
        (changes if force or ours_before else drift)[change_name(language)] = (current, new)
    return changes, drift


def _shown(entry: Any) -> dict[str, str] | None:
    """A live localization as episodekit compares it: its title and description (YouTube may leave out
    an empty description)."""
    if not isinstance(entry, dict):
        return None
    return {name: entry.get(name, "") for name in LOCALIZED_FIELDS}


def _same(live: dict[str, str], ours: dict[str, str]) -> bool:
    return all(live.get(name, "") == ours.get(name, "") for name in LOCALIZED_FIELDS)


def map_to_send(live: dict[str, Any], changes: dict[str, Pair]) -> dict[str, Any]:
    """The live map with the planned changes made: a language changed or added, or deleted (new None)."""
    sent = {code: dict(entry) for code, entry in live.items()}
    for name, (_, new) in changes.items():
        language = language_of(name)
        if language is None:
            continue
        if new is None:
            sent.pop(language, None)
        else:
            sent[language] = dict(new)
    return sent


def recorded_after(old: SentHashes | None, fresh: SentHashes, changes: dict[str, Pair],
                   drift: dict[str, Pair]) -> dict[str, LocalizedHashes]:
    """The languages the ledger records as sent after an update: each one sent now, and the old record of a
    language left as it was (unchanged, or kept as drift: the next run still knows what episodekit sent)."""
    before = old.localizations if old is not None else {}
    recorded = {}
    for language in {*before, *fresh.localizations}:
        name = change_name(language)
        if name in changes:
            if changes[name][1] is not None:
                recorded[language] = fresh.localizations[language]
        elif name in drift:
            if language in before:
                recorded[language] = before[language]
        elif language in fresh.localizations:
            recorded[language] = fresh.localizations[language]
    return dict(sorted(recorded.items()))
