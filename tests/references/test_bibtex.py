"""`refs import FILE.bib`: a BibTeX file read as biber or Zotero reads it, never as an internal error.

Field names in any letter case, every standard entry type, `crossref`, `#` and `@string`, organisations,
suffixes and `and others`, addresses that are not LaTeX, math, and every wrong year or month of a file
reported at its own line, in BibTeX's terms, with nothing written.
"""

from __future__ import annotations

import pytest
import yaml

from episodekit.models.reference import Reference
from episodekit.references.bibtex import TYPES
from episodekit.references.normalise import csl_type

LIBRARY = "references.yaml"


def imported(channel, run_cli, text: str, name: str = "papers.bib"):
    (channel.root / LIBRARY).unlink(missing_ok=True)
    channel.write(name, text)
    result = run_cli("refs", "import", name, cwd=channel.root)
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    return result


def entries(channel) -> dict:
    return yaml.safe_load((channel.root / LIBRARY).read_text(encoding="utf-8"))


def only_entry(channel) -> dict:
    (entry,) = entries(channel).values()
    return entry


def refused(channel, run_cli, text: str) -> list[str]:
    """The lines of a refused import: exit 1, nothing written."""
    result = imported(channel, run_cli, text)
    assert result.code == 1, result.out + result.err
    assert not (channel.root / LIBRARY).exists() and channel.leftovers() == []
    return result.err.strip().splitlines()


# --- the field names and values ------------------------------------------------------------------------

def test_field_names_and_types_in_upper_case_are_the_same_fields(channel, run_cli):
    result = imported(channel, run_cli, "@ARTICLE{b,\n  AUTHOR = {Smith, John},\n  TITLE = {One},\n"
                                        "  Journal = {Nature},\n  YEAR = 2001,\n  MONTH = {Sep}\n}\n")
    assert result.code == 0, result.err
    assert only_entry(channel) == {"author": [{"family": "Smith", "given": "John"}], "title": "One",
                                   "container-title": "Nature", "issued": {"date-parts": [[2001, 9]]}}


@pytest.mark.parametrize("first, second", [("title", "title"), ("author", "Author"), ("YEAR", "year")])
def test_a_field_given_twice_is_named_at_both_lines_and_nothing_is_written(channel, run_cli, first, second):
    lines = refused(channel, run_cli, f"@article{{a,\n  {first} = {{2001}},\n  {second} = {{2002}},\n}}\n")
    assert lines == [f"papers.bib:3: {second}: given twice in entry 'a' (first at line 2, as {first!r}); remove one"]


def test_strings_and_hash_are_joined_as_bibtex_joins_them(channel, run_cli):
    text = ('@string{pre = "Journal of "}\n@STRING{Psy = {Psychiatry}}\n'
            '@article{a, title = "Sleep" # { and } # "mood", journal = pre # psy, year = 2010}\n')
    assert imported(channel, run_cli, text).code == 0
    entry = only_entry(channel)
    assert entry["title"] == "Sleep and mood" and entry["container-title"] == "Journal of Psychiatry"


def test_an_undefined_macro_is_named_with_what_it_may_mean(channel, run_cli):
    lines = refused(channel, run_cli, '@string{psych = "Psychiatry"}\n@article{a,\n  title = {T},\n'
                                      '  journal = psyc,\n  year = 2010}\n')
    assert lines[0].startswith("papers.bib:4: journal: 'psyc' is no @string macro of this file; did you mean 'psych'?")


# --- the types and crossref ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(set(TYPES) - {"xdata"}))
def test_every_standard_entry_type_is_read_as_its_csl_type(channel, run_cli, kind):
    result = imported(channel, run_cli, f"@{kind}{{k, title = {{A work}}, author = {{Roe, Rick}}, year = 2003}}\n")
    assert result.code == 0, result.err
    entry = only_entry(channel)
    assert entry.get("type", "article-journal") == csl_type(TYPES[kind])
    Reference.model_validate(entry)


def test_inproceedings_is_a_conference_paper_in_its_proceedings(channel, run_cli):
    assert imported(channel, run_cli, "@inproceedings{d, author={Roe, Rick}, title={A talk}, "
                                      "booktitle={Proceedings of Things}, year=2003, pages={1--10}}\n").code == 0
    assert only_entry(channel) == {"type": "chapter", "author": [{"family": "Roe", "given": "Rick"}],
                                   "title": "A talk", "container-title": "Proceedings of Things",
                                   "issued": 2003, "page": "1-10"}


def test_a_misspelt_type_is_refused_with_what_it_may_mean(channel, run_cli):
    lines = refused(channel, run_cli, "@inprocedings{a,\n  title = {A},\n}\n")
    assert lines == ["papers.bib:1: type: @inprocedings is not a BibTeX entry type; did you mean 'inproceedings'?"]


@pytest.mark.parametrize("book_first", [True, False])
def test_a_chapter_takes_its_books_year_publisher_and_title_through_crossref(channel, run_cli, book_first):
    book = "@book{bk, editor = {Ed, Ed}, title = {The Book}, publisher = {OUP}, year = {2010}, month = mar}\n"
    chapter = "@incollection{ch, author = {Doe, Jane}, title = {A chapter}, crossref = {BK}, pages = {5--9}}\n"
    assert imported(channel, run_cli, book + chapter if book_first else chapter + book).code == 0
    found = entries(channel)
    assert found["doe2010"] == {"type": "chapter", "author": [{"family": "Doe", "given": "Jane"}],
                                "title": "A chapter", "container-title": "The Book", "publisher": "OUP",
                                "issued": {"date-parts": [[2010, 3]]}, "page": "5-9"}
    assert found["the2010"]["type"] == "book"  # the book is a work of its own too, as Zotero imports it


def test_a_crossref_to_no_entry_or_in_a_circle_is_named_at_its_line(channel, run_cli):
    lines = refused(channel, run_cli, "@inbook{a, title={A}, year=2001,\n crossref={nowhere}}\n"
                                      "@inbook{b, title={B}, year=2001,\n crossref={c}}\n@book{c, title={C},\n crossref={b}}\n")
    assert lines[0] == "papers.bib:2: crossref: 'nowhere' names no entry of this file"
    assert "crossref: 'b' names an entry that names this one in turn" in lines[1]


# --- names ---------------------------------------------------------------------------------------------

def test_names_are_read_as_biber_reads_them(channel, run_cli):
    text = ("@article{a, title = {T}, year = 2001, author = {{World Health Organization} and Smith, Jr., John and "
            "van der Berg, Jan and {\\'A}vila, C. and Ludwig van Beethoven and others}}\n")
    assert imported(channel, run_cli, text).code == 0
    entry = only_entry(channel)
    assert entry["author"] == [
        {"literal": "World Health Organization"}, {"family": "Smith", "given": "John", "suffix": "Jr."},
        {"family": "van der Berg", "given": "Jan"}, {"family": "Ávila", "given": "C."},
        {"family": "van Beethoven", "given": "Ludwig"}]
    assert entry["authors-incomplete"] is True  # "and others": the list goes on, it is nobody's name


def test_an_organisation_and_a_suffix_are_printed_as_written(channel, run_cli):
    text = ("@article{who, title = {Depression fact sheet}, year = 2023, url = {https://www.who.int/x},\n"
            "  author = {{World Health Organization}}}\n"
            "@article{smith, title = {Other}, year = 2020, doi = {10.1/x}, author = {Smith, Jr., John}}\n")
    assert imported(channel, run_cli, text).code == 0
    channel.episode("test-episode", "title: T\nschedule: next\nsummary: [x]\ncitations: [worldhealthorganization2023, smith2020]\n")
    assert run_cli("render", cwd=channel.root).code == 0
    refs = (channel.root / "build" / "test-episode" / "references.txt").read_text(encoding="utf-8")
    assert "World Health Organization. Depression fact sheet" in refs and "Organization WH" not in refs
    assert "Smith J Jr" in refs and "Smith JJ" not in refs


def test_a_name_with_too_many_commas_is_named(channel, run_cli):
    lines = refused(channel, run_cli, "@article{a, title={T}, year=2001,\n author = {Roe, Rick and A, B, C, D}}\n")
    assert lines[0].startswith("papers.bib:2: author: name 2 ('A, B, C, D') cannot be read: ")


# --- text, addresses, math -----------------------------------------------------------------------------

def test_addresses_and_identifiers_are_never_read_as_latex(channel, run_cli):
    text = ("@online{o, title = {On}, year = 2019, url = {https://x.org/~a/b%20c_d?q=1&r=2}}\n"
            "@misc{w, title = {Web}, year = 2020, howpublished = {\\url{https://a.org/x_y\\%41}}}\n"
            "@article{d, title = {DOI}, year = 2018, doi = {10.1002/(SICI)1097-4571_x}, eprint = {12345},"
            " eprinttype = {pubmed}}\n")
    assert imported(channel, run_cli, text).code == 0
    found = {entry["title"]: entry for entry in entries(channel).values()}
    assert found["On"]["URL"] == "https://x.org/~a/b%20c_d?q=1&r=2"
    assert found["Web"]["URL"] == "https://a.org/x_y%41"
    assert found["DOI"]["DOI"] == "10.1002/(SICI)1097-4571_x" and found["DOI"]["PMID"] == 12345


@pytest.mark.parametrize("written, reads", [
    ("$\\alpha$-synuclein in the $\\beta$ cells", "α-synuclein in the β cells"),
    ("H$_2$O and $^{13}$C", "H<sub>2</sub>O and <sup>13</sup>C"),
    ("\\textit{In vivo} and \\emph{in vitro}", "<i>In vivo</i> and <i>in vitro</i>"),
    ("Caf{\\'e} na{\\\"\\i}ve {\\o}l {\\L}{\\'o}d{\\'z} \\c{c}a", "Café naïve øl Łódź ça"),
    ("50% of {DNA} \\& RNA, 1990--2000", "50% of DNA & RNA, 1990–2000"),
    ("A~tie", "A tie"),
])
def test_latex_in_a_title_is_the_text_it_prints(channel, run_cli, written, reads):
    assert imported(channel, run_cli, f"@article{{a, title = {{{written}}}, year = 2001}}\n").code == 0
    assert only_entry(channel)["title"] == reads


# --- dates ---------------------------------------------------------------------------------------------

def test_every_bad_year_and_month_of_a_file_is_reported_at_its_line_in_bibtex_terms(channel, run_cli):
    text = ("@article{a, title={A},\n  year = 99999}\n"
            "@article{b, title={B},\n  year = {20a1}}\n"
            "@article{c, title={C}, year = 2001,\n  month = 13}\n"
            "@article{d, title={D},\n  date = {2012-02-30}}\n"
            "@article{e, title={E}, year = 2001}\n")
    assert refused(channel, run_cli, text) == [
        "papers.bib:2: year: 99999 is not a year (a year is 1000 to 9999)",
        "papers.bib:4: year: '20a1' is not a year",
        "papers.bib:6: month: 13 is not a month: write jan ... dec, a month's name or 1 to 12",
        "papers.bib:8: date: '2012-02-30' is not a date (write 2012, 2012-09 or 2012-09-05)",
    ]


def test_a_biblatex_date_is_the_issued_date(channel, run_cli):
    assert imported(channel, run_cli, "@online{o, title = {On}, date = {2019-02-03}, url = {https://b.org/}}\n").code == 0
    assert only_entry(channel)["issued"] == {"date-parts": [[2019, 2, 3]]}


def test_a_bibtex_file_of_problems_in_many_entries_lists_them_all_at_once(channel, run_cli):
    text = "".join(f"@article{{k{n},\n  title = {{T{n}}},\n  year = {{{n}}}}}\n" for n in range(5))
    lines = refused(channel, run_cli, text)
    assert [line.split(":")[1] for line in lines] == ["3", "6", "9", "12", "15"]
