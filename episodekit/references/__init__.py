"""Authoritative records of the works a channel cites, fetched from the services that hold them.

``lookup`` is the way in: ``fetch_doi`` (CSL-JSON by doi.org content negotiation), ``fetch_pmid``
(CSL-JSON from NCBI's Literature Citation Exporter) and ``normalise_record`` (a record turned into the
fields of a library entry). Beside it: ``wire`` (one GET with timeouts, bounded retries and errors that
say what happened), ``pace`` (NCBI's requests-per-second limit), ``cache`` (answers kept on disk, so a
second lookup sends nothing) and ``normalise``. The library kept from these records and from files:
``sources`` (a CSL-JSON or BibTeX file read into records), ``fields`` (a record as an entry's fields),
``merge`` (which entry a record is, and how they differ), ``libraryfile`` (references.yaml edited in
place) and ``update`` (``refs import``, and the merge ``refs add`` and ``refs verify --fix`` make); then
``authority`` (a work's record: doi.org's and NCBI's, each trusted for its own fields) and ``verify``
(``refs add`` and ``refs verify``). This layer sits beside the pipeline: it imports the
models and the shared modules, nothing above them.
"""
