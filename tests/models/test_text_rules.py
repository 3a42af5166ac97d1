"""The text rules say the same whatever way they are checked: the quick search for suspect characters
that ordinary text takes gives the answer the character-by-character rules give."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from episodekit.models.text import line_problem, paragraph_problem

INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}
FILLERS = set("\u115f\u1160\u3164\uffa0\u2800")


def expected(text: str, one_line: bool) -> str | None:
    """The rules of models/text.py written out from its docstring, one character at a time."""
    if not text:
        return "empty"
    if all(unicodedata.category(c) in INVISIBLE or c in FILLERS for c in text):
        return "invisible"
    for char in text:
        category = unicodedata.category(char)
        if one_line and (char in "\n\r\t" or category in ("Zl", "Zp")):
            return "line"
        if char not in "\t\n\r" and (category in ("Cc", "Cs") or char in "\ufffe\uffff"):
            return "control"
    return None


def kind(message: str | None) -> str | None:
    if message is None:
        return None
    for word, name in (("empty", "empty"), ("visible", "invisible"), ("line break", "line"), ("tab", "line"),
                       ("remove it", "control")):
        if word in message:
            return name
    raise AssertionError(message)


SUSPECTS = st.sampled_from(list("\x00\x07\t\n\r\x1b\x7f\x85\x9f\u2028\u2029\ufffe\uffff\ud800\u200b\u3164 a.é"))
TEXTS = st.one_of(st.text(), st.lists(SUSPECTS).map("".join), st.text(alphabet=st.characters(max_codepoint=0x3000)))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_a_line_and_a_paragraph_are_judged_as_the_rules_say(text):
    assert kind(line_problem(text)) == expected(text, one_line=True)
    assert kind(paragraph_problem(text)) == expected(text, one_line=False)


def test_ordinary_text_passes_and_each_bad_character_is_named():
    assert line_problem("Sleep and mood: what 12 studies say") is None
    assert paragraph_problem("Première ligne.\nSecond line\twith a tab.") is None
    assert "line break" in line_problem("one\ntwo")
    assert "U+0007" in paragraph_problem("a bell \x07 here")
    assert "unpaired surrogate" in paragraph_problem("half \ud800 of a pair")
    assert "no visible characters" in line_problem("\u200b\u3164 ")
