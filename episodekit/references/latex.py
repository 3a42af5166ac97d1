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
import unicodedata
from functools import lru_cache
from typing import Any

VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "urlraw", "verba", "verbb", "verbc"})
_NEEDS_DECODER = re.compile(r"[\\$]|--")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_MARKUP = re.compile(r"\\(textit|emph|textbf|textsuperscript|textsubscript)\s*\{([^{}]*)\}")
_CSL_TAG = {"textit": "i", "emph": "i", "textbf": "b", "textsuperscript": "sup", "textsubscript": "sub"}
_MATH_SCRIPT = re.compile(r"\$\s*([_^])\s*(?:\{([^${}]{1,20})\}|([^${}\s]))\s*\$")  # H$_2$O, $^{13}$C
_VERBATIM_ESCAPE = re.compile(r"\\([%&_#$~])")
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
            "r": "\u030a", "d": "\u0323", "b": "\u0331"}  # LaTeX accent -> combining character
_LETTERS = {"o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
            "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ"}
_ACCENT = re.compile(r"\\(['`^\"~=.])\s*(?:\{(\\[ij]|[A-Za-z])\}|(\\[ij](?![A-Za-z])|[A-Za-z]))"
                     r"|\\([uvHckrdb])(?:\s*\{(\\[ij]|[A-Za-z])\}|\s+(\\[ij](?![A-Za-z])|[A-Za-z]))")
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|dh|DH|th|TH|ng|NG|[oOlLij])(?![A-Za-z])(?:\{\}|\s*)")
_ESCAPED = re.compile(r"\\([&%_#$])")
_URL_MACRO = re.compile(r"^\\(?:url|href)\s*\{([^{}]*)\}")


class LatexError(ValueError):
    """A field whose text cannot be read (nested too deeply, braces that never close)."""


def text(value: str) -> str:
    """``value`` (a field's text as written, braces and all) as the words it prints."""
    if not _NEEDS_DECODER.search(value):
        return _plain(value)
    common = _common(value)  # accents and escapes as Zotero writes them, without pylatexenc (100x faster)
    if not _NEEDS_DECODER.search(common):
        return _plain(common)
    return _decoded(value)


def _common(value: str) -> str:
    """``value`` with the accents (``{\\'e}``, ``\\"{u}``, ``{\\c c}``), letters (``{\\o}``, ``\\ss``),
    escapes (``\\&``) and dashes of :data:`_ACCENTS` and :data:`_LETTERS` made text; the rest as it was."""
    value = _ACCENT.sub(_accented, value)
    value = _LETTER.sub(lambda m: _LETTERS[m.group(1)], value)
    value = _ESCAPED.sub(r"\1", value)
    value = value.replace("---", "\u2014").replace("--", "\u2013")
    return unicodedata.normalize("NFC", value)


def _accented(match: re.Match[str]) -> str:
    accent, letter = (match.group(1), match.group(2) or match.group(3)) if match.group(1) else (
        match.group(4), match.group(5) or match.group(6))
    base = {"\\i": "i", "\\j": "j"}.get(letter, letter)  # \\"{\\i}: an i with the accent in place of its dot
    return base + _ACCENTS[accent]


@lru_cache(maxsize=65536)  # the same names and journals come back entry after entry
def _decoded(value: str) -> str:
    marked = _MARKUP.sub(lambda m: f"<{_CSL_TAG[m.group(1)]}>{m.group(2)}</{_CSL_TAG[m.group(1)]}>", value)
    marked = _MATH_SCRIPT.sub(_script, marked)
    try:
        decoded = _decoder().latex_to_text(_BARE_PERCENT.sub(r"\\%", marked))
    except RecursionError:
        raise LatexError("is nested too deeply to read (thousands of braces)") from None
    except Exception as exc:  # noqa: BLE001 - pylatexenc's own errors: a field must never crash the import
        raise LatexError(f"cannot be read as LaTeX ({type(exc).__name__}); check its braces and backslashes") from None
    return _plain(decoded)


def _script(match: re.Match[str]) -> str:
    tag = "sub" if match.group(1) == "_" else "sup"
    return f"<{tag}>{match.group(2) or match.group(3)}</{tag}>"


def _plain(value: str) -> str:
    return " ".join(value.replace("{", "").replace("}", "").replace("~", " ").replace("\u00a0", " ").split())


@lru_cache(maxsize=1)
def _decoder() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("episodekit", prepend=True, macros=[  # an address as it is, not <...>
        MacroTextSpec("url", simplify_repl="%s")])
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=False, keep_comments=False)


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
    parts = _person_parts(name.strip())
    return dict(parts) if parts else None


@lru_cache(maxsize=65536)  # an author comes back paper after paper
def _person_parts(stripped: str) -> tuple[tuple[str, str], ...]:
    person = _parsed_person(stripped)
    return tuple(person.items()) if person else ()


def _parsed_person(stripped: str) -> dict[str, str] | None:
    from bibtexparser.middlewares.names import parse_single_name_into_parts

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
