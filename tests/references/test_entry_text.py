"""A new entry is appended to references.yaml as text: every value reads back as the same string.

The writer chooses plain, single-quoted or double-quoted with escapes, and an author's names sit
inside ``{...}``, where more characters end a plain value; whatever the text, PyYAML (the loader every
command reads the library with) gives back exactly what was written.
"""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from episodekit.references.yamltext import entry_text, scalar

TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)


@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_any_text_reads_back_as_itself_in_a_block_and_in_braces(text):
    assert yaml.safe_load(f"k: {scalar(text)}\nz: 1\n")["k"] == text
    assert yaml.safe_load(f"k: {{a: {scalar(text, flow=True)}, b: 1}}\n")["k"]["a"] == text


@settings(max_examples=200, deadline=None)
@given(title=TEXT.filter(str.strip), family=TEXT.filter(str.strip), given_=TEXT, volume=st.sampled_from(["18", "018", "1.5", "S1"]))
def test_an_entry_reads_back_as_its_fields(title, family, given_, volume):
    fields = {"type": "chapter", "author": [{"family": family, "given": given_}], "authors-incomplete": True,
              "title": title, "issued": {"date-parts": [[2012, 9]]}, "volume": volume}
    read = yaml.safe_load(entry_text("key2012", fields))["key2012"]
    assert {**read, "volume": str(read["volume"])} == fields


def test_values_are_written_as_the_sample_library_writes_them():
    assert entry_text("kang2012", {"author": [{"family": "Kang", "given": "H. J."}], "title": "A: b",
                                   "issued": 2012, "volume": "18", "PMID": "22885997"}) == (
        "kang2012:\n  author:\n    - {family: Kang, given: H. J.}\n  title: 'A: b'\n  issued: 2012\n"
        "  volume: 18\n  PMID: 22885997\n")
