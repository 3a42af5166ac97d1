"""The one rule for slugs: an episode's file name is its slug, and ``episode:`` links name it.

A slug is lowercase ASCII letters and digits in words joined by single hyphens
(``sleep-and-mood``), so it works as a file name, a folder under ``build/`` and
a link on every system. :func:`suggest_slug` makes one from any text (a title or
a bad file name) by transliterating it to ASCII with python-slugify.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar


from ..errors import did_you_mean

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
EPISODE_SUFFIXES = (".yaml", ".yml")  # an episode file is <slug>.yaml (or .yml)
MAX_SLUG_LENGTH = 60  # what ``new`` and the suggestions make; longer slugs are still valid
FALLBACK_SLUG = "episode"  # when nothing of the text survives transliteration
SLUG_RULE = "a slug is lowercase letters a-z, digits and single hyphens between them (like my-episode)"
_SLUG = re.compile(SLUG_PATTERN)


_known: ContextVar[frozenset[str]] = ContextVar("known_slugs", default=frozenset())


def check_slug(slug: str) -> str | None:
    """``None`` when ``slug`` follows the rule; otherwise a message that says what a slug may contain."""
    if _SLUG.fullmatch(slug):
        return None
    if not slug.strip():
        return f"the slug is empty: {SLUG_RULE}"
    return f"{slug!r} is not a slug: {SLUG_RULE}"


def episode_slug(name: str) -> str | None:
    """The slug an episode file's name gives (``x.yaml`` -> ``x``, ``.yaml`` -> ``""``); None for another file."""
    suffix = next((s for s in EPISODE_SUFFIXES if name.endswith(s)), None)
    return None if suffix is None else name[: -len(suffix)]


@contextmanager
def known_slugs(slugs: Collection[str]) -> Iterator[None]:
    """While loading a channel's episodes: its slugs, which :func:`slug_problem` prefers in a suggestion."""
    token = _known.set(frozenset(slugs))
    try:
        yield
    finally:
        _known.reset(token)


def slug_problem(text: str, known: Collection[str] | None = None) -> str | None:
    """``check_slug``'s message with the slug ``text`` most likely meant, or None for a slug.

    That is an episode's slug (of ``known``, by default the channel's episodes while :func:`known_slugs`
    is in effect) that ``text`` names with ``.yaml``, in capitals or nearly; else a slug made from it.
    """
    message = check_slug(text)
    if message is None:
        return None
    base = episode_slug(text.strip()) or text.strip()
    if not base:
        return message
    made, known = suggest_slug(base), _known.get() if known is None else known
    # slugs share words (my-episode, test-episode), so only a near one is taken for the one meant
    return message + did_you_mean(made, [made] if made in known else known, f"; did you mean {made!r}?", cutoff=0.8)


def suggest_slug(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """A slug made from ``text``: ``"Депрессия и сон"`` -> ``"depressiia-i-son"``, ``"Straße"`` -> ``"strasse"``."""
    from slugify import slugify  # only a bad name needs it: deferred off the check/preview path

    slug = slugify(text, max_length=max_length, word_boundary=True, save_order=True)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug if _SLUG.fullmatch(slug) else FALLBACK_SLUG
