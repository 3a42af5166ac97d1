"""A creator's library with full author lists and months comes out exactly as NLM prints it;
the identifier at the end of each reference is the channel's choice."""

from __future__ import annotations

import pytest

from episodekit.pipeline.cite import format_references

KANG_AUTHORS = [
    ("Kang", "Hyo Jung"), ("Voleti", "Bhavya"), ("Hajszan", "Tibor"), ("Rajkowska", "Grazyna"),
    ("Stockmeier", "Craig A."), ("Licznerski", "Pawel"), ("Lepack", "Ashley"), ("Majik", "Mahesh S."),
    ("Jeong", "Lak Shin"), ("Banasr", "Mounira"), ("Son", "Hyeon"), ("Duman", "Ronald S."),
]
KANG_YAML = "kang2012:\n  author:\n" + "".join(
    f"    - {{family: {family}, given: {given}}}\n" for family, given in KANG_AUTHORS
) + """\
  title: Decreased expression of synapse-related genes and loss of synapses in major depressive disorder
  container-title: Nature Medicine
  container-title-short: Nat Med
  issued: {date-parts: [[2012, 9]]}
  volume: 18
  issue: 9
  page: 1413-1417
  DOI: 10.1038/nm.2886
  PMID: 22885997
"""
KANG_NLM = (
    "Kang HJ, Voleti B, Hajszan T, Rajkowska G, Stockmeier CA, Licznerski P, et al. Decreased expression "
    "of synapse-related genes and loss of synapses in major depressive disorder. Nat Med. 2012 "
    "Sep;18(9):1413-7."
)
QUESTION_YAML = """\
why2021:
  author: [{family: Doe, given: Jane}]
  title: Why...?
  container-title-short: Sleep
  issued: 2021
  volume: 4
  page: 1199-1205
  DOI: 10.1000/why
shout2021:
  author: [{family: Roe, given: Rick}]
  title: Sleep now!
  container-title-short: Sleep
  issued: 2021
  volume: 4
  page: 12-19
  PMID: "123"
"""
EPISODE = """\
title: Synapses
summary: [About synapses.]
script:
  - {heading: One, body: "Genes [@kang2012], a question [@why2021] and a cry [@shout2021]."}
"""


def _references(channel, run_cli, settings: str = "") -> list[str]:
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text() + settings)
    channel.write("references.yaml", KANG_YAML + QUESTION_YAML)
    channel.episode("test-episode", EPISODE)
    result = run_cli("preview", "test-episode", "--part", "references", cwd=channel.root)
    assert result.code == 0, result.err
    return result.out.splitlines()


def test_a_paper_with_twelve_authors_and_a_month_is_printed_as_nlm_prints_it(channel, run_cli):
    lines = _references(channel, run_cli)
    assert lines[0] == f"1. {KANG_NLM} https://doi.org/10.1038/nm.2886"


def test_a_title_ending_in_a_question_or_exclamation_mark_gets_no_period_after_it(channel, run_cli):
    lines = _references(channel, run_cli)
    assert lines[1] == "2. Doe J. Why...? Sleep. 2021;4:1199-205. https://doi.org/10.1000/why"
    assert lines[2] == "3. Roe R. Sleep now! Sleep. 2021;4:12-9. PMID: 123."


@pytest.mark.parametrize("form, kang_tail, why_tail, shout_tail", [
    ("doi-url", "https://doi.org/10.1038/nm.2886", "https://doi.org/10.1000/why", "PMID: 123."),
    ("doi", "doi: 10.1038/nm.2886.", "doi: 10.1000/why.", "PMID: 123."),
    ("pmid", "PMID: 22885997.", "https://doi.org/10.1000/why", "PMID: 123."),
    ("none", "", "", ""),
])
def test_the_channel_chooses_the_identifier_that_ends_each_reference(channel, run_cli, form, kang_tail,
                                                                      why_tail, shout_tail):
    lines = _references(channel, run_cli, f"reference_identifier: {form}\n")
    assert lines[0] == f"1. {KANG_NLM} {kang_tail}".rstrip()
    assert lines[1] == f"2. Doe J. Why...? Sleep. 2021;4:1199-205. {why_tail}".rstrip()
    assert lines[2] == f"3. Roe R. Sleep now! Sleep. 2021;4:12-9. {shout_tail}".rstrip()


def test_the_identifier_form_applies_in_ama(channel, run_cli):
    lines = _references(channel, run_cli, "citation_style: ama\nreference_identifier: doi\n")
    assert lines[0].endswith("Nat Med. 2012;18(9):1413-1417. doi: 10.1038/nm.2886.")  # AMA: hyphen, full range
    assert "PMID" not in lines[0]


def test_the_identifier_form_applies_in_apa(channel, run_cli):
    lines = _references(channel, run_cli, "citation_style: apa\nreference_identifier: pmid\n")
    kang = next(line for line in lines if line.startswith("Kang"))
    assert kang.endswith("Nature Medicine, 18(9), 1413–1417. PMID: 22885997.")  # APA keeps its en dash


def test_an_unknown_identifier_form_is_an_error_at_its_line(channel, run_cli):
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text() + "reference_identifier: isbn\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "channel.yaml:10: reference_identifier:" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("style", ["vancouver", "ama", "apa"])
def test_a_style_prints_no_identifier_of_its_own(style):
    item = {"id": "k", "author": [{"family": "Kang", "given": "H. J."}], "title": "T", "container-title": "J",
            "issued": {"date-parts": [[2012]]}, "DOI": "10.1038/nm.2886", "PMID": "22885997"}
    [entry] = format_references([item], style, "none").entries
    assert "10.1038" not in entry.text and "22885997" not in entry.text and "PubMed" not in entry.text
