"""BibTeX field text as it reads: LaTeX made plain text, names split as BibTeX splits them.

* Text (``title``, ``journal`` ...): accents and escapes (``Andr{\\'e}``, ``\\&``), math (``$\\alpha$``
  -> α), ``--`` (an en dash) through pylatexenc; braces that keep letter case go (``{BDNF}``); a
  bare ``%`` is a percent sign, not a comment (only a ``\\%`` is one in LaTeX, but a .bib is no
  LaTeX file), and a tie ``~`` a space. ``\\textit``/``\\emph``, ``\\textbf``, ``\\textsuperscript``
  and ``\\textsubscript`` become CSL's markup (``<i>`` ...), as Zotero reads them.
* Verbatim fields (``url``, ``doi``, ``eprint``: :data:`VERBATIM`) are never read as LaTeX: a ``~``
  or ``%`` in an address stays; only a backslash before one of ``%&_#$~`` goes.
* Names (``author``): split on ``and`` outside braces; ``and others`` is no person but a list that
  goes on (``authors-incomplete``); a name in braces of its own is an organisation, as written
  (``{World Health Organization}``); ``von Last, Jr, First`` gives the family name with its
  particle (``van der Berg``), the given names and the suffix (``Jr.``).

Text with nothing LaTeX in it (most of a Zotero export) never reaches pylatexenc.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "urlraw", "verba", "verbb", "verbc"})
_NEEDS_DECODER = re.compile(r"[\\$]|--")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_MARKUP = re.compile(r"\\(textit|emph|textbf|textsuperscript|textsubscript)\s*\{([^{}]*)\}")
_CSL_TAG = {"textit": "i", "emph": "i", "textbf": "b", "textsuperscript": "sup", "textsubscript": "sub"}
_MATH_SCRIPT = re.compile(r"\$\s*([_^])\s*(?:\{([^${}]{1,20})\}|([^${}\s]))\s*\$")  # H$_2$O, $^{13}$C
_VERBATIM_ESCAPE = re.compile(r"\\([%&_#$~])")
_URL_MACRO = re.compile(r"^\\(?:url|href)\s*\{([^{}]*)\}")


class LatexError(ValueError):
    """A field whose text cannot be read (nested too deeply, braces that never close)."""


def text(value: str) -> str:
    """``value`` (a field's text as written, braces and all) as the words it prints."""
    if not _NEEDS_DECODER.search(value):
        return _plain(value)
    return _decoded(value)


@lru_cache(maxsize=65536)  # the same names and journals come back entry after entry
def _decoded(value: str) -> str:
    marked = _MARKUP.sub(lambda m: f"<{_CSL_TAG[m.group(1)]}>{m.group(2)}</{_CSL_TAG[m.group(1)]}>", value)
    marked = _MATH_SCRIPT.sub(_script, marked)
    try:
        decoded = _decoder().latex_to_text(_BARE_PERCENT.sub(r"\\%", marked))
    except RecursionError:
        raise LatexError("is nested too deeply to read (thousands of braces)") from None
    return _plain(decoded)


def _script(match: re.Match[str]) -> str:
    tag = "sub" if match.group(1) == "_" else "sup"
    return f"<{tag}>{match.group(2) or match.group(3)}</{tag}>"


def _plain(value: str) -> str:
    return " ".join(value.replace("{", "").replace("}", "").replace("~", " ").replace("\u00a0", " ").split())


@lru_cache(maxsize=1)
def _decoder() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False, keep_comments=False)


def verbatim(value: str) -> str:
    """A verbatim field (an address, a DOI) as written: its outer ``\\url{...}`` and escaping backslashes
    gone, nothing else."""
    stripped = value.strip()
    wrapped = _URL_MACRO.match(stripped)
    if wrapped and wrapped.end() == len(stripped):
        stripped = wrapped.group(1)
    return _VERBATIM_ESCAPE.sub(r"\1", stripped).strip()


def url_in(value: str) -> str | None:
    """The address a ``howpublished = {\\url{...}}`` gives, if that is what it is."""
    wrapped = _URL_MACRO.match(value.strip())
    return verbatim(wrapped.group(1)) if wrapped else None


def names(value: str) -> tuple[list[dict[str, str]], bool, list[str]]:
    """The people of a name list, whether it ends ``and others``, and what cannot be read (one per name)."""
    from bibtexparser.middlewares.names import split_multiple_persons_names

    people, problems, incomplete = [], [], False
    for number, name in enumerate(split_multiple_persons_names(value), 1):
        if name.strip().lower() == "others":
            incomplete = True
            continue
        try:
            person = _person(name)
        except (ValueError, LatexError) as exc:
            problems.append(f"name {number} ({' '.join(name.split())!r}) cannot be read: {exc}")
            continue
        if person:
            people.append(person)
    return people, incomplete, problems


def _person(name: str) -> dict[str, str] | None:
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    stripped = name.strip()
    if _one_group(stripped):
        literal = text(stripped[1:-1])
        return {"literal": literal} if literal else None
    parts = parse_single_name_into_parts(stripped, strict=True)
    family = text(" ".join([*parts.von, *parts.last]))
    given, suffix = text(" ".join(parts.first)), text(" ".join(parts.jr))
    if not family:
        return {"family": given} if given else None
    return {"family": family, **({"given": given} if given else {}), **({"suffix": suffix} if suffix else {})}


def _one_group(name: str) -> bool:
    """Whether ``name`` is one braced group, ``{World Health Organization}`` (not ``{\\'A}vila, C.``)."""
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for position, char in enumerate(name):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return position == len(name) - 1
    return False
