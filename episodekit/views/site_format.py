"""How a web post writes text: Markdown or HTML, in the templates' sandbox.

A post is made by the template ``post.md.j2`` or ``post.html.j2`` (a channel's ``templates/`` may
override either), through the same loader and sandbox as the description (``pipeline.render``).
The HTML one escapes every value (autoescape); both get three filters:

* ``text``: episode text as it reads, never as markup (``*``, ``_`` or ``[`` stay characters in
  Markdown, and so do ``~~~`` and a line's indentation, which would open a code block, a ``|``,
  which would make a table, and ``&copy;``, which would be an entity; ``&`` and quotes are escaped
  in HTML);
* ``linked``: the same, with each ``http(s)://`` address made a link (the DOI in a reference);
* ``yaml``: a value for the front matter (a quoted YAML string, or a list of them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..pipeline.render import template_environment

FORMATS = ("md", "html")
TEMPLATE_NAMES = {"md": "post.md.j2", "html": "post.html.j2"}
_URL = re.compile(r"https?://[^\s<>\"'`]+")
_MD_INLINE = re.compile(r"([\\`*_\[\]>])")
# written as entities, which every Markdown reads as the character (a backslash before them is not
# an escape in Python-Markdown, MkDocs' parser): ~ (fences, strike-through), | (tables), < (HTML)
_MD_ENTITIES = {"~": "&#126;", "|": "&#124;", "<": "&lt;"}
_MD_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # "&copy;" typed is those six characters
_MD_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)  # four spaces open a code block; prose needs none
_MD_LINE_START = re.compile(r"^([ \t]*)([0-9]*)([#>+=.)-])", re.MULTILINE)  # a heading, quote, list or rule
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029"}  # JSON leaves them raw; YAML 1.1 breaks lines at them


def post_environment(channel_templates: Path, fmt: str) -> jinja2.Environment:
    """The description's environment (loader, sandbox, limits), set up for posts in ``fmt``."""
    return _post_environment(template_environment(channel_templates), fmt)


@lru_cache(maxsize=8)
def _post_environment(base: jinja2.Environment, fmt: str) -> jinja2.Environment:
    html = fmt == "html"
    env = base.overlay(autoescape=html, cache_size=50)  # its own cache: templates compiled for this escaping
    text: Callable[[Any], str] = html_text if html else markdown_text
    env.filters = {
        **base.filters,
        "text": text,
        "linked": (lambda value: linked(value, html)),
        "yaml": yaml_value,
    }
    return env


def markdown_text(value: Any) -> str:
    """``value`` as Markdown that reads as the text itself: inline markup and line-start markers escaped."""
    escaped = _MD_INLINE.sub(r"\\\1", _MD_ENTITY_LIKE.sub("&amp;", _MD_INDENT.sub("", str(value))))
    escaped = "".join(_MD_ENTITIES.get(char, char) for char in escaped) if any(
        char in escaped for char in _MD_ENTITIES) else escaped
    return _MD_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, digits, marker = match.groups()
    if bool(digits) != (marker in ".)"):  # "1." opens a list, "1-" or ". " does not
        return match.group()
    if marker == "=":  # a heading's underline; Python-Markdown keeps the backslash of "\\="
        return f"{indent}{digits}&#61;"
    return f"{indent}{digits}\\{marker}"


def html_text(value: Any) -> Markup:
    """``value`` as text escaped for HTML."""
    return escape(str(value))


def linked(value: Any, html: bool) -> str:
    """``value`` as text with every web address in it a link: ``<a href>`` in HTML, ``<URL>`` in Markdown."""
    out: list[str] = []
    text, start = str(value), 0
    for match in _URL.finditer(text):
        url = _without_trailing_punctuation(match.group())
        end = match.start() + len(url)
        out.append(html_text(text[start:match.start()]) if html else markdown_text(text[start:match.start()]))
        out.append(Markup('<a href="{0}">{0}</a>').format(url) if html else f"<{url}>")
        start = end
    out.append(html_text(text[start:]) if html else markdown_text(text[start:]))
    return Markup("".join(out)) if html else "".join(out)


def _without_trailing_punctuation(url: str) -> str:
    """A sentence's full stop after an address is not part of it; a ``)`` is, when the address opened one
    (DOIs such as ``10.1016/S0140-6736(20)30183-5``)."""
    while url and (url[-1] in ".,;:!?" or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


def yaml_value(value: Any) -> Markup:
    """``value`` (text, a number, a list of texts) as a YAML flow value: JSON, which YAML reads as written."""
    written = json.dumps(value, ensure_ascii=False)
    for raw, escaped in _LINE_BREAKS.items():
        written = written.replace(raw, escaped)
    return Markup(written)  # front matter is not HTML: nothing in it is escaped again
