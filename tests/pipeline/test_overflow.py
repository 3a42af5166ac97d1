"""A description over YouTube's 5000 bytes: refused by default; under
``description_overflow: truncate-references`` it keeps the whole references that fit, then a
line with the full list's address. A reference or a character is never cut in half."""

from __future__ import annotations

import json

import pytest

TRUNCATE = 'description_overflow: truncate-references\nfull_references_url: "https://example.org/refs/{slug}"\n'
FULL_LIST = "Full reference list: https://example.org/refs/test-episode"


def _library(count: int) -> str:
    return "".join(
        f"ref{n:02d}:\n  author: [{{family: Müller, given: Jürgen}}]\n"
        f"  title: Ünïcödé study number {n} of synapses 🧠 and sleep ✓\n"
        f"  container-title-short: J Tëst\n  issued: 2020\n  volume: {n}\n  page: 100-110\n"
        f"  DOI: 10.1000/ref{n}\n"
        for n in range(count)
    )


def _episode(summary_bytes: int, count: int) -> str:
    cited = ", ".join(f"ref{n:02d}" for n in range(count))
    filler = "é" * (summary_bytes // 2)  # two bytes each in UTF-8
    return f"title: Long\nsummary: [\"{filler}\"]\ncitations: [{cited}]\n"


@pytest.fixture
def long_channel(channel):
    channel.write("references.yaml", _library(30))
    channel.episode("test-episode", _episode(2500, 30))  # 2.5 KB of summary, ~4 KB of references
    return channel


def _settings(channel, text: str) -> None:
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text() + text)


def test_by_default_an_overlong_description_is_refused(long_channel, run_cli):
    result = run_cli("check", cwd=long_channel.root)
    assert result.code == 1
    assert "episodes/test-episode.yaml:2: summary: the rendered description is" in result.err
    assert "or set description_overflow: truncate-references in channel.yaml" in result.err


def test_truncating_keeps_the_whole_references_that_fit_then_the_full_list_line(long_channel, run_cli):
    _settings(long_channel, TRUNCATE)
    result = run_cli("preview", "test-episode", cwd=long_channel.root)
    assert result.code == 0, result.err
    description = result.out
    assert len(description.rstrip("\n").encode("utf-8")) <= 5000
    block = description.split("References\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block[-1] == FULL_LIST
    full = run_cli("preview", "test-episode", "--part", "references", cwd=long_channel.root).out.splitlines()
    kept = block[:-1]
    assert 0 < len(kept) < 30 and kept == full[:len(kept)]  # whole entries, in order, numbered as in the list
    next_entry = (full[len(kept)] + "\n").encode("utf-8")
    assert len(description.rstrip("\n").encode("utf-8")) + len(next_entry) > 5000  # one more would not fit
    assert f"references: {len(kept)} of 30 in the description, cut to fit " \
           "(description_overflow: truncate-references); the full list: https://example.org/refs/test-episode" \
           in result.err


def test_the_script_and_references_file_keep_every_reference(long_channel, run_cli):
    _settings(long_channel, TRUNCATE)
    assert run_cli("render", cwd=long_channel.root).code == 0
    build = long_channel.root / "build" / "test-episode"
    assert len((build / "references.txt").read_text(encoding="utf-8").splitlines()) == 30
    assert "30. Müller J." in (build / "script.md").read_text(encoding="utf-8")
    assert FULL_LIST in (build / "description.txt").read_text(encoding="utf-8")


def test_when_even_no_reference_fits_it_is_still_an_error(channel, run_cli):
    channel.write("references.yaml", _library(3))
    channel.episode("test-episode", _episode(5200, 3))
    _settings(channel, TRUNCATE)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "even with no references listed" in result.err


def test_a_description_that_fits_is_not_touched_and_preview_says_so(channel, run_cli):
    _settings(channel, TRUNCATE)
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 0
    assert "Full reference list" not in result.out
    assert "references: all 2 in the description (description_overflow: truncate-references; it fits)" in result.err


def test_truncating_needs_the_address_of_the_full_list(channel, run_cli):
    _settings(channel, "description_overflow: truncate-references\n")
    result = run_cli("check", "--json", cwd=channel.root)
    assert result.code == 1
    [problem] = json.loads(result.out)
    assert (problem["path"], problem["line"], problem["field"]) == ("channel.yaml", 10, "description_overflow")
    assert "needs full_references_url" in problem["message"]


@pytest.mark.parametrize("url, said", [
    ("https://example.org/{title}", "the one placeholder is {slug}"),
    ("example.org/{slug}", "is not a web address"),
    ("https://example.org/<{slug}>", "'<' or '>'"),
])
def test_a_wrong_full_list_address_is_an_error_at_its_line(channel, run_cli, url, said):
    _settings(channel, f'description_overflow: truncate-references\nfull_references_url: "{url}"\n')
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "channel.yaml:11: full_references_url:" in result.err and said in result.err
    assert "Traceback" not in result.err
