"""An episode in other languages: each localization checked like the episode's own text, at its line, and
made with the channel's text in that language (or the default language's, with a warning)."""

from __future__ import annotations

import pytest

from episodekit.models.slot import parse_slot
from episodekit.pipeline.build import build_episodes
from episodekit.pipeline.slotwords import describe_slots_in, has_slot_words
from episodekit.workspace import Workspace
from tests.conftest import CHANNEL_YAML

PORTUGUESE = """\
languages:
  pt-BR:
    disclaimer: Apenas educação, não é orientação médica.
    schedule_line: "Novo toda {slots}. Inscreva-se: {subscribe_url}"
    headings: {chapters: Capítulos, references: Referências}
"""
EPISODE = """\
title: Sleep and Mood
summary: [How sleep and mood are linked.]
script:
  - heading: Start
    body: Synapses are lost [@serafini2012].
citations: [kang2012]
chapters:
  - {at: "0:00", title: Start}
  - {at: "0:30", title: Middle}
  - {at: "1:00", title: End}
localizations:
  pt-BR:
    title: Sono e humor
    summary: [Como o sono e o humor se ligam.]
    chapters: [Início, Meio, Fim]
"""


def built(channel, episode: str = EPISODE, languages: str = PORTUGUESE):
    channel.write("channel.yaml", CHANNEL_YAML + languages)
    channel.episode("test-episode", episode)
    ws = Workspace.open(channel.root)
    return build_episodes(ws, ws.select(None)).builds[0]


def problems_of(build) -> list[str]:
    return [str(p) for p in build.problems]


def test_the_portuguese_description_has_the_channels_portuguese_text_and_the_same_references(channel):
    build = built(channel)
    assert build.ok, problems_of(build)
    english, portuguese = build.rendered.description, build.languages["pt-BR"].rendered.description
    assert portuguese.startswith("Como o sono e o humor se ligam.\n\nCapítulos")
    assert "Capítulos\n0:00 Início\n0:30 Meio\n1:00 Fim\n" in portuguese
    assert english.split("References\n")[1].split("\n\n")[0] == portuguese.split("Referências\n")[1].split("\n\n")[0]
    assert "Apenas educação" in portuguese and "Novo toda quarta-feira às 9h. Inscreva-se:" in portuguese
    assert build.languages["pt-BR"].rendered.title == "Sono e humor"
    assert build.languages["pt-BR"].rendered.tags == build.rendered.tags


LAID_OUT = EPISODE.replace("""chapters:
  - {at: "0:00", title: Start}
""", """layout:
  - chapters: ""
  - summary
  - references: "Sources:"
  - text: Thanks for watching!
  - schedule: Every Wednesday.
chapters:
  - {at: "0:00", title: Start, typed: "0:00 - Start"}
""")


def test_an_episode_typed_in_its_own_shape_is_in_the_channels_shape_in_another_language(channel):
    build = built(channel, LAID_OUT)
    assert build.ok, problems_of(build)
    english, portuguese = build.rendered.description, build.languages["pt-BR"].rendered.description
    assert english.startswith("0:00 - Start\n0:30 Middle\n1:00 End\n\nHow sleep and mood are linked.\n\nSources:\n")
    assert english.endswith("Thanks for watching!\n\nEvery Wednesday.\n")
    assert portuguese.startswith("Como o sono e o humor se ligam.\n\nCapítulos\n0:00 Início\n0:30 Meio\n1:00 Fim\n")
    assert "\nReferências\n1. " in portuguese and portuguese.endswith("Inscreva-se: https://example.org/subscribe\n")
    assert not any(typed in portuguese for typed in ("Sources:", "Thanks for watching", "Every Wednesday", " - "))


def test_what_the_channel_lacks_in_a_language_is_the_default_ones_with_one_warning(channel):
    build = built(channel, languages="")
    assert build.ok
    [warning] = [p for p in build.problems if "localizations.pt-BR" in p.field]
    assert warning.severity == "warning" and warning.line == 12
    assert "shows disclaimer, schedule_line, headings.chapters, headings.references in en" in warning.message
    assert "New every Wednesday at 9am" in build.languages["pt-BR"].rendered.description


@pytest.mark.parametrize(("change", "expected"), [
    (("    chapters: [Início, Meio, Fim]", "    chapters: [Início, Meio]"),
     "test-episode.yaml:15: localizations.pt-BR.chapters: has 2 title(s) for the episode's 3 chapter(s)"),
    (("    title: Sono e humor", "    title: " + "Sono " * 21),
     "test-episode.yaml:13: localizations.pt-BR.title: is 104 characters; YouTube allows 100"),
    (("    summary: [Como o sono e o humor se ligam.]", "    summary: [Como o sono <e> o humor.]"),
     "test-episode.yaml:14: localizations.pt-BR.summary[0]: may not contain '<' or '>'"),
    (("  pt-BR:", "  pt_BR:"), "test-episode.yaml:12: localizations.pt_BR: 'pt_BR' is not a BCP-47 language code "
     "such as en, en-US or pt-BR; did you mean 'pt-BR'?"),
    (("  pt-BR:", "  en:"), "test-episode.yaml:12: localizations.en: en is this episode's own language"),
    (("    chapters: [Início, Meio, Fim]", "    chapters: [Início, Meio, Fim]\n    sumary: [x]"),
     "test-episode.yaml:16: localizations.pt-BR: unknown key 'sumary'; did you mean 'summary'?"),
    (("    chapters: [Início, Meio, Fim]", "    chapters: [Início, Meio, Fim]\n    script:\n"
      "      - {heading: Início, body: 'Texto [@schultz1997].'}"),
     "test-episode.yaml:17: localizations.pt-BR.script[0].body: cites 'schultz1997', which the episode does not cite"),
])
def test_a_wrong_localization_is_an_error_at_its_line(channel, change, expected):
    build = built(channel, EPISODE.replace(*change))
    assert not build.ok
    assert any(expected in problem for problem in problems_of(build)), problems_of(build)


def test_a_localized_script_keeps_the_episodes_citation_numbers(channel):
    episode = EPISODE.replace("citations: [kang2012]", "citations: [kang2012]\n") + (
        "    script:\n      - {heading: Início, body: 'Genes mudam [@kang2012] e sinapses [@serafini2012].'}\n")
    build = built(channel, episode)
    assert build.ok, problems_of(build)
    assert "Genes mudam [2] e sinapses [1]." in build.languages["pt-BR"].rendered.script


def test_a_schedule_sentence_with_slots_in_a_language_without_weekday_names_is_an_error_in_channel_yaml(channel):
    languages = 'languages:\n  ja:\n    schedule_line: "毎週{slots}"\n'
    build = built(channel, EPISODE.replace("pt-BR:", "ja:"), languages)
    assert any(p.startswith("channel.yaml:12: languages.ja.schedule_line: episodekit cannot say the release slots in ja")
               for p in problems_of(build)), problems_of(build)


@pytest.mark.parametrize(("language", "slots", "said"), [
    ("pt-BR", [("wednesday", "09:00")], "quarta-feira às 9h"),
    ("pt-PT", [("monday", "13:30"), ("friday", "01:00")], "segunda-feira às 13h30 e sexta-feira à 1h"),
    ("pt", [("sunday", "12:00"), ("saturday", "00:00")], "sábado à meia-noite e domingo ao meio-dia"),
    ("es", [("wednesday", "09:00"), ("thursday", "13:05")], "miércoles a las 9:00 y jueves a las 13:05"),
    ("fr", [("tuesday", "17:30")], "mardi à 17 h 30"),
    ("de", [("monday", "09:00"), ("tuesday", "10:15"), ("friday", "18:00")],
     "Montag um 9 Uhr, Dienstag um 10:15 Uhr und Freitag um 18 Uhr"),
    ("it", [("thursday", "08:00")], "giovedì all’8:00"),
    ("en-GB", [("wednesday", "09:00")], "Wednesday at 9am"),
])
def test_the_release_slots_in_words_in_each_language_with_a_table(language, slots, said):
    assert describe_slots_in(language, [parse_slot(day, time) for day, time in slots]) == said
    assert has_slot_words(language) and not has_slot_words("ja")
