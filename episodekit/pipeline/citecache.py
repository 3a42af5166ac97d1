"""A cache of citeproc-py's raw text, in memory for a run and on disk between runs.

In a numeric style (Vancouver, AMA) an entry's text does not depend on the other entries: the
number is the only part that does, and it is dropped from the text (``cite._finish_entry``) and
shown as our own label. So each distinct (style, entry) is formatted once, alone, and its raw text
(before ``_finish_entry``, so the finishing rules stay outside the cache) is kept. An author-date
style (APA) needs the whole list: its order is sorted by the style, and its cues are made with the
list registered. It is cached per episode list: the ordered list of the entries is the key.

Keys: the hash of the files a style's texts are made from, read as bytes without parsing anything
(:func:`style_key`: the CSL file, the citeproc-py locale files it can load, the module that tweaks and
renders the style, citeproc-py's version), the content hash of each entry (canonical JSON of the CSL
item handed to citeproc-py, without its id) and citeproc-py's version. So a run whose entries are all
in the cache neither parses the style nor imports citeproc-py (or lxml). One file per style holds every entry, loaded once per
run and written once at the end (:func:`save`), atomically; a run that finds it written by another
run in the meantime merges both, and the last writer wins. A file that is corrupt, unreadable or
for another key is ignored and rewritten, never an error: the cache can only make a run faster,
never change its output.

Where: ``EPISODEKIT_CACHE_DIR`` or the user cache folder (platformdirs) / ``episodekit``, then
``cite/``. ``EPISODEKIT_NO_CACHE=1`` turns it off: each episode's list is formatted as a whole,
as before the cache existed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any


from ..atomic import remove_stale_temps, write_text_atomic
from ..paths import cache_root, caches_on

FORMAT = 2  # of the cache file and of what it stores (cite._render, plain text); change it when either changes
MAX_ENTRIES = 20_000  # past this many, a save keeps only what the run used
COUNTS: Counter[str] = Counter()  # "entries": formatted by citeproc-py; "hits": taken from the cache
log = logging.getLogger(__name__)

Renderer = Callable[[Any, list[dict[str, Any]], bool], tuple[list[str], dict[str, str], dict[str, str]]]
_LOCALE = re.compile(rb'default-locale="([A-Za-z-]+)"')
_VERSION = re.compile(rb'"version": "([^"]+)"')  # in citeproc-py's _version.py (versioneer's JSON)
_stores: dict[Path, _Store] = {}
_run_stores: dict[tuple[str, str], _Store] = {}  # (style name, key) -> its store, for this run
_lock = threading.RLock()


@dataclass(frozen=True)
class StyleSource:
    """A citation style as the cache knows it before it is parsed: the name of its CSL file ("apa"),
    :func:`style_key` of its files, and how to parse it (called only when an entry is missing)."""

    name: str
    key: str
    parse: Callable[[], Any]


@dataclass(frozen=True)
class Rendered:
    """What ``cite`` needs from citeproc-py: bibliography order, raw texts and cues by key,
    and the number each raw text was rendered with (the label ``_finish_entry`` drops)."""

    order: list[str]
    texts: dict[str, str]
    cues: dict[str, str]
    numbers: dict[str, int]


@dataclass
class _Store:
    path: Path
    key: dict[str, Any]  # what the file must say it is for
    entries: dict[str, str] = field(default_factory=dict)  # entry hash -> raw text
    lists: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # list hash -> order/texts/cues
    used: set[str] = field(default_factory=set)
    dirty: bool = False
    finished: dict[tuple[str, str], str] = field(default_factory=dict)  # (form, entry) -> finished text, this run


def enabled() -> bool:
    """Whether the citation cache is on (``EPISODEKIT_NO_CACHE`` unset, empty or 0)."""
    return caches_on()


def cache_dir() -> Path:
    """The folder of the citation cache."""
    return cache_root() / "cite"


def render(style: StyleSource, items: list[dict[str, Any]], numeric: bool, renderer: Renderer) -> Rendered:
    """Format ``items`` (CSL-JSON with ids) in ``style``, from the cache where it can."""
    keys = [str(item["id"]) for item in items]
    if not enabled():
        order, texts, cues = renderer(style.parse(), items, numeric)
        COUNTS["entries"] += len(items)
        return Rendered(order, texts, cues, {key: order.index(key) + 1 for key in order})
    with _lock:
        store = _store_for(style)
        hashes = [entry_hash(item) for item in items]
        if numeric:
            return _numeric(store, style, items, keys, hashes, renderer)
        return _author_date(store, style, items, keys, hashes, renderer)


def finished_texts(style: StyleSource) -> dict[tuple[str, str], str] | None:
    """The entries of a numeric ``style`` finished this run (``cite`` fills it), by (identifier form,
    canonical JSON of the entry as cited, id aside): an entry cited by many episodes is formatted and
    finished once a run. None when the cache is off."""
    if not enabled():
        return None
    with _lock:
        return _store_for(style).finished


def note_hits(count: int) -> None:
    """``count`` entries taken from what this run already finished."""
    COUNTS["hits"] += count


def _numeric(store: _Store, style: StyleSource, items: list[dict[str, Any]], keys: list[str],
             hashes: list[str], renderer: Renderer) -> Rendered:
    """Each entry alone, so its raw text carries the number 1 wherever the episode cites it."""
    texts = {}
    for item, key, digest in zip(items, keys, hashes):
        raw = store.entries.get(digest)
        if raw is None:
            _, alone, _ = renderer(style.parse(), [item], True)
            raw = store.entries[digest] = alone.get(key, "")
            store.dirty = True
            COUNTS["entries"] += 1
        else:
            COUNTS["hits"] += 1
        store.used.add(digest)
        texts[key] = raw
    return Rendered(keys, texts, {}, dict.fromkeys(keys, 1))


def _author_date(store: _Store, style: StyleSource, items: list[dict[str, Any]], keys: list[str],
                 hashes: list[str], renderer: Renderer) -> Rendered:
    """The whole list at once, cached under the ordered list of its entries."""
    digest = _digest("\n".join(hashes))
    cached = store.lists.get(digest)
    if cached is None:
        order, texts, cues = renderer(style.parse(), items, False)
        cached = store.lists[digest] = {
            "order": [keys.index(key) for key in order],
            "texts": [texts.get(key, "") for key in keys],
            "cues": [cues.get(key, "") for key in keys],
        }
        store.dirty = True
        COUNTS["entries"] += len(items)
    else:
        COUNTS["hits"] += len(items)
    store.used.add(digest)
    order = [keys[i] for i in cached["order"]]
    return Rendered(order, dict(zip(keys, cached["texts"])), dict(zip(keys, cached["cues"])),
                    {key: n for n, key in enumerate(order, start=1)})


def entry_hash(item: dict[str, Any]) -> str:
    """The content hash of a CSL item: canonical JSON of everything but its id."""
    return _digest(entry_content(item))


def entry_content(item: Any) -> str:
    """Canonical JSON of a CSL item, its id aside."""
    content = {k: v for k, v in item.items() if k != "id"}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_typed)


def style_key(csl: Path, code: Path) -> str:
    """The hash of what a style's raw texts are made from, read as bytes: the CSL file ``csl``, the
    citeproc-py locale files it can load (its default locale, that language's primary dialect, en-US,
    and the list that names the dialects), the module ``code`` that tweaks and renders it, and
    citeproc-py's version. A missing file counts as missing; parsing it is left to the run that formats."""
    spec = importlib.util.find_spec("citeproc")
    locales = Path(spec.origin).parent / "data" / "locales" if spec is not None and spec.origin else None
    style = _bytes(csl)
    found = _LOCALE.search(style or b"")
    default = found.group(1).decode() if found else "en-US"
    names = [default, _primary_dialect(locales, default.split("-")[0]), "en-US"]
    parts = [style, _bytes(code), *(_bytes(locales / f"locales-{name}.xml") if locales and name else None
                                     for name in names)]
    parts.append(_bytes(locales / "locales.json") if locales else None)
    digest = hashlib.sha256(citeproc_version().encode())
    for part in parts:
        digest.update(b"-" if part is None else hashlib.sha256(part).digest())
    return digest.hexdigest()


def _primary_dialect(locales: Path | None, language: str) -> str | None:
    try:
        return json.loads((locales / "locales.json").read_bytes())["primary-dialects"].get(language)  # type: ignore[operator]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


@lru_cache(maxsize=1)
def citeproc_version() -> str:
    """citeproc-py's version, part of every key: its ``__version__``, read from the file it is kept in
    (``citeproc/_version.py``) without importing citeproc-py; "unknown" without one."""
    spec = importlib.util.find_spec("citeproc")
    source = _bytes(Path(spec.origin).parent / "_version.py") if spec is not None and spec.origin else None
    found = _VERSION.search(source or b"")
    return found.group(1).decode() if found else "unknown"


def save() -> None:
    """Write what this run added, one file per style, and forget the run's stores."""
    with _lock:
        stores = list(_stores.values())
        _stores.clear()
        _run_stores.clear()
    for store in stores:
        if store.dirty:
            _write(store)


def _store_for(style: StyleSource) -> _Store:
    known = _run_stores.get((style.name, style.key))
    if known is not None:
        return known
    digest, version = style.key, citeproc_version()
    path = cache_dir() / f"{_style_name(style.name)}-{digest[:24]}-citeproc-{version}-v{FORMAT}.json"
    store = _stores.get(path)
    if store is None:
        key = {"format": FORMAT, "citeproc": version, "style": digest}
        store = _stores[path] = _Store(path, key)
        store.entries, store.lists = _read(path, key)
    _run_stores[(style.name, style.key)] = store
    return store


def _read(path: Path, key: dict[str, Any]) -> tuple[dict[str, str], dict[str, dict[str, list[Any]]]]:
    """The entries and lists of a cache file; nothing when it is missing, corrupt or another key's."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        if not isinstance(exc, FileNotFoundError):
            log.debug("ignoring the citation cache %s: %s", path, exc)
        return {}, {}
    if not isinstance(data, dict) or any(data.get(k) != v for k, v in key.items()):
        log.debug("ignoring the citation cache %s: not for this style and citeproc-py", path)
        return {}, {}
    entries = data.get("entries")
    entries = {k: v for k, v in entries.items() if isinstance(v, str)} if isinstance(entries, dict) else {}
    lists = data.get("lists")
    lists = {k: v for k, v in lists.items() if _valid_list(v)} if isinstance(lists, dict) else {}
    return entries, lists


def _valid_list(value: Any) -> bool:
    if not isinstance(value, dict) or not all(isinstance(value.get(k), list) for k in ("order", "texts", "cues")):
        return False
    size = len(value["texts"])
    return (len(value["cues"]) == size and sorted(value["order"]) == list(range(size))
            and all(isinstance(t, str) for t in value["texts"] + value["cues"]))


def _write(store: _Store) -> None:
    """Merge with what another run may have written since, then replace the file atomically."""
    entries, lists = _read(store.path, store.key)
    entries.update(store.entries)
    lists.update(store.lists)
    if len(entries) + len(lists) > MAX_ENTRIES:
        entries = {k: v for k, v in entries.items() if k in store.used}
        lists = {k: v for k, v in lists.items() if k in store.used}
    text = json.dumps({**store.key, "entries": entries, "lists": lists}, ensure_ascii=False,
                      separators=(",", ":"))
    try:
        remove_stale_temps(store.path)  # left by a run that was killed while writing
        write_text_atomic(store.path, text, durable=False)  # a cache can always be made again
    except OSError as exc:
        log.debug("could not write the citation cache %s: %s", store.path, exc)


def _style_name(name: str) -> str:
    """A readable part of the file name: the style's name ("apa"), in letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "style"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _typed(value: Any) -> dict[str, str]:
    """JSON for a value that has none (a date, say), kept apart from a string of the same text."""
    return {"type": type(value).__name__, "value": str(value)}


def forget() -> None:
    """Drop the run's stores without writing them (tests; a run that starts afresh)."""
    with _lock:
        _stores.clear()
        _run_stores.clear()


def run_state() -> list[tuple[Path, dict[str, Any], dict[str, str], dict[str, Any], set[str], dict[Any, str], bool]]:
    """What this process's stores hold this run (a render's worker process hands it to the parent,
    which takes it in with :func:`adopt`, so what the worker formatted is saved once, by the parent)."""
    with _lock:
        return [(s.path, s.key, s.entries, s.lists, s.used, s.finished, s.dirty) for s in _stores.values()]


def adopt(state: list[tuple[Path, dict[str, Any], dict[str, str], dict[str, Any], set[str], dict[Any, str], bool]]) -> None:
    """Take in the stores of a worker process (:func:`run_state`) as if this process had filled them."""
    with _lock:
        for path, key, entries, lists, used, finished, dirty in state:
            store = _stores.get(path)
            if store is None:  # the worker read the file: what it holds comes with its entries
                store = _stores[path] = _Store(path, key)
            store.entries.update(entries)
            store.lists.update(lists)
            store.used |= used
            store.finished.update(finished)
            store.dirty = store.dirty or dirty
