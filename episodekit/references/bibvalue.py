"""A BibTeX field's value joined as BibTeX joins it: ``{...}`` and ``"..."`` parts (the braces inside them
kept, for the names and the LaTeX read later), numbers and ``@string`` macros, with ``#`` between them;
``jan`` ... ``dec`` are macros of every file (the month numbers, as biber has them).
"""

from __future__ import annotations

import re

from ..errors import did_you_mean
from .fields import shown_value

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
MACROS = {name[:3]: str(number) for number, name in enumerate(MONTHS, 1)}
_BRACE = re.compile(r"[{}]")
_BRACE_OR_QUOTE = re.compile(r'[{}"]')


class BadValue(ValueError):
    """A value that cannot be joined: an unknown macro, an unclosed brace."""


def join(value: str, macros: dict[str, str]) -> str:
    """A value as BibTeX joins it: ``{...}`` and ``"..."`` parts (inner braces kept), numbers and macros,
    with ``#`` between them."""
    value = value.strip()
    if value[:1] == "{" and value[-1:] == "}" and _whole(value):
        return value[1:-1]  # most values: one braced part
    parts, at, expect_part = [], 0, True
    while True:
        at = _skip_space(value, at)
        if at >= len(value):
            break
        char = value[at]
        if not expect_part:
            if char != "#":
                raise BadValue(f"{shown_value(value)} is more than one value (parts are joined with '#'); "
                               "is a comma missing at the end of the line?")
            at, expect_part = at + 1, True
            continue
        if char == "{":
            end = _closing(value, at)
            parts.append(value[at + 1:end])
        elif char == '"':
            end = _closing_quote(value, at)
            parts.append(value[at + 1:end])
        else:
            end = _word_end(value, at) - 1
            parts.append(_macro(value[at:end + 1], macros))
        at, expect_part = end + 1, False
    if expect_part and parts:
        raise BadValue("a '#' with nothing after it")
    return "".join(parts)


def _whole(value: str) -> bool:
    try:
        return _closing(value, 0) == len(value) - 1
    except BadValue:
        return False


def _skip_space(value: str, at: int) -> int:
    while at < len(value) and value[at].isspace():
        at += 1
    return at


def _closing(value: str, at: int) -> int:
    depth = 0
    for mark in _BRACE.finditer(value, at):
        depth += 1 if mark.group() == "{" else -1
        if depth == 0:
            return mark.start()
    raise BadValue("a '{' is never closed")


def _closing_quote(value: str, at: int) -> int:
    depth = 0
    for mark in _BRACE_OR_QUOTE.finditer(value, at + 1):
        char = mark.group()
        if char == '"' and depth == 0:
            return mark.start()
        depth += {"{": 1, "}": -1}.get(char, 0)
    raise BadValue("a '\"' is never closed")


def _word_end(value: str, at: int) -> int:
    end = at
    while end < len(value) and not value[end].isspace() and value[end] not in '#{}"':
        end += 1
    return end


def _macro(word: str, macros: dict[str, str]) -> str:
    if word.isdigit():
        return word
    if word.lower() in macros:
        return macros[word.lower()]
    hint = did_you_mean(word.lower(), macros, "; define it with @string{" + word + " = {...}} before its use, "
                        "or put the text in braces")
    raise BadValue(f"{word!r} is no @string macro of this file{hint}")

