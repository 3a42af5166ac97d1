"""`new` never writes a file that `check` refuses: awkward titles are written safely, bad ones refused."""

from __future__ import annotations

import re

import pytest

from episodekit.workspace import Workspace

AWKWARD = [
    "no", "yes", "on", "OFF", "true", "null", "~", "1984", "3.10", "0x1F", "1:05", "2026-12-02",
    "- a dash", "#hashtag", "key: value", "'single'", '"double"', "[brackets]", "{braces}",
    "& anchor", "*alias", "!tag", "%directive", "@mention", "`backtick`", "| pipe", "back\\slash",
    "Ça va? Straße 🧠", "TODO: a real title", "x" * 100, "Tab\tand\nnewline", "zero\u200bwidth inside",
    "line\u2028separator", "\ufeffbyte order mark", "{{ not a template }} {% raw %}",
]


def _written(result) -> str:
    match = re.search(r"wrote (\S+\.yaml)", result.out)
    assert match, result.out + result.err
    return match.group(1)


def test_new_with_awkward_titles_writes_files_that_check_accepts(channel, run_cli):
    for title in AWKWARD:
        created = run_cli("new", "--", title, cwd=channel.root)
        assert created.code == 0, (title, created.err)
        path = _written(created)
        checked = run_cli("check", path, cwd=channel.root)
        assert checked.code == 0, (title, checked.err)
        assert "error" not in checked.out.replace("0 error(s)", ""), (title, checked.out)
        model = Workspace.open(channel.root).load(channel.root / path).model
        assert model.title == " ".join(title.split()), title


@pytest.mark.parametrize("title, said", [
    ("x" * 101, "the title is 101 characters; YouTube allows 100"),
    ("a <b> c", "the title may not contain '<' or '>'"),
    ("\u200b\u200b", "the title has no visible characters"),
    ("\u3164", "the title has no visible characters"),
    ("Bell \x07 ring", "the title contains the control character U+0007"),
    ("Delete \x7f", "the title contains the control character U+007F"),
    ("Not a character \ufffe", "the title contains the control character U+FFFE"),
    ("Undecodable \udcff byte", "the title contains an unpaired surrogate"),
])
def test_new_refuses_a_title_that_check_would_refuse_and_writes_nothing(title, said, channel, run_cli):
    before = sorted((channel.root / "episodes").iterdir())
    result = run_cli("new", "--", title, cwd=channel.root)
    assert result.code == 2
    assert said in result.err
    assert "Traceback" not in result.err
    assert sorted((channel.root / "episodes").iterdir()) == before
