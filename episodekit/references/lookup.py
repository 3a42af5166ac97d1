"""Fetch the authoritative record of a work, by DOI or by PMID, as CSL-JSON.

    fetch_doi("10.1038/nm.2886", contact="you@example.org")  # doi.org content negotiation
    fetch_pmid("22885997")                                     # NCBI's Literature Citation Exporter
    normalise_record(record)                                   # the fields a library entry keeps

``fetch_doi`` sends ``GET {root}{doi}`` with ``Accept: application/vnd.citationstyles.csl+json`` and
follows the redirect to the agency that registered the DOI; the root is ``$EPISODEKIT_DOI_ROOT``, else
``https://doi.org/``. ``fetch_pmid`` sends ``GET {root}?format=csl&id={pmid}``; the root is
``$EPISODEKIT_NCBI_ROOT``, else ``https://api.ncbi.nlm.nih.gov/lit/ctxp/v1/pubmed/``. NCBI's limit is
kept for the whole process: 3 requests a second, or 10 with an API key (``api_key=``, else
``$EPISODEKIT_NCBI_API_KEY``; a secret, never shown). With a ``contact`` e-mail (``contact_email`` in
channel.yaml) the User-Agent is ``episodekit/<version> (mailto:<contact>)``.

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

from ..errors import UsageError
from ..models.channel import EMAIL
from ..models.reference import DOI_PREFIX
from . import cache
from .normalise import normalise_record
from .pace import RateLimiter
from .wire import CSL_JSON, Ask, Wire, get_record

DOI_ROOT_ENV, DEFAULT_DOI_ROOT = "EPISODEKIT_DOI_ROOT", "https://doi.org/"
NCBI_ROOT_ENV, DEFAULT_NCBI_ROOT = "EPISODEKIT_NCBI_ROOT", "https://api.ncbi.nlm.nih.gov/lit/ctxp/v1/pubmed/"
NCBI_KEY_ENV = "EPISODEKIT_NCBI_API_KEY"
NCBI_PER_SECOND, NCBI_PER_SECOND_WITH_KEY = 3, 10
_DOI = re.compile(r"10\.[0-9]+(?:\.[0-9]+)*/\S+")
_PMID_PREFIX = re.compile(r"^(?:pmid\s*:?\s*)", re.IGNORECASE)

__all__ = ["Lookup", "fetch_doi", "fetch_pmid", "normalise_record", "normal_doi", "normal_pmid"]


@dataclass
class Lookup:
    """The lookups of one process: its NCBI rate limit and its connections. ``fetch_doi`` and ``fetch_pmid``
    share one; a test makes its own with a clock and a sleep of its own."""

    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    wire: Wire = field(default=None)  # type: ignore[assignment]
    ncbi_pace: RateLimiter = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.wire = self.wire or Wire(sleep=self.sleep)
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
            secret = api_key or os.environ.get(NCBI_KEY_ENV) or None
            per_second = NCBI_PER_SECOND_WITH_KEY if secret else NCBI_PER_SECOND
            params = {"format": "csl", "id": key, **({"api_key": secret} if secret else {})}
            ask = Ask(url=os.environ.get(NCBI_ROOT_ENV) or DEFAULT_NCBI_ROOT, what=f"PMID {key}",
                      headers={"Accept": "application/json", "User-Agent": user_agent(contact)},
                      params=params, before_each=lambda: self.ncbi_pace.wait(per_second))
            record = get_record(self.wire, ask)
            cache.keep_record("pubmed", key, record)
        return record


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
