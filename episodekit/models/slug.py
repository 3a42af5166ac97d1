"""The one rule for slugs: an episode's file name is its slug, and ``episode:`` links name it.

A slug is lowercase ASCII letters and digits in words joined by single hyphens
(``sleep-and-mood``), so it works as a file name, a folder under ``build/`` and
a link on every system. :func:`suggest_slug` makes one from any text (a title or
a bad file name) by transliterating it to ASCII with python-slugify.
"""

from __future__ import annotations

import re

from slugify import slugify

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
EPISODE_SUFFIXES = (".yaml", ".yml")  # an episode file is <slug>.yaml (or .yml)
MAX_SLUG_LENGTH = 60  # what ``new`` and the suggestions make; longer slugs are still valid
FALLBACK_SLUG = "episode"  # when nothing of the text survives transliteration
SLUG_RULE = "a slug is lowercase letters a-z, digits and single hyphens between them (like my-episode)"
_SLUG = re.compile(SLUG_PATTERN)


def check_slug(slug: str) -> str | None:
    """``None`` when ``slug`` follows the rule; otherwise a message that says what a slug may contain."""
    if _SLUG.fullmatch(slug):
        return None
    return f"{slug!r} is not a slug: {SLUG_RULE}"


def suggest_slug(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """A slug made from ``text``: ``"Депрессия и сон"`` -> ``"depressiia-i-son"``, ``"Straße"`` -> ``"strasse"``."""
    slug = slugify(text, max_length=max_length, word_boundary=True, save_order=True)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug if _SLUG.fullmatch(slug) else FALLBACK_SLUG
