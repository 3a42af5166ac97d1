"""A citation written almost right would stay in the script as literal text; `check` says how to write it."""

from __future__ import annotations

import json

import pytest


def _script(channel, body: str, summary: str = "x") -> None:
    channel.episode("test-episode", f"""\
title: T
summary: [{json.dumps(summary)}]
script:
  - heading: First
    body: Nothing cited here.
  - heading: Second
    body: {json.dumps(body)}
citations: [kang2012]
""")


def _problems(run_cli, channel):
    result = run_cli("check", "--json", cwd=channel.root)
    return result.code, json.loads(result.out)


@pytest.mark.parametrize("marker, fix", [
    ("[@ kang2012]", "[@kang2012]"),
    ("[see @kang2012]", "[@kang2012]"),
    ("[@kang2012, p. 5]", "[@kang2012]"),
    ("[@kang2012 ; see also @serafini2012]", "[@kang2012; @serafini2012]"),
])
def test_a_misspelt_marker_of_a_known_key_is_an_error_at_the_section(marker, fix, channel, run_cli):
    _script(channel, f"Synapses are lost {marker}.")
    code, problems = _problems(run_cli, channel)
    assert code == 1
    [problem] = [p for p in problems if marker in p["message"]]
    assert (problem["line"], problem["field"], problem["severity"]) == (7, "script[1].body", "error")
    assert f"write {fix}" in problem["message"]


def test_a_marker_like_bracket_with_an_unknown_key_is_a_warning(channel, run_cli):
    _script(channel, "As they say [see @somebody], and cited [@kang2012].")
    code, problems = _problems(run_cli, channel)
    assert code == 0
    [problem] = [p for p in problems if "[see @somebody]" in p["message"]]
    assert (problem["line"], problem["severity"]) == (7, "warning")
    assert "write [@key]" in problem["message"]


def test_a_key_outside_brackets_is_a_warning(channel, run_cli):
    _script(channel, "As shown by @kang2012. Mail me@example.org, cited [@kang2012].")
    code, problems = _problems(run_cli, channel)
    assert code == 0
    [problem] = [p for p in problems if "outside brackets" in p["message"]]
    assert (problem["line"], problem["severity"]) == (7, "warning")
    assert "write [@kang2012]" in problem["message"]


def test_correct_markers_and_email_addresses_raise_nothing(channel, run_cli):
    _script(channel, "One [@kang2012], two [@kang2012; @serafini2012], three [@kang2012, @serafini2012]. me@example.org")
    code, problems = _problems(run_cli, channel)
    assert code == 0 and problems == []


def test_a_marker_in_the_summary_is_an_error_because_it_would_be_published(channel, run_cli):
    _script(channel, "Cited [@kang2012].", summary="Synapses are lost [@kang2012].")
    code, problems = _problems(run_cli, channel)
    assert code == 1
    [problem] = [p for p in problems if p["severity"] == "error"]
    assert (problem["line"], problem["field"]) == (2, "summary[0]")
    assert "citation markers work in the script only" in problem["message"]


def test_a_reference_without_a_year_is_a_warning_where_it_is_written(channel, run_cli):
    library = (channel.root / "references.yaml").read_text()
    channel.write("references.yaml", library.replace("  issued: 2012\n  volume: 18\n", "  volume: 18\n"))
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err
    assert "references.yaml:1: warning: kang2012: has no year: add `issued: YYYY`" in result.err


def test_an_inline_reference_without_a_year_is_a_warning_at_its_entry(channel, run_cli):
    channel.episode("test-episode", """\
title: T
summary: [x]
script: [{heading: H, body: "Mine [@mine2020]."}]
citations:
  - id: mine2020
    author: [{family: Doe, given: Jane}]
    title: A report
""")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err
    assert "episodes/test-episode.yaml:5: warning: citations[0]: has no year" in result.err
