"""A typed citation without a DOI is matched to its record by Crossref's bibliographic search (the local fake)."""

from __future__ import annotations

from episodekit.references.crossref import MATCH, MISATTRIBUTED, NONE, match_citation

YANG = ("Yang CC, Barrós-Loscertales A, Pinazo D, et al. State and training effects of mindfulness meditation on "
        "brain networks reflect neuronal mechanisms of its antidepressant effect. Neural Plast. 2016;2016:9504642.")
YANG_FIELDS = {"author": [{"family": "Yang", "given": "C. C."}], "issued": {"date-parts": [[2016]]},
               "title": "State and training effects of mindfulness meditation on brain networks reflect neuronal "
                        "mechanisms of its antidepressant effect"}
ANDRE = ("André RB, Lopes M, Fregni F. A systematic review and meta-analysis of clinical studies on major depression "
         "and BDNF levels: implications for the role of neuroplasticity in depression, Int. Journal of "
         "Neuropsychopharmacology (2008), 11, 1169–1180.")
ANDRE_FIELDS = {"author": [{"family": "André", "given": "R. B."}], "issued": {"date-parts": [[2008]]},
                "title": "A systematic review and meta-analysis of clinical studies on major depression and BDNF "
                         "levels: implications for the role of neuroplasticity in depression"}


def test_a_match_whose_author_and_year_agree_gives_its_doi(lookup_services):
    found = match_citation(YANG_FIELDS, YANG, contact="host@example.org")
    assert (found.kind, found.doi) == (MATCH, "10.1155/2016/9504642")
    (request,) = lookup_services.requests
    assert request["path"] == "/crossref-api/works"
    assert request["query"]["query.bibliographic"] == [YANG] and request["query"]["rows"] == ["3"]
    assert request["query"]["mailto"] == ["host@example.org"]
    assert "(mailto:host@example.org)" in request["headers"]["User-Agent"]


def test_the_same_title_under_another_first_author_is_a_misattribution_naming_both(lookup_services):
    found = match_citation(ANDRE_FIELDS, ANDRE)
    assert found.kind == MISATTRIBUTED
    assert "'André RB' (2008)" in found.reason and "'Brunoni AR' (2008), doi 10.1017/S1461145708009309" in found.reason
    assert "not applied" in found.reason


def test_a_match_in_another_year_is_a_misattribution_too(lookup_services):
    found = match_citation({**YANG_FIELDS, "issued": {"date-parts": [[2015]]}}, YANG)
    assert found.kind == MISATTRIBUTED and "'Yang CC' (2015)" in found.reason


def test_nothing_like_it_is_no_match(lookup_services):
    found = match_citation({"title": "Cooking with lentils"}, "Smith J. Cooking with lentils. Food Q. 2001;3:1-2.")
    assert found.kind == NONE and found.doi is None and "no record like it" in found.reason


def test_a_low_score_is_no_match_and_says_the_score(lookup_services):
    lookup_services.scores["10.1155/2016/9504642"] = 41.5
    found = match_citation(YANG_FIELDS, YANG)
    assert found.kind == NONE and found.doi is None
    assert "scored 41.5, below 60" in found.reason and "'Yang CC' (2016)" in found.reason


def test_a_second_search_of_the_same_text_sends_nothing(lookup_services):
    match_citation(YANG_FIELDS, YANG)
    match_citation(YANG_FIELDS, "  " + YANG.replace(" ", "  "))  # the same text, spaced otherwise
    assert lookup_services.count("search") == 1
