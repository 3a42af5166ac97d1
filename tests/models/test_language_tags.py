"""The language tags answered without langcodes' registry get the answer the registry gives."""

from __future__ import annotations

import pytest

from episodekit.models import text


def test_every_plain_language_alone_and_with_every_plain_region_is_valid_and_standard_for_the_registry():
    tags = [*text._PLAIN_LANGUAGES, *(f"{language}-{region}" for language in text._PLAIN_LANGUAGES
                                      for region in text._PLAIN_REGIONS)]
    assert len(tags) > 50_000
    wrong = [tag for tag in tags if text.registry_problem(tag) is not None]
    assert wrong == []
    assert all(text.language_problem(tag) is None for tag in tags)


@pytest.mark.parametrize("tag", ["iw", "pt-br", "pt_BR", "en-Latn", "zz", "und", "eng", "en-BU", "EN", "es-419",
                                 "sh", "en-US-x-private", "pt-BRA"])
def test_any_other_tag_is_asked_of_the_registry_and_gets_its_answer(tag):
    assert not text._plainly_valid(tag)
    assert text.language_problem(tag) == text.registry_problem(tag)


def test_the_registry_still_refuses_what_the_plain_lists_do_not_hold():
    assert "'he'" in text.language_problem("iw")
    assert text.language_problem("pt-br") is not None
    assert text.language_problem("es-419") is None  # valid, only not among the plain tags
