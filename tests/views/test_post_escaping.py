"""Episode text in a Markdown post reads as the text, in every Markdown a site uses.

A summary paragraph that starts with ``~~~`` or three backticks, or is indented four spaces, would open a
code block that swallows the rest of the post; a ``|`` line makes a table, ``~~`` strikes through,
``&copy;`` is an entity. Each post is rendered by a CommonMark parser (markdown-it, GFM tables and
strike-through on, as Hugo and Jekyll have them) and by Python-Markdown (MkDocs, fenced code and
tables on): the summary must come out as one paragraph of its own text, and the rest of the post after it.
"""

from __future__ import annotations

import html
import re

import markdown
import pytest
from markdown_it import MarkdownIt

SUMMARIES = [
    "~~~\nnot code\n~~~", "```python\nnot code\n```", "    four spaces are not code", "\tnor a tab",
    "a ~~strike~~ b", "| a | b |\n|---|---|", "&copy; and &amp; typed", "~~~~ tildes",
    "  ```\n  indented fence", "1. not a list", "- not a list", "# not a heading", "Title\n===",
]


def rendered(text: str) -> list[str]:
    commonmark = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    return [commonmark.render(text), markdown.markdown(text, extensions=["fenced_code", "tables"])]


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.mark.parametrize("summary", SUMMARIES)
def test_a_summary_paragraph_never_becomes_markup_and_the_post_goes_on_after_it(channel, run_cli, summary):
    quoted = summary.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    channel.episode("test-episode", f'title: T\nschedule: next\nsummary:\n  - "{quoted}"\n  - After it.\n'
                                   'citations: [kang2012]\n')
    assert run_cli("export", "--site", "site", cwd=channel.root).code == 0
    body = (channel.root / "site" / "test-episode.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    for page in rendered(body):
        assert "<p>After it.</p>" in page and "References" in page, page  # nothing after it was swallowed
        before = page.split("<p>After it.</p>")[0]
        assert not re.search(r"<(pre|code|table|del|s|blockquote|ol|ul|h1|h2|div)\b", before), before
        assert " ".join(summary.split()) in plain(before)  # the words as typed, leading spaces aside
