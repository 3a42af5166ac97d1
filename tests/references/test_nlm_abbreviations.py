"""A creator's references print the journal as NLM abbreviates it: `refs add` and `refs verify` take the
abbreviation (and MEDLINE's pages, and the PMID) from NCBI's record, which they find by the DOI when the
entry has no PMID (E-utilities' esearch). doi.org's short title is the publisher's (`WJP`, `AJP`,
`Neuroscience Letters`), and it never replaces an abbreviation the library has; a paper PubMed does not
have keeps the abbreviation the library has."""

from __future__ import annotations

import yaml
from test_add_and_verify import LIBRARY, library
# the four papers as an earlier import of hand-typed citations left them: DOI only, each with the short
# title the publisher deposits at Crossref where NLM's abbreviation belongs
AS_IMPORTED = """\
rush2006:
  author: [{family: Rush, given: A. J.}]
  authors-incomplete: true
  title: Acute and longer-term outcomes in depressed outpatients requiring one or several treatment steps
  container-title-short: AJP
  issued: 2006
  volume: 163
  page: 1905-1917
  DOI: 10.1176/ajp.2006.163.11.1905
yang2016:
  author: [{family: Yang, given: C. C.}]
  authors-incomplete: true
  title: State and training effects of mindfulness meditation on brain networks reflect neuronal mechanisms of its antidepressant effect
  container-title-short: Neural Plasticity
  issued: 2016
  volume: 2016
  page: "9504642"
  DOI: 10.1155/2016/9504642
serafini2012:
  author: [{family: Serafini, given: Gianluca}]
  title: Neuroplasticity and major depression, the role of modern antidepressant drugs
  container-title: World Journal of Psychiatry
  container-title-short: World J Psychiatry
  issued: {date-parts: [[2012, 6, 22]]}
  volume: 2
  issue: 3
  page: 49-57
  DOI: 10.5498/wjp.v2.i3.49
"""


def entries(channel) -> dict:
    return yaml.safe_load((channel.root / LIBRARY).read_text(encoding="utf-8"))


def test_a_doi_pubmed_has_comes_in_with_nlm_s_abbreviation_and_its_pmid(channel, run_cli, lookup_services):
    library(channel, "")
    for doi in ("10.1176/ajp.2006.163.11.1905", "10.1155/2016/9504642", "10.1016/j.neulet.2015.01.022"):
        assert run_cli("refs", "add", doi, cwd=channel.root).code == 0
    found = entries(channel)
    assert found["rush2006"]["container-title-short"] == "Am J Psychiatry"
    assert found["rush2006"]["PMID"] == 17074942 and found["rush2006"]["page"] == "1905-1917"
    assert found["yang2016"]["container-title-short"] == "Neural Plast"
    assert "container-title-short" not in found["duman2015"]  # not in PubMed here: no abbreviation to take
    assert found["duman2015"]["container-title"] == "Neuroscience Letters"  # what the style then prints
    text = (channel.root / LIBRARY).read_text(encoding="utf-8")
    for publisher_s in ("AJP", "Neural Plasticity", "Neuroscience Letters"):
        assert f"container-title-short: {publisher_s}\n" not in text
    assert lookup_services.count("esearch") == 3


def test_verify_replaces_a_publisher_s_short_title_by_nlm_s_and_adds_the_pmid(channel, run_cli, lookup_services):
    library(channel, AS_IMPORTED)
    result = run_cli("refs", "verify", cwd=channel.root)
    assert result.code == 1
    lines = result.out.splitlines()
    assert "references.yaml:5: rush2006: container-title-short: differs: 'AJP' -> 'Am J Psychiatry' (record: NCBI)" in lines
    assert "references.yaml:1: rush2006: PMID: added '17074942' (record: NCBI)" in lines  # at the entry: a new field
    assert ("references.yaml:14: yang2016: container-title-short: differs: 'Neural Plasticity' -> 'Neural Plast' "
            "(record: NCBI)") in lines
    assert not any(line.startswith("references.yaml") and "serafini2012" in line for line in lines)
    assert "WJP" not in result.out  # the publisher's short title of serafini2012's journal is never offered

    assert run_cli("refs", "verify", "--fix", cwd=channel.root).code == 0
    found = entries(channel)
    assert found["rush2006"]["container-title-short"] == "Am J Psychiatry" and found["rush2006"]["PMID"] == 17074942
    assert found["yang2016"]["container-title-short"] == "Neural Plast"
    assert found["serafini2012"]["container-title-short"] == "World J Psychiatry"  # kept: PubMed has no record
    assert run_cli("refs", "verify", cwd=channel.root).code == 0


def test_adding_a_doi_the_library_has_keeps_its_abbreviation_when_pubmed_lacks_the_paper(channel, run_cli,
                                                                                       lookup_services):
    library(channel, AS_IMPORTED)
    before = (channel.root / LIBRARY).read_text(encoding="utf-8")
    result = run_cli("refs", "add", "10.5498/wjp.v2.i3.49", "--replace", cwd=channel.root)
    assert result.code == 0, result.err
    assert "container-title-short" not in result.out and "WJP" not in result.out
    assert (channel.root / LIBRARY).read_text(encoding="utf-8") == before  # nothing to add: the same paper


def test_a_pmid_pubmed_s_search_gives_for_another_doi_is_not_taken(channel, run_cli, lookup_services):
    lookup_services.indexed["10.5498/wjp.v2.i3.49"] = ["17074942"]  # an index pointing at rush2006's record
    library(channel, AS_IMPORTED)
    result = run_cli("refs", "verify", "serafini2012", cwd=channel.root)
    assert result.code == 0, result.out + result.err  # doi.org's record alone: the entry matches it
    assert "17074942" not in result.out and lookup_services.count("pubmed") == 1
