"""A new library entry as YAML text, written the way the sample library writes one.

``refs import`` of a Zotero library adds thousands of entries; building each into ruamel.yaml's
document and dumping the whole library again costs seconds per thousand. A new entry goes at the
end of the file anyway, so it is written here as text, in the library's own layout::

    kang2012:
      type: chapter
      author:
        - {family: Kang, given: H. J.}
      title: 'Decreased expression: a study'
      issued: {date-parts: [[2012, 9]]}
      volume: 18

A value is written plain when PyYAML (the loader every command reads the library with) reads it
back as the same string, else in single quotes, or in double quotes with escapes for a character
that single quotes cannot hold. ``libraryfile`` reads the written text back and compares it with
the fields before anything is written, so a value this module wrote wrongly can never reach the disk.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .fields import FIELD_ORDER

NUMBERS = ("volume", "issue", "PMID")  # written as YAML numbers when they are digits, as the sample does
_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_FIRST = set("-?:,[]{}#&*!|>'\"%@`")
_BREAKS = re.compile("[\n\r\t\x85\u2028\u2029]")  # and a tab: neither reads back plain or in single quotes
_NOT_PLAIN = re.compile(r": | #|:$")
_NOT_IN_FLOW = re.compile(r"[,\[\]{}:#?]")  # PyYAML ends a plain scalar at each of them in {...}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x85": "\\N", "\u2028": "\\L",
            "\u2029": "\\P", "\0": "\\0"}


def entry_text(key: str, fields: dict[str, Any]) -> str:
    """The entry ``key`` with ``fields`` (library-entry fields) as the lines of references.yaml."""
    lines = [f"{scalar(key)}:"]
    for name in FIELD_ORDER:
        if name in fields:
            lines += _field(name, fields[name])
    return "\n".join(lines) + "\n"


def _field(name: str, value: Any) -> list[str]:
    if name == "author":
        return ["  author:", *(f"    - {{{', '.join(f'{k}: {scalar(v, flow=True)}' for k, v in person.items())}}}"
                               for person in value)]
    if name == "issued" and isinstance(value, dict):
        return [f"  issued: {{date-parts: [[{', '.join(str(int(part)) for part in value['date-parts'][0])}]]}}"]
    if isinstance(value, bool):
        return [f"  {name}: {'true' if value else 'false'}"]
    if isinstance(value, int):
        return [f"  {name}: {value}"]
    text = str(value)
    if name in NUMBERS and text.isascii() and text.isdigit() and not text.startswith("0") and len(text) < 19:
        return [f"  {name}: {text}"]
    return [f"  {name}: {scalar(text)}"]


def scalar(text: str, flow: bool = False) -> str:
    """``text`` as a YAML scalar that reads back as the same string (inside ``{...}`` with ``flow``)."""
    special = bool(_NON_PRINTABLE.search(text) or _BREAKS.search(text))
    if not special and _plain(text, flow):
        return text
    if special:
        return '"' + "".join(_escaped(char) for char in text) + '"'
    return "'" + text.replace("'", "''") + "'"


def _plain(text: str, flow: bool) -> bool:
    """Whether ``text`` (printable, one line) reads back as itself unquoted."""
    if not text or text != text.strip() or text[0] in _FIRST or _NOT_PLAIN.search(text):
        return False
    if flow and _NOT_IN_FLOW.search(text):
        return False
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if not _NON_PRINTABLE.match(char):
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
