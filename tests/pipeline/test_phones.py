"""Pronunciations for the words the aligner's dictionary lacks: medical terms, acronyms, authors' names."""

from __future__ import annotations

from episodekit.pipeline.phones import arpabet_of_ipa, by_rules


def test_words_without_a_dictionary_entry_get_a_pronunciation_by_rules_or_from_espeak():
    assert by_rules("BDNF") == "B IY D IY EH N EH F"
    assert by_rules("SSRIs") == "EH S EH S AA R AY Z"
    assert by_rules("cell") == "S EH L"
    assert arpabet_of_ipa("nˈoːɹpaɪnfɹˌiːn") == "N AO R P AY N F R IY N"
    assert arpabet_of_ipa("ðˈə") == "DH AH"
