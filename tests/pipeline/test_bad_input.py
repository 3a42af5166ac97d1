"""A creator's broken episode file gets one clear line naming the file, exit 1, and nothing written."""

from __future__ import annotations

import time

import pytest

BAD_FILES = {
    "yaml syntax error": (b"title: [unclosed\nsummary: x\n", "YAML syntax error"),
    "tab indentation": (b"title: T\nsummary:\n\t- one\n", "tab is used for indentation"),
    "empty file": (b"", "the file is empty"),
    "only comments": (b"# nothing yet\n\n", "the file is empty"),
    "a list instead of a mapping": (b"- title: T\n", "found a list"),
    "a scalar instead of a mapping": (b"just some words\n", "found a single value"),
    "non-utf-8 bytes": (b"title: caf\xe9\nsummary: [x]\n", "is not valid UTF-8"),
    "duplicate keys": (b"title: One\nsummary: [x]\ntitle: Two\n", "duplicate key 'title'"),
    "python object tag": (
        b"title: !!python/object/apply:os.system ['touch PWNED']\nsummary: [x]\n",
        "YAML tag !!python/object/apply:os.system is not allowed",
    ),
    "custom tag": (b"title: !secret T\nsummary: [x]\n", "YAML tag !secret is not allowed"),
    "alias bomb": (
        b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        b"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        b"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        b"g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
        "an alias bomb",
    ),
    "huge file": (b"title: T\nsummary: [x]\n" + b"# padding\n" * 300_000, "the limit is"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_episode_file_gives_one_line_and_exit_1(case, channel, run_cli):
    content, expected = BAD_FILES[case]
    channel.episode("broken", content)
    started = time.monotonic()
    result = run_cli("check", "episodes/broken.yaml", cwd=channel.root)
    elapsed = time.monotonic() - started
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("episodes/broken.yaml")
    assert expected in lines[0]
    assert elapsed < 2.0
    assert not (channel.root / "PWNED").exists()


@pytest.mark.parametrize("case", ["duplicate keys", "python object tag", "non-utf-8 bytes"])
def test_render_writes_nothing_when_any_episode_is_bad(case, channel, run_cli):
    channel.episode("broken", BAD_FILES[case][0])
    result = run_cli("render", cwd=channel.root)
    assert result.code == 1
    assert "episodes/broken.yaml" in result.err
    assert not (channel.root / "build").exists()


def test_line_numbers_point_at_the_problem(channel, run_cli):
    channel.episode("typo", """\
        title: Fine
        summary:
          - One paragraph.
        tgas: [a, b]
        """)
    result = run_cli("check", "episodes/typo.yaml", cwd=channel.root)
    assert result.code == 1
    assert "episodes/typo.yaml:4: unknown key 'tgas'; did you mean 'tags'?" in result.err


def test_every_problem_of_a_file_is_reported_not_just_the_first(channel, run_cli):
    channel.episode("many", """\
        titel: Typo
        summary: []
        chapters:
          - {at: "0:0x", title: Start}
        upload: {privacy: secret}
        """)
    result = run_cli("check", "--json", "episodes/many.yaml", cwd=channel.root)
    assert result.code == 1
    import json

    problems = json.loads(result.out)
    fields = {(p["line"], p["field"]) for p in problems}
    assert (1, "") in fields  # unknown key titel
    assert (2, "summary") in fields
    assert (4, "chapters[0].at") in fields
    assert (5, "upload.privacy") in fields


def test_a_missing_episode_file_is_a_clear_error(channel, run_cli):
    result = run_cli("check", "episodes/nope.yaml", cwd=channel.root)
    assert result.code == 1
    assert result.err.strip() == "episodes/nope.yaml: no such file"


def test_a_bad_channel_file_is_reported_with_its_line(channel, run_cli):
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text().replace(
        "timezone: America/New_York", "timezone: Mars/Olympus"
    ))
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "channel.yaml:3: timezone: 'Mars/Olympus' is not an IANA time zone" in result.err


def test_no_channel_file_anywhere_is_a_clear_error(tmp_path, run_cli):
    result = run_cli("check", cwd=tmp_path)
    assert result.code == 1
    assert "no channel.yaml here or in any parent folder" in result.err
