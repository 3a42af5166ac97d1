"""Seeded generators of hostile input for issue 20's classes: each call makes a new instance from ``rng``.

* :func:`bibtex_file`: valid BibTeX entries (every feature the reader has: `@string`, `#`, crossref,
  organisations, suffixes, `and others`, addresses, math) put through random mutations a careless hand
  or a broken exporter makes: letter case, a field twice, a lost comma or brace, junk years and months,
  braces thousands deep, unknown macros and types, names with too many commas, control characters.
* :func:`csl_json_file`: Zotero-like items with fields of the wrong shape, impossible dates, numbers
  of thousands of digits, nesting thousands deep, entities and markup, then sometimes cut or bent text.
* :func:`markdown_paragraph`: a summary paragraph made of Markdown's block and inline markers.
* :func:`channel_name`: a name full of what iCalendar TEXT escapes.
"""

from __future__ import annotations

import json
import random
import string

ENTRIES = [
    "@article{kang2012,\n  author = {Kang, Hyo Jung and Voleti, B. and others},\n  title = {Decreased expression of "
    "synapse-related genes in {MDD}},\n  journal = {Nature Medicine},\n  year = {2012},\n  month = sep,\n"
    "  volume = 18,\n  number = 9,\n  pages = {1413--1417},\n  doi = {10.1038/nm.2886},\n}\n",
    "@string{jnl = \"Journal of \"}\n@article{w,\n  author = {{World Health Organization}},\n  title = \"Sleep \" # {and mood},\n"
    "  journal = jnl # {Things},\n  year = 2019,\n  url = {https://who.int/~a%20b},\n}\n",
    "@book{bk,\n  editor = {Ed, Ed},\n  title = {The Book},\n  publisher = {OUP},\n  year = {2010},\n}\n"
    "@incollection{ch,\n  author = {Smith, Jr., John and van der Berg, Jan},\n  title = {A chapter on $\\alpha$ waves},\n"
    "  crossref = {bk},\n  pages = {5--9},\n}\n",
    "@inproceedings{talk,\n  author = {Andr{\\'e}, R. B. and {\\\"O}zt{\\\"u}rk, T.},\n  title = {\\textit{In vivo} H$_2$O, 50\\% \\& more},\n"
    "  booktitle = {Proceedings},\n  date = {2003-05-04},\n  eprint = {12345},\n  eprinttype = {pubmed},\n}\n",
    "@misc{web,\n  title = {A page},\n  howpublished = {\\url{https://a.org/x_y}},\n  year = 2020,\n}\n",
]
JUNK = ["99999", "20a1", "", "0", "-5", "9" * 5000, "{2012", "2012}", "{\\'e}", "13", "Sept.", "\x00", "\x07",
        "\u202e", "\ufeff", "\U0001F600", "{" * 3000 + "x" + "}" * 3000, "a # b", "#", '"', "@", ",", "=",
        "and others and", "A, B, C, D", "undefinedmacro", "$\\frac{", "\\", "%", "~"]
TYPES = ["article", "ARTICLE", "inproceedings", "conference", "phdthesis", "online", "unpublished", "patent",
         "inprocedings", "foo", "xdata", "set", "comment", "preamble", "string"]
FIELDS = ["author", "AUTHOR", "Title", "year", "YEAR", "month", "MONTH", "journal", "pages", "doi", "url",
          "crossref", "xdata", "date", "number", "volume", "pmid", "eprint", "booktitle", "note", "abstract"]


def bibtex_file(rng: random.Random) -> str:
    """A .bib of valid entries, each then changed by a few random mutations."""
    entries = rng.sample(ENTRIES, rng.randint(1, len(ENTRIES)))
    text = "\n".join(entries)
    for _ in range(rng.randint(0, 6)):
        text = rng.choice(_MUTATIONS)(rng, text)
    return text


def _swap_case(rng: random.Random, text: str) -> str:
    return "".join(c.swapcase() if c.isalpha() and rng.random() < 0.1 else c for c in text)


def _field_twice(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    fields = [n for n, line in enumerate(lines) if "=" in line and not line.startswith("@")]
    if fields:
        n = rng.choice(fields)
        lines.insert(n, rng.choice([lines[n], lines[n].swapcase()]))
    return "".join(lines)


def _drop_char(rng: random.Random, text: str) -> str:
    marks = [n for n, c in enumerate(text) if c in ",{}\"="]
    if not marks:
        return text
    n = rng.choice(marks)
    return text[:n] + text[n + 1:]


def _junk_value(rng: random.Random, text: str) -> str:
    name = rng.choice(FIELDS)
    junk = rng.choice(JUNK)
    value = rng.choice([f"{{{junk}}}", f'"{junk}"', junk])
    at = text.find("\n", text.find("@"))
    return text[:at + 1] + f"  {name} = {value},\n" + text[at + 1:] if at >= 0 else text


def _junk_type(rng: random.Random, text: str) -> str:
    return text.replace("@article", "@" + rng.choice(TYPES), 1).replace("@book", "@" + rng.choice(TYPES), 1)


def _insert_random(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    piece = "".join(rng.choice(string.printable + "äé€\u2028\x00\x1b{}@#\"") for _ in range(rng.randint(1, 12)))
    return text[:at] + piece + text[at:]


def _line_ends(rng: random.Random, text: str) -> str:
    return rng.choice([text.replace("\n", "\r\n"), "\ufeff" + text, text.replace("\n", "\r"), text * 2])


def _cut(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(len(text) + 1)]


_MUTATIONS = [_swap_case, _field_twice, _drop_char, _junk_value, _junk_type, _insert_random, _line_ends, _cut]


def _value(rng: random.Random, depth: int = 0):
    kinds = ["str", "int", "list", "dict", "none", "bool", "float", "huge", "deep", "entity"]
    kind = rng.choice(kinds if depth < 3 else kinds[:2])
    return {
        "str": lambda: "".join(rng.choice(string.printable + "é&<>\u2028\x00") for _ in range(rng.randint(0, 20))),
        "int": lambda: rng.choice([0, -1, 13, 2012, 99999, 10**12]),
        "list": lambda: [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))],
        "dict": lambda: {rng.choice(["family", "given", "literal", "date-parts", "raw", "x"]): _value(rng, depth + 1)},
        "none": lambda: None, "bool": lambda: rng.random() < 0.5, "float": lambda: rng.choice([1.5, float("nan")]),
        "huge": lambda: "HUGE", "deep": lambda: "DEEP",
        "entity": lambda: rng.choice(["Sleep &amp; mood", "&lt;i&gt;x&lt;/i&gt;", "<jats:italic>y</jats:italic>",
                                      "&#8217;", "<scp>CLOCK</scp>", "&bogus;"]),
    }[kind]()


def csl_json_file(rng: random.Random) -> str:
    """A CSL-JSON list of items, some fields of the wrong shape, then now and then bent as text."""
    items = []
    for number in range(rng.randint(1, 6)):
        item = {"type": rng.choice(["article-journal", "book", "chapter", "paper-conference", "webpage", "x"]),
                "title": f"Paper {number} on sleep", "author": [{"family": "Roe", "given": "R."}],
                "issued": {"date-parts": [[rng.choice([2012, "2012", 99999, "20a1"]), rng.choice([1, 9, 13, "9"])]]},
                "DOI": rng.choice([f"10.5555/p{number}", "nm.2886", ""]), "container-title": "J Things"}
        for _ in range(rng.randint(0, 4)):
            item[rng.choice(list(item) + ["PMID", "page", "volume", "URL", "authors-incomplete"])] = _value(rng)
        items.append(item)
    text = json.dumps(items, indent=rng.choice([None, 1, 2]), ensure_ascii=rng.random() < 0.5)
    text = text.replace('"HUGE"', "9" * rng.choice([30, 5000])).replace('"DEEP"', "[" * 20000 + "]" * 20000)
    if rng.random() < 0.3:
        text = rng.choice([_cut, _drop_char, _insert_random])(rng, text)
    return text


MARKERS = ["```", "~~~", "    ", "\t", "|", "# ", "> ", "- ", "* ", "+ ", "1. ", "1) ", "===", "---", "_", "*",
           "[", "]", "(", ")", "!", "&amp;", "&copy;", "&#126;", "\\", "`", "~~", "{", "}", ":"]


def markdown_paragraph(rng: random.Random) -> str:
    """Words and Markdown markers, on one line or a few, a marker often first."""
    lines = []
    for _ in range(rng.randint(1, 3)):
        parts = [rng.choice(MARKERS) if rng.random() < 0.5 else rng.choice(["sleep", "mood", "x", "2012"])
                 for _ in range(rng.randint(1, 6))]
        lines.append((rng.choice(MARKERS) if rng.random() < 0.7 else "") + " ".join(parts))
    text = "\n".join(lines).strip()
    return text if any(c.isalnum() for c in text) else text + " words"


def channel_name(rng: random.Random) -> str:
    name = "".join(rng.choice(["Sleep", " ", ",", ";", "\\", ":", "é", "Mood", "\"", "'"]) for _ in range(rng.randint(3, 12)))
    return name.strip() or "Sleep"
