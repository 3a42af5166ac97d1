"""A record from doi.org or NCBI becomes the fields of a library entry: what `refs add` would write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from episodekit.models.reference import Reference
from episodekit.references.lookup import fetch_doi, fetch_pmid, normalise_record
from episodekit.references.normalise import full_page_range

RECORDS = Path(__file__).resolve().parent.parent / "fake_services" / "records"
ALL = sorted(RECORDS.rglob("*.json"))
ENTRY_FIELDS = {"type", "author", "title", "container-title", "container-title-short", "publisher", "issued",
                "volume", "issue", "page", "DOI", "PMID", "URL"}


def record(relative: str) -> dict:
    return json.loads((RECORDS / relative).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ALL, ids=[f"{p.parent.name}/{p.stem}" for p in ALL])
def test_every_recorded_answer_becomes_a_valid_library_entry(path):
    entry = normalise_record(json.loads(path.read_text(encoding="utf-8")))
    assert set(entry) <= ENTRY_FIELDS  # nothing the model does not have (ISSN, PMCID, indexed, link…)
    Reference.model_validate(entry)  # no bare initials, a full page range, a real date
    assert list(entry) == [name for name in ENTRY_FIELDS_IN_ORDER if name in entry]


ENTRY_FIELDS_IN_ORDER = ["type", "author", "title", "container-title", "container-title-short", "publisher",
                         "issued", "volume", "issue", "page", "DOI", "PMID", "URL"]


def test_the_first_sample_paper_s_record_names_brunoni_first():
    entry = normalise_record(record("doi/brunoni2008.json"))
    assert entry["author"] == [{"family": "Brunoni", "given": "André Russowsky"},
                               {"family": "Lopes", "given": "Mariana"}, {"family": "Fregni", "given": "Felipe"}]
    assert entry["issued"] == {"date-parts": [[2008, 12]]}  # the print issue, as NLM cites it
    assert entry["page"] == "1169-1180" and entry["volume"] == "11" and entry["issue"] == "8"
    assert "publisher" not in entry and "URL" not in entry  # a journal article with a DOI


def test_ncbi_s_medline_pages_initials_and_title_period_are_made_plain():
    entry = normalise_record(record("pubmed/kang2012.json"))
    assert entry == {
        "author": entry["author"],
        "title": "Decreased expression of synapse-related genes and loss of synapses in major depressive disorder",
        "container-title": "Nature medicine",
        "container-title-short": "Nat Med",
        "issued": {"date-parts": [[2012, 9]]},
        "volume": "18", "issue": "9", "page": "1413-1417", "DOI": "10.1038/nm.2886", "PMID": "22885997",
    }
    assert entry["author"][0] == {"family": "Kang", "given": "H. J."}
    assert entry["author"][4] == {"family": "Stockmeier", "given": "C. A."}
    assert len(entry["author"]) == 12


def test_both_services_agree_on_the_same_paper():
    by_doi, by_pmid = normalise_record(record("doi/kang2012.json")), normalise_record(record("pubmed/kang2012.json"))
    for name in ("issued", "volume", "issue", "page", "DOI", "container-title-short"):
        assert by_doi[name] == by_pmid[name], name
    assert [a["family"] for a in by_doi["author"]] == [a["family"] for a in by_pmid["author"]]
    assert [a["given"] for a in by_doi["author"]] == [a["given"] for a in by_pmid["author"]]


def test_an_online_only_paper_keeps_its_article_number_as_its_page():
    entry = normalise_record(record("doi/yang2016.json"))
    assert entry["page"] == "9504642" and entry["volume"] == "2016"
    assert entry["issued"] == {"date-parts": [[2016, 2, 21]]}  # no print issue: the date the record gives
    assert normalise_record(record("pubmed/yang2016.json"))["issued"] == {"date-parts": [[2016]]}


def test_a_full_author_list_is_kept_in_order():
    entry = normalise_record(record("pubmed/rush2006.json"))
    assert len(entry["author"]) == 16
    assert entry["author"][0] == {"family": "Rush", "given": "A John"}
    assert entry["author"][-1] == {"family": "Fava", "given": "Maurizio"}
    assert entry["page"] == "1905-1917" and entry["PMID"] == "17074942"


@pytest.mark.parametrize("medline, full", [
    ("1413-7", "1413-1417"), ("1169-80", "1169-1180"), ("20-9", "20-29"), ("1199-205", "1199-1205"),
    ("49-57", "49-57"), ("99-101", "99-101"), ("1413–1417", "1413-1417"), ("S12-8", "S12-S18"),
    ("e123", "e123"), ("9504642", "9504642"), ("1413-2", "1413-2"), (None, None),
])
def test_page_ranges_are_written_in_full(medline, full):
    assert full_page_range(medline) == full


def test_crossref_s_list_shapes_and_markup_are_read():
    entry = normalise_record({
        "type": "journal-article", "title": ["Ketamine and <jats:italic>BDNF</jats:italic>\n  in rats"],
        "container-title": ["Journal of Things"], "short-container-title": ["J Things"],
        "author": [{"given": "A", "family": "Smith"}, {"name": "The STAR*D Investigators"}, "junk"],
        "issued": {"date-parts": [[2020, None]]}, "published-print": {"date-parts": [[None]]},
        "page": "1-9", "DOI": "10.1/x", "URL": "https://doi.org/10.1/x", "ISSN": ["1234-5678"],
    })
    assert entry == {
        "author": [{"family": "Smith", "given": "A."}, {"literal": "The STAR*D Investigators"}],
        "title": "Ketamine and <i>BDNF</i> in rats", "container-title": "Journal of Things",
        "container-title-short": "J Things", "issued": {"date-parts": [[2020]]}, "page": "1-9", "DOI": "10.1/x",
    }


@pytest.mark.parametrize("csl_type, kind", [
    ("book", "book"), ("monograph", "book"), ("book-chapter", "chapter"), ("paper-conference", "chapter"),
    ("report", "report"), ("dissertation", "thesis"), ("dataset", "dataset"), ("posted-content", "article"),
    ("software", "article"), ("webpage", "webpage"),
])
def test_types_map_to_the_library_s_types_and_a_book_keeps_its_publisher(csl_type, kind):
    entry = normalise_record({"type": csl_type, "title": "A work", "publisher": "A Press", "URL": "https://example.org/w"})
    assert entry["type"] == kind and entry["publisher"] == "A Press"
    assert entry["URL"] == "https://example.org/w"  # no DOI: the address is how to find it
    Reference.model_validate(entry)


def test_a_looked_up_record_normalises_the_same_as_the_file(lookup_services):
    assert normalise_record(fetch_doi("10.1038/nm.2886")) == normalise_record(record("doi/kang2012.json"))
    assert normalise_record(fetch_pmid("26998365")) == normalise_record(record("pubmed/yang2016.json"))
