"""Citation numbering: order of first citation, the same numbers in script and references."""

from __future__ import annotations


def _script(run_cli, channel):
    return run_cli("preview", "test-episode", "--part", "script", cwd=channel.root)


def test_numbers_follow_first_citation_in_the_script_not_the_list(channel, run_cli):
    # the citations list has kang first, but the script cites serafini first
    out = _script(run_cli, channel).out
    assert "lost [1] and genes change [2]" in out
    assert "1. Serafini G." in out and "2. Kang HJ" in out


def test_listed_but_uncited_entries_follow_the_cited_ones(channel, run_cli):
    channel.episode("test-episode", """\
        title: T
        summary: [x]
        script:
          - {heading: H, body: "Only this one [@kang2012]."}
        citations: [serafini2012, kang2012]
        """)
    out = _script(run_cli, channel).out
    assert "Only this one [1]." in out
    assert out.index("1. Kang HJ") < out.index("2. Serafini G.")


def test_several_keys_in_one_marker(channel, run_cli):
    channel.episode("test-episode", """\
        title: T
        summary: [x]
        script:
          - {heading: H, body: "Both [@kang2012; @serafini2012], then one [@serafini2012]."}
        """)
    assert "Both [1, 2], then one [2]." in _script(run_cli, channel).out


def test_inline_entry_and_library_key_together(channel, run_cli):
    channel.episode("test-episode", """\
        title: T
        summary: [x]
        script:
          - {heading: H, body: "Mine [@mine2020] and theirs [@kang2012]."}
        citations:
          - id: mine2020
            author: [{family: Doe, given: Jane}]
            title: "A title with <i>markup</i>"
            container-title-short: J Test
            issued: 2020
        """)
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 0, result.err
    assert "1. Doe J. A title with markup." in result.out
    assert "<" not in result.out


def test_an_unknown_key_in_the_script_points_at_the_section(channel, run_cli):
    channel.episode("test-episode", """\
        title: T
        summary: [x]
        script:
          - {heading: H, body: "Typo [@kang2021]."}
        """)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "episodes/test-episode.yaml:4: script[0].body: unknown citation key 'kang2021'; did you mean 'kang2012'?" in result.err


def test_apa_style_uses_author_date_cues(channel, run_cli):
    text = (channel.root / "channel.yaml").read_text() + "citation_style: apa\n"
    channel.write("channel.yaml", text)
    out = _script(run_cli, channel).out
    assert "(Serafini, 2012)" in out
    assert "1. " not in out
