"""Fakes of doi.org content negotiation, NCBI's Literature Citation Exporter and E-utilities, and Crossref's
search, on 127.0.0.1.

Built from the services' documented behaviour:

* doi.org: ``GET /{doi}`` with ``Accept: application/vnd.citationstyles.csl+json`` answers a 302 to
  the registration agency (Crossref: ``/v1/works/{doi}/transform``), which answers the CSL-JSON with
  that content type. Without that ``Accept`` doi.org redirects to the publisher's landing page (an
  HTML page here). An unknown DOI is a 404 (doi.org's "DOI Not Found" page). DOIs are case-insensitive.
* NCBI: ``GET /lit/ctxp/v1/pubmed/?format=csl&id={pmid}`` answers the CSL-JSON object; an unknown
  PMID is a 404, a ``format`` other than ``csl`` a 400.
* NCBI's E-utilities: ``GET /eutils/esearch.fcgi?db=pubmed&term={doi}[doi]&retmode=json`` answers
  ``{"esearchresult": {"idlist": [...]}}``: the PMID of the NCBI record with that DOI, or an empty list.

The records are files under ``records/``, written in each service's shape for the sample papers
(``records/doi/*.json`` as Crossref sends them, ``records/pubmed/*.json`` as NCBI does). Faults are
queued per service with :meth:`FakeServices.fail_next` (a 429 with ``Retry-After``, a 503, a
malformed body…). Every request is logged in ``requests`` (service, path, query, headers) so tests can
count them. Each service is one route in ``ROUTES`` of ``server.py`` (Crossref's bibliographic search
``works?query.bibliographic=`` and E-utilities' esearch too).
"""

from .server import MALFORMED, FakeServices, Fault

__all__ = ["FakeServices", "Fault", "MALFORMED"]
