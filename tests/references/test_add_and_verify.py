"""`refs add DOI|PMID` and `refs verify`: a creator brings a paper in by its identifier, and checks the
library against the records of its papers (doi.org for what the publisher deposited, NCBI for what
NLM cites), then lets `--fix` take the records' values; the keys never change."""

from __future__ import annotations

import json
import socket

import pytest

LIBRARY = "references.yaml"
BRUNONI_DOI = "10.1017/S1461145708009309"
ANDRE = """\
andre2008:
  author:
    - {family: André, given: R. B.}
    - {family: Lopes, given: M.}
    - {family: Fregni, given: F.}
  title: >-
    A systematic review and meta-analysis of clinical studies on major depression
    and BDNF levels: implications for the role of neuroplasticity in depression
  container-title: International Journal of Neuropsychopharmacology
  container-title-short: Int J Neuropsychopharmacol
  issued: 2008
  volume: 11
  issue: 8
  page: 1169-1180
  DOI: 10.1017/S1461145708009309
"""
BRUNONI_NLM = (
    "Brunoni AR, Lopes M, Fregni F. A systematic review and meta-analysis of clinical studies on major "
    "depression and BDNF levels: implications for the role of neuroplasticity in depression. Int J "
    "Neuropsychopharmacol. 2008 Dec;11(8):1169-80. https://doi.org/10.1017/S1461145708009309"
)
# kang2012 as the records have it, written with full given names and the journal in PubMed's case
KANG_FULL = """\
kang2012:
  author:
""" + "".join(f"    - {{family: {family}, given: {given}}}\n" for family, given in [
    ("Kang", "Hyo Jung"), ("Voleti", "Bhavya"), ("Hajszan", "Tibor"), ("Rajkowska", "Grazyna"),
    ("Stockmeier", "Craig A."), ("Licznerski", "Pawel"), ("Lepack", "Ashley"), ("Majik", "Mahesh S."),
    ("Jeong", "Lak Shin"), ("Banasr", "Mounira"), ("Son", "Hyeon"), ("Duman", "Ronald S.")]) + """\
  title: Decreased Expression of Synapse-Related Genes and Loss of Synapses in Major Depressive Disorder
  container-title: Nature medicine
  container-title-short: Nat Med
  issued: {date-parts: [[2012, 9]]}
  volume: 18
  issue: 9
  page: 1413-1417
  DOI: 10.1038/nm.2886
  PMID: 22885997
"""
BOOK = """\
sapolsky2004:
  type: book
  author: [{family: Sapolsky, given: Robert M.}]
  title: Why zebras don't get ulcers
  publisher: Holt
  issued: 2004
"""


def library(channel, text: str) -> None:
    if text:
        channel.write(LIBRARY, text)
    else:
        (channel.root / LIBRARY).unlink()  # a channel without a library yet
    channel.episode("test-episode", "title: A Test Episode\nsummary: [One.]\nscript:\n  - {heading: A, body: B.}\n")


def library_text(channel) -> str:
    return (channel.root / LIBRARY).read_text(encoding="utf-8")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- refs add ------------------------------------------------------------------------------------------

def test_adding_a_doi_the_library_lacks_makes_a_new_entry_with_a_stable_key(channel, run_cli, lookup_services):
    library(channel, "")
    added = run_cli("refs", "add", f"https://doi.org/{BRUNONI_DOI}", cwd=channel.root)
    assert added.code == 0, added.err
    assert added.out.startswith("new: brunoni2008: author, title, container-title, container-title-short, issued, "
                                "volume, issue, page, DOI, PMID\n")  # PubMed has it: NCBI's record came too
    text = library_text(channel)
    assert "brunoni2008:\n" in text and "{family: Brunoni, given: André Russowsky}" in text
    assert "issued: {date-parts: [[2008, 12]]}" in text  # the print issue's month, as NLM cites it
    assert "container-title-short: Int J Neuropsychopharmacol\n" in text and "PMID: 18752720\n" in text
    assert "Int. J. Neuropsychopharm." not in text  # Crossref's short title is not NLM's abbreviation
    again = run_cli("refs", "add", BRUNONI_DOI.lower(), cwd=channel.root)
    assert again.code == 0 and again.out.endswith("1 already there\n") and library_text(channel) == text


def test_adding_a_pmid_enriches_the_entry_it_already_is_with_both_records(channel, run_cli, lookup_services):
    added = run_cli("refs", "add", "PMID: 22885997", cwd=channel.root)  # the fixture's kang2012: 2 of 12 authors
    assert added.code == 1 and "--replace" in added.err  # its short title is a conflict, kept
    assert "added: kang2012: PMID: added '22885997'" in added.out
    assert "added: kang2012: issued: more complete: 2012 -> 2012-09" in added.out
    assert "{family: Duman, given: R. S.}" in library_text(channel)  # all twelve authors
    assert "authors-incomplete" not in library_text(channel)
    assert "title: Decreased expression of synapse-related genes\n" in library_text(channel)  # a conflict, kept
    assert lookup_services.count("pubmed") == 1 and lookup_services.count("crossref") == 1


def test_a_conflict_is_kept_without_replace_and_taken_with_it_under_the_same_key(channel, run_cli, lookup_services):
    library(channel, ANDRE)
    refused = run_cli("refs", "add", BRUNONI_DOI, cwd=channel.root)
    assert refused.code == 1 and "--replace" in refused.err
    assert "conflict: andre2008: author: differs: André, R. B.; Lopes, M.; Fregni, F. -> Brunoni," in refused.out
    assert "{family: André, given: R. B.}" in library_text(channel)
    assert "issued: {date-parts: [[2008, 12]]}" in library_text(channel)  # the enrichment is written
    preview = run_cli("refs", "add", BRUNONI_DOI, "--replace", "--dry-run", cwd=channel.root)
    assert preview.code == 0 and "+    - {family: Brunoni, given: André Russowsky}" in preview.out
    assert "{family: André, given: R. B.}" in library_text(channel)
    assert run_cli("refs", "add", BRUNONI_DOI, "--replace", cwd=channel.root).code == 0
    text = library_text(channel)
    assert text.startswith("andre2008:\n") and "brunoni2008" not in text and "André, given: R. B." not in text


def test_andre2008_added_by_its_doi_renders_exactly_as_nlm_prints_it(channel, run_cli, lookup_services):
    library(channel, ANDRE)
    channel.episode("test-episode", "title: A Test Episode\nsummary: [One.]\nscript:\n"
                    "  - {heading: A, body: \"BDNF [@andre2008].\"}\n")
    assert run_cli("refs", "add", BRUNONI_DOI, "--replace", cwd=channel.root).code == 0
    shown = run_cli("preview", "episodes/test-episode.yaml", "--part", "references", cwd=channel.root)
    assert shown.code == 0, shown.err
    assert f"1. {BRUNONI_NLM}" in shown.out.splitlines()


@pytest.mark.parametrize("typed, expected", [
    ("nm.2886", "'nm.2886' is not a DOI"),
    ("PMID: x1", "'PMID: x1' is not a PubMed id"),
])
def test_what_is_neither_a_doi_nor_a_pmid_is_exit_2_before_anything_is_sent(channel, run_cli, lookup_services,
                                                                              typed, expected):
    result = run_cli("refs", "add", typed, cwd=channel.root)
    assert result.code == 2 and expected in result.err and lookup_services.count() == 0


def test_a_pmid_no_service_knows_is_exit_1_and_nothing_is_written(channel, run_cli, lookup_services):
    before = library_text(channel)
    result = run_cli("refs", "add", "99999999", cwd=channel.root)
    assert result.code == 1 and "PMID 99999999" in result.err and "Traceback" not in result.err
    assert library_text(channel) == before


# --- refs verify ---------------------------------------------------------------------------------------

def test_verify_flags_a_wrong_first_author_at_its_line_and_exits_1(channel, run_cli, lookup_services):
    library(channel, ANDRE)
    before = library_text(channel)
    result = run_cli("refs", "verify", cwd=channel.root)
    assert result.code == 1
    assert result.out.splitlines()[:3] == [
        "references.yaml:2: andre2008: author: differs: André, R. B.; Lopes, M.; Fregni, F. -> "
        "Brunoni, André Russowsky; Lopes, Mariana; Fregni, Felipe (record: doi.org)",
        "references.yaml:11: andre2008: issued: more complete: 2008 -> 2008-12 (record: NCBI)",
        "references.yaml:1: andre2008: PMID: added '18752720' (record: NCBI)",  # PubMed's, found by the DOI
    ]
    assert "refs verify --fix andre2008" in result.err
    assert library_text(channel) == before  # a check writes nothing


def test_initials_against_full_names_and_a_journal_in_another_case_are_not_differences(
        channel, run_cli, lookup_services):
    library(channel, KANG_FULL)  # full given names where both records have initials; "Nature medicine"
    result = run_cli("refs", "verify", cwd=channel.root)
    assert result.code == 0, result.out + result.err
    assert result.out == "verified 1 entry: 1 match, 0 differ (0 field(s)), 0 unverifiable, 0 with a problem\n"
    assert lookup_services.count("pubmed") == 1 and lookup_services.count("crossref") == 1


def test_each_field_is_compared_with_its_authority(channel, run_cli, lookup_services):
    wrong = (KANG_FULL.replace("issue: 9", "issue: 8").replace("Nat Med", "Nature Med")
             .replace("[[2012, 9]]", "[[2012, 10]]").replace("Hajszan", "Hajzan"))
    library(channel, wrong)
    result = run_cli("refs", "verify", cwd=channel.root)
    assert result.code == 1
    lines = result.out.splitlines()
    assert any(line.startswith("references.yaml:2: kang2012: author: differs: Kang, Hyo Jung; Voleti, Bhavya; Hajzan, Tibor") and "(record: doi.org)" in line
               for line in lines)
    assert "references.yaml:17: kang2012: container-title-short: differs: 'Nature Med' -> 'Nat Med' (record: NCBI)" in lines
    assert "references.yaml:18: kang2012: issued: differs: 2012-10 -> 2012-09 (record: NCBI)" in lines
    assert "references.yaml:20: kang2012: issue: differs: '8' -> '9' (record: doi.org)" in lines


def test_fix_takes_the_records_values_keeps_the_key_and_then_verify_passes(channel, run_cli, lookup_services):
    library(channel, "# my papers\n" + ANDRE)
    dry = run_cli("refs", "verify", "--fix", "--dry-run", "andre2008", cwd=channel.root)
    assert dry.code == 1 and "would fix: andre2008: 3 field(s)" in dry.out
    assert "-    - {family: André, given: R. B.}" in dry.out and "André, given: R. B." in library_text(channel)
    fixed = run_cli("refs", "verify", "--fix", "andre2008", cwd=channel.root)
    assert fixed.code == 0, fixed.err
    assert "fixed: andre2008: 3 field(s)" in fixed.out and "1 fixed (3 field(s))" in fixed.out
    text = library_text(channel)
    assert text.startswith("# my papers\nandre2008:\n") and "{family: Brunoni, given: André Russowsky}" in text
    assert run_cli("refs", "verify", cwd=channel.root).code == 0


def test_entries_without_doi_or_pmid_are_listed_as_unverifiable_and_do_not_fail(channel, run_cli, lookup_services):
    library(channel, BOOK)
    result = run_cli("refs", "verify", cwd=channel.root)
    assert result.code == 0
    assert result.out.splitlines() == [
        "references.yaml:1: sapolsky2004: unverifiable: no DOI or PMID to look its record up by",
        "verified 1 entry: 0 match, 0 differ (0 field(s)), 1 unverifiable, 0 with a problem"]
    assert lookup_services.count() == 0


def test_an_identifier_no_service_knows_is_a_problem_fix_cannot_settle(channel, run_cli, lookup_services):
    library(channel, BOOK.replace("  issued: 2004\n", "  issued: 2004\n  PMID: 99999999\n"))
    result = run_cli("refs", "verify", "--fix", cwd=channel.root)
    assert result.code == 1 and "references.yaml:1: sapolsky2004: problem:" in result.out
    assert "correct the DOI or PMID by hand" in result.err


def test_a_key_the_library_lacks_is_exit_2_with_the_closest_key(channel, run_cli, lookup_services):
    result = run_cli("refs", "verify", "kang2021", cwd=channel.root)
    assert result.code == 2 and "'kang2021' is not an entry of references.yaml" in result.err
    assert "kang2012" in result.err and lookup_services.count() == 0


def test_dry_run_without_fix_is_a_usage_error(channel, run_cli, lookup_services):
    assert run_cli("refs", "verify", "--dry-run", cwd=channel.root).code == 2


def test_offline_is_one_line_and_exit_3(channel, run_cli, lookup_services, monkeypatch):
    root = f"http://127.0.0.1:{closed_port()}/"
    monkeypatch.setenv("EPISODEKIT_DOI_ROOT", root)
    monkeypatch.setenv("EPISODEKIT_NCBI_ROOT", root)
    result = run_cli("refs", "verify", cwd=channel.root)
    assert result.code == 3 and result.out == ""
    assert result.err.strip().splitlines() == [result.err.strip()] and "cannot reach 127.0.0.1" in result.err


def test_json_lists_every_entry_with_its_differences_and_keeps_the_exit_code(channel, run_cli, lookup_services):
    library(channel, ANDRE + BOOK)
    result = run_cli("refs", "verify", "--json", cwd=channel.root)
    assert result.code == 1
    document = json.loads(result.out)
    entries = {entry["key"]: entry for entry in document["entries"]}
    assert entries["sapolsky2004"]["status"] == "unverifiable"
    author = entries["andre2008"]["differences"][0]
    assert (author["field"], author["kind"], author["line"], author["source"]) == ("author", "conflict", 2, "doi.org")
    assert author["record"][0] == {"family": "Brunoni", "given": "André Russowsky"}
    assert document["left"] == 1



def test_a_doi_and_a_pmid_of_two_different_papers_are_a_problem_not_a_mix(channel, run_cli, lookup_services):
    library(channel, ANDRE + "  PMID: 22885997\n")  # kang2012's PMID on andre2008
    result = run_cli("refs", "verify", "--fix", cwd=channel.root)
    assert result.code == 1
    assert result.out.splitlines()[0] == ("references.yaml:1: andre2008: problem: PMID 22885997 is the record of "
                                          "DOI 10.1038/nm.2886, not of DOI 10.1017/S1461145708009309")
    assert "PMID: 22885997" in library_text(channel) and "André, given: R. B." in library_text(channel)
    added = run_cli("refs", "add", "22885997", cwd=channel.root)  # the library says that PMID is andre2008's
    assert added.code == 1 and "conflict: andre2008: title: differs:" in added.out
    assert "kang2012" not in library_text(channel) and "André, given: R. B." in library_text(channel)
