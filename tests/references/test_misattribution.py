"""An entry `import` marked as a suspected misattribution (the typed fields, the DOI of the record whose
title they have, a `misattribution:` line) is one command from fixed: `check` warns at its line, `refs
verify` lists it as differing and names both first authors, `refs verify --fix KEY` takes the record under
the same key and removes the mark."""

from __future__ import annotations

import json

LIBRARY = "references.yaml"
MARKED = """\
andre2008:
  author:
    - {family: André, given: R. B.}
    - {family: Lopes, given: M.}
    - {family: Fregni, given: F.}
  title: 'A systematic review and meta-analysis of clinical studies on major depression and BDNF levels: implications for the role of neuroplasticity in depression'
  container-title: Int. Journal of Neuropsychopharmacology
  issued: 2008
  volume: 11
  page: 1169-1180
  DOI: 10.1017/S1461145708009309
  misattribution: "typed as 'André RB' (2008), but DOI 10.1017/S1461145708009309 is the record of 'Brunoni AR' (2008)"
"""
EPISODE = "title: A Test Episode\nsummary: [One.]\ncitations: [andre2008]\n"


def marked(channel, text: str = MARKED) -> None:
    channel.write(LIBRARY, text)
    channel.episode("test-episode", EPISODE)


def test_check_warns_at_the_mark_and_says_which_command_settles_it(channel, run_cli):
    marked(channel)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0  # a warning: the episode renders as typed meanwhile
    (line,) = [line for line in result.err.splitlines() if "misattribution" in line]
    assert line.startswith("references.yaml:12: warning: andre2008.misattribution: suspected misattribution: typed as")
    assert "refs verify --fix" in line


def test_verify_lists_it_as_differing_naming_both_first_authors(channel, run_cli, lookup_services):
    marked(channel)
    result = run_cli("refs", "verify", "--json", cwd=channel.root)
    assert result.code == 1
    (entry,) = json.loads(result.out)["entries"]
    assert entry["status"] == "differs" and "'André RB' (2008)" in entry["misattribution"]
    assert "'Brunoni AR' (2008)" in entry["misattribution"]
    author = next(d for d in entry["differences"] if d["field"] == "author")
    assert author["library"][0]["family"] == "André" and author["record"][0]["family"] == "Brunoni"


def test_a_mark_alone_keeps_the_entry_differing_until_fix_removes_it(channel, run_cli, lookup_services):
    marked(channel)
    assert run_cli("refs", "verify", "--fix", cwd=channel.root).code == 0
    corrected = (channel.root / LIBRARY).read_text(encoding="utf-8")
    # the fields corrected (here by the fix), the mark written again as if left behind by hand
    marked(channel, corrected.rstrip("\n") + "\n  misattribution: typed as 'André RB' (2008)\n")
    again = run_cli("refs", "verify", cwd=channel.root)
    assert again.code == 1 and again.out.splitlines()[0] == (
        "references.yaml:15: andre2008: misattribution: suspected, the record not applied: typed as 'André RB' (2008)")
    preview = run_cli("refs", "verify", "--fix", "--dry-run", "andre2008", cwd=channel.root)
    assert "would fix: andre2008: 0 field(s); misattribution line removed" in preview.out
    assert "-  misattribution: typed as 'André RB' (2008)" in preview.out
    assert run_cli("refs", "verify", "--fix", "andre2008", cwd=channel.root).code == 0
    assert (channel.root / LIBRARY).read_text(encoding="utf-8") == corrected


def test_fix_takes_the_record_under_the_same_key_and_removes_the_mark(channel, run_cli, lookup_services):
    marked(channel)
    result = run_cli("refs", "verify", "--fix", "andre2008", cwd=channel.root)
    assert result.code == 0, result.err
    assert "fixed: andre2008: 6 field(s); misattribution line removed" in result.out
    text = (channel.root / LIBRARY).read_text(encoding="utf-8")
    assert text.startswith("andre2008:\n") and "misattribution" not in text
    assert "{family: Brunoni, given: André Russowsky}" in text and "PMID: 18752720" in text
    assert "container-title-short: Int J Neuropsychopharmacol" in text
    shown = run_cli("preview", "episodes/test-episode.yaml", "--part", "references", cwd=channel.root)
    assert "Brunoni AR, Lopes M, Fregni F." in shown.out and "Int J Neuropsychopharmacol. 2008 Dec;11(8):1169-80." \
        in shown.out
