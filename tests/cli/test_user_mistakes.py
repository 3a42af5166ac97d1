"""A user's mistake in a file is one `file:line: ...` line and exit 1, never an internal error."""

from __future__ import annotations

import re

import pytest

from episodekit.files import yamlsource

LOCATED = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+): ")


def _one_located_line(result, file: str) -> tuple[int, str]:
    """The only line on stderr, checked to name ``file`` and a line; returns (line, message)."""
    assert result.code in (1, 2), result.err
    assert "internal error" not in result.err and "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    match = LOCATED.match(lines[0])
    assert match and match["file"] == file, lines[0]
    return int(match["line"]), lines[0]


def _nested_lists(depth: int) -> str:
    return "title: Deep\nsummary: [One.]\nextra: " + "[" * depth + "]" * depth + "\n"


def _nested_mappings(depth: int) -> str:
    keys = "".join(" " * (level + 1) + f"k{level}:\n" for level in range(depth))
    return "title: Deep\nsummary: [One.]\nnotes:\n" + keys + " " * (depth + 1) + "end\n"


def _compact_lists(depth: int) -> str:
    return "title: Deep\nsummary: [One.]\nextra:\n" + "- " * depth + "x\n"


def _merge_chain(depth: int) -> str:
    """Each anchor merges the one before: nesting that the keys' paths do not show."""
    lines = ["a0: &a0 {x: 1}"] + [f"a{i}: &a{i} {{<<: *a{i - 1}}}" for i in range(1, depth)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("make, line", [
    (_nested_lists, 3), (_compact_lists, 4), (_nested_mappings, yamlsource.MAX_DEPTH + 3),
    (_merge_chain, None),
], ids=["flow lists", "block lists", "block mappings", "a chain of merges"])
@pytest.mark.parametrize("depth", [300, 600])
def test_yaml_nested_hundreds_of_levels_deep_is_one_located_line(make, line, depth, channel, run_cli):
    channel.episode("deep", make(depth))
    result = run_cli("check", "episodes/deep.yaml", cwd=channel.root)
    found, message = _one_located_line(result, "episodes/deep.yaml")
    assert f"nested more than {yamlsource.MAX_DEPTH} levels deep" in message
    if line is not None:
        assert found == line


def test_nesting_beyond_the_parsers_own_limit_gets_the_same_message(channel, run_cli):
    channel.episode("deep", _nested_lists(5000))
    found, message = _one_located_line(run_cli("check", "episodes/deep.yaml", cwd=channel.root),
                                       "episodes/deep.yaml")
    assert found == 3 and "levels deep" in message


def test_a_self_referencing_alias_is_refused_with_its_line(channel, run_cli):
    channel.episode("loop", "title: Loop\nsummary: [One.]\nnotes: &x [*x]\n")
    found, message = _one_located_line(run_cli("check", "episodes/loop.yaml", cwd=channel.root),
                                       "episodes/loop.yaml")
    assert found == 3 and "levels deep" in message


def test_deep_nesting_is_refused_by_the_pure_python_parser_too(channel, run_cli, monkeypatch):
    monkeypatch.setattr(yamlsource, "_Loader", yamlsource.yaml.SafeLoader)
    channel.episode("deep", _nested_mappings(700))
    found, message = _one_located_line(run_cli("check", "episodes/deep.yaml", cwd=channel.root),
                                       "episodes/deep.yaml")
    assert "levels deep" in message and found == yamlsource.MAX_DEPTH + 3


def test_deep_nesting_in_channel_yaml_names_channel_yaml(channel, run_cli):
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text() + "notes: "
                  + "[" * 500 + "]" * 500 + "\n")
    found, message = _one_located_line(run_cli("check", cwd=channel.root), "channel.yaml")
    assert "levels deep" in message


def test_ordinary_nesting_is_still_fine(channel, run_cli):
    channel.episode("fine", "title: Fine\nsummary: [One.]\ncitations:\n  - id: x1\n    title: T\n"
                    "    author:\n      - {family: A, given: B.}\n    issued: {date-parts: [[2020, 1, 2]]}\n")
    assert run_cli("check", "episodes/fine.yaml", cwd=channel.root).code == 0


@pytest.mark.parametrize("loader", ["libyaml", "pure python"])
def test_a_nul_byte_is_reported_at_its_line(loader, channel, run_cli, monkeypatch):
    if loader == "pure python":
        monkeypatch.setattr(yamlsource, "_Loader", yamlsource.yaml.SafeLoader)
    channel.episode("nul", b"title: With a NUL\nsummary:\n  - Caf\xc3\xa9 first.\n  - Second\x00 one.\n")
    found, message = _one_located_line(run_cli("check", "episodes/nul.yaml", cwd=channel.root),
                                       "episodes/nul.yaml")
    assert found == 4
    assert "U+0000" in message and "remove it" in message
    assert "position" not in message and "<unicode string>" not in message


def test_another_control_character_is_reported_at_its_line(channel, run_cli):
    channel.episode("bell", b"title: Bell\nsummary: [One.]\ntags: [a\x07b]\n")
    found, message = _one_located_line(run_cli("check", "episodes/bell.yaml", cwd=channel.root),
                                       "episodes/bell.yaml")
    assert found == 3 and "U+0007" in message


@pytest.mark.parametrize("line, hint", [
    ("{slots:{channel}}", "{slots:{channel}}"),
    ("Every {slots:>40}.", "{slots:>40}"),
    ("Every {slots!r}.", "{slots!r}"),
])
def test_a_format_spec_in_the_schedule_line_is_a_channel_error(line, hint, channel, run_cli):
    text = (channel.root / "channel.yaml").read_text()
    channel.write("channel.yaml", re.sub(r"(?m)^schedule_line: .*$", f"schedule_line: {line!r}", text))
    found, message = _one_located_line(run_cli("check", cwd=channel.root), "channel.yaml")
    assert found == 7
    assert "schedule_line:" in message and hint in message and "{slots}" in message
