"""Records kept on disk, so a second lookup of the same work makes no request.

One JSON file per record under ``<cache>/records/<service>/``, named by a hash of the normalised
identifier (a DOI in lower case: DOIs are case-insensitive), holding the identifier and the record as
the service sent it. ``<cache>`` is ``$EPISODEKIT_CACHE_DIR``, else the user cache folder
(``~/.cache/episodekit`` on Linux). Writes are atomic; a file that cannot be read or is not a record
of that identifier is a miss (the lookup asks again and replaces it); a cache that cannot be written
costs the next run a request, never the lookup.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any


from ..atomic import write_text_atomic
from ..paths import cache_root

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """The cache folder: ``$EPISODEKIT_CACHE_DIR``, else the user cache folder of episodekit."""
    return cache_root()


def record_path(service: str, key: str) -> Path:
    """The cache file of ``service``'s record for ``key``."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
    return cache_dir() / "records" / service / f"{digest}.json"


def cached_record(service: str, key: str) -> dict[str, Any] | None:
    """The record kept for ``key`` of ``service``, or None."""
    path = record_path(service, key)
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("id") != key or not isinstance(kept.get("record"), dict):
        return None
    log.debug("%s %s: from the cache (%s)", service, key, path)
    return kept["record"]


def keep_record(service: str, key: str, record: dict[str, Any]) -> None:
    """Keep ``record`` for ``key`` of ``service``; a cache that cannot be written is logged and skipped."""
    path = record_path(service, key)
    text = json.dumps({"service": service, "id": key, "record": record}, ensure_ascii=False, indent=1)
    try:
        write_text_atomic(path, text + "\n", durable=False)
    except OSError as exc:
        log.warning("cannot keep the %s record of %s in %s: %s", service, key, path.parent, exc.strerror or exc)
