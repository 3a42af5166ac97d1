"""Looking up a paper by DOI or PMID, as `refs add` and `refs verify` do, against the fake services."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from episodekit.errors import ExitCode, NoRecordError, ServiceError
from episodekit.references.lookup import fetch_doi, fetch_pmid, normalise_record

__version__ = version("episodekit")  # what the User-Agent names: the installed distribution


def test_a_doi_gives_the_crossref_record_through_the_redirect(lookup_services):
    record = fetch_doi("10.1038/nm.2886", contact="host@example.org")
    assert record["title"].startswith("Decreased expression of synapse-related genes")
    assert len(record["author"]) == 12
    first, second = lookup_services.requests
    assert (first["service"], second["service"]) == ("doi", "crossref")  # doi.org, then the agency
    assert first["path"] == "/doi/10.1038/nm.2886"
    assert first["headers"]["Accept"] == "application/vnd.citationstyles.csl+json"
    assert second["headers"]["Accept"] == "application/vnd.citationstyles.csl+json"  # kept across the redirect
    assert first["headers"]["User-Agent"] == f"episodekit/{__version__} (mailto:host@example.org)"


def test_a_pmid_gives_the_ncbi_record(lookup_services):
    record = fetch_pmid("22885997")
    assert record["container-title-short"] == "Nat Med" and record["page"] == "1413-7"
    (request,) = lookup_services.requests
    assert request["query"] == {"format": ["csl"], "id": ["22885997"]}
    assert request["headers"]["User-Agent"] == f"episodekit/{__version__}"  # no contact known: no mailto


def test_an_unknown_doi_is_no_record(lookup_services):
    with pytest.raises(NoRecordError) as caught:
        fetch_doi("10.9999/does-not-exist")
    assert "no record for DOI 10.9999/does-not-exist" in str(caught.value)
    assert caught.value.exit_code == ExitCode.INVALID


def test_normalise_gives_the_fields_of_a_library_entry(lookup_services):
    entry = normalise_record(fetch_pmid("22885997"))
    assert entry["page"] == "1413-1417"
    assert entry["author"][0] == {"family": "Kang", "given": "H. J."}


def test_a_service_error_is_exit_3():
    assert ServiceError("x").exit_code == 3
