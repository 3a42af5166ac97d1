"""`refs import FILE`: a creator brings papers from Zotero (CSL JSON) or a BibTeX file into references.yaml.

The same papers give the same entries from either format; importing again changes no byte; a paper
already in the library is never doubled, only enriched with what it lacks; a field that differs is a
conflict, shown field by field and taken only with --replace, and an entry's key never changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
LIBRARY = "references.yaml"


def empty_library(channel) -> None:
    (channel.root / LIBRARY).unlink()


def library_text(channel) -> str:
    return (channel.root / LIBRARY).read_text(encoding="utf-8")


def csl_file(channel, *items: dict, name: str = "export.json") -> Path:
    return channel.write(name, json.dumps(list(items), indent=2, ensure_ascii=False))


KANG = {"type": "article-journal", "title": "Decreased expression of synapse-related genes",
        "DOI": "10.1038/nm.2886", "author": [{"family": "Kang", "given": "H. J."}, {"family": "Voleti", "given": "B."}],
        "issued": {"date-parts": [[2012]]}}


# --- the two formats -----------------------------------------------------------------------------------

def test_a_zotero_export_and_a_bibtex_file_of_the_same_papers_give_the_same_library(
        channel, run_cli, tmp_path_factory):
    empty_library(channel)
    other = tmp_path_factory.mktemp("other") / "channel"
    shutil.copytree(channel.root, other)
    from_json = run_cli("refs", "import", str(DATA / "zotero.json"), cwd=channel.root)
    from_bibtex = run_cli("refs", "import", str(DATA / "papers.bib"), cwd=other)
    assert (from_json.code, from_bibtex.code) == (0, 0), from_json.err + from_bibtex.err
    assert library_text(channel) == (other / LIBRARY).read_text(encoding="utf-8")
    assert from_json.out == from_bibtex.out
    assert "new: brunoni2008" in from_json.out and "4 new" in from_json.out
    checked = run_cli("check", cwd=channel.root)  # the library is valid (the episode still cites serafini2012)
    library_errors = [line for line in checked.err.splitlines() if line.startswith(LIBRARY) and "warning:" not in line]
    assert library_errors == [] and "unknown citation key 'serafini2012'" in checked.err


def test_bibtex_accents_braces_month_names_and_dashes_become_plain_library_fields(channel, run_cli):
    empty_library(channel)
    assert run_cli("refs", "import", str(DATA / "papers.bib"), cwd=channel.root).code == 0
    text = library_text(channel)
    for written in ("{family: Brunoni, given: André Russowsky}", "{family: Barrós-Loscertales, given: A.}",
                    "{family: Rodríguez-Pujadas, given: A.}", "{family: Ávila, given: C.}",
                    "major depression and BDNF levels", "a STAR*D report",
                    "issued: {date-parts: [[2008, 12]]}", "issued: {date-parts: [[2012, 9]]}", "page: 1905-1917",
                    "container-title-short: Int J Neuropsychopharmacol", "PMID: 22885997"):
        assert written in text
    assert "{" + "\\" not in text and "--" not in text


def test_zotero_journal_abbreviation_is_the_short_container_title_and_medline_pages_are_stored_in_full(
        channel, run_cli):
    empty_library(channel)
    item = {**KANG, "journalAbbreviation": "Nat Med", "page": "1413-7", "issued": {"date-parts": [["2012", "9"]]}}
    assert run_cli("refs", "import", str(csl_file(channel, item)), cwd=channel.root).code == 0
    text = library_text(channel)
    assert "container-title-short: Nat Med" in text and "page: 1413-1417" in text and "journalAbbreviation" not in text
    assert "issued: {date-parts: [[2012, 9]]}" in text


# --- the same file again, and papers already there -----------------------------------------------------

def test_importing_again_changes_no_byte(channel, run_cli):
    empty_library(channel)
    run_cli("refs", "import", str(DATA / "zotero.json"), cwd=channel.root)
    before = (channel.root / LIBRARY).read_bytes()
    for again in ("zotero.json", "papers.bib"):
        result = run_cli("refs", "import", str(DATA / again), cwd=channel.root)
        assert result.code == 0, result.err
        assert "unchanged: references.yaml: 0 new, 0 enriched, 0 with conflicts, 4 already there" in result.out
        assert (channel.root / LIBRARY).read_bytes() == before


@pytest.mark.parametrize("change", [
    {"DOI": "10.1038/NM.2886", "title": "Something else entirely"},  # the DOI in another letter case
    {"DOI": None, "PMID": "22885997", "title": "Something else"},  # the PMID (the library has it by then)
    {"DOI": None, "title": "DECREASED   expressión of synapse related-genes!"},  # title + year, folded
])
def test_a_paper_already_in_the_library_is_never_a_second_entry(channel, run_cli, change):
    first = csl_file(channel, {**KANG, "PMID": "22885997"}, name="first.json")
    assert run_cli("refs", "import", str(first), cwd=channel.root, ).code == 0  # kang2012 gets its PMID
    again = {k: v for k, v in {**KANG, **change}.items() if v is not None}
    result = run_cli("refs", "import", str(csl_file(channel, again)), "--replace", cwd=channel.root)
    assert result.code == 0, result.err
    assert "new:" not in result.out and library_text(channel).count("Kang") == 1


def test_the_same_paper_twice_in_one_file_is_one_entry(channel, run_cli):
    empty_library(channel)
    result = run_cli("refs", "import", str(csl_file(channel, KANG, {**KANG, "PMID": "22885997"})), cwd=channel.root)
    assert result.code == 0 and result.out.count("new:") == 1
    assert "added: kang2012: PMID: added '22885997'" in result.out


def test_keys_are_the_first_author_and_year_then_b(channel, run_cli):
    empty_library(channel)
    one = {**KANG, "author": [{"family": "Brunoni", "given": "A. R."}], "title": "One", "DOI": "10.1/a"}
    two = {**one, "title": "Two", "DOI": "10.1/b"}
    result = run_cli("refs", "import", str(csl_file(channel, one, two)), cwd=channel.root)
    assert result.out.splitlines()[:2] == ["new: brunoni2012", "new: brunoni2012b"]


# --- enrichment and conflicts --------------------------------------------------------------------------

def test_a_field_the_library_lacks_is_added_and_said_and_the_rest_of_the_file_stays(channel, run_cli):
    channel.write(LIBRARY, "# my papers\n" + library_text(channel).replace("  volume: 18\n", "  volume: 18  # vol\n"))
    before = library_text(channel).splitlines(keepends=True)
    full = {**KANG, "PMID": "22885997", "container-title": "Nature Medicine",
            "author": [*KANG["author"], {"family": "Hajszan", "given": "T."}], "issued": {"date-parts": [[2012, 9]]}}
    result = run_cli("refs", "import", str(csl_file(channel, full)), cwd=channel.root)
    assert result.code == 0, result.err
    assert "added: kang2012: PMID: added '22885997'" in result.out
    assert "added: kang2012: container-title: added 'Nature Medicine'" in result.out
    assert "added: kang2012: issued: more complete: 2012 -> 2012-09" in result.out
    assert "added: kang2012: author: more complete:" in result.out
    after = library_text(channel).splitlines(keepends=True)
    assert [line for line in before if line not in after] == ["  authors-incomplete: true\n"]
    assert [line for line in after if line not in before] == [
        "    - {family: Hajszan, given: T.}\n", "  container-title: Nature Medicine\n",
        "  issued: {date-parts: [[2012, 9]]}\n", "  PMID: 22885997\n"]
    assert after.index("  PMID: 22885997\n") == after.index("  DOI: 10.1038/nm.2886\n") + 1
    assert "# my papers\n" in after and "  volume: 18  # vol\n" in after


def test_a_field_that_differs_is_a_conflict_shown_field_by_field_and_taken_only_with_replace(channel, run_cli):
    corrected = {**KANG, "title": "Decreased expression of synapse-related genes and loss of synapses",
                 "author": [{"family": "Kang", "given": "Hyo Jung"}, {"family": "Voleti", "given": "B."}],
                 "issue": "10", "PMID": "22885997"}
    before = library_text(channel)
    record = str(csl_file(channel, corrected))
    result = run_cli("refs", "import", record, cwd=channel.root)
    assert result.code == 1
    assert ("conflict: kang2012: title: differs: 'Decreased expression of synapse-related genes' -> "
            "'Decreased expression of synapse-related genes and loss of synapses'") in result.out
    assert "conflict: kang2012: issue: differs: '9' -> '10'" in result.out
    assert "added: kang2012: PMID: added '22885997'" in result.out  # enrichment is still applied
    assert "--replace" in result.err
    text = library_text(channel)
    assert "issue: 9" in text and "title: Decreased expression of synapse-related genes\n" in text
    assert "PMID: 22885997" in text and "given: Hyo Jung" in text  # H. J. -> Hyo Jung is more, not other
    assert text != before
    replaced = run_cli("refs", "import", record, "--replace", cwd=channel.root)
    assert replaced.code == 0, replaced.err
    assert "replaced: kang2012: issue: differs: '9' -> '10'" in replaced.out
    assert "issue: 10" in library_text(channel) and "kang2012:" in library_text(channel)
    assert run_cli("refs", "import", record, cwd=channel.root).out.endswith("1 already there\n")


def test_replace_keeps_the_key_even_when_the_first_author_changes(channel, run_cli):
    brunoni = {**KANG, "author": [{"family": "Brunoni", "given": "A. R."}, {"family": "Voleti", "given": "B."}]}
    record = str(csl_file(channel, brunoni))
    refused = run_cli("refs", "import", record, cwd=channel.root)
    assert refused.code == 1 and "conflict: kang2012: author: differs: Kang, H. J.; Voleti, B. ->" in refused.out
    assert run_cli("refs", "import", record, "--replace", cwd=channel.root).code == 0
    text = library_text(channel)
    assert "kang2012:" in text and "brunoni" not in text and "{family: Brunoni, given: A. R.}" in text
    assert run_cli("check", cwd=channel.root).code == 0  # the episode citing kang2012 still renders


def test_a_dry_run_shows_what_would_be_written_and_writes_nothing(channel, run_cli):
    before = library_text(channel)
    result = run_cli("refs", "import", str(csl_file(channel, {**KANG, "PMID": "22885997"})), "--dry-run",
                     cwd=channel.root)
    assert result.code == 0
    assert "+  PMID: 22885997" in result.out and "would change (dry run, nothing written)" in result.out
    assert library_text(channel) == before


# --- bad files -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, text, expected", [
    ("bad.json", '[\n  {"title": "A"},\n  {"title": "B",}\n]\n', "bad.json:3: not valid JSON"),
    ("bad.json", '{"items": 3}\n', "bad.json:1: title: the record has none"),
    ("bad.json", '[\n  {"title": "A", "author": "Kang"}\n]\n', "bad.json:2: author: expected a list of names"),
    ("bad.json", '[\n  {"title": "A",\n   "DOI": "nm.2886"}\n]\n', "bad.json:3: DOI: 'nm.2886' is not a DOI"),
    ("bad.bib", "@article{a,\n  title = {A},\n  year = 2012\n  month = sep,\n}\n", "bad.bib:3: year: '2012 month = sep' is more than one value (parts are joined with '#'); is a comma missing"),
    ("bad.bib", "@article{a\n  title = {A},\n}\n", "bad.bib:1: not a BibTeX entry that can be read: expected comma"),
    ("bad.bib", "@article{a,\n  title = {A},\n  year = {2012},\n  month = {Sept.},\n}\n",
     "bad.bib:4: month: 'Sept.' is not a month"),
    ("bad.bib", "@inprocedings{a,\n  title = {A},\n}\n", "bad.bib:1: type: @inprocedings is not a BibTeX entry type; did you mean 'inproceedings'?"),
    ("bad.bib", "@article{a, title={A}}\n@article{a, title={B}}\n", "bad.bib:2: the key 'a' is used by an earlier"),
    ("bad.bib", b"@article{a, title={Caf\xe9}}\n", "bad.bib:1: is not valid UTF-8"),
])
def test_a_bad_import_file_is_one_line_per_problem_and_nothing_is_written(channel, run_cli, name, text, expected):
    before = library_text(channel)
    channel.write(name, text)
    result = run_cli("refs", "import", name, cwd=channel.root)
    assert result.code == 1
    assert result.err.startswith(expected), result.err
    assert "Traceback" not in result.err and library_text(channel) == before and channel.leftovers() == []


def test_a_missing_import_file_is_one_line(channel, run_cli):
    result = run_cli("refs", "import", "nothing.bib", cwd=channel.root)
    assert (result.code, result.err.strip()) == (1, "nothing.bib: no such file")
