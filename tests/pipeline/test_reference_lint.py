"""`check` warns, at the entry's line, about references stored in a way to fix: cited by no
episode, an abbreviated page range, bare initials, no DOI or PMID. The output stays right."""

from __future__ import annotations

import json

LIBRARY = """\
kang2012:
  author:
    - {family: Kang, given: HJ}
    - {family: Voleti, given: B.}
  title: Decreased expression of synapse-related genes
  container-title-short: Nat Med
  issued: 2012
  volume: 18
  page: 1413-7
  DOI: 10.1038/nm.2886
serafini2012:
  author: [{family: Serafini, given: G.}]
  title: Neuroplasticity and major depression
  container-title-short: World J Psychiatry
  issued: 2012
  page: 49-57
unused2020:
  author: [{family: Nobody, given: N.}]
  title: Never cited
  issued: 2020
  PMID: "1"
"""


def _check(channel, run_cli, library: str = LIBRARY):
    channel.write("references.yaml", library)
    result = run_cli("check", "--json", cwd=channel.root)
    assert result.code == 0, result.out
    return [p for p in json.loads(result.out) if p["path"] == "references.yaml"]


def test_each_lint_is_a_warning_at_the_line_of_what_to_fix(channel, run_cli):
    found = {(p["line"], p["field"]): p for p in _check(channel, run_cli)}
    assert set(found) == {(3, "kang2012.author[0].given"), (9, "kang2012.page"), (11, "serafini2012"),
                          (17, "unused2020")}
    assert all(p["severity"] == "warning" for p in found.values())
    assert "store the full range, page: 1413-1417" in found[9, "kang2012.page"]["message"]
    assert "write 'H. J.'" in found[3, "kang2012.author[0].given"]["message"]
    assert "neither DOI nor PMID" in found[11, "serafini2012"]["message"]
    assert "no episode cites unused2020" in found[17, "unused2020"]["message"]


def test_the_warnings_are_lines_on_stderr_and_check_passes(channel, run_cli):
    channel.write("references.yaml", LIBRARY)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0
    assert "references.yaml:9: warning: kang2012.page: the page range 1413-7 is abbreviated" in result.err


def test_what_is_warned_about_is_still_printed_right(channel, run_cli):
    channel.write("references.yaml", LIBRARY)
    result = run_cli("preview", "test-episode", "--part", "references", cwd=channel.root)
    assert result.code == 0, result.err
    assert "2. Kang HJ, Voleti B. Decreased expression of synapse-related genes. Nat Med. 2012;18:1413-7." in result.out
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text() + "citation_style: apa\n")
    result = run_cli("preview", "test-episode", "--part", "references", cwd=channel.root)
    assert "Kang, H. J., & Voleti, B. (2012). Decreased expression of synapse-related genes. Nat Med, 18, " \
           "1413–1417." in result.out


def test_a_clean_library_gets_no_warning(channel, run_cli):
    fixed = (LIBRARY.replace("given: HJ", "given: H. J.").replace("page: 1413-7", "page: 1413-1417")
             .replace("  page: 49-57\n", "  page: 49-57\n  DOI: 10.5498/wjp.v2.i3.49\n"))
    fixed = fixed[:fixed.index("unused2020:")]
    assert _check(channel, run_cli, fixed) == []


def test_an_entry_cited_only_by_another_episode_is_not_unused(channel, run_cli):
    channel.episode("other", "title: Other\nsummary: [x]\ncitations: [unused2020]\n")
    assert not [p for p in _check(channel, run_cli) if p["field"] == "unused2020"]
    result = run_cli("check", "test-episode", cwd=channel.root)  # a single episode: the channel still cites it
    assert "unused2020" not in result.err


def test_a_page_range_that_ends_before_it_starts_is_still_an_error(channel, run_cli):
    channel.write("references.yaml", LIBRARY.replace("page: 1413-7", "page: 1419-5"))
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "references.yaml:9: kang2012.page: the page range 1419-5 ends before it starts" in result.err


def test_an_entry_written_in_the_episode_is_linted_at_its_lines_there(channel, run_cli):
    channel.episode("test-episode", """\
        title: T
        summary: [x]
        citations:
          - id: mine2020
            author: [{family: Doe, given: JA}]
            title: Mine
            issued: 2020
        """)
    result = run_cli("check", "--json", cwd=channel.root)
    mine = [(p["line"], p["field"]) for p in json.loads(result.out) if p["path"] == "episodes/test-episode.yaml"]
    assert (5, "citations[0].author[0].given") in mine
    assert (4, "citations[0]") in mine  # neither DOI nor PMID
