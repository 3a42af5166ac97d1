"""Fetch the authoritative record of a work, by DOI or by PMID, as CSL-JSON.

    fetch_doi("10.1038/nm.2886", contact="you@example.org")  # doi.org content negotiation
    fetch_pmid("22885997")                                     # NCBI's Literature Citation Exporter
    normalise_record(record)                                   # the fields a library entry keeps

``fetch_doi`` sends ``GET {root}{doi}`` with ``Accept: application/vnd.citationstyles.csl+json`` and
follows the redirect to the agency that registered the DOI; the root is ``$EPISODEKIT_DOI_ROOT``, else
``https://doi.org/``. ``fetch_pmid`` sends ``GET {root}?format=csl&id={pmid}``; the root is
``$EPISODEKIT_NCBI_ROOT``, else ``https://api.ncbi.nlm.nih.gov/lit/ctxp/v1/pubmed/``. ``pmid_of_doi``
asks NCBI's E-utilities which PubMed record has a DOI: ``GET {root}esearch.fcgi?db=pubmed&term=<DOI>[doi]
&retmode=json`` with ``tool`` and ``email`` (the root is ``$EPISODEKIT_EUTILS_ROOT``, else
``https://eutils.ncbi.nlm.nih.gov/entrez/eutils/``); it answers the one PMID, or None when PubMed has no
record of the DOI or more than one. NCBI's limit is kept for the whole process and for both NCBI services
together: 3 requests a second, or 10 with an API key (``api_key=``, else ``$EPISODEKIT_NCBI_API_KEY``; a
secret, never shown). With a ``contact`` e-mail (``contact_email`` in channel.yaml) the User-Agent is
``episodekit/<version> (mailto:<contact>)``.

Each answer that is a well-formed record is kept on disk (see ``cache``), so asking again sends
nothing; ``refresh=True`` asks the service anyway and keeps the new answer. The errors are those of
``episodekit.errors``: :class:`NoRecordError` (exit 1), :class:`ServiceError` and its
:class:`ServiceUnreachable` and :class:`MalformedRecordError` (exit 3), :class:`UsageError` for a
text that is not a DOI or a PMID.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import quote

from ..errors import MalformedRecordError, UsageError
from ..models.channel import EMAIL
from ..models.reference import DOI_PREFIX
from ..retrying import lookup_retry
from . import cache
from .normalise import normalise_record
from .pace import RateLimiter
from .wire import CSL_JSON, Ask, Wire, get_json, get_record

DOI_ROOT_ENV, DEFAULT_DOI_ROOT = "EPISODEKIT_DOI_ROOT", "https://doi.org/"
NCBI_ROOT_ENV, DEFAULT_NCBI_ROOT = "EPISODEKIT_NCBI_ROOT", "https://api.ncbi.nlm.nih.gov/lit/ctxp/v1/pubmed/"
EUTILS_ROOT_ENV, DEFAULT_EUTILS_ROOT = "EPISODEKIT_EUTILS_ROOT", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
NCBI_KEY_ENV = "EPISODEKIT_NCBI_API_KEY"
TOOL = "episodekit"  # the ``tool`` E-utilities asks every program to name itself by
NCBI_PER_SECOND, NCBI_PER_SECOND_WITH_KEY = 3, 10
_DOI = re.compile(r"10\.[0-9]+(?:\.[0-9]+)*/\S+")
_PMID_PREFIX = re.compile(r"^(?:pmid\s*:?\s*)", re.IGNORECASE)

__all__ = ["Lookup", "fetch_doi", "fetch_pmid", "pmid_of_doi", "normalise_record", "normal_doi", "normal_pmid"]


@dataclass
class Lookup:
    """The lookups of one process: its NCBI rate limit and its connections. ``fetch_doi`` and ``fetch_pmid``
    share one; a test makes its own with a clock and a sleep of its own."""

    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    wire: Wire = field(default=None)  # type: ignore[assignment]
    ncbi_pace: RateLimiter = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.wire = self.wire or Wire(retry=lookup_retry(self.sleep))
        self.ncbi_pace = self.ncbi_pace or RateLimiter(clock=self.clock, sleep=self.sleep)

    def doi(self, doi: str, *, contact: str | None = None, refresh: bool = False) -> dict[str, Any]:
        """The CSL-JSON record of ``doi`` from doi.org (or the cache)."""
        key = normal_doi(doi)
        record = None if refresh else cache.cached_record("doi", key.lower())
        if record is None:
            root = os.environ.get(DOI_ROOT_ENV) or DEFAULT_DOI_ROOT
            ask = Ask(url=root + quote(key, safe="/"), what=f"DOI {key}",
                      headers={"Accept": CSL_JSON, "User-Agent": user_agent(contact)})
            record = get_record(self.wire, ask)
            cache.keep_record("doi", key.lower(), record)
        return record

    def pmid(self, pmid: str, *, contact: str | None = None, api_key: str | None = None,
             refresh: bool = False) -> dict[str, Any]:
        """The CSL-JSON record of ``pmid`` from NCBI's citation exporter (or the cache)."""
        key = normal_pmid(pmid)
        record = None if refresh else cache.cached_record("pubmed", key)
        if record is None:
            ask = self._ncbi_ask(os.environ.get(NCBI_ROOT_ENV) or DEFAULT_NCBI_ROOT, f"PMID {key}",
                                 {"format": "csl", "id": key}, contact, api_key)
            record = get_record(self.wire, ask)
            cache.keep_record("pubmed", key, record)
        return record

    def pmid_of_doi(self, doi: str, *, contact: str | None = None, api_key: str | None = None,
                    refresh: bool = False) -> str | None:
        """The PMID of the PubMed record of ``doi`` (E-utilities' esearch, or the cache); None without one."""
        key = normal_doi(doi).lower()
        kept = None if refresh else cache.cached_record("esearch", key)
        if kept is None:
            root = os.environ.get(EUTILS_ROOT_ENV) or DEFAULT_EUTILS_ROOT
            params = {"db": "pubmed", "term": f"{key}[doi]", "retmode": "json", "tool": TOOL,
                      **({"email": contact.strip()} if contact else {})}
            ask = self._ncbi_ask(root.rstrip("/") + "/esearch.fcgi", f"the PMID of DOI {key}", params, contact, api_key)
            kept = {"idlist": found_ids(get_json(self.wire, ask), ask.what)}
            cache.keep_record("esearch", key, kept)
        ids = kept.get("idlist") or []
        return str(ids[0]) if len(ids) == 1 else None

    def _ncbi_ask(self, url: str, what: str, params: dict[str, str], contact: str | None,
                  api_key: str | None) -> Ask:
        """A request to NCBI, under its rate limit for the whole process, with the API key when there is one."""
        secret = api_key or os.environ.get(NCBI_KEY_ENV) or None
        per_second = NCBI_PER_SECOND_WITH_KEY if secret else NCBI_PER_SECOND
        return Ask(url=url, what=what, headers={"Accept": "application/json", "User-Agent": user_agent(contact)},
                   params={**params, **({"api_key": secret} if secret else {})},
                   before_each=lambda: self.ncbi_pace.wait(per_second))


def found_ids(answer: dict[str, Any], what: str) -> list[str]:
    """The PMIDs of an esearch answer (``esearchresult.idlist``); :class:`MalformedRecordError` for another shape."""
    result = answer.get("esearchresult")
    ids = result.get("idlist") if isinstance(result, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) and i.isascii() and i.isdigit() for i in ids):
        said = f": {result['ERROR']}" if isinstance(result, dict) and isinstance(result.get("ERROR"), str) else ""
        raise MalformedRecordError(f"NCBI's E-utilities answered something that is not a search result for {what}"
                                   f"{said[:200]}; try again later")
    return [str(int(i)) for i in ids]


_SHARED: list[Lookup] = []


def shared_lookup() -> Lookup:
    """The process-wide :class:`Lookup`, made on first use (its rate limit holds across calls)."""
    if not _SHARED:
        _SHARED.append(Lookup())
    return _SHARED[0]


def fetch_doi(doi: str, *, contact: str | None = None, refresh: bool = False,
              lookup: Lookup | None = None) -> dict[str, Any]:
    """CSL-JSON of ``doi`` by doi.org content negotiation, from the cache when it is there."""
    return (lookup or shared_lookup()).doi(doi, contact=contact, refresh=refresh)


def fetch_pmid(pmid: str, *, contact: str | None = None, api_key: str | None = None, refresh: bool = False,
               lookup: Lookup | None = None) -> dict[str, Any]:
    """CSL-JSON of ``pmid`` from NCBI's Literature Citation Exporter, from the cache when it is there."""
    return (lookup or shared_lookup()).pmid(pmid, contact=contact, api_key=api_key, refresh=refresh)


def pmid_of_doi(doi: str, *, contact: str | None = None, refresh: bool = False,
                lookup: Lookup | None = None) -> str | None:
    """The PMID PubMed has for ``doi`` (E-utilities), from the cache when it is there; None without one."""
    return (lookup or shared_lookup()).pmid_of_doi(doi, contact=contact, refresh=refresh)


def normal_doi(doi: str) -> str:
    """``doi`` without ``https://doi.org/`` or ``doi:`` before it; :class:`UsageError` if it is not a DOI."""
    bare = DOI_PREFIX.sub("", doi.strip()).strip()
    if not _DOI.fullmatch(bare):
        raise UsageError(f"{doi.strip()!r} is not a DOI: a DOI starts with '10.' and has a '/', "
                         "like 10.1038/nm.2886")
    return bare


def normal_pmid(pmid: str | int) -> str:
    """``pmid`` as digits without leading zeros (``PMID: 0123`` is ``123``); :class:`UsageError` otherwise."""
    bare = _PMID_PREFIX.sub("", str(pmid).strip())
    if not bare.isascii() or not bare.isdigit() or int(bare) == 0:
        raise UsageError(f"{str(pmid).strip()!r} is not a PubMed id: a PMID is a number, like 22885997")
    return str(int(bare))


def user_agent(contact: str | None) -> str:
    """``episodekit/<version>``, with ``(mailto:<contact>)`` when an e-mail address is known."""
    try:
        own = f"episodekit/{version('episodekit')}"
    except PackageNotFoundError:  # pragma: no cover - run from a checkout that was never installed
        own = "episodekit"
    if contact is None:
        return own
    if not EMAIL.fullmatch(contact.strip()):
        raise UsageError(f"{contact!r} is not an e-mail address such as you@example.org")
    return f"{own} (mailto:{contact.strip()})"
